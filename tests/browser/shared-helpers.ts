/**
 * Helpers for the specs shared by Chromium and Firefox (driver.ts): a fixture opened in a tab under
 * its real URL, the badges a page shows as a table a test compares, and the seed feed's id.
 */
import { type BrowserName, type BrowserSession, launch, type Tab } from './driver';
import { readFixture } from './harness';
import { fixtureUrl } from './labels-helpers';

/** Serves `html` for the whole origin of `url` and opens `url` in a new tab. */
export async function openPageIn(session: BrowserSession, url: string, html: string): Promise<Tab> {
  await session.servePage(`${new URL(url).origin}/`, html);
  return session.newTab(url);
}

/** A fixture (`sites/fixtures/<site>/<name>.html`) at the URL it stands for. */
export function openFixtureIn(
  session: BrowserSession,
  site: string,
  name: string,
  transform: (html: string) => string = (html) => html,
): Promise<Tab> {
  const html = readFixture(site, name);
  return openPageIn(session, fixtureUrl(site, html), transform(html));
}

/**
 * The badges on the page, one line each: `<post index>: <definition ids, sorted>`, the index being
 * that of the innermost post (`postSelector`) holding the badge, in document order; `header` for a
 * badge outside every post.
 */
export function badgesOn(tab: Pick<Tab, 'evaluate'>, postSelector: string): Promise<string[]> {
  return tab.evaluate((selector) => {
    const posts = [...document.querySelectorAll(selector)];
    return [...document.querySelectorAll('context-lens-label')].map((badge) => {
      const post = badge.closest(selector);
      const where = post ? String(posts.indexOf(post)) : 'header';
      const labels = (badge.getAttribute('data-labels') ?? '').split(' ').sort().join(' ');
      return `${where}: ${labels}`;
    });
  }, postSelector);
}

/** Waits until the page has `count` badges and then no change for `quietMs`; returns the count. */
export async function settleBadges(
  tab: Pick<Tab, 'evaluate'>,
  count: number,
  quietMs = 400,
  timeoutMs = 15_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  for (;;) {
    const now = await tab.evaluate(() => document.querySelectorAll('context-lens-label').length);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (now >= count && Date.now() - since >= quietMs) {
      return now;
    }
    if (Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The seed feed's id, as the background stored it. */
export async function seedIdOf(session: BrowserSession): Promise<string> {
  const feeds = (await session.getStorage<{ id: string; bundled: boolean }[]>('feedStatus')) ?? [];
  const seed = feeds.find((feed) => feed.bundled);
  if (!seed) throw new Error('the bundled seed feed is not installed');
  return seed.id;
}

/** A new session with the bundled seed installed, and the seed's id; the session is closed if that fails. */
export async function launchSeeded(
  browser: BrowserName,
): Promise<{ session: BrowserSession; feedId: string }> {
  const session = await launch(browser);
  try {
    await session.waitForSeed();
    return { session, feedId: await seedIdOf(session) };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/** The tabs a test opens: `open` remembers each one, `closeAll` (in afterEach) closes them. */
export function tabTracker(): { open(tab: Promise<Tab>): Promise<Tab>; closeAll(): Promise<void> } {
  const tabs: Tab[] = [];
  return {
    async open(tab) {
      const opened = await tab;
      tabs.push(opened);
      return opened;
    },
    async closeAll() {
      for (const tab of tabs.splice(0)) await tab.close();
    },
  };
}
