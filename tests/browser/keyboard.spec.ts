/**
 * A reader can do everything with the keyboard alone: the options page (subscribe, a label's
 * action, a site off and on, "Update now", "Unsubscribe" and its confirmation), the popup's two
 * switches, on x.com curator mode's "Label…" button, and the curator form filled in and saved.
 * On x.com a badge's details panel, a warned post's "Show post" and a hidden post's line are driven
 * by keyboard in content.spec.ts, in Chromium and Firefox.
 *
 * Controls are driven ONLY by page.keyboard (Tab, Shift+Tab, Enter, Space, arrows, Escape, typing);
 * locators serve only to check where focus is and what came of it. Every element focus lands on
 * along the way must show a visible focus indicator (an outline or a box-shadow), and a full Tab
 * walk of the options page (curator mode on) and of the popup checks every stop.
 *
 * The browser's permission prompt for the feed's origin cannot be answered by automation: it is
 * answered "Allow" as in settings.spec.ts (see settings-helpers.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterById } from '../../sites/registry';
import { chromiumTab } from './driver-chromium';
import { tabTo as tabToOnTab } from './focus';
import { type ExtensionSession, launchChromium } from './harness';
import { openFixture } from './labels-helpers';
import {
  buildWithCli,
  cli,
  type FeedServer,
  newsroomSource,
  openExtensionPage,
  openPopupFor,
  serveFolder,
  tempDir,
  writeJson,
} from './settings-helpers';

const X_POST = adapterById('x').postSelector;

interface Focused {
  /** tag#id "name" of the innermost focused element (through shadow roots). */
  what: string;
  indicator: boolean;
  style: string;
}

/** The innermost focused element (through open shadow roots) and whether it shows a focus indicator. */
function focusedNow(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const labelled = (el as HTMLInputElement).labels?.[0]?.textContent;
    const name = el.getAttribute('aria-label') ?? labelled ?? el.textContent ?? '';
    return {
      what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${name.trim().slice(0, 60)}"`,
      indicator: outline || shadow,
      style: `outline: ${style.outlineStyle} ${style.outlineWidth}; box-shadow: ${style.boxShadow}`,
    };
  });
}

/** Throws unless focus is on an element that shows a visible focus indicator. */
async function expectVisibleFocus(page: Page): Promise<Focused> {
  const now = await focusedNow(page);
  if (!now) throw new Error('focus is on nothing (the document body)');
  if (!now.indicator) throw new Error(`no visible focus indicator on ${now.what} (${now.style})`);
  return now;
}

function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active === el;
  });
}

/**
 * Presses Tab (Shift+Tab with `back`) until `target` has focus, checking the focus indicator of
 * every control passed on the way. Fails naming the controls visited when it never gets there.
 */
async function tabTo(page: Page, target: Locator, { back = false, max = 120 } = {}): Promise<void> {
  await target.waitFor({ state: 'visible', timeout: 20_000 });
  const visited: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focusedNow(page);
    if (now) {
      visited.push(now.what);
      if (!now.indicator) throw new Error(`no visible focus indicator on ${now.what} (${now.style})`);
    }
    if (await isFocused(target)) return;
  }
  throw new Error(`Tab never reached ${target}; visited:\n${visited.join('\n')}`);
}

/**
 * Tabs through the whole page until focus comes back to where it started (or leaves the page),
 * checking the focus indicator at every stop; returns the stops in order.
 */
async function walkAll(page: Page, max = 250): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focusedNow(page);
    if (!now) {
      if (stops.length > 0) return stops;
      continue;
    }
    if (stops.length > 0 && now.what === stops[0]) return stops;
    if (!now.indicator) throw new Error(`no visible focus indicator on ${now.what} (${now.style})`);
    stops.push(now.what);
  }
  throw new Error(`Tab went on for ${max} stops without coming round: ${stops.slice(-10).join(', ')}`);
}

async function visible(locator: Locator, timeout = 20_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Presses `key` on the focused select until `label` is selected (at most `max` presses). */
async function arrowToOption(page: Page, select: Locator, label: string, max = 12): Promise<void> {
  for (let i = 0; i < max; i++) {
    const chosen = await select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent);
    if (chosen === label) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`ArrowDown never selected "${label}"`);
}

describe('keyboard only', () => {
  let session: ExtensionSession;
  let server: FeedServer;
  let feedUrl: string;
  let sourcePath: string;
  let keyFile: string;
  const feedName = 'Keyboard Newsroom Labels';

  beforeAll(async () => {
    const work = tempDir('keyboard');
    server = await serveFolder(tempDir('keyboard-feeds'));
    keyFile = join(work, 'key.json');
    cli('keygen', keyFile);
    feedUrl = `${server.origin}/kb/feed.json`;
    sourcePath = join(work, 'labels.json');
    writeJson(
      sourcePath,
      newsroomSource(feedUrl, 'Keyboard Newsroom', {
        id: 'kb-suspended',
        title: 'Suspended (keyboard feed)',
      }),
    );
    buildWithCli(server, 'kb', sourcePath, keyFile);
    session = await launchChromium();
    await session.waitForSeed();
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('options page: subscribe, a label to "hide", a site off and on, Update now, Unsubscribe', async () => {
    const options = await openExtensionPage(session, 'options.html');
    await visible(options.getByRole('heading', { level: 1 }));

    // Subscribe: type the address, Subscribe, then "Trust and subscribe".
    await tabTo(options, options.getByLabel('Feed URL'));
    await options.keyboard.type(feedUrl);
    await tabTo(options, options.getByRole('button', { name: 'Subscribe', exact: true }));
    await options.keyboard.press('Enter');
    const confirm = options.getByRole('region', { name: `Subscribe to ${feedName}?` });
    await visible(confirm);
    await tabTo(options, confirm.getByRole('button', { name: 'Trust and subscribe' }));
    await options.keyboard.press('Enter');
    await visible(options.getByText(`Subscribed to ${feedName}.`));
    const feed = options.getByRole('region', { name: feedName });
    await visible(feed.getByText('up to date'), 60_000);

    // The label definition's action: arrows in the focused select.
    const action = options.getByLabel('What to do with Suspended (keyboard feed)');
    await tabTo(options, action);
    await arrowToOption(options, action, 'Hide the post');
    await expect
      .poll(() => session.getStorage('labelActions'))
      .toEqual({ [`${feedUrl} kb-suspended`]: 'hide' });

    // A site off and on with Space.
    const sites = options.getByRole('group', { name: 'Show labels on' });
    const x = sites.getByRole('checkbox', { name: 'X', exact: true });
    await tabTo(options, x);
    await options.keyboard.press('Space');
    await expect.poll(() => session.getStorage('siteEnabled')).toEqual({ x: false });
    expect(await x.isChecked()).toBe(false);
    await options.keyboard.press('Space');
    await expect.poll(() => session.getStorage('siteEnabled')).toEqual({});
    expect(await x.isChecked()).toBe(true);

    // Update now: the feed publishes a second label; Enter on "Update now" fetches it.
    writeJson(sourcePath, {
      ...JSON.parse(readFileSync(sourcePath, 'utf8')),
      labels: [
        {
          id: 'tomasz',
          account: 'https://x.com/tomasz_k',
          val: 'kb-suspended',
          sources: [{ url: 'https://news.example/tomasz' }],
        },
        {
          id: 'sam',
          account: 'https://x.com/appwatch_sam',
          val: 'kb-suspended',
          sources: [{ url: 'https://news.example/sam' }],
        },
      ],
    });
    cli('build', sourcePath, '--key', keyFile, '--out', join(server.dir, 'kb'), '--sequence', '2');
    const labelCount = feed.locator('dt', { hasText: 'Labels' }).locator('xpath=following-sibling::dd[1]');
    expect(await labelCount.textContent()).toBe('1');
    // Backwards from the select: the feed's controls come before the Labels section.
    await tabTo(options, feed.getByRole('button', { name: 'Update now' }), { back: true });
    await options.keyboard.press('Enter');
    await expect.poll(() => labelCount.textContent(), { timeout: 30_000 }).toBe('2');

    // Unsubscribe asks first; focus goes to the confirmation, Enter confirms.
    await tabTo(options, feed.getByRole('button', { name: 'Unsubscribe' }));
    await options.keyboard.press('Enter');
    const yes = feed.getByRole('button', { name: 'Yes, unsubscribe' });
    await visible(yes);
    expect(await isFocused(yes)).toBe(true);
    await expectVisibleFocus(options);
    await options.keyboard.press('Enter');
    await expect.poll(() => feed.count(), { timeout: 20_000 }).toBe(0);
    const status = (await session.getStorage<{ url: string }[]>('feedStatus')) ?? [];
    expect(status.map((f) => f.url)).not.toContain(feedUrl);
    await options.close();
  });

  it('popup: the global switch and the current-site switch with Space', async () => {
    const site = await openFixture(session, 'x', 'home');
    const popup = await openPopupFor(session, site);
    const everywhere = popup.getByRole('checkbox', { name: 'Show labels', exact: true });
    const onX = popup.getByRole('checkbox', { name: 'Show labels on X' });
    await visible(onX);

    await tabTo(popup, everywhere);
    await popup.keyboard.press('Space');
    await expect.poll(() => session.getStorage('enabled')).toBe(false);
    await popup.keyboard.press('Space');
    await expect.poll(() => session.getStorage('enabled')).toBe(true);

    await tabTo(popup, onX);
    await popup.keyboard.press('Space');
    await expect.poll(() => session.getStorage('siteEnabled')).toEqual({ x: false });
    expect(await onX.isChecked()).toBe(false);
    await popup.keyboard.press('Space');
    await expect.poll(() => session.getStorage('siteEnabled')).toEqual({});
    expect(await onX.isChecked()).toBe(true);
    await Promise.all([site.close(), popup.close()]);
  });

  it('curator form: filled in and saved with the keyboard alone', async () => {
    const query = new URLSearchParams({
      kind: 'account',
      url: 'https://x.com/appwatch_sam',
      page: 'https://x.com/home',
    });
    const form = await openExtensionPage(session, `curator.html?${query}`);
    const target = form.getByLabel('Address of what is labelled');
    await visible(target);
    expect(await target.inputValue()).toBe('https://x.com/appwatch_sam');

    const definition = form.getByLabel('Label', { exact: true });
    await tabTo(form, definition);
    await arrowToOption(form, definition, 'Hosting terminated');
    await tabTo(form, form.getByLabel('Note (optional)'));
    await form.keyboard.type('Checked by keyboard.');
    await tabTo(form, form.getByLabel('Source 1 (address)'));
    await form.keyboard.type('https://news.example/sam');
    await tabTo(form, form.getByRole('button', { name: 'Save to draft' }));
    await form.keyboard.press('Enter');
    await visible(form.getByText('Saved to your draft feed.'));

    const draft = await session.getStorage<{ labels: Record<string, unknown>[] }>('curatorDraft');
    expect(draft?.labels).toHaveLength(1);
    expect(draft?.labels[0]).toMatchObject({
      kind: 'account',
      target: 'https://x.com/appwatch_sam',
      val: 'hosting-terminated',
      note: 'Checked by keyboard.',
      sources: [{ url: 'https://news.example/sam' }],
    });
    await form.close();
  });
  it('every stop of the options page (curator mode on) and of the popup shows where focus is', async () => {
    const options = await openExtensionPage(session, 'options.html');
    const curator = options.getByRole('checkbox', { name: 'Curator mode' });
    await tabTo(options, curator);
    await options.keyboard.press('Space');
    await visible(options.getByRole('button', { name: 'Export as feed source' }));
    const stops = await walkAll(options);
    expect(stops.length).toBeGreaterThan(20);
    expect(stops.some((stop) => stop.includes('Export as feed source'))).toBe(true);
    await tabTo(options, curator, { back: true, max: 250 });
    await options.keyboard.press('Space');
    await expect.poll(() => session.getStorage('curatorMode')).toBe(false);

    const site = await openFixture(session, 'x', 'home');
    const popup = await openPopupFor(session, site);
    await visible(popup.getByRole('checkbox', { name: 'Show labels on X' }));
    const popupStops = await walkAll(popup);
    expect(popupStops.length).toBeGreaterThanOrEqual(3);
    await Promise.all([options.close(), site.close(), popup.close()]);
  });

  it('x.com: curator mode\'s "Label…" button opens the curator form with Enter', async () => {
    const page = await openFixture(session, 'x', 'home');
    await session.setStorage({ curatorMode: true });
    // The button is in a closed shadow root: the shared driver's engine reaches it (driver.ts).
    const tab = chromiumTab(page);
    const label = tab.locator(X_POST).first().locator('context-lens-curator').locator('button');
    await tabToOnTab(tab, label, { back: true, max: 200 });
    const formOpened = session.context.waitForEvent('page', {
      predicate: (p) => p.url().includes('/curator.html'),
    });
    await page.keyboard.press('Enter');
    const form = await formOpened;
    await form.waitForLoadState();
    expect(await form.getByLabel('Address of what is labelled').inputValue()).toBe(
      'https://x.com/realDonaldTrump',
    );
    await session.setStorage({ curatorMode: false });
    await Promise.all([form.close(), page.close()]);
  });
});
