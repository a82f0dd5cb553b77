// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { type LoadedFixture, loadFixture, parseAll, summarize } from '../../tests/site-fixtures.ts';
import { instagramAdapter } from './adapter.ts';

const IG = 'https://www.instagram.com';
const DT = `${IG}/realdonaldtrump/`;

let open: LoadedFixture[] = [];
function load(name: string): LoadedFixture {
  const fixture = loadFixture('instagram', name);
  open.push(fixture);
  return fixture;
}
afterEach(async () => {
  await Promise.all(open.map((fixture) => fixture.close()));
  open = [];
});

describe('instagramAdapter.matches', () => {
  it.each([`${IG}/`, DT, 'https://instagram.com/p/CJqT3v0lW8M/'])('handles %s', (url) => {
    expect(instagramAdapter.matches(new URL(url), document)).toBe(true);
  });
  it.each([
    'https://www.threads.net/@realdonaldtrump',
    'https://www.facebook.com/',
    'https://instagram.com.example.org/',
  ])('leaves %s alone', (url) => {
    expect(instagramAdapter.matches(new URL(url), document)).toBe(false);
  });
});

describe('home feed (home.html)', () => {
  it('reads every post with its author, permalink and time', () => {
    const page = load('home');
    expect(parseAll(instagramAdapter, page).map(summarize)).toEqual([
      {
        permalink: `${IG}/p/CJqT3v0lW8M/`,
        author: DT,
        authorAnchor: 'realdonaldtrump',
        time: '2021-01-06T21:19:55.000Z',
        links: [],
      },
      {
        permalink: `${IG}/p/CJo8xNrM2aK/`,
        author: `${IG}/natgeo/`,
        authorAnchor: 'natgeo',
        time: '2021-01-06T10:02:11.000Z',
        links: [],
      },
      {
        permalink: `${IG}/p/CJm1QzYlA4e/`,
        author: DT,
        authorAnchor: 'realdonaldtrump',
        time: '2021-01-05T18:40:02.000Z',
        links: [],
      },
      {
        permalink: `${IG}/p/CJlZ7pTn3Qd/`,
        author: `${IG}/chef.lucia.r/`,
        authorAnchor: 'chef.lucia.r',
        time: '2021-01-05T12:15:30.000Z',
        links: [],
      },
      {
        permalink: `${IG}/reel/CJkY2rLnE9f/`,
        author: `${IG}/dcwatcher/`,
        authorAnchor: 'dcwatcher',
        time: '2021-01-04T22:08:47.000Z',
        links: [],
      },
      {
        permalink: `${IG}/p/CJfK8sWl0Pb/`,
        author: DT,
        authorAnchor: 'realdonaldtrump',
        time: '2021-01-02T16:30:00.000Z',
        links: [],
      },
      {
        permalink: `${IG}/p/CJeD4uVnR1s/`,
        author: `${IG}/trailrunner.jo/`,
        authorAnchor: 'trailrunner.jo',
        time: '2021-01-02T08:55:19.000Z',
        links: [],
      },
    ]);
  });

  it('anchors the author at the name in the header, not the avatar or the caption', () => {
    const page = load('home');
    const [first] = parseAll(instagramAdapter, page);
    expect(first?.element.tagName).toBe('ARTICLE');
    expect(first?.author?.anchor.closest('header')).not.toBeNull();
    expect(first?.author?.anchor.querySelector('img')).toBeNull();
  });

  it('does not treat a mention or a hashtag as an outbound link', () => {
    const page = load('home');
    const reel = parseAll(instagramAdapter, page)[4];
    expect(reel?.element.querySelector('a[href="/realdonaldtrump/"]')).not.toBeNull();
    expect(reel?.links).toEqual([]);
  });

  it('unwraps a link Instagram wraps in l.instagram.com', () => {
    const page = load('home');
    const caption = page.document.querySelector('article .caption') as Element;
    const link = page.document.createElement('a');
    link.setAttribute('href', 'https://l.instagram.com/?u=https%3A%2F%2Fparler.com%2Frealdonaldtrump&e=AT1');
    link.textContent = 'parler.com/realdonaldtrump';
    caption.append(link);
    const post = instagramAdapter.parsePost(caption.closest('article') as Element, page.location);
    expect(post?.links.map((found) => found.url)).toEqual(['https://parler.com/realdonaldtrump']);
    expect(post?.links[0]?.anchor).toBe(link);
  });

  it('is not a profile page', () => {
    const page = load('home');
    expect(instagramAdapter.findProfileHeader(page.document, page.location)).toBeNull();
  });
});

describe('profile page (profile.html)', () => {
  it('finds the header of the account in the URL', () => {
    const page = load('profile');
    const header = instagramAdapter.findProfileHeader(page.document, page.location);
    expect(header?.account.url).toBe(DT);
    expect(header?.account.anchor.tagName).toBe('H2');
    expect(header?.account.anchor.textContent).toBe('realdonaldtrump');
    expect(header?.element.tagName).toBe('HEADER');
  });

  it('also on the reels tab, but not on a post page', () => {
    const page = load('profile');
    expect(instagramAdapter.findProfileHeader(page.document, new URL(`${DT}reels/`))?.account.url).toBe(DT);
    expect(instagramAdapter.findProfileHeader(page.document, new URL(`${IG}/p/CJqT3v0lW8M/`))).toBeNull();
  });

  it('has no posts (the grid is not read)', () => {
    const page = load('profile');
    expect(parseAll(instagramAdapter, page)).toEqual([]);
  });
});
