// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  absoluteUrl,
  anchoredHref,
  collectLinks,
  findAnchor,
  hrefOf,
  isHostOn,
  isoTime,
  linksIn,
  offSiteLinks,
  ownElement,
  ownElements,
  sameHandle,
  textOf,
  timeOf,
  uniqueByUrl,
  unwrapRedirect,
} from './dom.ts';

function body(html: string): HTMLElement {
  const element = document.createElement('div');
  // Test-only markup; product code never parses HTML.
  element.innerHTML = html;
  return element;
}

describe('absoluteUrl', () => {
  it('resolves relative hrefs against the page', () => {
    expect(absoluteUrl('/r/news/comments/abc/x/', 'https://www.reddit.com/r/all/')).toBe(
      'https://www.reddit.com/r/news/comments/abc/x/',
    );
    expect(absoluteUrl('//old.reddit.com/user/a', 'https://www.reddit.com/')).toBe(
      'https://old.reddit.com/user/a',
    );
  });

  it('refuses non-http(s), empty and malformed hrefs', () => {
    expect(absoluteUrl('javascript:alert(1)', 'https://x.com/')).toBeUndefined();
    expect(absoluteUrl('mailto:a@b.c', 'https://x.com/')).toBeUndefined();
    expect(absoluteUrl('  ', 'https://x.com/')).toBeUndefined();
    expect(absoluteUrl(null, 'https://x.com/')).toBeUndefined();
    expect(absoluteUrl('http://[::1', 'https://x.com/')).toBeUndefined();
  });
});

describe('hrefOf / anchoredHref / findAnchor', () => {
  it('reads the href attribute and keeps the anchor element', () => {
    const root = body('<a class="a" href="/@alice">Alice</a><a class="b" href="https://ex.com/">ex</a>');
    const first = root.querySelector('.a');
    expect(hrefOf(first, 'https://mastodon.social/home')).toBe('https://mastodon.social/@alice');
    expect(anchoredHref(first, 'https://mastodon.social/')).toEqual({
      url: 'https://mastodon.social/@alice',
      anchor: first,
    });
    expect(anchoredHref(null, 'https://mastodon.social/')).toBeUndefined();
    const found = findAnchor(root, 'a', 'https://mastodon.social/', (url) => url.hostname === 'ex.com');
    expect(found?.anchor).toBe(root.querySelector('.b'));
  });
});

describe('isHostOn', () => {
  it('matches the domain and its subdomains only', () => {
    expect(isHostOn('www.facebook.com', 'facebook.com')).toBe(true);
    expect(isHostOn('facebook.com', 'facebook.com')).toBe(true);
    expect(isHostOn('notfacebook.com', 'facebook.com')).toBe(false);
    expect(isHostOn('facebook.com.evil.test', 'facebook.com')).toBe(false);
  });
});

describe('unwrapRedirect', () => {
  const facebook = { host: 'l.facebook.com', paths: ['/l.php'], params: ['u'] };
  it('returns the destination of a redirector link', () => {
    expect(
      unwrapRedirect(
        'https://l.facebook.com/l.php?u=https%3A%2F%2Fparler.com%2Fprofile%2Fx&h=AT0abc',
        facebook,
      ),
    ).toBe('https://parler.com/profile/x');
  });
  it('leaves other links and non-http destinations alone', () => {
    expect(unwrapRedirect('https://www.facebook.com/l.php?u=https%3A%2F%2Fa.com', facebook)).toBe(
      'https://www.facebook.com/l.php?u=https%3A%2F%2Fa.com',
    );
    expect(unwrapRedirect('https://l.facebook.com/l.php?u=javascript%3Aalert(1)', facebook)).toBe(
      'https://l.facebook.com/l.php?u=javascript%3Aalert(1)',
    );
    expect(unwrapRedirect('not a url', facebook)).toBe('not a url');
  });
});

describe('isoTime / timeOf', () => {
  it('answers a date already in toISOString form as Date would, rolling over only what Date rolls over', () => {
    const viaDate = (text: string): string | undefined => {
      const date = new Date(text);
      return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
    };
    for (const year of ['0000', '1900', '2000', '2023', '2024', '9999'])
      for (const month of ['00', '01', '02', '04', '12', '13'])
        for (const day of ['00', '01', '28', '29', '30', '31', '32'])
          for (const clock of [
            '00:00:00.000',
            '23:59:59.999',
            '24:00:00.000',
            '12:60:00.000',
            '12:00:60.000',
          ]) {
            const text = `${year}-${month}-${day}T${clock}Z`;
            expect(isoTime(text), text).toBe(viaDate(text));
          }
  });

  it('normalises the timestamp shapes sites use to ISO UTC', () => {
    expect(isoTime('2021-01-06T18:00:00Z')).toBe('2021-01-06T18:00:00.000Z');
    expect(isoTime('2024-03-05T14:22:31.123000+0000')).toBe('2024-03-05T14:22:31.123Z');
    expect(isoTime('2024-03-05T16:22:31+02:00')).toBe('2024-03-05T14:22:31.000Z');
    expect(isoTime('2024-03-05')).toBe('2024-03-05T00:00:00.000Z');
    expect(isoTime('1609956000')).toBe('2021-01-06T18:00:00.000Z');
    expect(isoTime(1609956000000)).toBe('2021-01-06T18:00:00.000Z');
  });
  it('refuses what is not a date', () => {
    expect(isoTime('3 hours ago')).toBeUndefined();
    expect(isoTime('2024-13-45T99:00:00Z')).toBeUndefined();
    expect(isoTime('')).toBeUndefined();
    expect(isoTime(undefined)).toBeUndefined();
  });
  it('reads a time element itself or the first inside an element', () => {
    const root = body('<span><time datetime="2022-11-19T12:00:00.000Z">Nov 19</time></span>');
    expect(timeOf(root)).toBe('2022-11-19T12:00:00.000Z');
    expect(timeOf(root.querySelector('time'))).toBe('2022-11-19T12:00:00.000Z');
    expect(timeOf(body('<time>yesterday</time>'))).toBeUndefined();
  });
});

describe('textOf', () => {
  it('collapses whitespace', () => {
    expect(textOf(body('  Donald J.\n   Trump  '))).toBe('Donald J. Trump');
    expect(textOf(null)).toBe('');
  });
});

describe('collectLinks', () => {
  it('resolves, unwraps, filters, de-duplicates and skips quoted parts', () => {
    const root = body(
      '<a href="https://l.facebook.com/l.php?u=https%3A%2F%2Fparler.com%2F">parler.com</a>' +
        '<a href="https://parler.com/">again</a>' +
        '<a href="/DonaldTrump">page</a>' +
        '<a href="javascript:void(0)">js</a>' +
        '<div class="quote"><a href="https://quoted.example/">q</a></div>',
    );
    const links = collectLinks(root, 'https://www.facebook.com/', {
      unwrap: (url) => unwrapRedirect(url, { host: 'l.facebook.com', paths: ['/l.php'], params: ['u'] }),
      keep: (url) => url.hostname !== 'www.facebook.com',
      skipInside: '.quote',
    });
    expect(links.map((link) => link.url)).toEqual(['https://parler.com/']);
    expect(links[0]?.anchor.textContent).toBe('parler.com');
  });
});

describe('ownElements / ownElement', () => {
  it("returns an item's own parts, not those of items nested in it", () => {
    const root = body(
      '<div class="c" id="outer"><b class="who">outer</b><div class="c" id="inner"><b class="who">inner</b></div></div>',
    );
    const outer = root.querySelector('#outer') as Element;
    const inner = root.querySelector('#inner') as Element;
    expect(ownElements(outer, '.who', '.c').map((element) => element.textContent)).toEqual(['outer']);
    expect(ownElement(inner, '.who', '.c')?.textContent).toBe('inner');
    expect(ownElement(outer, '.missing', '.c')).toBeUndefined();
  });
});

describe('linksIn / offSiteLinks / uniqueByUrl', () => {
  const root = body(
    '<a href="/@maya">Maya</a>' +
      '<a href="https://l.threads.com/?u=https%3A%2F%2Fparler.com%2F">parler.com</a>' +
      '<a href="javascript:void(0)">js</a>' +
      '<a href="https://l.threads.com/?u=https%3A%2F%2Fparler.com%2F">again</a>' +
      '<div class="quote"><a href="https://quoted.example/">q</a></div>',
  );
  const quote = root.querySelector('.quote') ?? undefined;
  const isSitePage = (url: URL) => url.hostname === 'www.threads.net';

  it('resolves every http(s) link in order, except those inside the skipped part', () => {
    expect(linksIn(root, 'https://www.threads.net/', quote).map((link) => link.url.href)).toEqual([
      'https://www.threads.net/@maya',
      'https://l.threads.com/?u=https%3A%2F%2Fparler.com%2F',
      'https://l.threads.com/?u=https%3A%2F%2Fparler.com%2F',
    ]);
    expect(linksIn(root, 'https://www.threads.net/').map((link) => link.url.hostname)).toContain(
      'quoted.example',
    );
  });

  it('keeps the links that leave the site, each URL once, anchored at its first element', () => {
    const links = offSiteLinks(linksIn(root, 'https://www.threads.net/', quote), isSitePage);
    expect(links.map((link) => link.url)).toEqual(['https://l.threads.com/?u=https%3A%2F%2Fparler.com%2F']);
    expect(links[0]?.anchor.textContent).toBe('parler.com');
  });

  it('de-duplicates anchored links by URL, first anchor winning', () => {
    const [first, second] = [...root.querySelectorAll('a')];
    if (!first || !second) throw new Error('the markup has two links');
    const unique = uniqueByUrl([
      { url: 'https://parler.com/', anchor: first },
      { url: 'https://parler.com/', anchor: second },
    ]);
    expect(unique).toEqual([{ url: 'https://parler.com/', anchor: first }]);
  });
});

describe('sameHandle', () => {
  it('matches user names from URL paths ignoring case and percent-escapes, never a missing one', () => {
    expect(sameHandle('RealDonaldTrump', 'realdonaldtrump')).toBe(true);
    expect(sameHandle('caf%C3%A9.bsky.social', 'café.bsky.social')).toBe(true);
    expect(sameHandle('maya', 'mayachen')).toBe(false);
    expect(sameHandle(undefined, 'maya')).toBe(false);
    expect(sameHandle(undefined, undefined)).toBe(false);
  });
});
