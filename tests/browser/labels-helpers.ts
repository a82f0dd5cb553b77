/**
 * Helpers for the label browser tests (labels.spec.ts, firefox.spec.ts) on top of the lead's
 * harness: which URL each fixture is served at, opening a fixture in a tab, and reading back what
 * the content script put on the page (badges per post, covers, panels) in a form a test compares.
 */
import type { Page } from 'playwright-core';
import type { SiteId } from '../../sites/types';
import { canonicalUrl, DEFAULT_FIXTURE_URL, fixtureNames as siteFixtureNames } from '../site-fixtures';
import type { Tab } from './driver';
import { type ExtensionSession, readFixture } from './harness';
import { badgesOn, settleBadges } from './shared-helpers';

/** The fixture files of a site (names without .html). */
export function fixtureNames(site: string): string[] {
  return siteFixtureNames(site as SiteId).map((file) => file.slice(0, -'.html'.length));
}

/** The real URL a fixture page stands for: its <link rel="canonical">, else the site's home page. */
export function fixtureUrl(site: string, html: string): string {
  const url = canonicalUrl(html) ?? DEFAULT_FIXTURE_URL[site as SiteId];
  if (!url) throw new Error(`no URL known for fixtures of ${site}`);
  return url;
}

/** Serves `html` for the whole origin of `url` and opens `url` in a new tab. */
export async function openPage(session: ExtensionSession, url: string, html: string): Promise<Page> {
  await session.servePage(`${new URL(url).origin}/`, html);
  const page = await session.context.newPage();
  await page.goto(url);
  return page;
}

export async function openFixture(
  session: ExtensionSession,
  site: string,
  name: string,
  transform: (html: string) => string = (html) => html,
): Promise<Page> {
  const html = readFixture(site, name);
  return openPage(session, fixtureUrl(site, html), transform(html));
}

/** A Playwright page seen through the shared driver's `evaluate`, for the helpers written once. */
function evaluating(page: Page): Pick<Tab, 'evaluate'> {
  return { evaluate: (fn, arg) => page.evaluate(fn as never, arg) };
}

/** The badges on the page as `<post index>: <definition ids>` lines (shared-helpers.ts `badgesOn`). */
export function badgeTable(page: Page, postSelector: string): Promise<string[]> {
  return badgesOn(evaluating(page), postSelector);
}

/** Waits until the page has `count` badges and then no change for `quietMs` (`settleBadges`). */
export function waitForBadges(page: Page, count: number, quietMs = 400, timeoutMs = 15_000): Promise<number> {
  return settleBadges(evaluating(page), count, quietMs, timeoutMs);
}

/** Polls `read` until it returns `expected` (deep-equal as JSON) or the time is up; returns the last value. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** The seed feed's id, as the background stored it. */
export async function seedFeedId(session: ExtensionSession): Promise<string> {
  const feeds = (await session.getStorage<{ id: string; bundled: boolean }[]>('feedStatus')) ?? [];
  const seed = feeds.find((feed) => feed.bundled);
  if (!seed) throw new Error('the bundled seed feed is not installed');
  return seed.id;
}

/**
 * Sends a UI→content message of messaging/protocol.ts (`getPageHealth`, `getContextTarget`) from the
 * background, in @webext-core/messaging's wire format, to every tab, and returns the one reply (the
 * extension may not read tab URLs, so the test keeps one site page open and asks them all).
 */
export async function askTab<T>(session: ExtensionSession, type: string): Promise<T> {
  const worker = await session.serviceWorker();
  const replies = (await worker.evaluate(async (type) => {
    const tabs = await chrome.tabs.query({});
    const answers = await Promise.all(
      tabs.map((tab) =>
        tab.id === undefined
          ? undefined
          : chrome.tabs
              .sendMessage(tab.id, { id: 1, type, data: undefined, timestamp: Date.now() })
              .catch(() => undefined),
      ),
    );
    return answers.filter((answer) => answer !== undefined);
  }, type)) as { res?: T; err?: { message: string } }[];
  if (replies.length !== 1) throw new Error(`${type}: ${replies.length} tabs answered, expected 1`);
  const [reply] = replies;
  if (!reply || reply.err) throw new Error(`${type}: ${reply?.err?.message ?? 'no reply'}`);
  return reply.res as T;
}
