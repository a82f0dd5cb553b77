/**
 * `npm run demo`: builds the extension, serves one demo timeline per site (the committed fixtures)
 * under the sites' real host names, and launches Debian's Chromium with the extension and its
 * bundled seed feed. With a display it opens a window with one tab per site and waits; without one
 * (or with --headless) it writes a screenshot per site into demo-output/ and prints a table.
 *
 * Nothing here touches the network: pages come from sites/fixtures, labels from public/seed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, type ExtensionSession, launchChromium, ROOT } from '../tests/browser/harness';
import { DEMO_PAGES, type DemoPage } from './pages';

interface Row {
  site: string;
  url: string;
  posts: number;
  labelled: number;
  labels: number;
  screenshot?: string;
}

const args = new Set(process.argv.slice(2));
const headless = args.has('--headless') || !process.env.DISPLAY;
const outDir = join(ROOT, 'demo-output');

function fail(message: string): never {
  console.error(`demo: ${message}`);
  process.exit(1);
}

async function tabIds(session: ExtensionSession): Promise<number[]> {
  const sw = await session.serviceWorker();
  return sw.evaluate(async () => (await chrome.tabs.query({})).flatMap((t) => (t.id == null ? [] : [t.id])));
}

async function health(session: ExtensionSession, tabId: number | undefined) {
  // Ask the page's content script through the extension, as the popup does (without the tabs
  // permission the extension cannot see tab URLs, so the tab is the one that opened for the page).
  if (tabId === undefined) return null;
  const sw = await session.serviceWorker();
  return sw.evaluate(async (id) => {
    const reply = await chrome.tabs.sendMessage(id, {
      id: 1,
      type: 'getPageHealth',
      data: undefined,
      timestamp: Date.now(),
    });
    return (
      (reply as { res?: { postsRecognised: number; postsLabelled: number; labelsShown: number } })?.res ??
      null
    );
  }, tabId);
}

async function settle(page: Page): Promise<void> {
  // Badges arrive within a few frames of a post; wait until their count stops changing.
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const count = await page.locator('context-lens-label').count();
    if (count === last && count > 0) return;
    last = count;
    await page.waitForTimeout(250);
  }
}

async function showPage(session: ExtensionSession, demo: DemoPage): Promise<Row> {
  const before = new Set(await tabIds(session));
  const page = await session.context.newPage();
  const tabId = (await tabIds(session)).find((id) => !before.has(id));
  await page.goto(demo.url);
  await settle(page);
  const h = await health(session, tabId);
  const row: Row = {
    site: demo.site,
    url: demo.url,
    posts: h?.postsRecognised ?? 0,
    labelled: h?.postsLabelled ?? 0,
    labels: h?.labelsShown ?? (await page.locator('context-lens-label').count()),
  };
  if (headless) {
    row.screenshot = join('demo-output', `${demo.site}.png`);
    await page.screenshot({ path: join(ROOT, row.screenshot), fullPage: false });
    await page.close();
  }
  return row;
}

function printTable(rows: Row[]): void {
  const header = ['site', 'page', 'posts found', 'posts labelled', 'labels shown'];
  const lines = rows.map((r) => [r.site, r.url, String(r.posts), String(r.labelled), String(r.labels)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM))
    fail(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  if (!args.has('--no-build')) {
    console.log('demo: building the extension…');
    const build = spawnSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) fail('the build failed');
  }
  mkdirSync(outDir, { recursive: true });
  const session = await launchChromium({ headless });
  try {
    for (const demo of DEMO_PAGES) await session.servePage(demo.urlPrefix ?? demo.url, demo.html());
    await session.waitForSeed();
    const rows: Row[] = [];
    for (const demo of DEMO_PAGES) rows.push(await showPage(session, demo));
    console.log('');
    printTable(rows);
    const empty = rows.filter((r) => r.labels === 0);
    if (headless) console.log(`\nScreenshots: ${outDir}`);
    if (empty.length > 0) fail(`no labels shown on: ${empty.map((r) => r.site).join(', ')}`);
    if (!headless) {
      console.log('\nThe window stays open with one tab per site; press Ctrl+C to quit.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        session.context.once('close', () => resolve());
      });
    }
  } finally {
    await session.close().catch(() => undefined);
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
