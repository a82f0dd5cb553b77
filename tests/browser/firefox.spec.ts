/**
 * The core of the labels in Firefox ESR: the built Firefox extension installed over WebDriver BiDi
 * (puppeteer-core), fixture pages served under the sites' real host names by request interception,
 * and the bundled seed feed's labels on the X fixture and on another site's, then warn.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterById } from '../../sites/registry';
import { EXPECTED_BADGES } from './expected-badges';
import { ROOT, readFixture } from './harness';
import { fixtureUrl } from './labels-helpers';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const GECKO_ID = 'context-lens@context-lens.org';
/** Fixed internal UUID, so the test knows the extension's moz-extension:// origin. */
const EXTENSION_UUID = '6f1d3f5e-2b8a-4c1e-9d57-0c6a1e2b7f41';
const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

function firefoxBuild(): string {
  const out = join(ROOT, process.env.WXT_OUT_DIR ?? '.output');
  // The Firefox package is MV3 (npm run build), the same manifest version as Chrome's.
  const dir = join(out, 'firefox-mv3');
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  throw new Error(`no Firefox build in ${out}: run npm run build (or npx wxt build -b firefox --mv3)`);
}

let browser: Browser;
let profile: string;
/** URL prefix → HTML served for it. */
const routes: { prefix: string; html: string }[] = [];

async function interceptingPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    const route = [...routes].reverse().find((r) => url.startsWith(r.prefix));
    if (route) {
      void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: route.html });
    } else if (url.startsWith('moz-extension://') || url.startsWith('data:') || url.startsWith('about:')) {
      void request.continue();
    } else {
      void request.abort('blockedbyclient');
    }
  });
  return page;
}

/** One of the extension's own pages, kept open: it has `browser.storage`. */
let extensionPage: Page | undefined;

/**
 * Runs `fn` in the extension's popup page. Firefox's BiDi navigates to moz-extension:// pages (with
 * --remote-allow-system-access) but never reports the navigation as finished, so the page is polled
 * until it is there.
 */
async function inExtension<T>(fn: string): Promise<T> {
  if (!extensionPage) {
    const page = await browser.newPage();
    const url = `${EXTENSION_ORIGIN}/popup.html`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 3000 }).catch(() => undefined);
    const deadline = Date.now() + 15_000;
    while (
      (await page.evaluate('location.href + " " + typeof browser').catch(() => '')) !== `${url} object`
    ) {
      if (Date.now() > deadline) throw new Error(`the extension page ${url} did not open`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    extensionPage = page;
  }
  return (await extensionPage.evaluate(fn)) as T;
}

async function waitForSeed(): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const feeds = await inExtension<{ id: string; bundled: boolean; state: string }[] | undefined>(
      `browser.storage.local.get('feedStatus').then((r) => r.feedStatus)`,
    );
    const seed = (feeds ?? []).find((f) => f.bundled && (f.state === 'fresh' || f.state === 'stale'));
    if (seed) return seed.id;
    if (Date.now() > deadline) throw new Error(`the seed feed was not installed: ${JSON.stringify(feeds)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function openFixture(site: string, name: string): Promise<Page> {
  const html = readFixture(site, name);
  const url = fixtureUrl(site, html);
  routes.push({ prefix: `${new URL(url).origin}/`, html });
  const page = await interceptingPage();
  await page.goto(url);
  return page;
}

async function badgeTable(page: Page, postSelector: string, count: number): Promise<string[]> {
  await page
    .waitForFunction(
      (n) => document.querySelectorAll('context-lens-label').length >= n,
      { timeout: 15_000 },
      count,
    )
    .catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 400));
  return page.evaluate((selector) => {
    const posts = [...document.querySelectorAll(selector)];
    return [...document.querySelectorAll('context-lens-label')].map((badge) => {
      const post = badge.closest(selector);
      const labels = (badge.getAttribute('data-labels') ?? '').split(' ').sort().join(' ');
      return `${post ? posts.indexOf(post) : 'header'}: ${labels}`;
    });
  }, postSelector);
}

let feedId: string;

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'context-lens-firefox-'));
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    // Lets WebDriver BiDi open the extension's own pages (moz-extension://) to read and set its storage.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
    },
  });
  await browser.installExtension(firefoxBuild());
  feedId = await waitForSeed();
});

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('Context Lens in Firefox ESR', () => {
  it('labels the X fixture', async () => {
    const page = await openFixture('x', 'home');
    const table = await badgeTable(
      page,
      adapterById('x').postSelector,
      EXPECTED_BADGES['x/home']?.length ?? 0,
    );
    expect(table).toEqual(EXPECTED_BADGES['x/home']);
    const name = await page.evaluate(() =>
      document
        .querySelector('context-lens-label')
        ?.shadowRoot?.querySelector('button')
        ?.getAttribute('aria-label'),
    );
    expect(name).toBe(
      'Context labels: 3 — Account suspended, Post removed by the platform, Account reinstated',
    );
    // The stylesheet reached the badge's shadow root (sizes in px, colours from the palette).
    const style = await page.evaluate(() => {
      const badge = document.querySelector('context-lens-label')?.shadowRoot?.querySelector('.cl-badge');
      if (!badge) return null;
      const computed = getComputedStyle(badge);
      return { radius: computed.borderTopLeftRadius, height: computed.height, font: computed.fontSize };
    });
    expect(style).toEqual({ radius: '10px', height: '20px', font: '12px' });
    await page.close();
  });

  it('labels the Facebook fixture', async () => {
    const page = await openFixture('facebook', 'page');
    const table = await badgeTable(
      page,
      adapterById('facebook').postSelector,
      EXPECTED_BADGES['facebook/page']?.length ?? 0,
    );
    expect(table).toEqual(EXPECTED_BADGES['facebook/page']);
    await page.close();
  });

  it('labels posts the page appends later (the observer path)', async () => {
    routes.push({
      prefix: 'https://x.com/',
      html: readFixture('tests/browser/fixtures/infinite-scroll.html'),
    });
    const page = await interceptingPage();
    await page.goto('https://x.com/home');
    await page.waitForFunction(() => (window as unknown as { __done: boolean }).__done === true, {
      timeout: 15_000,
    });
    const table = await badgeTable(page, adapterById('x').postSelector, 40);
    expect(table).toEqual(
      Array.from({ length: 40 }, (_, i) => `${i * 5}: account-reinstated account-suspended`),
    );
    await page.close();
  });

  it('covers a warned post and "Show post" reveals it', async () => {
    await inExtension(
      `browser.storage.local.set({ labelActions: ${JSON.stringify({ [`${feedId} hosting-terminated`]: 'warn' })} })`,
    );
    const page = await openFixture('x', 'home');
    const selector = adapterById('x').postSelector;
    await page.waitForFunction(
      (s) => document.querySelectorAll(s)[2]?.getAttribute('data-context-lens') === 'warned',
      { timeout: 15_000 },
      selector,
    );
    const state = () =>
      page.evaluate((s) => {
        const post = document.querySelectorAll(s)[2] as Element;
        const content = post.querySelector(':scope > div') as HTMLElement;
        const cover = post.querySelector('context-lens-cover')?.shadowRoot;
        return {
          attribute: post.getAttribute('data-context-lens'),
          notice: cover?.querySelector('.cl-cover-text')?.textContent ?? null,
          contentVisible: content.getClientRects().length > 0,
        };
      }, selector);
    expect(await state()).toEqual({
      attribute: 'warned',
      notice: 'Context label: Hosting terminated',
      contentVisible: false,
    });
    await page.evaluate((s) => {
      const cover = document.querySelectorAll(s)[2]?.querySelector('context-lens-cover')?.shadowRoot;
      const show = cover?.querySelector<HTMLButtonElement>('button.cl-show');
      if (!show) throw new Error('no "Show post" button');
      show.click();
    }, selector);
    expect(await state()).toEqual({ attribute: 'warned', notice: null, contentVisible: true });
    await page.close();
  });
});
