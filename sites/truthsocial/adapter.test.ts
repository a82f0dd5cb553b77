// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { accountKeys } from '../../feed/targets.ts';
import {
  labelsHit,
  loadFixture,
  parseEvery,
  seedLabelsAt,
  summarizeTargets,
} from '../../tests/site-fixtures.ts';
import { truthsocialAdapter } from './adapter.ts';

const TS = 'https://truthsocial.com';
const TRUMP = `${TS}/@realDonaldTrump`;

describe('truthsocialAdapter.matches', () => {
  it('handles truthsocial.com and nothing else', () => {
    const { document: doc, location } = loadFixture('truthsocial', 'home', `${TS}/`);
    expect(truthsocialAdapter.matches(location, doc)).toBe(true);
    expect(truthsocialAdapter.matches(new URL(TRUMP), doc)).toBe(true);
    const mastodon = loadFixture('mastodon', 'home', 'https://mastodon.social/home');
    expect(truthsocialAdapter.matches(mastodon.location, mastodon.document)).toBe(false);
    const x = loadFixture('x', 'home', 'https://x.com/home');
    expect(truthsocialAdapter.matches(x.location, x.document)).toBe(false);
  });
});

describe('truthsocialAdapter on the home timeline', () => {
  const page = loadFixture('truthsocial', 'home', `${TS}/`);
  const { document: doc, location } = page;
  const posts = parseEvery(truthsocialAdapter, page);

  it('hits the seed feed’s demo labels with the keys the content script looks up (own part, quoted part)', () => {
    expect(posts.map((post) => [labelsHit(post), post.quoted ? labelsHit(post.quoted) : []])).toEqual([
      [['truthsocial-trump-jan6-report'], []],
      [['truthsocial-trump-jan6-report'], []],
      [[], []],
      [['parler-aws-terminated'], []],
      [[], ['truthsocial-trump-jan6-report']],
      [['parler-app-store-suspended', 'parler-google-play-suspended', 'snapchat-trump-terminated'], []],
      [['parler-aws-terminated'], []],
      [['twitter-trump-reinstated', 'twitter-trump-suspended'], []],
      [[], []],
    ]);
  });

  it('reads every Truth: author, permalink, outbound links, quote and ReTruth', () => {
    expect(posts.map(summarizeTargets)).toEqual([
      { permalink: `${TRUMP}/posts/113520001000000001`, author: TRUMP, links: [] },
      {
        permalink: `${TRUMP}/posts/113518880000000002`,
        author: TRUMP,
        links: [],
        repostedBy: `${TS}/@danortiz`,
      },
      { permalink: `${TS}/@anaferreira/posts/113521234000000003`, author: `${TS}/@anaferreira`, links: [] },
      {
        permalink: `${TS}/@LibertyDaily/posts/113519990000000004`,
        author: `${TS}/@LibertyDaily`,
        links: ['https://parler.com/profile/LibertyDaily'],
      },
      {
        permalink: `${TS}/@hvaldes/posts/113520500000000005`,
        author: `${TS}/@hvaldes`,
        links: [],
        quoted: { author: TRUMP, links: [] },
      },
      {
        permalink: `${TS}/@SamWhitford/posts/113519000000000006`,
        author: `${TS}/@SamWhitford`,
        links: [
          'https://apps.apple.com/us/app/parler/id1467880070',
          'https://play.google.com/store/apps/details?id=com.parler.parler',
          'https://www.snapchat.com/add/realdonaldtrump',
        ],
      },
      {
        permalink: `${TS}/@PatriotPulse/posts/113518000000000007`,
        author: `${TS}/@PatriotPulse`,
        links: ['https://parler.com/post/8c1f2d'],
      },
      {
        permalink: `${TS}/@CampaignDesk/posts/113517000000000008`,
        author: `${TS}/@CampaignDesk`,
        links: ['https://x.com/realDonaldTrump'],
      },
      { permalink: `${TS}/@mayachen/posts/113516000000000009`, author: `${TS}/@mayachen`, links: [] },
    ]);
  });

  it('anchors the author at the display-name link of the post’s account block', () => {
    for (const post of posts) {
      expect(
        post.author?.anchor.closest('[data-testid="account"]')?.closest('[data-testid="quoted-status"]'),
      ).toBeNull();
      expect(post.author?.anchor.textContent).not.toMatch(/^@/);
    }
    expect(posts[0]?.author?.anchor.textContent).toBe('Donald J. Trump');
  });

  it('anchors the reposter on the ReTruth line, and the quote at the quote box', () => {
    expect(posts[1]?.repostedBy?.anchor.closest('[role="status-info"]')).not.toBeNull();
    expect(posts[1]?.repostedBy?.anchor.textContent).toBe('Dan Ortiz');
    expect(posts[4]?.quoted?.element.getAttribute('data-testid')).toBe('quoted-status');
    expect(posts[4]?.quoted?.author?.anchor.textContent).toBe('Donald J. Trump');
  });

  it('leaves mentions and hashtags out of outbound links', () => {
    expect(posts[2]?.links).toEqual([]);
  });

  it('reads no time when the page shows only a relative one', () => {
    expect(posts.every((post) => post.time === undefined)).toBe(true);
  });

  it('finds no profile header on the home timeline', () => {
    expect(truthsocialAdapter.findProfileHeader(doc, location)).toBeNull();
  });
});

describe('truthsocialAdapter on a profile page', () => {
  const page = loadFixture('truthsocial', 'profile', TRUMP);
  const { document: doc, location } = page;

  it('reads the account being viewed, anchored at the handle the header shows (not one inside a post)', () => {
    const header = truthsocialAdapter.findProfileHeader(doc, location);
    expect(header?.account.url).toBe(TRUMP);
    expect(header?.account.anchor.textContent).toBe('@realDonaldTrump');
    expect(header?.account.anchor.closest('[data-testid="status"]')).toBeNull();
    expect(accountKeys(header?.account.url ?? '').flatMap(seedLabelsAt)).toEqual([
      'truthsocial-trump-jan6-report',
    ]);
  });

  it('finds no header on a post page', () => {
    const post = loadFixture('truthsocial', 'profile', `${TRUMP}/posts/113520001000000001`);
    expect(truthsocialAdapter.findProfileHeader(post.document, post.location)).toBeNull();
  });

  it('reads his Truths', () => {
    expect(parseEvery(truthsocialAdapter, page).map((post) => post.author?.url)).toEqual([TRUMP, TRUMP]);
  });
});
