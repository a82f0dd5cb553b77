/**
 * The content script in Chromium AND Firefox ESR, one body per test (driver.ts): the bundled seed
 * feed's labels on every site fixture served under the sites' real host names, a timeline that
 * grows, warn and hide with the mouse and with the keyboard, the details panel by keyboard, and
 * settings changes reaching an open tab without a reload.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { adapterById, siteAdapters } from '../../sites/registry';
import type { SiteId } from '../../sites/types';
import { type BrowserSession, describeEachBrowser, eventually } from './driver';
import { EXPECTED_BADGES as EXPECTED } from './expected-badges';
import { expectVisibleFocus, tabTo } from './focus';
import { readFixture } from './harness';
import { fixtureNames } from './labels-helpers';
import {
  badgesOn,
  launchSeeded,
  openFixtureIn,
  openPageIn,
  settleBadges,
  tabTracker,
} from './shared-helpers';

const X_POST = adapterById('x').postSelector;

describeEachBrowser('labels on the page', (browser) => {
  let session: BrowserSession;
  let feedId: string;
  const { open, closeAll } = tabTracker();

  beforeAll(async () => {
    ({ session, feedId } = await launchSeeded(browser));
  });
  afterAll(async () => {
    await session?.close();
  });
  afterEach(async () => {
    await closeAll();
    await session.setStorage({ labelActions: {}, siteEnabled: {}, enabled: true, curatorMode: false });
  });

  it('has expectations for every site, and for every fixture of the sites', () => {
    for (const adapter of siteAdapters) {
      const names = fixtureNames(adapter.id);
      expect(names.length, `${adapter.id} has fixtures`).toBeGreaterThan(0);
      for (const name of names) expect(Object.keys(EXPECTED)).toContain(`${adapter.id}/${name}`);
    }
  });

  for (const [fixture, expected] of Object.entries(EXPECTED)) {
    it(`${fixture}: ${expected.length} badges on the right posts`, async () => {
      const [site, name] = fixture.split('/') as [SiteId, string];
      const tab = await open(openFixtureIn(session, site, name));
      await settleBadges(tab, expected.length);
      expect(await badgesOn(tab, adapterById(site).postSelector)).toEqual(expected);
    });
  }

  it('marks each badge with the keys its labels matched, beside the author or the link, styled in px', async () => {
    const tab = await open(openFixtureIn(session, 'x', 'home'));
    await settleBadges(tab, EXPECTED['x/home']?.length ?? 0);
    const first = tab.locator(X_POST).first().locator('context-lens-label');
    expect(await first.getAttribute('data-targets')).toBe(
      'account:x:realdonaldtrump post:x:1346928882595885058',
    );
    expect(await first.locator('button.cl-badge').getAttribute('aria-label')).toBe(
      'Context labels: 3 — Account suspended, Post removed by the platform, Account reinstated',
    );
    expect(await first.evaluate((badge) => badge.closest('[data-testid="User-Name"]') !== null)).toBe(true);
    const parler = tab.locator(X_POST).nth(2).locator('context-lens-label');
    expect(await parler.getAttribute('data-targets')).toBe('link:domain:parler.com');
    expect(
      await parler.evaluate(
        (badge) => badge.previousElementSibling?.closest('[data-testid="tweetText"]') !== null,
      ),
    ).toBe(true);
    // The stylesheet reached the badge's shadow root (sizes in px, whatever the site's root font size).
    expect(
      await first.locator('.cl-badge').evaluate((badge) => {
        const computed = getComputedStyle(badge);
        return { radius: computed.borderTopLeftRadius, height: computed.height, font: computed.fontSize };
      }),
    ).toEqual({ radius: '10px', height: '20px', font: '12px' });
  });

  it("draws each badge's icon from the stylesheet, shaped by the badge's severity", async () => {
    const tab = await open(openFixtureIn(session, 'x', 'home'));
    await settleBadges(tab, EXPECTED['x/home']?.length ?? 0);
    const badges = tab.locator('context-lens-label');
    const count = await badges.count();
    expect(count).toBe(EXPECTED['x/home']?.length);
    const severities = ['info', 'caution', 'alert'];
    for (let i = 0; i < count; i++) {
      const { shown, shapes } = await badges
        .nth(i)
        .locator('.cl-icon')
        .evaluate((icon, severities) => {
          const shape = (el: Element) => {
            const style = getComputedStyle(el);
            return {
              box: `${style.width} × ${style.height}`,
              // A circle is its rounded box; a triangle two half-boxes, an octagon four cut corners,
              // each with the two bars of its mark.
              layers: style.backgroundImage.split('linear-gradient(').length - 1,
              round: style.borderTopLeftRadius,
              text: el.textContent,
            };
          };
          const shown = {
            severity: icon.closest('[data-severity]')?.getAttribute('data-severity'),
            icon: icon.getAttribute('data-icon'),
            ...shape(icon),
          };
          // The other severities' icons, drawn by the same stylesheet in the same badge.
          const shapes = severities.map((severity) => {
            const copy = icon.cloneNode() as Element;
            copy.setAttribute('data-icon', severity);
            icon.after(copy);
            const drawn = shape(copy);
            copy.remove();
            return drawn;
          });
          return { shown, shapes };
        }, severities);
      expect(shown).toEqual({ severity: 'caution', icon: 'caution', ...shapes[1] });
      expect(shapes).toEqual([
        { box: '14px × 14px', layers: 2, round: '50%', text: '' },
        { box: '14px × 14px', layers: 4, round: '0px', text: '' },
        { box: '14px × 14px', layers: 6, round: '0px', text: '' },
      ]);
    }
  });

  it('labels a timeline of 200 posts appended in batches of 20', async () => {
    const html = readFixture('tests/browser/fixtures/infinite-scroll.html');
    const tab = await open(openPageIn(session, 'https://x.com/home', html));
    await tab.waitForFunction(() => (window as unknown as { __done: boolean }).__done === true);
    await settleBadges(tab, 40);
    expect(await badgesOn(tab, X_POST)).toEqual(
      Array.from({ length: 40 }, (_, i) => `${i * 5}: account-reinstated account-suspended`),
    );
  });

  it('details panel: Tab reaches a badge, Enter opens it with the evidence, Tab walks its links, Escape returns', async () => {
    const tab = await open(openFixtureIn(session, 'x', 'home'));
    const badge = tab.locator(X_POST).first().locator('context-lens-label').locator('button.cl-badge');
    await tabTo(tab, badge, { max: 200 });
    await tab.keyboard.press('Enter');
    const dialog = tab.getByRole('dialog');
    await dialog.waitFor();
    await expectVisibleFocus(tab);
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('Account suspended');
    expect(text).toContain('Twitter permanently suspended @realDonaldTrump on 8 January 2021');
    // The post was made on 6 January 2021, 20:13 UTC.
    expect(text).toContain('Posted 1 day before this applied (from 8 January 2021).');
    expect(text).toContain('Posted 1 year before this applied (from 19 November 2022).');
    expect(text).toContain('Posted while this applied (since 6 January 2021).');
    expect(text).toContain(
      'Curator: Context Lens seed: January 6 and the platform bans, published by Context Lens',
    );
    expect(text).toContain('Signature verified');
    const source = dialog.getByRole('link', { name: 'Permanent suspension of @realDonaldTrump' }).first();
    expect(await source.getAttribute('href')).toBe(
      'https://blog.twitter.com/en_us/topics/company/2020/suspension',
    );
    expect(await source.getAttribute('rel')).toBe('noopener noreferrer');
    const links = dialog.getByRole('link');
    const count = await links.count();
    expect(count).toBeGreaterThan(1);
    for (let i = 0; i < count; i++) await tabTo(tab, links.nth(i), { max: 3 });
    expect(await dialog.getByRole('link', { name: 'Dispute this label' }).last().isFocused()).toBe(true);

    await tab.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await badge.isFocused()).toBe(true);
    await expectVisibleFocus(tab);
    // The site's own handlers never saw the key presses inside the badge.
    expect(tab.url()).toBe('https://x.com/home');
    await tab.keyboard.press('Space');
    await dialog.waitFor();
  });

  it('warn: a notice naming the label covers the post; "Show post" reveals it, with a click or with Enter', async () => {
    await session.setStorage({ labelActions: { [`${feedId} account-suspended`]: 'warn' } });
    const tab = await open(openFixtureIn(session, 'x', 'home'));
    const first = tab.locator(X_POST).first();
    expect(await eventually(() => first.getAttribute('data-context-lens'), 'warned')).toBe('warned');
    const cover = first.locator('context-lens-cover');
    expect(await cover.locator('.cl-cover-text').textContent()).toBe('Context label: Account suspended');
    // The post's own content (X's one child div of the article) is hidden under the notice.
    const content = first.locator(':scope > div').first();
    expect(await content.isVisible()).toBe(false);
    await cover.getByRole('button', { name: 'Show post' }).click();
    await content.waitFor({ state: 'visible', timeout: 5000 });
    expect(await cover.locator('.cl-cover').count()).toBe(0);
    // Unlabelled posts are left alone.
    expect(await tab.locator(X_POST).nth(1).getAttribute('data-context-lens')).toBeNull();

    // Again after a reload, by keyboard: Tab to "Show post", Enter; the next Tab stays inside the post.
    await tab.reload();
    const post = tab.locator(X_POST).first();
    const show = post.locator('context-lens-cover').getByRole('button', { name: 'Show post' });
    const hidden = post.locator(':scope > div').first();
    await show.waitFor();
    expect(await hidden.isVisible()).toBe(false);
    await tabTo(tab, show, { max: 200 });
    await tab.keyboard.press('Enter');
    await hidden.waitFor({ state: 'visible', timeout: 5000 });
    expect(await show.count()).toBe(0);
    await tab.keyboard.press('Tab');
    await expectVisibleFocus(tab);
    expect(await post.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  });

  it('hide: a hidden post is one line that opens and closes with a click and with Enter; hide beats warn', async () => {
    await session.setStorage({
      labelActions: {
        [`${feedId} hosting-terminated`]: 'hide',
        [`${feedId} post-removed`]: 'hide',
        [`${feedId} account-suspended`]: 'warn',
      },
    });
    const tab = await open(openFixtureIn(session, 'x', 'home'));
    const post = tab.locator(X_POST).nth(2);
    expect(await eventually(() => post.getAttribute('data-context-lens'), 'hidden')).toBe('hidden');
    const line = post.locator('context-lens-hidden').locator('button');
    expect((await line.textContent())?.startsWith('Hidden by Context Lens: Hosting terminated')).toBe(true);
    const content = post.locator(':scope > div').first();
    expect(await content.isVisible()).toBe(false);
    await line.click();
    await content.waitFor({ state: 'visible', timeout: 5000 });
    await line.click();
    await content.waitFor({ state: 'hidden', timeout: 5000 });
    // The click left focus on the line: one step back, and Tab returns to it (in Firefox a Tab past
    // the page's end goes through the browser's own controls, and focus then comes back unringed).
    await tab.keyboard.press('Shift+Tab');
    await tabTo(tab, line, { max: 5 });
    await tab.keyboard.press('Enter');
    await content.waitFor({ state: 'visible', timeout: 5000 });
    expect(await line.isFocused()).toBe(true);
    await tab.keyboard.press('Enter');
    await content.waitFor({ state: 'hidden', timeout: 5000 });
    // A post whose author is warned and which is itself hidden: hide wins, and the line names it.
    const both = tab.locator(X_POST).first();
    expect(await eventually(() => both.getAttribute('data-context-lens'), 'hidden')).toBe('hidden');
    expect(
      (await both.locator('context-lens-hidden').locator('button').textContent())?.startsWith(
        'Hidden by Context Lens: Post removed by the platform',
      ),
    ).toBe(true);
    expect(await tab.locator(X_POST).nth(1).getAttribute('data-context-lens')).toBeNull();
  });

  it('applies settings changes to an open tab without a reload', async () => {
    const tab = await open(openFixtureIn(session, 'x', 'home'));
    const all = EXPECTED['x/home']?.length ?? 0;
    await settleBadges(tab, all);
    const post = tab.locator(X_POST).nth(2);
    const count = () => tab.locator('context-lens-label').count();

    await session.setStorage({ labelActions: { [`${feedId} hosting-terminated`]: 'hide' } });
    expect(await eventually(() => post.getAttribute('data-context-lens'), 'hidden')).toBe('hidden');
    await session.setStorage({ labelActions: { [`${feedId} hosting-terminated`]: 'off' } });
    expect(await eventually(() => post.getAttribute('data-context-lens'), null)).toBeNull();
    expect(await eventually(() => post.locator('context-lens-label').count(), 0)).toBe(0);

    await session.setStorage({ siteEnabled: { x: false } });
    expect(await eventually(count, 0)).toBe(0);
    await session.setStorage({ siteEnabled: {}, labelActions: {} });
    expect(await eventually(count, all)).toBe(all);
    await session.setStorage({ enabled: false });
    expect(await eventually(count, 0)).toBe(0);
    expect(await tab.locator('[data-context-lens]').count()).toBe(0);
  });

  it('curator mode puts a "Label…" button beside every recognised author, and takes them away again', async () => {
    const tab = await open(openFixtureIn(session, 'x', 'home'));
    await settleBadges(tab, 1);
    const buttons = tab.locator('context-lens-curator');
    expect(await buttons.count()).toBe(0);
    await session.setStorage({ curatorMode: true });
    const posts = await tab.locator(X_POST).count();
    expect(await eventually(() => buttons.count(), posts)).toBe(posts);
    const first = tab.locator(X_POST).first().locator('context-lens-curator').locator('button');
    expect(await first.getAttribute('aria-label')).toBe('Label this account…');
    expect(await first.textContent()).toBe('Label…');
    expect(await tab.locator('context-lens-label').count()).toBe(EXPECTED['x/home']?.length);
    await session.setStorage({ curatorMode: false });
    expect(await eventually(() => buttons.count(), 0)).toBe(0);
  });
});
