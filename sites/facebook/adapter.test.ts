// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { type LoadedFixture, loadFixture, parseAll, summarize } from '../../tests/site-fixtures.ts';
import { facebookAdapter } from './adapter.ts';

const FB = 'https://www.facebook.com';
const DT = `${FB}/DonaldTrump`;
const PARLER_IOS = 'https://apps.apple.com/us/app/parler/id1467880070';

let open: LoadedFixture[] = [];
function load(name: string): LoadedFixture {
  const fixture = loadFixture('facebook', name);
  open.push(fixture);
  return fixture;
}
afterEach(async () => {
  await Promise.all(open.map((fixture) => fixture.close()));
  open = [];
});

describe('facebookAdapter.matches', () => {
  it.each([`${FB}/`, DT, 'https://m.facebook.com/DonaldTrump', 'https://web.facebook.com/groups/123/'])(
    'handles %s',
    (url) => {
      expect(facebookAdapter.matches(new URL(url), document)).toBe(true);
    },
  );
  it.each(['https://www.instagram.com/', 'https://notfacebook.com/', 'https://facebook.com.example.org/'])(
    'leaves %s alone',
    (url) => {
      expect(facebookAdapter.matches(new URL(url), document)).toBe(false);
    },
  );
});

describe('home feed (feed.html)', () => {
  it('reads every post and comment, without tracking parameters and with unwrapped links', () => {
    const page = load('feed');
    expect(parseAll(facebookAdapter, page).map(summarize)).toEqual([
      {
        permalink: `${DT}/posts/10165751207190725`,
        author: DT,
        authorAnchor: 'Donald J. Trump',
        links: [],
      },
      {
        permalink: `${FB}/maria.delgado.5291/posts/pfbid02kXv8Qm3n5ZtR7bW1cY9dF4gH6jK8lM0pN2qS4uV6wX`,
        author: `${FB}/maria.delgado.5291`,
        authorAnchor: 'Maria Delgado',
        links: ['https://parler.com/'],
      },
      {
        permalink: `${FB}/maria.delgado.5291/posts/pfbid02kXv8Qm3n5ZtR7bW1cY9dF4gH6jK8lM0pN2qS4uV6wX?comment_id=421987345612309`,
        author: `${FB}/tom.reyes.31`,
        authorAnchor: 'Tom Reyes',
        links: [],
      },
      {
        permalink: `${DT}/posts/10165745938475725`,
        author: DT,
        authorAnchor: 'Donald J. Trump',
        links: [PARLER_IOS],
      },
      {
        permalink: `${FB}/RiversideCommunityGarden/posts/3851029471622098`,
        author: `${FB}/RiversideCommunityGarden`,
        authorAnchor: 'Riverside Community Garden',
        links: [],
      },
      {
        permalink: `${FB}/permalink.php?story_fbid=2784019385021346&id=100004827319455`,
        author: `${FB}/profile.php?id=100004827319455`,
        authorAnchor: 'Dev Patel',
        links: ['https://play.google.com/store/apps/details?id=com.parler.parler'],
      },
      {
        permalink: `${DT}/posts/10165739801245725`,
        author: DT,
        authorAnchor: 'Donald J. Trump',
        links: ['https://www.snapchat.com/add/realdonaldtrump'],
      },
      {
        permalink: `${DT}/posts/10165739801245725?comment_id=1092837465019283`,
        author: `${FB}/jenna.walsh.77`,
        authorAnchor: 'Jenna Walsh',
        links: ['https://x.com/realDonaldTrump'],
      },
      {
        permalink: `${FB}/Local12News/posts/4019283746501928`,
        author: `${FB}/Local12News`,
        authorAnchor: 'Local 12 News',
        links: ['https://apnews.com/article/amazon-parler-web-hosting'],
      },
    ]);
  });

  it('skips the sponsored post', () => {
    const page = load('feed');
    const ad = page.document.querySelector('[aria-posinset="5"]') as Element;
    expect(ad.matches(facebookAdapter.postSelector)).toBe(true);
    expect(facebookAdapter.parsePost(ad, page.location)).toBeNull();
  });

  it('anchors the author in the post heading and links at the wrapped links on the page', () => {
    const page = load('feed');
    const posts = parseAll(facebookAdapter, page);
    const apps = posts[3];
    expect(apps?.element.getAttribute('aria-posinset')).toBe('3');
    expect(apps?.author?.anchor.closest('[data-ad-rendering-role="profile_name"]')).not.toBeNull();
    expect(apps?.links[0]?.anchor.getAttribute('href')).toMatch(/^https:\/\/l\.facebook\.com\/l\.php\?u=/);
    expect(apps?.links[0]?.anchor.closest('[data-ad-rendering-role="story_message"]')).not.toBeNull();
  });

  it("keeps a comment's author and links out of the post it is under", () => {
    const page = load('feed');
    const post = facebookAdapter.parsePost(
      page.document.querySelector('[aria-posinset="7"]') as Element,
      page.location,
    );
    expect(post?.links.map((link) => link.url)).toEqual(['https://www.snapchat.com/add/realdonaldtrump']);
    const comment = page.document.querySelector('[aria-posinset="7"] [role="article"]') as Element;
    expect(comment.matches(facebookAdapter.postSelector)).toBe(true);
    expect(facebookAdapter.parsePost(comment, page.location)?.element).toBe(comment);
  });

  it('reads a feed unit the same when its content sits in an unlabelled role="article" wrapper', () => {
    const page = load('feed');
    const unit = page.document.querySelector('[aria-posinset="3"]') as Element;
    const parsed = facebookAdapter.parsePost(unit, page.location);
    expect(parsed?.author?.url).toBe(DT);
    const before = parsed && summarize(parsed);
    const wrapper = page.document.createElement('div');
    wrapper.setAttribute('role', 'article');
    wrapper.append(...unit.childNodes);
    unit.append(wrapper);
    expect(wrapper.matches(facebookAdapter.postSelector)).toBe(true);
    expect(facebookAdapter.parsePost(wrapper, page.location)).toBeNull();
    const after = facebookAdapter.parsePost(unit, page.location);
    expect(after && summarize(after)).toEqual(before);
  });

  it('is not a profile page', () => {
    const page = load('feed');
    expect(facebookAdapter.findProfileHeader(page.document, page.location)).toBeNull();
  });
});

describe('Page (page.html: facebook.com/DonaldTrump)', () => {
  it('finds the Page header', () => {
    const page = load('page');
    const header = facebookAdapter.findProfileHeader(page.document, page.location);
    expect(header?.account.url).toBe(DT);
    expect(header?.account.anchor.tagName).toBe('H1');
    expect(header?.account.anchor.textContent).toBe('Donald J. Trump');
  });

  it("reads the Page's posts, videos included", () => {
    const page = load('page');
    expect(parseAll(facebookAdapter, page).map(summarize)).toEqual([
      { permalink: `${DT}/posts/10165751207190725`, author: DT, authorAnchor: 'Donald J. Trump', links: [] },
      {
        permalink: `${DT}/posts/10165745938475725`,
        author: DT,
        authorAnchor: 'Donald J. Trump',
        links: [PARLER_IOS],
      },
      {
        permalink: `${DT}/posts/10165739801245725`,
        author: DT,
        authorAnchor: 'Donald J. Trump',
        links: ['https://www.snapchat.com/add/realdonaldtrump'],
      },
      { permalink: `${DT}/videos/422895162295937`, author: DT, authorAnchor: 'Donald J. Trump', links: [] },
      {
        permalink: `${DT}/posts/10165731250185725`,
        author: DT,
        authorAnchor: 'Donald J. Trump',
        links: ['https://parler.com/realdonaldtrump'],
      },
      { permalink: `${DT}/posts/10165722419060725`, author: DT, authorAnchor: 'Donald J. Trump', links: [] },
    ]);
  });

  it('recognises profile.php profiles and not post pages', () => {
    const page = load('page');
    expect(
      facebookAdapter.findProfileHeader(
        page.document,
        new URL(`${FB}/profile.php?id=100004827319455&sk=about`),
      )?.account.url,
    ).toBe(`${FB}/profile.php?id=100004827319455`);
    expect(
      facebookAdapter.findProfileHeader(page.document, new URL(`${DT}/posts/10165751207190725`)),
    ).toBeNull();
  });
});
