/**
 * The built extension in Chromium only, for what content.spec.ts (run in Chromium and Firefox)
 * does not cover: a badge within two frames of its post, a single-page navigation, the adapter
 * health and context-menu messages, and light and dark pages (Playwright's colour-scheme
 * emulation). Labels on every fixture, warn, hide, the panel and settings reaching an open tab are
 * in content.spec.ts.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adapterById } from '../../sites/registry';
import { chromiumTab } from './driver-chromium';
import { EXPECTED_BADGES as EXPECTED } from './expected-badges';
import { type ExtensionSession, launchChromium, readFixture } from './harness';
import { askTab, badgeTable, fixtureUrl, openFixture, openPage, waitForBadges } from './labels-helpers';

const X_POST = adapterById('x').postSelector;

let session: ExtensionSession;
const pages: Page[] = [];

async function open(page: Promise<Page>): Promise<Page> {
  const opened = await page;
  pages.push(opened);
  return opened;
}

beforeAll(async () => {
  session = await launchChromium();
  await session.waitForSeed();
});

afterAll(async () => {
  await session?.close();
});

afterEach(async () => {
  for (const page of pages.splice(0)) await page.close();
  await session.setStorage({ labelActions: {}, siteEnabled: {}, enabled: true, curatorMode: false });
});

describe('pages that change', () => {
  it('shows each badge within two frames of its post appearing', async () => {
    const page = await open(
      openPage(
        session,
        'https://x.com/home',
        '<!doctype html><title>Home / X</title><main><div id="tl"></div></main>',
      ),
    );
    await page.waitForTimeout(500);
    // Each round appends a post with a new permalink (a key never asked before: a look-up is needed)
    // by the labelled account, then counts animation frames until its badge is there.
    const frames = await page.evaluate(async () => {
      const counts: number[] = [];
      const timeline = document.getElementById('tl') as HTMLElement;
      for (let round = 0; round < 12; round++) {
        const post = document.createElement('article');
        post.setAttribute('data-testid', 'tweet');
        const name = document.createElement('div');
        name.setAttribute('data-testid', 'User-Name');
        const author = document.createElement('a');
        author.href = '/realDonaldTrump';
        author.textContent = 'Donald J. Trump';
        const permalink = document.createElement('a');
        permalink.href = `/realDonaldTrump/status/${1400000000000000000n + BigInt(round)}`;
        const time = document.createElement('time');
        time.dateTime = '2021-01-01T00:00:00.000Z';
        permalink.append(time);
        name.append(author, permalink);
        post.append(name);
        timeline.append(post);
        let count = 0;
        await new Promise<void>((resolve) => {
          const tick = () => {
            count++;
            if (post.querySelector('context-lens-label') || count > 60) resolve();
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        counts.push(count);
      }
      return counts;
    });
    const sorted = [...frames].sort((a, b) => a - b);
    expect(
      sorted[Math.floor(sorted.length / 2)],
      `frames per badge: ${frames.join(' ')}`,
    ).toBeLessThanOrEqual(2);
    expect(Math.max(...frames), `frames per badge: ${frames.join(' ')}`).toBeLessThanOrEqual(4);
  });

  it('follows a single-page navigation to a profile and labels its header', async () => {
    const page = await open(openFixture(session, 'x', 'home'));
    await waitForBadges(page, 1);
    const profile = readFixture('x', 'profile');
    await page.evaluate((html) => {
      const next = new DOMParser().parseFromString(html, 'text/html');
      history.pushState({}, '', '/realDonaldTrump');
      document.title = next.title;
      document.getElementById('react-root')?.replaceWith(next.getElementById('react-root') as HTMLElement);
    }, profile);
    await waitForBadges(page, EXPECTED['x/profile']?.length ?? 0);
    expect(await badgeTable(page, X_POST)).toEqual(EXPECTED['x/profile']);
    expect(await page.locator('[data-testid="UserName"] context-lens-label').count()).toBe(1);
  });
});

describe('adapter health and the context menu', () => {
  it('answers getPageHealth with the posts recognised, labelled and the labels shown', async () => {
    const page = await open(openFixture(session, 'x', 'home'));
    const expected = EXPECTED['x/home'] ?? [];
    await waitForBadges(page, expected.length);
    const labelled = new Set(
      expected.map((line) => line.split(':')[0]).filter((where) => where !== 'header'),
    );
    const shown = expected.reduce((sum, line) => sum + (line.split(': ')[1]?.split(' ').length ?? 0), 0);
    expect(await askTab(session, 'getPageHealth')).toEqual({
      site: 'x',
      postsRecognised: await page.locator(X_POST).count(),
      postsLabelled: labelled.size,
      labelsShown: shown,
      layoutMayHaveChanged: false,
    });
  });

  it('reports a possible layout change when a supported page shows no posts after a few seconds', async () => {
    const page = await open(
      openPage(
        session,
        'https://x.com/home',
        '<!doctype html><title>Home / X</title><main><div>New layout</div></main>',
      ),
    );
    const health = () => askTab<{ layoutMayHaveChanged: boolean }>(session, 'getPageHealth');
    expect((await health()).layoutMayHaveChanged).toBe(false);
    await page.waitForTimeout(5500);
    expect(await health()).toEqual({
      site: 'x',
      postsRecognised: 0,
      postsLabelled: 0,
      labelsShown: 0,
      layoutMayHaveChanged: true,
    });
  });

  it('answers getContextTarget with the post, author and link under the last right-click', async () => {
    const page = await open(openFixture(session, 'x', 'home'));
    await waitForBadges(page, 1);
    await page.locator(X_POST).nth(2).locator('[data-testid="tweetText"] a').click({ button: 'right' });
    const target = await askTab<{ account?: string; post?: string; link?: string }>(
      session,
      'getContextTarget',
    );
    expect(target.account).toBe('https://x.com/LibertyDaily_');
    expect(target.post).toMatch(/^https:\/\/x\.com\/LibertyDaily_\/status\/\d+$/);
    expect(target.link).toMatch(/^https:\/\/parler\.com\/profile\/Libert/);
  });
});

describe('light and dark pages', () => {
  const themeOf = (page: Page) =>
    chromiumTab(page)
      .locator('context-lens-label')
      .first()
      .locator('.cl-badge-root')
      .getAttribute('data-theme');

  it('reads the page background', async () => {
    const light = await open(openFixture(session, 'x', 'home'));
    await waitForBadges(light, 1);
    expect(await themeOf(light)).toBe('light');
    const dark = await open(
      openFixture(session, 'x', 'home', (html) =>
        html.replace(
          '</head>',
          '<style>body { background: rgb(0, 0, 0) !important; color: #e7e9ea; }</style></head>',
        ),
      ),
    );
    await waitForBadges(dark, 1);
    expect(await themeOf(dark)).toBe('dark');
    const colours = async (page: Page) =>
      chromiumTab(page)
        .locator('context-lens-label')
        .first()
        .locator('.cl-badge')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colours(light)).not.toBe(await colours(dark));
  });

  it('follows prefers-color-scheme when the page paints no background', async () => {
    const page = await session.context.newPage();
    pages.push(page);
    await page.emulateMedia({ colorScheme: 'dark' });
    const html = readFixture('x', 'home').replace(
      '</head>',
      '<style>html, body { background: transparent !important; }</style></head>',
    );
    await session.servePage('https://x.com/', html);
    await page.goto(fixtureUrl('x', html));
    await waitForBadges(page, 1);
    expect(await themeOf(page)).toBe('dark');
  });
});
