/**
 * The tab the popup describes. Normally the active tab of the window the popup belongs to; a
 * `?tab=<id>` query names another one. Browsers never open the popup with a query, so only an
 * extension page or a test can use it: the browser tests open popup.html?tab=<id> in a tab of
 * their own, since a real popup cannot be opened by automation.
 */
import { browser } from 'wxt/browser';

export interface ActiveTab {
  id: number;
  /** Absent when the extension may not read this tab's address. */
  url?: string;
}

export async function findActiveTab(search: string): Promise<ActiveTab | null> {
  const named = new URLSearchParams(search).get('tab');
  if (named !== null && /^\d+$/.test(named)) {
    try {
      const tab = await browser.tabs.get(Number(named));
      if (tab.id !== undefined) return { id: tab.id, ...(tab.url ? { url: tab.url } : {}) };
    } catch {
      return null;
    }
  }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (!tab || tab.id === undefined) return null;
  return { id: tab.id, ...(tab.url ? { url: tab.url } : {}) };
}
