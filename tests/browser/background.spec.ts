/// <reference types="chrome" />
/**
 * Where Chromium and Firefox differ under the extension (docs/architecture.md, "Firefox"), each
 * difference tested in both browsers with one body:
 * - the background is a service worker in Chromium and an event page in Firefox; either may be
 *   stopped when idle, and a page's lookups wake it and are answered (nothing lives in globals);
 * - the extension's storage (IndexedDB and storage.local) has room for large feeds in both.
 *
 * Firefox runs here with the event page's idle timeout at 3 s (30 s by default) so the test can
 * watch it being suspended; Chromium's worker is stopped through DevTools.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adapterById } from '../../sites/registry';
import { type BrowserSession, describeEachBrowser, launch } from './driver';
import { EVENT_PAGE } from './driver-firefox';
import { EXPECTED_BADGES } from './expected-badges';
import { badgesOn, openFixtureIn, settleBadges } from './shared-helpers';

const X_POST = adapterById('x').postSelector;
const EXPECTED = EXPECTED_BADGES['x/home'] ?? [];

describeEachBrowser('the background and storage', (browser) => {
  let session: BrowserSession;

  beforeAll(async () => {
    session = await launch(browser, { backgroundIdleMs: 3000 });
    await session.waitForSeed();
  });
  afterAll(async () => {
    await session?.close();
  });

  it(`is ${browser === 'chromium' ? 'a service worker' : 'an event page'}, and a page's lookups wake it after it stopped`, async () => {
    if (browser === 'chromium') {
      // inExtension runs in the background itself: a worker global, no document.
      expect(
        await session.inExtension(
          () => 'ServiceWorkerGlobalScope' in globalThis && typeof document === 'undefined',
        ),
      ).toBe(true);
    } else {
      // The event page is a document: runtime.getBackgroundPage() wakes it and returns its window.
      expect(
        await session.inExtension(async () => (await chrome.runtime.getBackgroundPage())?.location.pathname),
      ).toBe(EVENT_PAGE);
    }
    await session.stopBackground();
    const tab = await openFixtureIn(session, 'x', 'home');
    await settleBadges(tab, EXPECTED.length);
    expect(await badgesOn(tab, X_POST)).toEqual(EXPECTED);
    await tab.close();
  });

  it('has room for large feeds: the storage quota is at least 1 GiB', async () => {
    const estimate = await session.inExtension(async () => {
      const { quota = 0, usage = 0 } = await navigator.storage.estimate();
      return { quota, usage };
    });
    console.log(
      `[${browser}] extension storage: quota ${(estimate.quota / 2 ** 30).toFixed(1)} GiB, used ${(estimate.usage / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(estimate.quota).toBeGreaterThanOrEqual(2 ** 30);
  });
});
