// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { labelsHit, loadFixture, parseEvery, summarizeTargets } from '../../tests/site-fixtures.ts';
import { blueskyAdapter } from './adapter.ts';

const BSKY = 'https://bsky.app/profile';

describe('blueskyAdapter.matches', () => {
  it('handles bsky.app and nothing else', () => {
    const { document: doc } = loadFixture('bluesky', 'home', 'https://bsky.app/');
    expect(blueskyAdapter.matches(new URL('https://bsky.app/'), doc)).toBe(true);
    expect(blueskyAdapter.matches(new URL('https://bsky.app/profile/x.bsky.social'), doc)).toBe(true);
    const x = loadFixture('x', 'home', 'https://x.com/home');
    expect(blueskyAdapter.matches(x.location, x.document)).toBe(false);
    const mastodon = loadFixture('mastodon', 'home', 'https://mastodon.social/home');
    expect(blueskyAdapter.matches(mastodon.location, mastodon.document)).toBe(false);
  });
});

describe('blueskyAdapter on the home feed', () => {
  const page = loadFixture('bluesky', 'home', 'https://bsky.app/');
  const { document: doc, location } = page;
  const posts = parseEvery(blueskyAdapter, page);

  it('hits the seed feed’s demo labels with the keys the content script looks up (own part, quoted part)', () => {
    expect(posts.map((post) => [labelsHit(post), post.quoted ? labelsHit(post.quoted) : []])).toEqual([
      [[], []],
      [['parler-aws-terminated'], []],
      [['parler-app-store-suspended'], []],
      [[], ['parler-aws-terminated']],
      [['parler-google-play-suspended', 'snapchat-trump-terminated'], []],
      [['parler-aws-terminated'], []],
      [['twitter-trump-reinstated', 'twitter-trump-suspended'], []],
      [[], []],
      [[], []],
      [['parler-aws-terminated'], []],
    ]);
  });

  it('reads every post: author, permalink, outbound links, quote and repost', () => {
    expect(posts.map(summarizeTargets)).toEqual([
      {
        permalink: `${BSKY}/mayachen.bsky.social/post/3lbdqkz2bqs2a`,
        author: `${BSKY}/mayachen.bsky.social`,
        links: [],
      },
      {
        permalink: `${BSKY}/libertydaily.bsky.social/post/3lbdpwo7rxk2c`,
        author: `${BSKY}/libertydaily.bsky.social`,
        links: ['https://parler.com/profile/LibertyDaily'],
      },
      {
        permalink: `${BSKY}/appwatch.bsky.social/post/3lbcxq3wslc2y`,
        author: `${BSKY}/appwatch.bsky.social`,
        links: ['https://apps.apple.com/us/app/parler/id1467880070'],
        repostedBy: `${BSKY}/danortiz.bsky.social`,
      },
      {
        permalink: `${BSKY}/hvaldes.bsky.social/post/3lbdo2hfa4k2u`,
        author: `${BSKY}/hvaldes.bsky.social`,
        links: [],
        quoted: {
          permalink: `${BSKY}/libertydaily.bsky.social/post/3lbdpwo7rxk2c`,
          author: `${BSKY}/libertydaily.bsky.social`,
          links: ['https://parler.com/profile/LibertyDaily'],
        },
      },
      {
        permalink: `${BSKY}/appwatch.bsky.social/post/3lbcwr5ud3k2e`,
        author: `${BSKY}/appwatch.bsky.social`,
        links: [
          'https://play.google.com/store/apps/details?id=com.parler.parler',
          'https://www.snapchat.com/add/realdonaldtrump',
          'https://www.theverge.com/2021/1/8/app-store-review',
        ],
      },
      {
        permalink: `${BSKY}/patriotpulse.bsky.social/post/3lbcvmf2nps2k`,
        author: `${BSKY}/patriotpulse.bsky.social`,
        links: ['https://parler.com/post/8c1f2d'],
      },
      {
        permalink: `${BSKY}/campaigndesk.bsky.social/post/3lbctbq7yhc2o`,
        author: `${BSKY}/campaigndesk.bsky.social`,
        links: ['https://x.com/realDonaldTrump'],
      },
      {
        permalink: `${BSKY}/anaferreira.bsky.social/post/3lbcs3jd2ks2m`,
        author: `${BSKY}/anaferreira.bsky.social`,
        links: [],
      },
      {
        permalink: `${BSKY}/tomasz.bsky.social/post/3lbcqxw3ads2d`,
        author: `${BSKY}/tomasz.bsky.social`,
        links: ['https://blog.example.org/ci-in-half'],
      },
      {
        // A handle that does not verify: the app links the author by DID.
        permalink: `${BSKY}/did:plc:4xk3q7n2vbm5rzt6ylqhp2wd/post/3lbcpz2ltd22s`,
        author: `${BSKY}/did:plc:4xk3q7n2vbm5rzt6ylqhp2wd`,
        links: ['https://parler.com/profile/ParlerMirror'],
      },
    ]);
  });

  it('anchors the author at the display name, not the avatar, the handle or a mention', () => {
    for (const post of posts) {
      expect(post.author?.anchor.tagName).toBe('A');
      expect(post.author?.anchor.textContent).not.toMatch(/@/);
      expect(post.author?.anchor.textContent?.trim()).not.toBe('');
    }
    expect(posts[7]?.author?.anchor.textContent).toBe('Ana Ferreira');
  });

  it('anchors the reposter on the “Reposted by” line and keeps the quote’s links to the quote', () => {
    expect(posts[2]?.repostedBy?.anchor.textContent).toContain('Reposted by Dan Ortiz');
    const quote = posts[3]?.quoted;
    expect(quote?.element.getAttribute('role')).toBe('link');
    expect(posts[3]?.element.contains(quote?.element ?? null)).toBe(true);
    expect(quote?.links[0]?.anchor.closest('[role="link"][title]')).toBe(quote?.element);
  });

  it('reads no machine time: Bluesky shows only a localised date', () => {
    expect(posts.every((post) => post.time === undefined)).toBe(true);
  });

  it('finds no profile header on the home feed, and skips elements that are not posts', () => {
    expect(blueskyAdapter.findProfileHeader(doc, location)).toBeNull();
    const main = doc.querySelector('main');
    expect(main && blueskyAdapter.parsePost(main, location)).toBeNull();
  });
});

describe('blueskyAdapter on a profile page', () => {
  const page = loadFixture('bluesky', 'profile', `${BSKY}/libertydaily.bsky.social`);
  const { document: doc, location } = page;

  it('reads the header of the account being viewed, anchored at its display name', () => {
    const header = blueskyAdapter.findProfileHeader(doc, location);
    expect(header?.account.url).toBe(`${BSKY}/libertydaily.bsky.social`);
    expect(header?.account.anchor.textContent).toBe('Liberty Daily');
    expect(header?.element.contains(header.account.anchor)).toBe(true);
  });

  it('reads the account’s posts', () => {
    expect(parseEvery(blueskyAdapter, page).map((post) => post.links.map((link) => link.url))).toEqual([
      ['https://parler.com/profile/LibertyDaily'],
      ['https://apps.apple.com/us/app/parler/id1467880070'],
    ]);
  });
});

describe('blueskyAdapter on a post thread', () => {
  const page = loadFixture('bluesky', 'thread', `${BSKY}/libertydaily.bsky.social/post/3lbdpwo7rxk2c`);

  it('takes the page URL as the permalink of the focused post, which shows no link to itself', () => {
    expect(parseEvery(blueskyAdapter, page).map(summarizeTargets)).toEqual([
      {
        permalink: `${BSKY}/libertydaily.bsky.social/post/3lbdpwo7rxk2c`,
        author: `${BSKY}/libertydaily.bsky.social`,
        links: ['https://parler.com/profile/LibertyDaily'],
      },
      {
        permalink: `${BSKY}/tomasz.bsky.social/post/3lbdqa2kfjc2x`,
        author: `${BSKY}/tomasz.bsky.social`,
        links: [],
      },
    ]);
  });
});
