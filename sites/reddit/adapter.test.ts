// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { type LoadedFixture, loadFixture, parseAll, summarize } from '../../tests/site-fixtures.ts';
import { redditAdapter } from './adapter.ts';

const WWW = 'https://www.reddit.com';
const OLD = 'https://old.reddit.com';
const PARLER_IOS = 'https://apps.apple.com/us/app/parler/id1467880070';
const PARLER_ANDROID = 'https://play.google.com/store/apps/details?id=com.parler.parler';

let open: LoadedFixture[] = [];
function load(name: string): LoadedFixture {
  const fixture = loadFixture('reddit', name);
  open.push(fixture);
  return fixture;
}
afterEach(async () => {
  await Promise.all(open.map((fixture) => fixture.close()));
  open = [];
});

describe('redditAdapter.matches', () => {
  it.each([
    'https://www.reddit.com/',
    'https://old.reddit.com/r/technology/',
    'https://new.reddit.com/r/politics/comments/ks1q8n/x/',
    'https://reddit.com/user/margolin_k/',
  ])('handles %s', (url) => {
    expect(redditAdapter.matches(new URL(url), document)).toBe(true);
  });

  it.each([
    'https://x.com/home',
    'https://www.youtube.com/watch?v=abc',
    'https://notreddit.com/r/x',
    'https://reddit.com.example.org/',
  ])('leaves %s alone', (url) => {
    expect(redditAdapter.matches(new URL(url), document)).toBe(false);
  });
});

describe('www.reddit.com home feed (www-home.html, aggregate: no author names shown)', () => {
  it('reads every post, with the author from the author attribute anchored at the post time', () => {
    const page = load('www-home');
    const posts = parseAll(redditAdapter, page);
    expect(posts.map(summarize)).toEqual([
      {
        permalink: `${WWW}/r/technology/comments/lm4n2b/parler_returns_to_apples_app_store/`,
        author: `${WWW}/user/Jalen_Brooks/`,
        authorAnchor: '5 yr. ago',
        time: '2021-05-17T21:04:12.000Z',
        links: [PARLER_IOS],
      },
      {
        permalink: `${WWW}/r/news/comments/kv3p9q/amazon_to_suspend_parler_from_its_web_hosting/`,
        author: `${WWW}/user/quietharbor/`,
        authorAnchor: '5 yr. ago',
        time: '2021-01-10T02:15:44.000Z',
        links: ['https://apnews.com/article/amazon-parler-web-hosting-suspended-9c1e08f0f4'],
      },
      {
        permalink: `${WWW}/r/politics/comments/kuz7x1/anyone_archiving_what_was_posted_on_parler/`,
        author: `${WWW}/user/margolin_k/`,
        authorAnchor: '5 yr. ago',
        time: '2021-01-09T18:30:05.000Z',
        links: ['https://parler.com/'],
      },
      {
        permalink: `${WWW}/r/Android/comments/kuu1d8/google_pulls_parler_from_the_play_store/`,
        author: `${WWW}/user/pixel_pusher_22/`,
        authorAnchor: '5 yr. ago',
        time: '2021-01-09T00:41:37.000Z',
        links: [PARLER_ANDROID],
      },
      {
        permalink: `${WWW}/r/pics/comments/lq8w3e/first_snow_on_the_harbour_this_morning/`,
        author: `${WWW}/user/dawn_patrol_photo/`,
        authorAnchor: '5 yr. ago',
        time: '2021-02-02T07:12:00.000Z',
        links: [],
      },
      {
        permalink: `${WWW}/r/socialmedia/comments/kt0r5n/snapchat_locks_the_presidents_account/`,
        author: `${WWW}/user/tessellate_mk/`,
        authorAnchor: '5 yr. ago',
        time: '2021-01-07T16:22:09.000Z',
        links: ['https://www.snapchat.com/add/realdonaldtrump'],
      },
      {
        permalink: `${WWW}/r/OutOfTheLoop/comments/ku2h7c/whats_going_on_with_trumps_twitter_account/`,
        author: `${WWW}/user/ferngully_42/`,
        authorAnchor: '5 yr. ago',
        time: '2021-01-08T23:58:51.000Z',
        links: ['https://x.com/realDonaldTrump', 'https://en.wikipedia.org/wiki/Parler'],
      },
      {
        permalink: `${WWW}/r/worldnews/comments/kw9f2t/eu_officials_weigh_in_on_platform_bans/`,
        author: `${WWW}/user/northern_lights_99/`,
        authorAnchor: '5 yr. ago',
        time: '2021-01-11T09:03:27.000Z',
        links: ['https://www.reuters.com/article/us-usa-trump-eu-idUSKBN29G0XY'],
      },
    ]);
  });

  it('skips the promoted post', () => {
    const page = load('www-home');
    const ad = page.document.querySelector('shreddit-post.promotedlink');
    expect(ad).not.toBeNull();
    expect(ad?.matches(redditAdapter.postSelector)).toBe(true);
    expect(redditAdapter.parsePost(ad as Element, page.location)).toBeNull();
  });

  it('anchors a link post at its outbound link card and body links at the link itself', () => {
    const page = load('www-home');
    const [apps, , archive] = parseAll(redditAdapter, page);
    expect(apps?.links[0]?.anchor.closest('[slot="post-media-container"]')).not.toBeNull();
    expect(apps?.links[0]?.anchor.getAttribute('href')).toBe(PARLER_IOS);
    expect(apps?.author?.anchor.closest('[slot="credit-bar"]')).not.toBeNull();
    expect(archive?.links[0]?.anchor.closest('[slot="text-body"]')).not.toBeNull();
    expect(archive?.links[0]?.anchor.textContent).toBe('parler.com');
    expect(archive?.element.tagName.toLowerCase()).toBe('shreddit-post');
  });

  it('is not a profile page', () => {
    const page = load('www-home');
    expect(redditAdapter.findProfileHeader(page.document, page.location)).toBeNull();
  });
});

describe('www.reddit.com post page (www-comments.html)', () => {
  const thread = `${WWW}/r/politics/comments/ks1q8n`;

  it('reads the post with its byline author and every comment, replies included', () => {
    const page = load('www-comments');
    expect(parseAll(redditAdapter, page).map(summarize)).toEqual([
      {
        permalink: `${thread}/twitter_permanently_suspends_trumps_account/`,
        author: `${WWW}/user/ExpressSlice/`,
        authorAnchor: 'ExpressSlice',
        time: '2021-01-08T23:32:11.000Z',
        links: ['https://blog.twitter.com/en_us/topics/company/2020/suspension'],
      },
      {
        permalink: `${thread}/comment/giz0a1k/`,
        author: `${WWW}/user/harbor_seal_77/`,
        authorAnchor: 'harbor_seal_77',
        time: '2021-01-08T23:35:40.000Z',
        links: ['https://x.com/realDonaldTrump'],
      },
      {
        permalink: `${thread}/comment/giz1b2m/`,
        author: `${WWW}/user/ExpressSlice/`,
        authorAnchor: 'ExpressSlice',
        time: '2021-01-08T23:41:02.000Z',
        links: [],
      },
      {
        permalink: `${thread}/comment/giz2c3n/`,
        author: `${WWW}/user/civic_minded_ana/`,
        authorAnchor: 'civic_minded_ana',
        time: '2021-01-08T23:37:18.000Z',
        links: ['https://parler.com/profile/realdonaldtrump'],
      },
      { permalink: `${thread}/comment/giz3d4p/`, time: '2021-01-08T23:39:55.000Z', links: [] },
      {
        permalink: `${thread}/comment/giz4e5q/`,
        author: `${WWW}/user/Old_Ironsides_1797/`,
        authorAnchor: 'Old_Ironsides_1797',
        time: '2021-01-08T23:44:21.000Z',
        links: ['https://blog.twitter.com/en_us/topics/company/2020/suspension'],
      },
      {
        permalink: `${thread}/comment/giz5f6r/`,
        author: `${WWW}/user/minnow_and_whale/`,
        authorAnchor: 'minnow_and_whale',
        time: '2021-01-08T23:52:09.000Z',
        links: [PARLER_ANDROID],
      },
      {
        permalink: `${thread}/comment/giz6g7s/`,
        author: `${WWW}/user/pixel_pusher_22/`,
        authorAnchor: 'pixel_pusher_22',
        time: '2021-01-09T00:05:47.000Z',
        links: [PARLER_IOS],
      },
      {
        permalink: `${thread}/comment/giz7h8t/`,
        author: `${WWW}/user/gentle_thunder/`,
        authorAnchor: 'gentle_thunder',
        time: '2021-01-09T00:12:30.000Z',
        links: [],
      },
    ]);
  });

  it("keeps a reply's author and links out of its parent comment", () => {
    const page = load('www-comments');
    const parent = page.document.querySelector('shreddit-comment[thingid="t1_giz5f6r"]') as Element;
    const post = redditAdapter.parsePost(parent, page.location);
    expect(post?.author?.anchor.closest('shreddit-comment')).toBe(parent);
    expect(post?.author?.anchor.closest('[slot="commentMeta"]')).not.toBeNull();
    expect(post?.links.map((link) => link.url)).toEqual([PARLER_ANDROID]);
  });

  it('anchors the post author in the credit bar', () => {
    const page = load('www-comments');
    const [post] = parseAll(redditAdapter, page);
    expect(post?.author?.anchor.closest('[slot="credit-bar"]')).not.toBeNull();
    expect(post?.author?.anchor.closest('faceplate-tracker')?.getAttribute('noun')).toBe('user_profile');
  });
});

describe('www.reddit.com profile page (www-profile.html)', () => {
  it('finds the header of the account in the URL', () => {
    const page = load('www-profile');
    const header = redditAdapter.findProfileHeader(page.document, page.location);
    expect(header?.account.url).toBe(`${WWW}/user/margolin_k/`);
    expect(header?.account.anchor.tagName).toBe('H1');
    expect(header?.account.anchor.textContent).toBe('margolin_k');
  });

  it("reads the user's posts", () => {
    const page = load('www-profile');
    const posts = parseAll(redditAdapter, page).map(summarize);
    expect(posts).toHaveLength(6);
    expect(new Set(posts.map((post) => post.author))).toEqual(new Set([`${WWW}/user/margolin_k/`]));
    expect(posts.flatMap((post) => post.links)).toEqual([
      'https://parler.com/',
      'https://chroniclingamerica.loc.gov/',
    ]);
  });
});

describe('old.reddit.com listing (old-listing.html)', () => {
  it('reads every link thing from its data attributes and tagline, skipping the promoted one', () => {
    const page = load('old-listing');
    const tech = `${OLD}/r/technology/comments`;
    expect(parseAll(redditAdapter, page).map(summarize)).toEqual([
      {
        permalink: `${tech}/kv0x4r/parler_goes_offline_after_amazon_pulls_hosting/`,
        author: `${OLD}/user/byte_sized_news`,
        authorAnchor: 'byte_sized_news',
        time: '2021-01-11T07:55:03.000Z',
        links: ['https://parler.com/'],
      },
      {
        permalink: `${tech}/kuu1d8/google_pulls_parler_from_the_play_store/`,
        author: `${OLD}/user/pixel_pusher_22`,
        authorAnchor: 'pixel_pusher_22',
        time: '2021-01-09T00:41:37.000Z',
        links: [PARLER_ANDROID],
      },
      {
        permalink: `${tech}/kuw2a9/apple_gives_parler_24_hours/`,
        author: `${OLD}/user/fruit_stand_frank`,
        authorAnchor: 'fruit_stand_frank',
        time: '2021-01-09T03:12:45.000Z',
        links: [PARLER_IOS],
      },
      {
        permalink: `${tech}/kx1b7m/what_happens_to_user_data_when_a_platform_dies/`,
        author: `${OLD}/user/margolin_k`,
        authorAnchor: 'margolin_k',
        time: '2021-01-12T15:30:00.000Z',
        links: ['https://parler.com/'],
      },
      {
        permalink: `${tech}/kx8c2p/signal_downloads_surge/`,
        author: `${OLD}/user/quietharbor`,
        authorAnchor: 'quietharbor',
        time: '2021-01-12T19:04:18.000Z',
        links: ['https://www.theverge.com/2021/1/12/signal-downloads-surge'],
      },
      {
        permalink: `${tech}/kt9d3s/twitter_account_suspended_screenshot_thread/`,
        author: `${OLD}/user/tessellate_mk`,
        authorAnchor: 'tessellate_mk',
        time: '2021-01-08T23:40:27.000Z',
        links: ['https://x.com/realDonaldTrump'],
      },
      {
        permalink: `${tech}/kyz0e1/raspberry_pi_pico_announced/`,
        author: `${OLD}/user/solder_and_sawdust`,
        authorAnchor: 'solder_and_sawdust',
        time: '2021-01-21T08:00:12.000Z',
        links: ['https://www.raspberrypi.com/news/raspberry-pi-pico-4-microcontroller/'],
      },
      {
        permalink: `${tech}/kz3f4g/weekly_tech_support_thread/`,
        author: `${OLD}/user/AutoModerator`,
        authorAnchor: 'AutoModerator',
        time: '2021-01-22T12:00:00.000Z',
        links: [],
      },
    ]);
  });

  it('anchors the destination at the title and the author in the tagline', () => {
    const page = load('old-listing');
    const [first] = parseAll(redditAdapter, page);
    expect(first?.links[0]?.anchor.matches('a.title')).toBe(true);
    expect(first?.author?.anchor.closest('p.tagline')).not.toBeNull();
    expect(first?.element.matches('div.thing.link')).toBe(true);
  });

  it('is not a profile page', () => {
    const page = load('old-listing');
    expect(redditAdapter.findProfileHeader(page.document, page.location)).toBeNull();
  });
});

describe('old.reddit.com comments page (old-comments.html)', () => {
  it("reads the post's self text links and every comment, each with only its own links", () => {
    const page = load('old-comments');
    const thread = `${OLD}/r/technology/comments/kx1b7m/what_happens_to_user_data_when_a_platform_dies`;
    expect(parseAll(redditAdapter, page).map(summarize)).toEqual([
      {
        permalink: `${thread}/`,
        author: `${OLD}/user/margolin_k`,
        authorAnchor: 'margolin_k',
        time: '2021-01-12T15:30:00.000Z',
        links: ['https://parler.com/', PARLER_IOS],
      },
      {
        permalink: `${thread}/gjd1k2a/`,
        author: `${OLD}/user/quietharbor`,
        authorAnchor: 'quietharbor',
        time: '2021-01-12T15:41:10.000Z',
        links: [],
      },
      {
        permalink: `${thread}/gjd2l3b/`,
        author: `${OLD}/user/margolin_k`,
        authorAnchor: 'margolin_k',
        time: '2021-01-12T15:50:33.000Z',
        links: [PARLER_ANDROID],
      },
      {
        permalink: `${thread}/gjd3m4c/`,
        author: `${OLD}/user/byte_sized_news`,
        authorAnchor: 'byte_sized_news',
        time: '2021-01-12T16:02:54.000Z',
        links: ['https://www.ftc.gov/business-guidance/privacy-security'],
      },
      { permalink: `${thread}/gjd4n5d/`, time: '2021-01-12T16:10:00.000Z', links: [] },
      {
        permalink: `${thread}/gjd5o6e/`,
        author: `${OLD}/user/tessellate_mk`,
        authorAnchor: 'tessellate_mk',
        time: '2021-01-12T16:25:42.000Z',
        links: ['https://www.snapchat.com/add/realdonaldtrump'],
      },
      {
        permalink: `${thread}/gjd6p7f/`,
        author: `${OLD}/user/solder_and_sawdust`,
        authorAnchor: 'solder_and_sawdust',
        time: '2021-01-12T17:01:19.000Z',
        links: [],
      },
    ]);
  });

  it('leaves links to reddit itself out', () => {
    const page = load('old-comments');
    const all = parseAll(redditAdapter, page).flatMap((post) => post.links.map((link) => link.url));
    expect(all.some((url) => new URL(url).hostname.endsWith('reddit.com'))).toBe(false);
  });
});
