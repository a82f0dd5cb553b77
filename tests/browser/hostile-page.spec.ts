/**
 * A hostile page against the built extension, in Chromium AND Firefox ESR (driver.ts): page script
 * that watches everything the content script could announce and sends everything that could stop
 * or steer it (docs/security.md, "A hostile page").
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { adapterById } from '../../sites/registry';
import { type BrowserSession, describeEachBrowser, launch, type Tab } from './driver';
import { EXPECTED_BADGES } from './expected-badges';
import { openFixtureIn, settleBadges } from './shared-helpers';

const X_POST = adapterById('x').postSelector;
const X_HOME_BADGES = EXPECTED_BADGES['x/home']?.length ?? 0;

/**
 * Page script run before anything else on the page: it records every window message and every
 * document event named after WXT's signals, as a page trying to detect the extension would.
 */
function spyScript(extensionId: string): string {
  const names = ['wxt:content-script-started', 'wxt:locationchange'].map(
    (n) => `${extensionId}:content:${n}`,
  );
  return `<script>
    window.__seen = [];
    window.addEventListener('message', (e) => window.__seen.push('message ' + JSON.stringify(e.data)), true);
    for (const name of ${JSON.stringify(names)}) {
      document.addEventListener(name, () => window.__seen.push('document ' + name), true);
      window.addEventListener(name, () => window.__seen.push('window ' + name), true);
    }
  </script>`;
}

describeEachBrowser('a hostile page', (browser) => {
  let session: BrowserSession;
  let extensionId: string;
  const tabs: Tab[] = [];

  beforeAll(async () => {
    session = await launch(browser);
    await session.waitForSeed();
    extensionId = await session.inExtension(() => {
      const api = globalThis as unknown as { chrome?: { runtime?: { id?: string } } };
      return api.chrome?.runtime?.id ?? '';
    });
    expect(extensionId).not.toBe('');
  });
  afterAll(async () => {
    await session?.close();
  });
  afterEach(async () => {
    for (const tab of tabs.splice(0)) await tab.close();
  });

  it('sees nothing that names the extension, and cannot switch the content script off with WXT’s signals', async () => {
    const tab = await openFixtureIn(session, 'x', 'home', (html) =>
      html.replace(/<head[^>]*>/i, (head) => `${head}${spyScript(extensionId)}`),
    );
    tabs.push(tab);
    expect(await settleBadges(tab, X_HOME_BADGES)).toBe(X_HOME_BADGES);

    const seen = await tab.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    expect(seen.filter((entry) => /wxt|context.?lens/i.test(entry) || entry.includes(extensionId))).toEqual(
      [],
    );

    // Everything WXT 0.21's context listens for, from page script, with every plausible id.
    await tab.evaluate((id) => {
      const type = `${id}:content:wxt:content-script-started`;
      const detail = { contentScriptName: 'content', messageId: 'page' };
      document.dispatchEvent(new CustomEvent(type, { detail }));
      window.postMessage({ type, ...detail }, '*');
      window.dispatchEvent(new Event(`${id}:content:wxt:locationchange`));
    }, extensionId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await tab.evaluate(() => document.querySelectorAll('context-lens-label').length)).toBe(
      X_HOME_BADGES,
    );

    // Still running: a post the page adds afterwards is labelled too.
    await tab.evaluate((selector) => {
      const first = document.querySelector(selector);
      if (!first?.parentElement) throw new Error('no post to copy');
      const copy = first.cloneNode(true) as Element;
      for (const ours of copy.querySelectorAll(
        '[data-context-lens], context-lens-label, context-lens-curator',
      ))
        if (ours.tagName.toLowerCase().startsWith('context-lens')) ours.remove();
      copy.removeAttribute('data-context-lens');
      first.parentElement.append(copy);
    }, X_POST);
    expect(await settleBadges(tab, X_HOME_BADGES + 1)).toBeGreaterThan(X_HOME_BADGES);
  });
});
