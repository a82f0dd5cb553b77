// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { accountKeys } from '../../feed/targets.ts';
import { labelsHit, loadFixture, seedLabelsAt, summarizeTargets } from '../../tests/site-fixtures.ts';
import type { PostData } from '../types.ts';
import { mastodonAdapter } from './adapter.ts';

const TRUMP = 'https://mastodon.social/@realDonaldTrump@truthsocial.com';

describe('mastodonAdapter.matches', () => {
  it('recognises the Mastodon web app by its #mastodon root on any host', () => {
    const { document: doc } = loadFixture('mastodon', 'home', 'https://mastodon.social/home');
    expect(mastodonAdapter.matches(new URL('https://mastodon.social/home'), doc)).toBe(true);
    expect(mastodonAdapter.matches(new URL('https://fosstodon.org/home'), doc)).toBe(true);
  });

  it('does not claim other sites’ pages, nor Truth Social', () => {
    const x = loadFixture('x', 'home', 'https://x.com/home');
    expect(mastodonAdapter.matches(x.location, x.document)).toBe(false);
    const { document: doc } = loadFixture('mastodon', 'home', 'https://mastodon.social/home');
    expect(mastodonAdapter.matches(new URL('https://truthsocial.com/'), doc)).toBe(false);
  });
});

describe('mastodonAdapter on the home column', () => {
  const { document: doc, location } = loadFixture('mastodon', 'home', 'https://mastodon.social/home');
  const elements = [...doc.querySelectorAll(mastodonAdapter.postSelector)];
  const parsed = elements.map((element) => mastodonAdapter.parsePost(element, location));
  const posts = parsed.filter((post): post is PostData => post !== null);

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

  it('reads every status once: the quoted status only as part of the status quoting it', () => {
    expect(elements).toHaveLength(10);
    expect(parsed.filter((post) => post === null)).toHaveLength(1);
    expect(posts.map(summarizeTargets)).toEqual([
      {
        permalink: `${TRUMP}/113520001000000001`,
        author: TRUMP,
        time: '2024-11-24T15:02:11.000Z',
        links: [],
        repostedBy: 'https://mastodon.social/@danortiz',
      },
      {
        permalink: `${TRUMP}/113518880000000002`,
        author: TRUMP,
        time: '2024-11-24T09:40:27.000Z',
        links: [],
      },
      {
        permalink: 'https://mastodon.social/@anaferreira/113521234000000003',
        author: 'https://mastodon.social/@anaferreira',
        time: '2024-11-25T07:15:42.000Z',
        links: [],
      },
      {
        permalink: 'https://mastodon.social/@libertydaily@mstdn.social/113519990000000004',
        author: 'https://mastodon.social/@libertydaily@mstdn.social',
        time: '2024-11-24T14:21:09.000Z',
        links: ['https://parler.com/profile/LibertyDaily'],
      },
      {
        permalink: 'https://mastodon.social/@hvaldes@journa.host/113520500000000005',
        author: 'https://mastodon.social/@hvaldes@journa.host',
        time: '2024-11-24T16:05:00.000Z',
        links: [],
        quoted: {
          permalink: `${TRUMP}/113518880000000002`,
          author: TRUMP,
          time: '2024-11-24T09:40:27.000Z',
          links: [],
        },
      },
      {
        permalink: 'https://mastodon.social/@samw@techhub.social/113519000000000006',
        author: 'https://mastodon.social/@samw@techhub.social',
        time: '2024-11-24T10:00:00.000Z',
        links: [
          'https://apps.apple.com/us/app/parler/id1467880070',
          'https://play.google.com/store/apps/details?id=com.parler.parler',
          'https://www.snapchat.com/add/realdonaldtrump',
        ],
      },
      {
        permalink: 'https://mastodon.social/@patriotpulse@noagendasocial.com/113518000000000007',
        author: 'https://mastodon.social/@patriotpulse@noagendasocial.com',
        time: '2024-11-24T05:33:07.000Z',
        links: ['https://parler.com/post/8c1f2d'],
      },
      {
        permalink: 'https://mastodon.social/@tomasz@fosstodon.org/113517000000000008',
        author: 'https://mastodon.social/@tomasz@fosstodon.org',
        time: '2024-11-23T17:30:00.000Z',
        links: ['https://blog.example.org/ci-in-half', 'https://x.com/realDonaldTrump'],
      },
      {
        permalink: 'https://mastodon.social/@mayachen/113516000000000009',
        author: 'https://mastodon.social/@mayachen',
        time: '2024-11-23T12:02:11.000Z',
        links: [],
      },
    ]);
  });

  it('anchors the author at the name link in the status header, not the boost line', () => {
    for (const post of posts) {
      const anchor = post.author?.anchor;
      expect(anchor?.classList.contains('status__display-name')).toBe(true);
      expect(anchor?.parentElement?.classList.contains('status__info')).toBe(true);
      expect(anchor?.closest('.status__prepend')).toBeNull();
    }
  });

  it('anchors the booster on the “boosted” line and the quoted status at the quote box', () => {
    const [boost, , , , quote] = posts;
    expect(boost?.repostedBy?.anchor.closest('.status__prepend')).not.toBeNull();
    expect(boost?.repostedBy?.anchor.textContent).toBe('Dan Ortiz');
    expect(quote?.quoted?.element.classList.contains('status__quote')).toBe(true);
    expect(quote?.element.contains(quote.quoted?.element ?? null)).toBe(true);
  });

  it('leaves mentions and hashtags out of body links and anchors links at the links themselves', () => {
    expect(posts[2]?.links).toEqual([]);
    const several = posts[5];
    expect(several?.links.every((link) => link.anchor.tagName === 'A')).toBe(true);
    expect(posts[6]?.links[0]?.anchor.classList.contains('status-card')).toBe(true);
  });

  it('finds no profile header on the home column', () => {
    expect(mastodonAdapter.findProfileHeader(doc, location)).toBeNull();
  });
});

describe('mastodonAdapter on a federated account’s profile', () => {
  const { document: doc, location } = loadFixture('mastodon', 'profile', TRUMP);

  it('reads the header of the account being viewed, as the instance links it', () => {
    const header = mastodonAdapter.findProfileHeader(doc, location);
    expect(header?.account.url).toBe(TRUMP);
    expect(header?.account.anchor.textContent).toBe('Donald J. Trump');
    expect(header?.element.classList.contains('account__header')).toBe(true);
    expect(accountKeys(header?.account.url ?? '').flatMap(seedLabelsAt)).toEqual([
      'truthsocial-trump-jan6-report',
    ]);
  });

  it('names an account of the instance itself without its domain, as the instance links it', () => {
    const local = loadFixture(
      'mastodon',
      'profile',
      'https://mastodon.social/@realDonaldTrump@mastodon.social',
    );
    expect(mastodonAdapter.findProfileHeader(local.document, local.location)?.account.url).toBe(
      'https://mastodon.social/@realDonaldTrump',
    );
  });

  it('reads the handle the header shows when the URL does not name the account', () => {
    const byId = loadFixture('mastodon', 'profile', 'https://mastodon.social/accounts/109354401234567890');
    expect(mastodonAdapter.findProfileHeader(byId.document, byId.location)?.account.url).toBe(TRUMP);
  });

  it('reads the account’s statuses', () => {
    const posts = [...doc.querySelectorAll(mastodonAdapter.postSelector)].map((element) =>
      mastodonAdapter.parsePost(element, location),
    );
    expect(posts.map((post) => post?.author?.url)).toEqual([TRUMP, TRUMP]);
  });
});

describe('mastodonAdapter on a thread', () => {
  const { document: doc, location } = loadFixture('mastodon', 'status', `${TRUMP}/113518880000000002`);

  it('reads the focused status (no machine time shown) and the replies, never the app or counter links', () => {
    const posts = [...doc.querySelectorAll(mastodonAdapter.postSelector)].map((element) =>
      mastodonAdapter.parsePost(element, location),
    );
    expect(posts.map((post) => (post ? summarizeTargets(post) : null))).toEqual([
      { permalink: `${TRUMP}/113518880000000002`, author: TRUMP, links: [] },
      {
        permalink: 'https://mastodon.social/@libertydaily@mstdn.social/113519100000000010',
        author: 'https://mastodon.social/@libertydaily@mstdn.social',
        time: '2024-11-24T10:05:00.000Z',
        links: ['https://parler.com/profile/LibertyDaily'],
      },
    ]);
    expect(posts[0]?.author?.anchor.querySelector('.display-name__html')?.textContent).toBe(
      'Donald J. Trump',
    );
    expect(posts[0] && labelsHit(posts[0])).toEqual(['truthsocial-trump-jan6-report']);
  });
});
