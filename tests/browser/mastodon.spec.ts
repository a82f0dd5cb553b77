/**
 * The Mastodon path end to end in Chromium: a Mastodon server the manifest does not list
 * (fosstodon.org, serving the mastodon.social fixture) shows no labels until the reader uses the
 * popup's "Enable on fosstodon.org"; after a reload the background's runtime-registered content
 * script labels it; after "Remove fosstodon.org" on the options page a reload shows none again.
 *
 * The one stand-in: Chromium shows chrome.permissions.request as a native dialog no automation can
 * answer (microsoft/playwright#32755; settings-helpers.ts replaces it with a stub answering
 * "Allow"). A stub is not enough here, because the grant itself matters: the popup then runs a
 * script in the tab and the background registers the content script only for origins that
 * permissions.contains() reports granted. So the browser starts with a copy of the built extension
 * whose manifest already holds https://fosstodon.org/* — the state the reader's "Allow" leaves.
 * Chromium then answers the popup's real permissions.request itself (already granted, no prompt),
 * and nothing in the extension is stubbed. Having the permission does not run anything on the
 * host: that takes the reader's "Enable", which the first step of the test proves.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterById } from '../../sites/registry';
import { chromiumTab } from './driver-chromium';
import { EXPECTED_BADGES } from './expected-badges';
import { type ExtensionSession, extensionDir, launchChromium, readFixture } from './harness';
import { badgeTable, waitForBadges } from './labels-helpers';
import { openExtensionPage, openPopupFor, tempDir } from './settings-helpers';

const HOST = 'fosstodon.org';
const HOME = `https://${HOST}/home`;
const POST = adapterById('mastodon').postSelector;
/** The seed's labels on the fixture, as on mastodon.social. */
const EXPECTED = EXPECTED_BADGES['mastodon/home'] ?? [];

/** A copy of the built extension whose manifest already holds the host permission (see the header). */
function extensionWithGrant(): string {
  const dir = join(tempDir('mastodon-ext'), 'chrome-mv3');
  cpSync(extensionDir('chrome-mv3'), dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.host_permissions = [...(manifest.host_permissions ?? []), `https://${HOST}/*`];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return dir;
}

/** Badges after the page settled; 0 when none came within `timeoutMs`. */
async function settledBadges(page: Page, expected: number, timeoutMs = 15_000): Promise<string[]> {
  await waitForBadges(page, expected, 600, timeoutMs);
  return badgeTable(page, POST);
}

describe('Mastodon servers the reader enables', () => {
  let session: ExtensionSession;
  let extDir: string;

  beforeAll(async () => {
    extDir = extensionWithGrant();
    // Later switches win: Chromium loads the copy instead of the harness's build folder.
    session = await launchChromium({
      extraArgs: [`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`],
    });
    await session.servePage(`https://${HOST}/`, readFixture('mastodon', 'home'));
    await session.waitForSeed();
  });

  afterAll(async () => {
    await session?.close();
    rmSync(join(extDir, '..'), { recursive: true, force: true });
  });

  it('labels fosstodon.org only after "Enable on fosstodon.org", and no longer after "Remove"', async () => {
    const site = await session.context.newPage();
    await site.goto(HOME);
    // The fixture's markup is Mastodon's, the posts are there, yet no badge: nothing runs on the host.
    expect(await site.locator(POST).count()).toBeGreaterThan(8);
    expect(await settledBadges(site, 1, 4000)).toEqual([]);
    expect(await site.evaluate(() => document.querySelector('[data-context-lens]') === null)).toBe(true);
    expect(await session.getStorage('mastodonHosts')).toBeUndefined();

    // The popup aimed at that tab offers to enable the server.
    const popup = await openPopupFor(session, site);
    const enable = popup.getByRole('button', { name: `Enable on ${HOST}` });
    await enable.waitFor({ timeout: 20_000 });
    await enable.click();
    await expect.poll(() => session.getStorage('mastodonHosts'), { timeout: 10_000 }).toEqual([HOST]);
    // The popup now treats the tab as Mastodon, with the site switch instead of the offer.
    await popup.getByRole('checkbox', { name: 'Show labels on Mastodon' }).waitFor({ timeout: 10_000 });
    const worker = await session.serviceWorker();
    await expect
      .poll(
        () =>
          worker.evaluate(async () =>
            (await chrome.scripting.getRegisteredContentScripts()).map((s) => s.matches),
          ),
        { timeout: 10_000 },
      )
      .toEqual([[`https://${HOST}/*`]]);

    await site.reload();
    expect(await settledBadges(site, EXPECTED.length)).toEqual(EXPECTED);
    const badge = chromiumTab(site)
      .getByRole('button', { name: /^Context label/ })
      .first();
    expect(await badge.isVisible()).toBe(true);

    // Disable: the options page lists the server with "Remove fosstodon.org".
    const options = await openExtensionPage(session, 'options.html');
    await options.getByRole('button', { name: `Remove ${HOST}` }).click();
    await expect.poll(() => session.getStorage('mastodonHosts'), { timeout: 10_000 }).toEqual([]);
    await expect
      .poll(
        () => worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).length),
        {
          timeout: 10_000,
        },
      )
      .toBe(0);

    await site.reload();
    expect(await site.locator(POST).count()).toBeGreaterThan(8);
    expect(await settledBadges(site, 1, 4000)).toEqual([]);
    await Promise.all([site.close(), popup.close(), options.close()]);
  });
});
