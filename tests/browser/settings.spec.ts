/// <reference types="chrome" />
/**
 * The popup and the options page of the BUILT extension in Chromium, driven by accessible names
 * only: subscribing to a feed served on 127.0.0.1 (built with the real CLI), its labels on a
 * fixture page, a label switched to "hide" and the site switched off reaching the open page
 * without a reload, settings exported and imported, axe-core on both pages (light and dark), and
 * curator mode from the context menu to a published, subscribed feed.
 *
 * Two things automation cannot do are replaced, and only those: the permission prompt (answered
 * "Allow", see settings-helpers.ts) and the native context menu. For the menu, the test right-clicks
 * the real element (so the content script records what is under the pointer) and then fires
 * chrome.contextMenus.onClicked in the service worker with the info Chromium would pass — the very
 * listener setupCuratorMenus() registered runs, asks the tab, and opens the form window.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumTab } from './driver-chromium';
import { type ExtensionSession, launchChromium, readFixture } from './harness';
import {
  axeViolations,
  buildWithCli,
  cli,
  type FeedServer,
  newsroomSource,
  openExtensionPage,
  openPopupFor,
  serveFolder,
  tabIdOf,
  tempDir,
  writeJson,
} from './settings-helpers';

const X_HOME = 'https://x.com/home';

async function visible(locator: Locator, timeout = 20_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

async function until(check: () => Promise<boolean>, what: string, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function subscribe(options: Page, feedUrl: string, name: string): Promise<void> {
  await options.getByLabel('Feed URL').fill(feedUrl);
  await options.getByRole('button', { name: 'Subscribe', exact: true }).click();
  const confirm = options.getByRole('region', { name: `Subscribe to ${name}?` });
  await visible(confirm);
  await confirm.getByRole('button', { name: 'Trust and subscribe' }).click();
  await visible(options.getByText(`Subscribed to ${name}.`));
  await visible(options.getByRole('region', { name }).getByText('up to date'), 60_000);
}

describe('settings pages in Chromium', () => {
  let session: ExtensionSession;
  let server: FeedServer;
  let work: string;
  let keyFile: string;
  let feedUrl: string;

  beforeAll(async () => {
    work = tempDir('settings-ui');
    server = await serveFolder(tempDir('feeds'));
    keyFile = join(work, 'key.json');
    cli('keygen', keyFile);
    feedUrl = `${server.origin}/labels/feed.json`;
    const source = writeJson(
      join(work, 'labels.json'),
      newsroomSource(feedUrl, 'Test Newsroom', { id: 'account-suspended', title: 'Suspended (test feed)' }),
    );
    buildWithCli(server, 'labels', source, keyFile);

    session = await launchChromium();
    await session.servePage('https://x.com/', readFixture('x', 'home'));
    await session.waitForSeed();
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('axe-core finds no violations on the popup and the options page, light and dark', async () => {
    const site = await session.context.newPage();
    await site.goto(X_HOME);
    const popup = await openPopupFor(session, site);
    await visible(popup.getByRole('checkbox', { name: 'Show labels on X' }));
    const options = await openExtensionPage(session, 'options.html');
    await visible(options.getByRole('region', { name: /./ }).first());
    await options.getByRole('checkbox', { name: 'Curator mode' }).check();
    await visible(options.getByRole('button', { name: 'Export as feed source' }));
    for (const scheme of ['light', 'dark'] as const) {
      for (const page of [popup, options]) {
        await page.emulateMedia({ colorScheme: scheme });
        expect(await axeViolations(page), `${page.url()} (${scheme})`).toEqual([]);
      }
    }
    await options.getByRole('checkbox', { name: 'Curator mode' }).uncheck();
    // 200 % zoom of a 1280 px window: nothing needs horizontal scrolling.
    await options.setViewportSize({ width: 640, height: 450 });
    expect(await options.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
      true,
    );
    await Promise.all([site.close(), popup.close(), options.close()]);
  });

  it('subscribes to a feed, shows its labels, and every change reaches the open page without a reload', async () => {
    const options = await openExtensionPage(session, 'options.html');
    await subscribe(options, feedUrl, 'Test Newsroom Labels');

    const site = await session.context.newPage();
    await site.goto(X_HOME);
    // Badges and covers are in closed shadow roots: the shared driver's engine reaches them (driver.ts).
    const onSite = chromiumTab(site);
    const badge = onSite.getByRole('button', { name: 'Context label: Suspended (test feed)' });
    await badge.first().waitFor();

    // Labels: hide. The open page changes at once.
    await options
      .getByLabel('What to do with Suspended (test feed)')
      .selectOption({ label: 'Hide the post' });
    const hiddenLine = onSite.getByRole('button', {
      name: /^Hidden by Context Lens: Suspended \(test feed\)/,
    });
    await hiddenLine.first().waitFor();

    // The popup for that tab: the site switched off takes every label away.
    const popup = await openPopupFor(session, site);
    const onX = popup.getByRole('checkbox', { name: 'Show labels on X' });
    await visible(onX);
    await onX.uncheck();
    await until(
      async () => (await hiddenLine.count()) === 0 && (await badge.count()) === 0,
      'the labels to go',
    );

    // Export, change, import: the exported choices come back.
    const [download] = await Promise.all([
      options.waitForEvent('download'),
      options.getByRole('button', { name: 'Export settings' }).click(),
    ]);
    const exportedPath = join(work, 'exported-settings.json');
    await download.saveAs(exportedPath);
    const exported = JSON.parse(readFileSync(exportedPath, 'utf8'));
    expect(exported.siteEnabled).toEqual({ x: false });
    expect(exported.labelActions).toEqual({ [`${feedUrl} account-suspended`]: 'hide' });

    await onX.check();
    await hiddenLine.first().waitFor();
    await options.getByLabel('What to do with Suspended (test feed)').selectOption({ label: 'Off' });
    await until(async () => (await hiddenLine.count()) === 0, 'the label to be off');

    await options.getByLabel('Import settings').setInputFiles(exportedPath);
    await visible(options.getByText('Settings imported.'));
    await until(async () => !(await onX.isChecked()), 'the popup to show X switched off');
    expect(await session.getStorage('labelActions')).toEqual({ [`${feedUrl} account-suspended`]: 'hide' });

    // A bad file is refused with its reason, and changes nothing.
    const badPath = writeJson(join(work, 'bad-settings.json'), { ...exported, enabled: 'yes' });
    await options.getByLabel('Import settings').setInputFiles(badPath);
    await visible(options.getByRole('alert').getByText('enabled: must be true or false'));
    expect(await session.getStorage('enabled')).not.toBe('yes');

    await onX.check();
    await Promise.all([site.close(), popup.close(), options.close()]);
  });

  it('curator mode: labels an account from the context menu, exports a source the CLI builds, and the label shows', async () => {
    const options = await openExtensionPage(session, 'options.html');
    await options.getByRole('checkbox', { name: 'Curator mode' }).check();
    const curatedUrl = `${server.origin}/curated/feed.json`;
    await options.getByLabel('Feed address (where feed.json will be published)').fill(curatedUrl);
    await options.getByLabel('Name', { exact: true }).fill('Curated In Test');
    await options.getByLabel('Homepage', { exact: true }).fill(`${server.origin}/`);
    await options.getByRole('button', { name: 'Save draft feed' }).click();
    await visible(options.getByText('Draft feed saved.'));

    const site = await session.context.newPage();
    await site.goto(X_HOME);
    const author = site.getByRole('link', { name: 'Sam Whitford', exact: true });
    await author.click({ button: 'right' });
    await site.keyboard.press('Escape');

    const tabId = await tabIdOf(session, site);
    const sw = await session.serviceWorker();
    const formOpened = session.context.waitForEvent('page', {
      predicate: (p) => p.url().includes('/curator.html'),
    });
    await sw.evaluate(
      async ({ tabId, pageUrl }) => {
        const tab = await chrome.tabs.get(tabId);
        const onClicked = chrome.contextMenus.onClicked as unknown as { dispatch(...args: unknown[]): void };
        onClicked.dispatch(
          { menuItemId: 'context-lens-label-account', pageUrl, frameId: 0, editable: false },
          tab,
        );
      },
      { tabId, pageUrl: X_HOME },
    );
    const form = await formOpened;
    await form.waitForLoadState();
    expect(await form.getByLabel('Address of what is labelled').inputValue()).toBe(
      'https://x.com/appwatch_sam',
    );
    await form.getByLabel('Label', { exact: true }).selectOption({ label: 'Hosting terminated' });
    await form.getByLabel('Source 1 (address)').fill('https://news.example/sam');
    await form.getByRole('button', { name: 'Save to draft' }).click();
    await visible(form.getByText('Saved to your draft feed.'));
    await form.close();

    await visible(options.getByRole('region', { name: 'https://x.com/appwatch_sam' }));
    const [download] = await Promise.all([
      options.waitForEvent('download'),
      options.getByRole('button', { name: 'Export as feed source' }).click(),
    ]);
    const sourcePath = join(work, 'curated.source.json');
    await download.saveAs(sourcePath);
    expect(buildWithCli(server, 'curated', sourcePath, keyFile)).toBe(curatedUrl);

    await subscribe(options, curatedUrl, 'Curated In Test');
    await chromiumTab(site)
      .getByRole('button', { name: 'Context label: Hosting terminated' })
      .first()
      .waitFor();
    await Promise.all([site.close(), options.close()]);
  });
});
