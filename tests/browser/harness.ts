/**
 * Browser-test harness: the BUILT extension in Debian's Chromium (Playwright) with fixture pages
 * served under the sites' real host names (context.route), so the manifest's match patterns are
 * exercised exactly as for a reader. Nothing here reaches the network: every request to a host
 * that is not routed, not loopback and not the extension is aborted (with `intercept: false`, no
 * host name but 127.0.0.1 resolves).
 *
 * Build first (`npm run build`, or WXT_OUT_DIR=... npx wxt build); tests read WXT_OUT_DIR too.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { browserPath, CHROMIUM_NEED } from '../browsers';

export const ROOT = resolve(import.meta.dirname, '../..');
/** CHROMIUM_PATH, else `chromium` on PATH (tests/browsers.ts), else Debian's path for the error message. */
export const CHROMIUM = browserPath(CHROMIUM_NEED, '/usr/bin/chromium');

/** The built extension folder for a browser (`chrome-mv3` or `firefox-mv3`). */
export function extensionDir(target: 'chrome-mv3' | 'firefox-mv3' = 'chrome-mv3'): string {
  return join(ROOT, process.env.WXT_OUT_DIR ?? '.output', target);
}

/** A fixture page's HTML: `sites/<site>/fixtures/<name>.html`, or any path relative to the repo. */
export function readFixture(siteOrPath: string, name?: string): string {
  const path = name ? join(ROOT, 'sites', siteOrPath, 'fixtures', `${name}.html`) : join(ROOT, siteOrPath);
  return readFileSync(path, 'utf8');
}

export interface ExtensionSession {
  context: BrowserContext;
  extensionId: string;
  /** The background service worker (re-read it with `serviceWorker()` after it may have restarted). */
  serviceWorker(): Promise<Worker>;
  /** Serve `html` for every request whose URL starts with `urlPrefix` (e.g. `https://x.com/`). */
  servePage(urlPrefix: string, html: string | ((url: URL) => string)): Promise<void>;
  /** Open a page of the extension, e.g. `popup.html`, `options.html`. */
  openExtensionPage(path: string): Promise<Page>;
  /** chrome.storage.local of the extension. */
  getStorage<T = unknown>(key: string): Promise<T | undefined>;
  setStorage(values: Record<string, unknown>): Promise<void>;
  /** Waits until the background has installed the bundled seed feed and reports it fresh. */
  waitForSeed(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Extra origins the extension may reach (granted as if the reader had accepted the prompt). */
  extraArgs?: string[];
  headless?: boolean;
  /** A built chrome-mv3 folder to load instead of extensionDir()'s (benches compare builds). */
  extension?: string;
  /**
   * false: no request goes through Playwright (no servePage), and Playwright does not inspect the
   * service worker's network traffic. Either roughly doubles what a download costs the worker
   * (interception pauses every request for a round trip through this process; inspection reports
   * and records every response): 200 chunk fetches took 2.06 s intercepted, 1.00 s inspected and
   * 0.46 s with neither, the last as fast as with no Playwright at all. A bench that times the
   * extension's own downloads must not charge it that. No host name but 127.0.0.1 resolves, so
   * nothing reaches the network either way.
   */
  intercept?: boolean;
}

/** Addresses every session may reach besides routed pages: the test hosts on this machine. */
export const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//;

/**
 * Chromium's flags for every session here and in the benches (headless mode and the extension
 * are added per launch): no sandbox or GPU in the container, and nothing fetched in the background.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium(options: LaunchOptions = {}): Promise<ExtensionSession> {
  const dir = options.extension ?? extensionDir('chrome-mv3');
  const profile = mkdtempSync(join(tmpdir(), 'context-lens-profile-'));
  const headless = options.headless ?? true;
  // Read by Playwright whenever it attaches to a service worker (also after the worker restarts).
  const inspected = process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK;
  const restore = () => {
    if (options.intercept !== false) return;
    if (inspected === undefined) delete process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK;
    else process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK = inspected;
  };
  if (options.intercept === false) process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK = '1';
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: false,
      viewport: { width: 1280, height: 900 },
      args: [
        ...(headless ? ['--headless=new'] : []),
        `--disable-extensions-except=${dir}`,
        `--load-extension=${dir}`,
        ...CHROMIUM_FLAGS,
        ...(options.intercept === false ? ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] : []),
        ...(options.extraArgs ?? []),
      ],
    })
    .catch((error: unknown) => {
      restore();
      throw error;
    });

  const routes: { prefix: string; html: string | ((url: URL) => string) }[] = [];
  // Checked in order: the newest route for a prefix wins.
  if (options.intercept !== false)
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      const match = [...routes].reverse().find((r) => url.startsWith(r.prefix));
      if (match) {
        const body = typeof match.html === 'function' ? match.html(new URL(url)) : match.html;
        await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
        return;
      }
      if (LOOPBACK.test(url) || url.startsWith('chrome-extension://') || url.startsWith('data:')) {
        await route.continue();
        return;
      }
      await route.abort('blockedbyclient');
    });

  let worker = context.serviceWorkers()[0];
  if (!worker) worker = await context.waitForEvent('serviceworker', { timeout: 30_000 });
  const extensionId = new URL(worker.url()).host;

  const serviceWorker = async (): Promise<Worker> => {
    const current = context
      .serviceWorkers()
      .find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
    if (current) return current;
    return context.waitForEvent('serviceworker', { timeout: 30_000 });
  };

  const session: ExtensionSession = {
    context,
    extensionId,
    serviceWorker,
    async servePage(urlPrefix, html) {
      if (options.intercept === false)
        throw new Error('servePage needs a session launched with interception');
      routes.push({ prefix: urlPrefix, html });
    },
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path.replace(/^\//, '')}`);
      return page;
    },
    async getStorage<T>(key: string) {
      const sw = await serviceWorker();
      return sw.evaluate(async (k) => (await chrome.storage.local.get(k))[k], key) as Promise<T | undefined>;
    },
    async setStorage(values) {
      const sw = await serviceWorker();
      await sw.evaluate(async (v) => chrome.storage.local.set(v), values);
    },
    async waitForSeed(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const feeds = (await session.getStorage<{ bundled: boolean; state: string }[]>('feedStatus')) ?? [];
        if (feeds.some((f) => f.bundled && (f.state === 'fresh' || f.state === 'stale'))) return;
        if (Date.now() > deadline)
          throw new Error(`the bundled seed feed was not installed: ${JSON.stringify(feeds)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await context.close();
      restore();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return session;
}
