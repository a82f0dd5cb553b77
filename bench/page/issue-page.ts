/**
 * The page issue 8 measured its "page task time 1.6–2.0×" on: the committed X infinite-scroll
 * fixture (tests/browser/fixtures/infinite-scroll.html, served on x.com: 200 posts in X's
 * markup, 20 appended every 60 ms from the moment it loads, every fifth by an account the seed feed
 * labels), with one subscribed 100,000-label feed beside the seed. Unlike the suite's scroll pages
 * it starts streaming as it loads, so its task time runs from navigation and holds everything the
 * extension does on a page: injecting and evaluating the content script, asking for the page
 * index, and the first, cold posts.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { TraceEvent } from './index';
import { type CpuProfile, msByKind } from './profile';
import { startTrace } from './trace';

/** Not the X scroll page's address (scroll.ts), which the same baseline browser serves. */
export const ISSUE_PAGE_URL = 'https://x.com/home?fixture=infinite-scroll';
/** The fixture labels every fifth of its 200 posts' authors. */
export const ISSUE_PAGE_BADGES = 40;
const SETTLE_MS = 500;
const ROOT = resolve(import.meta.dirname, '../..');

/** Serves the fixture at ISSUE_PAGE_URL in `context` (on top of the suite's own routes). */
export async function routeIssuePage(context: BrowserContext): Promise<void> {
  const body = readFileSync(join(ROOT, 'tests/browser/fixtures/infinite-scroll.html'), 'utf8');
  await context.route(
    (url) => url.href === ISSUE_PAGE_URL,
    (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }),
  );
}

export interface IssuePageRun {
  /** Page task ms (CDP `TaskDuration`) from navigation to 0.5 s after its last post. */
  taskMs: number;
  /** The extension's main-thread ms in the same window (CPU profile, profile.ts msByKind). */
  extMs: number;
  /** Badges in the page at the end. */
  badges: number;
  /** The run's CPU profile (issue-ab.ts reads it by function). */
  profile: CpuProfile;
}

/** Loads the issue's page once in `context` and measures it. */
export async function measureIssuePage(
  context: BrowserContext,
  samplingUs: number,
  /** For issue-ab.ts: the run's timeline trace events (CDP `Tracing`), handed over at its end. */
  trace?: (events: TraceEvent[]) => void,
): Promise<IssuePageRun> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const endTrace = trace ? await startTrace(cdp) : undefined;
  await cdp.send('Performance.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: samplingUs });
  const taskSeconds = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  await cdp.send('Profiler.start');
  const before = await taskSeconds();
  await page.goto(ISSUE_PAGE_URL, { waitUntil: 'load' });
  await page.waitForFunction(() => (window as unknown as { __done?: boolean }).__done === true, null, {
    timeout: 30_000,
    polling: 50,
  });
  await page.waitForTimeout(SETTLE_MS);
  const after = await taskSeconds();
  const { profile } = await cdp.send('Profiler.stop');
  if (endTrace) trace?.(await endTrace());
  const badges = await page.evaluate(() => document.querySelectorAll('context-lens-label').length);
  await cdp.detach();
  await page.close();
  return {
    taskMs: (after - before) * 1000,
    extMs: msByKind(profile as CpuProfile).extension,
    badges,
    profile: profile as CpuProfile,
  };
}
