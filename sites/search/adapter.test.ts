// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import {
  type LoadedFixture,
  labelsHit,
  loadFixture,
  parseAll,
  summarize,
  visibleText,
} from '../../tests/site-fixtures.ts';
import { searchAdapter } from './adapter.ts';

const PARLER = 'https://parler.com/';
const WIKIPEDIA = 'https://en.wikipedia.org/wiki/Parler';
const APP_STORE = 'https://apps.apple.com/us/app/parler/id1467880070';
const NYT = 'https://www.nytimes.com/2021/01/09/technology/apple-google-parler.html';

let open: LoadedFixture[] = [];
function load(name: string): LoadedFixture {
  const fixture = loadFixture('search', name);
  open.push(fixture);
  return fixture;
}
afterEach(async () => {
  await Promise.all(open.map((fixture) => fixture.close()));
  open = [];
});

describe('searchAdapter.matches', () => {
  it.each([
    'https://www.google.com/search?q=parler',
    'https://www.bing.com/search?q=parler&form=QBLH',
    'https://duckduckgo.com/?q=parler&ia=web',
    'https://html.duckduckgo.com/html/?q=parler',
    'https://html.duckduckgo.com/html/',
  ])('handles the result page %s', (url) => {
    expect(searchAdapter.matches(new URL(url), document)).toBe(true);
  });

  it.each([
    'https://www.google.com/',
    'https://www.google.com/maps/search/parler',
    'https://www.bing.com/',
    'https://duckduckgo.com/',
    'https://duckduckgo.com/settings',
    'https://www.google.com.evil.example/search?q=parler',
    'https://news.google.com/search?q=parler',
    'https://www.youtube.com/results?search_query=parler',
  ])('leaves %s alone', (url) => {
    expect(searchAdapter.matches(new URL(url), document)).toBe(false);
  });
});

/** Each result's destination and the title of the link its badge goes beside (Google's is the link's h3). */
function results(page: LoadedFixture) {
  return parseAll(searchAdapter, page).map((post) => {
    const anchor = post.links[0]?.anchor;
    return {
      links: summarize(post).links,
      title: visibleText(anchor?.querySelector('h3') ?? anchor ?? post.element).slice(0, 40),
    };
  });
}

describe('Google (google.html)', () => {
  it('reads every organic result as its destination, unwrapping /url?q=, anchored at its title link', () => {
    const page = load('google');
    expect(results(page)).toEqual([
      { links: [PARLER], title: 'Parler' },
      { links: [WIKIPEDIA], title: 'Parler - Wikipedia' },
      { links: [APP_STORE], title: 'Parler on the App Store' },
      { links: [NYT], title: 'Apple and Google Remove Parler From App ' },
    ]);
    for (const post of parseAll(searchAdapter, page)) {
      expect(post.links[0]?.anchor.matches('a[jsname="UWckNb"]')).toBe(true);
      expect(post.author).toBeUndefined();
      expect(post.permalink).toBeUndefined();
    }
  });

  it('ignores the ads above and below the results', () => {
    const page = load('google');
    const urls = parseAll(searchAdapter, page).flatMap((post) => summarize(post).links);
    expect(urls.some((url) => url.includes('/join'))).toBe(false);
    for (const ad of page.document.querySelectorAll('#tads a, #bottomads a')) {
      expect(ad.closest(searchAdapter.postSelector)).toBeNull();
    }
  });

  it('puts the seed feed\'s labels on parler.com ("Hosting terminated") and its App Store page', () => {
    expect(parseAll(searchAdapter, load('google')).map(labelsHit)).toEqual([
      ['parler-aws-terminated'],
      [],
      ['parler-app-store-suspended'],
      [],
    ]);
  });
});

describe('Bing (bing.html)', () => {
  it('reads every organic result, decoding the ck/a redirect, and skips the ad', () => {
    const page = load('bing');
    expect(results(page)).toEqual([
      { links: [PARLER], title: 'Parler' },
      { links: [WIKIPEDIA], title: 'Parler - Wikipedia' },
      { links: [APP_STORE], title: 'Parler on the App Store' },
      { links: [NYT], title: 'Apple and Google Remove Parler From App ' },
    ]);
    expect(page.document.querySelectorAll(searchAdapter.postSelector)).toHaveLength(4);
    expect(parseAll(searchAdapter, page).map(labelsHit)).toEqual([
      ['parler-aws-terminated'],
      [],
      ['parler-app-store-suspended'],
      [],
    ]);
  });
});

describe('DuckDuckGo (duckduckgo.html)', () => {
  it('reads every organic result and skips the ad that looks like one', () => {
    const page = load('duckduckgo');
    // The ad is an `article[data-testid="result"]` too, inside `li[data-layout="ad"]`.
    expect(page.document.querySelectorAll(searchAdapter.postSelector)).toHaveLength(5);
    expect(results(page)).toEqual([
      { links: [PARLER], title: 'Parler' },
      { links: [WIKIPEDIA], title: 'Parler - Wikipedia' },
      { links: [APP_STORE], title: 'Parler on the App Store' },
      { links: [NYT], title: 'Apple and Google Remove Parler From App ' },
    ]);
    expect(parseAll(searchAdapter, page).map(labelsHit)).toEqual([
      ['parler-aws-terminated'],
      [],
      ['parler-app-store-suspended'],
      [],
    ]);
  });
});

describe('DuckDuckGo without JavaScript (duckduckgo-html.html)', () => {
  it('reads every result through its /l/?uddg= redirect and skips the ad', () => {
    const page = load('duckduckgo-html');
    expect(page.document.querySelectorAll(searchAdapter.postSelector)).toHaveLength(4);
    expect(results(page)).toEqual([
      { links: [PARLER], title: 'Parler' },
      { links: [WIKIPEDIA], title: 'Parler - Wikipedia' },
      { links: [APP_STORE], title: 'Parler on the App Store' },
    ]);
    expect(parseAll(searchAdapter, page).map(labelsHit)).toEqual([
      ['parler-aws-terminated'],
      [],
      ['parler-app-store-suspended'],
    ]);
  });
});

describe('findProfileHeader', () => {
  it('finds none: a result page is no profile', () => {
    const page = load('google');
    expect(searchAdapter.findProfileHeader(page.document, page.location)).toBeNull();
  });
});
