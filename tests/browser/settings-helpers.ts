/// <reference types="chrome" />
/**
 * Helpers for tests/browser/settings.spec.ts: feeds built with the real CLI into a temp folder and
 * served from 127.0.0.1 by a tiny node:http server (CORS open, like a static host), extension pages
 * opened with the browser's permission prompt answered "Allow", the popup aimed at a tab, and
 * axe-core run inside a page.
 *
 * Why the prompt is stubbed: Chromium shows chrome.permissions.request as a native dialog that no
 * automation can answer (microsoft/playwright#32755). The stub replaces only that dialog with
 * "Allow"; the page still calls it from the click, and the background still fetches the feed
 * itself (the served feed allows any origin, so the fetch does not depend on the grant).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { ExtensionSession } from './harness';
import { ROOT } from './harness';

export interface FeedServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The folder served at the origin's root. */
  dir: string;
  close(): Promise<void>;
}

/** Serves `dir` (files only, no listing) with `Access-Control-Allow-Origin: *`. */
export async function serveFolder(dir: string): Promise<FeedServer> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (!path.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(path);
      res.writeHead(200, {
        'Content-Type': extname(path) === '.json' ? 'application/json' : 'application/octet-stream',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    dir: root,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `context-lens-${prefix}-`));
}

/** Runs the curator CLI (bin/context-lens-feed.js); throws with its output when it fails. */
export function cli(...args: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'bin/context-lens-feed.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Writes `source` as JSON, then builds and signs it with the CLI into `<server.dir>/<folder>`. */
export function buildWithCli(
  server: FeedServer,
  folder: string,
  sourcePath: string,
  keyFile: string,
): string {
  const out = join(server.dir, folder);
  mkdirSync(out, { recursive: true });
  cli('build', sourcePath, '--key', keyFile, '--out', out);
  return `${server.origin}/${folder}/feed.json`;
}

/**
 * A newsroom's feed source (the CLI's JSON source format) with one definition and one label, on
 * https://x.com/tomasz_k — an author of the X fixture the seed does not label.
 */
export function newsroomSource(
  feedUrl: string,
  newsroom: string,
  definition: { id: string; title: string },
): Record<string, unknown> {
  const origin = new URL(feedUrl).origin;
  return {
    id: feedUrl,
    name: `${newsroom} Labels`,
    publisher: newsroom,
    homepage: `${origin}/`,
    description: `Accounts the ${newsroom.toLowerCase()} investigated.`,
    appeals: 'mailto:appeals@newsroom.example',
    definitions: [
      {
        id: definition.id,
        title: { en: definition.title },
        description: { en: 'The platform suspended this account.' },
        severity: 'caution',
        defaultAction: 'badge',
      },
    ],
    labels: [
      {
        id: 'tomasz',
        account: 'https://x.com/tomasz_k',
        val: definition.id,
        sources: [{ url: 'https://news.example/tomasz' }],
      },
    ],
  };
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** Answers the browser's permission prompt with "Allow" in this page (see the header). */
export async function allowPermissionPrompts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const permissions = chrome.permissions as unknown as { request: (...args: unknown[]) => unknown };
    permissions.request = (_request: unknown, callback?: unknown) => {
      if (typeof callback === 'function') {
        callback(true);
        return undefined;
      }
      return Promise.resolve(true);
    };
  });
}

/** Opens an extension page with the permission prompt answered "Allow". */
export async function openExtensionPage(session: ExtensionSession, path: string): Promise<Page> {
  const page = await session.context.newPage();
  await allowPermissionPrompts(page);
  await page.goto(`chrome-extension://${session.extensionId}/${path}`);
  return page;
}

/**
 * The id of the tab `page` shows. The extension may not read tab addresses (no "tabs"
 * permission), so the page is brought to the front and the service worker asks for the active tab.
 */
export async function tabIdOf(session: ExtensionSession, page: Page): Promise<number> {
  await page.bringToFront();
  const sw = await session.serviceWorker();
  const id = await sw.evaluate(
    async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id,
  );
  if (id === undefined) throw new Error(`no active tab for ${page.url()}`);
  return id;
}

/**
 * The popup describing the tab `page` shows: popup.html?tab=<id> in a tab of its own (automation
 * cannot open the real popup; the popup honours ?tab= for exactly this, see ui/popup/active-tab.ts).
 */
export async function openPopupFor(session: ExtensionSession, page: Page): Promise<Page> {
  return openExtensionPage(session, `popup.html?tab=${await tabIdOf(session, page)}`);
}

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's violations on the page as it is now (WCAG 2.x A and AA rules and best practices). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // evaluate() is not subject to the extension page's CSP, unlike an injected <script>.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}
