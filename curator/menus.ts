/**
 * Curator mode in the background: the "Label this account/post/link…" context-menu items, their
 * click handler, and the label form's window. The lead calls `setupCuratorMenus()` from the
 * background's main; it registers every listener synchronously (the service worker may have just
 * woken for a menu click) and rebuilds the items whenever curator mode or the Mastodon hosts change.
 * Never labels anything itself: it only opens the form, which saves to the curator's draft. Keeps
 * at most one form window: asking again loads the new target into the open one and brings it
 * forward, however many requests arrive (a page calling .click() in a loop opens nothing more).
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { type ContextTarget, type CuratorTarget, sendMessage } from '../messaging/protocol';
import { SITE_MATCHES } from '../sites/matches';
import { curatorModeItem, mastodonHostsItem } from '../storage/settings';
import {
  CURATOR_MENU_CONTEXTS,
  CURATOR_MENU_IDS,
  CURATOR_MENU_MESSAGES,
  curatorFormQuery,
  kindOfMenuItem,
  type MenuClickInfo,
  pickTarget,
  type TargetKind,
} from './targets';

const FORM_WIDTH = 520;
const FORM_HEIGHT = 720;

/**
 * The id of the open form window. Session storage outlives the service worker (which may stop
 * while the form is open) but not the browser, whose window ids start again.
 */
const curatorWindowItem = storage.defineItem<number | null>('session:curatorWindowId', { fallback: null });

/** The open form window's tab, or null when there is none (never opened, or closed since). */
async function openFormTab(): Promise<{ windowId: number; tabId: number; url?: string } | null> {
  const windowId = await curatorWindowItem.getValue();
  if (windowId === null) return null;
  try {
    const window = await browser.windows.get(windowId, { populate: true });
    const tab = window.tabs?.[0];
    return tab?.id === undefined ? null : { windowId, tabId: tab.id, url: tab.url };
  } catch {
    return null; // closed
  }
}

async function showForm(target: CuratorTarget): Promise<void> {
  const url = `${browser.runtime.getURL('/curator.html')}${curatorFormQuery(target)}`;
  const open = await openFormTab();
  if (open) {
    // The same target again keeps what the curator typed; another one replaces the form.
    if (open.url !== url) await browser.tabs.update(open.tabId, { url });
    await browser.windows.update(open.windowId, { focused: true });
    return;
  }
  const created = await browser.windows.create({
    url,
    type: 'popup',
    width: FORM_WIDTH,
    height: FORM_HEIGHT,
  });
  await curatorWindowItem.setValue(created?.id ?? null);
}

// Requests are handled one after another, so a burst of them cannot each find no window and open one.
let showing: Promise<void> = Promise.resolve();

/** Opens the curator's label form for a target in a small window of its own — at most one. */
export function openCuratorWindow(target: CuratorTarget): Promise<void> {
  showing = showing.then(
    () => showForm(target),
    () => showForm(target),
  );
  return showing;
}

/** Pages the items show on: the built-in sites and the Mastodon instances the reader enabled. */
export function curatorMenuPatterns(mastodonHosts: string[]): string[] {
  const hostPattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
  return [...SITE_MATCHES, ...mastodonHosts.filter((h) => hostPattern.test(h)).map((h) => `https://${h}/*`)];
}

function createItem(properties: Parameters<typeof browser.contextMenus.create>[0]): Promise<void> {
  return new Promise((resolve, reject) => {
    browser.contextMenus.create(properties, () => {
      const error = browser.runtime.lastError;
      if (error?.message) reject(new Error(error.message));
      else resolve();
    });
  });
}

async function rebuildMenus(): Promise<void> {
  await browser.contextMenus.removeAll();
  if (!(await curatorModeItem.getValue())) return;
  const documentUrlPatterns = curatorMenuPatterns(await mastodonHostsItem.getValue());
  for (const kind of Object.keys(CURATOR_MENU_IDS) as TargetKind[]) {
    await createItem({
      id: CURATOR_MENU_IDS[kind],
      title: (browser.i18n.getMessage as (key: string) => string)(CURATOR_MENU_MESSAGES[kind]),
      contexts: CURATOR_MENU_CONTEXTS[kind],
      documentUrlPatterns,
    });
  }
}

// Rebuilds run one after another so two quick changes never create an item twice.
let rebuilding: Promise<void> = Promise.resolve();

/** Removes the items, then creates them again when curator mode is on. */
export function refreshCuratorMenus(): Promise<void> {
  rebuilding = rebuilding.then(rebuildMenus, rebuildMenus);
  return rebuilding;
}

/** What a click on one of the items does: find the target, open the form. */
export async function handleCuratorMenuClick(
  info: MenuClickInfo & { menuItemId: string | number; frameId?: number },
  tab: { id?: number } | undefined,
): Promise<void> {
  const kind = kindOfMenuItem(info.menuItemId);
  if (!kind) return;
  let seen: ContextTarget | undefined;
  if (tab?.id !== undefined && tab.id >= 0) {
    try {
      seen = await sendMessage('getContextTarget', undefined, { tabId: tab.id, frameId: info.frameId ?? 0 });
    } catch {
      // No content script in that frame (a page it does not run on yet): the browser's own info decides.
    }
  }
  const target = pickTarget(kind, seen, info);
  if (target) await openCuratorWindow(target);
}

function reportFailure(error: unknown): void {
  console.error('Context Lens curator menus:', error);
}

/** Wires curator mode into the background. Call once, synchronously, from the background's main. */
export function setupCuratorMenus(): void {
  browser.contextMenus.onClicked.addListener((info, tab) => {
    handleCuratorMenuClick(info, tab).catch(reportFailure);
  });
  curatorModeItem.watch(() => {
    refreshCuratorMenus().catch(reportFailure);
  });
  mastodonHostsItem.watch(() => {
    refreshCuratorMenus().catch(reportFailure);
  });
  browser.runtime.onInstalled.addListener(() => {
    refreshCuratorMenus().catch(reportFailure);
  });
  browser.runtime.onStartup.addListener(() => {
    refreshCuratorMenus().catch(reportFailure);
  });
  // Firefox's event pages do not keep menus across restarts; rebuilding on every start is cheap.
  refreshCuratorMenus().catch(reportFailure);
}
