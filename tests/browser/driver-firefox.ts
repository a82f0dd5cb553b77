/**
 * The shared driver (driver.ts) in Firefox ESR: puppeteer-core over WebDriver BiDi, the built
 * firefox-mv3 folder installed as a temporary add-on (`Browser.installExtension`, BiDi's
 * `webExtension.install`), fixture pages served per tab by request interception.
 *
 * What differs from Chromium, and how the driver meets it (docs/architecture.md, "Firefox"):
 * - The extension's origin is `moz-extension://<uuid>`, the UUID random per profile; the pref
 *   `extensions.webextensions.uuids` fixes it for the add-on's gecko id, so the test knows it.
 * - The background is an event page (`background.scripts`), not a service worker, and automation
 *   has no handle on it: extension-side code runs in one of the extension's own pages instead
 *   (a popup.html tab kept open), which has the same `browser.*` APIs.
 * - WebDriver BiDi opens moz-extension:// pages only with --remote-allow-system-access, and never
 *   reports their navigation finished: the page is polled until it is there.
 * - Optional host permissions (a feed's origin) are granted for real: the pref
 *   `extensions.webextOptionalPermissionPrompts` = false makes `permissions.request` grant without
 *   showing its prompt (it still demands a user gesture, which the driver's trusted click is).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type KeyInput, type Page } from 'puppeteer-core';
import { browserPath, FIREFOX_NEED } from '../browsers';
import type { BrowserSession, PageBackend, Tab } from './driver';
import { tabOn } from './driver';
import { LOOPBACK, ROOT } from './harness';

/** FIREFOX_PATH, else `firefox-esr` on PATH (tests/browsers.ts), else Debian's path for the error message. */
export const FIREFOX = browserPath(FIREFOX_NEED, '/usr/bin/firefox-esr');
export const GECKO_ID = 'context-lens@context-lens.org';
/** Fixed internal UUID (see the header). */
export const EXTENSION_UUID = '6f1d3f5e-2b8a-4c1e-9d57-0c6a1e2b7f41';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function firefoxBuild(): string {
  const out = join(ROOT, process.env.WXT_OUT_DIR ?? '.output');
  const dir = join(out, 'firefox-mv3');
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  throw new Error(`no Firefox build in ${out}: run npm run build (or npx wxt build -b firefox --mv3)`);
}

interface BidiNode {
  type: string;
  sharedId?: string;
  value?: { shadowRoot?: { sharedId?: string } | null };
}

/** The raw WebDriver BiDi connection under puppeteer's Firefox browser. */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: { result?: { value?: BidiNode[] } } }>;
}

/**
 * The closed shadow roots of the hosts the engine lists, handed to it through WebDriver BiDi: a
 * host serialized as a node names its shadow root (closed ones too, with `mode: "closed"`), and
 * that node passed back as an argument is the root itself in the page's main world.
 */
async function revealShadowRoots(page: Page): Promise<void> {
  const connection = (page.browser() as unknown as { connection: BidiConnection }).connection;
  // puppeteer's BiDi frame keeps its browsing context's id as `_id`.
  const context = (page.mainFrame() as unknown as { _id: string })._id;
  const listed = await connection.send('script.callFunction', {
    functionDeclaration: '() => globalThis.__contextLensQuery.unrevealed()',
    awaitPromise: false,
    target: { context },
    serializationOptions: { maxDomDepth: 0 },
    resultOwnership: 'none',
  });
  const pairs = (listed.result.result?.value ?? []).flatMap((host) => {
    const root = host.value?.shadowRoot?.sharedId;
    return host.sharedId && root ? [{ sharedId: host.sharedId }, { sharedId: root }] : [];
  });
  if (pairs.length === 0) return;
  await connection.send('script.callFunction', {
    functionDeclaration: '(...pairs) => globalThis.__contextLensQuery.reveal(...pairs)',
    awaitPromise: false,
    target: { context },
    arguments: pairs,
    resultOwnership: 'none',
  });
}

function backendFor(page: Page): PageBackend {
  return {
    revealShadowRoots: () => revealShadowRoots(page),
    evaluateExpression: async <T>(expression: string) => (await page.evaluate(expression)) as T,
    evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => never, arg),
    click: (x, y, button) => page.mouse.click(x, y, { button }),
    async press(chord) {
      // Playwright's notation (`Shift+Tab`) in puppeteer's key names, which are the same words.
      const keys = chord.split('+').map((k) => (k === 'Space' ? ' ' : k)) as KeyInput[];
      const key = keys.pop() as KeyInput;
      for (const modifier of keys) await page.keyboard.down(modifier);
      await page.keyboard.press(key);
      for (const modifier of keys.reverse()) await page.keyboard.up(modifier);
    },
    type: (text) => page.keyboard.type(text),
    goto: async (url) => {
      await page.goto(url);
    },
    reload: async () => {
      await page.reload();
    },
    bringToFront: () => page.bringToFront(),
    url: () => page.url(),
    close: () => page.close(),
  };
}

export interface FirefoxSession extends BrowserSession {
  readonly puppeteer: Browser;
}

export interface FirefoxLaunchOptions {
  /** Extra Firefox preferences. */
  prefs?: Record<string, unknown>;
  /** The event page's idle timeout (extensions.background.idle.timeout), for `stopBackground`. */
  backgroundIdleMs?: number;
}

/** The event page's document, as extension.getViews() lists it while the page is alive. */
export const EVENT_PAGE = '/_generated_background_page.html';

export async function launchFirefoxSession(options: FirefoxLaunchOptions = {}): Promise<FirefoxSession> {
  const profile = mkdtempSync(join(tmpdir(), 'context-lens-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    defaultViewport: { width: 1280, height: 900 },
    // Lets WebDriver BiDi open the extension's own pages (moz-extension://).
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      'extensions.webextOptionalPermissionPrompts': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      ...(options.backgroundIdleMs ? { 'extensions.background.idle.timeout': options.backgroundIdleMs } : {}),
      ...options.prefs,
    },
  });
  await browser.installExtension(firefoxBuild());
  const origin = `moz-extension://${EXTENSION_UUID}`;

  const routes: { prefix: string; html: string | ((url: URL) => string) }[] = [];

  async function sitePage(): Promise<Page> {
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      const route = [...routes].reverse().find((r) => url.startsWith(r.prefix));
      if (route) {
        const body = typeof route.html === 'function' ? route.html(new URL(url)) : route.html;
        void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body });
      } else if (
        LOOPBACK.test(url) ||
        url.startsWith('moz-extension://') ||
        url.startsWith('data:') ||
        url.startsWith('about:')
      ) {
        void request.continue();
      } else {
        void request.abort('blockedbyclient');
      }
    });
    return page;
  }

  /** Opens an extension page and waits until it is there (see the header). */
  async function extensionPage(path: string): Promise<Page> {
    const page = await browser.newPage();
    const url = `${origin}/${path.replace(/^\//, '')}`;
    // The navigation goes on after goto gives up waiting for the load it never reports.
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 500 }).catch(() => undefined);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const state = await page
        .evaluate('[location.href, typeof browser, document.readyState].join(" ")')
        .catch(() => '');
      if (state === `${url} object complete`) return page;
      if (Date.now() > deadline) throw new Error(`the extension page ${url} did not open (${state})`);
      await sleep(100);
    }
  }

  let helper: Page | undefined;
  const inExtension = async <T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> => {
    helper ??= await extensionPage('popup.html');
    return (await helper.evaluate(fn as (arg: unknown) => unknown, arg)) as T;
  };

  const session: FirefoxSession = {
    browser: 'firefox',
    puppeteer: browser,
    extensionOrigin: origin,
    async servePage(prefix, html) {
      routes.push({ prefix, html });
    },
    async newTab(url) {
      const page = await sitePage();
      if (url) await page.goto(url);
      return tabOn('firefox', backendFor(page), page);
    },
    async openExtensionPage(path) {
      const page = await extensionPage(path);
      return tabOn('firefox', backendFor(page), page);
    },
    inExtension,
    getStorage: <T>(key: string) =>
      inExtension(async (k: string) => (await chrome.storage.local.get(k))[k] as T | undefined, key),
    setStorage: async (values) => {
      await inExtension((v: Record<string, unknown>) => chrome.storage.local.set(v), values);
    },
    async waitForSeed(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const feeds = (await session.getStorage<{ bundled: boolean; state: string }[]>('feedStatus')) ?? [];
        if (feeds.some((f) => f.bundled && (f.state === 'fresh' || f.state === 'stale'))) return;
        if (Date.now() > deadline)
          throw new Error(`the bundled seed feed was not installed: ${JSON.stringify(feeds)}`);
        await sleep(100);
      }
    },
    async tabIdOf(tab: Tab) {
      await tab.bringToFront();
      const id = await inExtension(
        async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id,
      );
      if (id === undefined) throw new Error(`no active tab for ${tab.url()}`);
      return id;
    },
    async stopBackground() {
      if (!options.backgroundIdleMs)
        throw new Error('stopBackground needs a Firefox session launched with backgroundIdleMs');
      const deadline = Date.now() + options.backgroundIdleMs * 4 + 10_000;
      for (;;) {
        const views = await inExtension(() =>
          chrome.extension.getViews().map((view) => view.location.pathname),
        );
        if (!views.includes(EVENT_PAGE)) return;
        if (Date.now() > deadline) throw new Error(`the event page was never suspended: ${views.join(', ')}`);
        await sleep(100);
      }
    },
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return session;
}
