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
import { xAdapter } from './adapter.ts';

describe('xAdapter.matches', () => {
  it('handles x.com, twitter.com and mobile.twitter.com and nothing else', () => {
    const { document: doc } = loadFixture('x', 'home', 'https://x.com/home');
    for (const url of [
      'https://x.com/home',
      'https://twitter.com/realDonaldTrump',
      'https://mobile.twitter.com/',
    ]) {
      expect(xAdapter.matches(new URL(url), doc), url).toBe(true);
    }
    for (const url of [
      'https://bsky.app/',
      'https://mastodon.social/home',
      'https://www.threads.net/',
      'https://notx.com/',
    ]) {
      expect(xAdapter.matches(new URL(url), doc), url).toBe(false);
    }
  });
});

describe('xAdapter on the home timeline', () => {
  const page = loadFixture('x', 'home', 'https://x.com/home');
  const { document: doc, location } = page;
  const posts = parseEvery(xAdapter, page);

  it('hits the seed feed’s demo labels with the keys the content script looks up (own part, quoted part)', () => {
    expect(posts.map((post) => [labelsHit(post), post.quoted ? labelsHit(post.quoted) : []])).toEqual([
      [['twitter-trump-2021-01-06-video', 'twitter-trump-reinstated', 'twitter-trump-suspended'], []],
      [[], []],
      [['parler-aws-terminated'], []],
      [[], ['twitter-trump-reinstated', 'twitter-trump-suspended']],
      [['twitter-trump-2021-01-08-patriots', 'twitter-trump-reinstated', 'twitter-trump-suspended'], []],
      [['parler-app-store-suspended', 'parler-google-play-suspended'], []],
      [['parler-aws-terminated'], []],
      [['snapchat-trump-terminated', 'twitter-trump-reinstated', 'twitter-trump-suspended'], []],
      [[], []],
      [[], []],
    ]);
  });

  it('reads every tweet: author, permalink, time, real link destinations, quote and repost', () => {
    expect(posts.map(summarizeTargets)).toEqual([
      {
        permalink: 'https://x.com/realDonaldTrump/status/1346928882595885058',
        author: 'https://x.com/realDonaldTrump',
        time: '2021-01-06T21:17:24.000Z',
        links: [],
      },
      {
        permalink: 'https://x.com/mayachen_dev/status/1859311291986874405',
        author: 'https://x.com/mayachen_dev',
        time: '2024-11-20T19:02:11.000Z',
        links: [],
      },
      {
        permalink: 'https://x.com/LibertyDaily_/status/1323771962454970442',
        author: 'https://x.com/LibertyDaily_',
        time: '2020-11-03T23:40:05.000Z',
        links: ['https://parler.com/profile/LibertyDaily'],
      },
      {
        permalink: 'https://x.com/hvaldes_news/status/1346930832962490368',
        author: 'https://x.com/hvaldes_news',
        time: '2021-01-06T21:25:10.000Z',
        links: [],
        quoted: {
          author: 'https://x.com/realDonaldTrump',
          time: '2021-01-06T21:17:24.000Z',
          links: [],
        },
      },
      {
        permalink: 'https://x.com/realDonaldTrump/status/1347555316863553542',
        author: 'https://x.com/realDonaldTrump',
        time: '2021-01-08T14:46:38.000Z',
        links: [],
        repostedBy: 'https://x.com/danortiz_',
      },
      {
        permalink: 'https://x.com/appwatch_sam/status/1347361139192762479',
        author: 'https://x.com/appwatch_sam',
        time: '2021-01-08T01:55:03.000Z',
        links: [
          'https://apps.apple.com/us/app/parler/id1467880070',
          'https://play.google.com/store/apps/details?id=com.parler.parler',
          'https://www.theverge.com/2021/1/8/app-store-review',
        ],
      },
      {
        permalink: 'https://x.com/patriot_pulse/status/1347023430611898516',
        author: 'https://x.com/patriot_pulse',
        time: '2021-01-07T03:33:07.000Z',
        links: ['https://parler.com/'],
      },
      {
        permalink: 'https://x.com/campaigndesk/status/1345985059353530553',
        author: 'https://x.com/campaigndesk',
        time: '2021-01-04T06:47:00.000Z',
        links: ['https://x.com/realDonaldTrump', 'https://www.snapchat.com/add/realdonaldtrump'],
      },
      {
        permalink: 'https://x.com/birdwatch_ana/status/1859495887500218590',
        author: 'https://x.com/birdwatch_ana',
        time: '2024-11-21T07:15:42.000Z',
        links: [],
      },
      {
        permalink: 'https://x.com/tomasz_k/status/1859288093291450627',
        author: 'https://x.com/tomasz_k',
        time: '2024-11-20T17:30:00.000Z',
        links: ['https://blog.example.org/ci-in-half'],
      },
    ]);
  });

  it('anchors the author at the display-name link in the tweet’s own User-Name', () => {
    for (const post of posts) {
      const anchor = post.author?.anchor;
      expect(anchor?.tagName).toBe('A');
      expect(anchor?.closest('[data-testid="User-Name"]')?.closest('div[role="link"]')).toBeNull();
      expect(anchor?.textContent).not.toMatch(/^@/);
    }
  });

  it('anchors text links at the t.co links themselves and the card at its link showing the domain', () => {
    const [, , parler, , , several, card] = posts;
    expect(parler?.links[0]?.anchor.getAttribute('href')).toBe('https://t.co/8kPq2Lx0Rz');
    expect(several?.links.map((link) => link.anchor.getAttribute('href'))).toEqual([
      'https://t.co/Qm4nB7yTe2',
      'https://t.co/Vd82kLmP0a',
      'https://t.co/Lx0aPz93Qw',
    ]);
    expect(card?.links[0]?.anchor.tagName).toBe('A');
    expect(card?.links[0]?.anchor.textContent).toContain('parler.com');
    expect(card?.links[0]?.anchor.closest('[data-testid="card.wrapper"]')).not.toBeNull();
  });

  it('keeps the quoted tweet apart: its element is the quote box, its author anchored at its handle', () => {
    const quote = posts[3];
    expect(quote?.quoted?.element.getAttribute('role')).toBe('link');
    expect(quote?.element.contains(quote.quoted?.element ?? null)).toBe(true);
    expect(quote?.quoted?.author?.anchor.textContent).toBe('@realDonaldTrump');
  });

  it('anchors the reposter on the “reposted” line', () => {
    const repost = posts[4];
    expect(repost?.repostedBy?.anchor.tagName).toBe('A');
    expect(repost?.repostedBy?.anchor.querySelector('[data-testid="socialContext"]')?.textContent).toBe(
      'Dan Ortiz reposted',
    );
  });

  it('finds no profile header on the home timeline', () => {
    expect(xAdapter.findProfileHeader(doc, location)).toBeNull();
  });

  it('returns null for an element that is not a tweet', () => {
    const cell = doc.querySelector('[data-testid="cellInnerDiv"]');
    expect(cell && xAdapter.parsePost(cell, location)).toBeNull();
  });
});

describe('xAdapter on a profile page', () => {
  const page = loadFixture('x', 'profile', 'https://x.com/realDonaldTrump');
  const { document: doc, location } = page;

  it('reads the header of the account being viewed, anchored at its handle', () => {
    const header = xAdapter.findProfileHeader(doc, location);
    expect(header?.account.url).toBe('https://x.com/realDonaldTrump');
    expect(header?.account.anchor.textContent).toBe('@realDonaldTrump');
    expect(header?.element.getAttribute('data-testid')).toBe('UserName');
    expect(accountKeys(header?.account.url ?? '').flatMap(seedLabelsAt)).toEqual([
      'twitter-trump-suspended',
      'twitter-trump-reinstated',
    ]);
  });

  it('uses the host the reader is on (twitter.com stays twitter.com)', () => {
    const twitter = loadFixture('x', 'profile', 'https://twitter.com/realDonaldTrump');
    expect(xAdapter.findProfileHeader(twitter.document, twitter.location)?.account.url).toBe(
      'https://twitter.com/realDonaldTrump',
    );
    const first = twitter.document.querySelector(xAdapter.postSelector);
    expect(first && xAdapter.parsePost(first, twitter.location)?.permalink).toBe(
      'https://twitter.com/realDonaldTrump/status/1346928882595885058',
    );
  });

  it('does not take “Pinned” for a repost, reads his own reposts, and his cited post hits its label', () => {
    const parsed = parseEvery(xAdapter, page);
    const posts = parsed.map(summarizeTargets);
    expect(posts[0]?.repostedBy).toBeUndefined();
    expect(parsed[1] && labelsHit(parsed[1])).toEqual([
      'twitter-trump-2021-01-08-inauguration',
      'twitter-trump-reinstated',
      'twitter-trump-suspended',
    ]);
    expect(posts[2]).toEqual({
      permalink: 'https://x.com/patriot_pulse/status/1346555128181690664',
      author: 'https://x.com/patriot_pulse',
      time: '2021-01-05T20:32:15.000Z',
      links: [],
      repostedBy: 'https://x.com/realDonaldTrump',
    });
  });
});

describe('xAdapter on a post page', () => {
  const page = loadFixture('x', 'status', 'https://x.com/realDonaldTrump/status/1347569870578266115');

  it('reads the focused tweet, whose time link sits under its text, and the replies', () => {
    const posts = parseEvery(xAdapter, page);
    expect(posts.map(summarizeTargets)).toEqual([
      {
        permalink: 'https://x.com/realDonaldTrump/status/1347569870578266115',
        author: 'https://x.com/realDonaldTrump',
        time: '2021-01-08T15:44:28.000Z',
        links: [],
      },
      {
        permalink: 'https://x.com/LibertyDaily_/status/1347571003923136512',
        author: 'https://x.com/LibertyDaily_',
        time: '2021-01-08T15:48:58.000Z',
        links: ['https://parler.com/profile/LibertyDaily'],
      },
    ]);
    expect(posts[0] && labelsHit(posts[0])).toEqual([
      'twitter-trump-2021-01-08-inauguration',
      'twitter-trump-reinstated',
      'twitter-trump-suspended',
    ]);
  });
});
