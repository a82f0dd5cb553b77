// Target normalisation, in the spirit of github-url-detection: a table of real-looking URLs per site (each
// site folder's examples.ts), each with the key it must give, then every URL checked against every kind, then properties over random input.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neither, type UrlExample } from '../sites/url-examples.ts';
import { SITE_EXAMPLES } from '../tests/site-examples.ts';
import {
  accountKeys,
  isWrapperUrl,
  labelKey,
  linkLookupKeys,
  normalizeServer,
  normalizeTarget,
  postKeys,
  serverKeys,
  unwrapLink,
} from './targets';
import type { TargetKind } from './types';

type Row = UrlExample;

/** Each site folder's table (sites/<id>/examples.ts), and URLs of no site. */
const SITES: Record<string, Row[]> = {
  ...SITE_EXAMPLES,
  // A URL of the form https://host/@user is read as a fediverse account on any host not listed above.
  'other sites': neither(
    'https://parler.com/',
    'https://news.parler.com/article/123',
    'https://apps.apple.com/us/app/parler/id1467880070',
    'https://example.com/users',
    'https://en.wikipedia.org/wiki/Parler',
  ),
};

const ALL_ROWS = Object.values(SITES).flat();

describe('site tables', () => {
  for (const [site, rows] of Object.entries(SITES)) {
    describe(site, () => {
      it.each(rows)('$url', (row) => {
        // The account's own key first; a fediverse account is also looked up by its server's keys.
        const [own, ...more] = accountKeys(row.url);
        expect(own).toEqual(row.account);
        expect(more).toEqual(
          row.account?.startsWith('account:fedi:') ? serverKeys(row.account.split('@')[1] ?? '') : [],
        );
        expect(postKeys(row.url)).toEqual(row.post ? [row.post] : []);
      });
    });
  }
});

describe('every URL against every kind', () => {
  it.each(ALL_ROWS)('$url', (row) => {
    const asAccount = normalizeTarget('account', row.url);
    const asPost = normalizeTarget('post', row.url);
    expect(asAccount).toEqual(
      row.account ? { ok: true, key: row.account } : { ok: false, message: expect.any(String) },
    );
    expect(asPost).toEqual(
      row.post ? { ok: true, key: row.post } : { ok: false, message: expect.any(String) },
    );
    // Any http(s) page may be labelled as a link, and a link to a profile or post also shows that label.
    const asLink = normalizeTarget('link', row.url);
    expect(asLink.ok && asLink.key.startsWith('link:url:')).toBe(true);
    const lookup = linkLookupKeys(row.url);
    expect(lookup).toContain(asLink.ok ? asLink.key : '');
    for (const key of [row.account, row.post]) if (key) expect(lookup).toContain(key);
    const siteKeys = lookup.filter((key) => !key.startsWith('link:') && !key.startsWith('server:fedi:'));
    expect(siteKeys).toEqual([row.account, row.post].filter(Boolean));
  });

  it('keeps keys of different sites apart even for the same name', () => {
    const keys = [
      'https://x.com/nasa',
      'https://www.instagram.com/nasa/',
      'https://www.threads.net/@nasa',
      'https://www.facebook.com/nasa',
      'https://www.youtube.com/@nasa',
      'https://www.reddit.com/user/nasa',
      'https://www.reddit.com/r/nasa',
      'https://bsky.app/profile/nasa.gov',
      'https://mastodon.social/@nasa',
      'https://truthsocial.com/@nasa',
    ].map((url) => accountKeys(url)[0]);
    expect(keys.every(Boolean)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

const CURATOR_FORMS: [TargetKind, string, string][] = [
  ['account', '@Gargron@mastodon.social', 'account:fedi:gargron@mastodon.social'],
  ['account', 'Gargron@Mastodon.Social', 'account:fedi:gargron@mastodon.social'],
  ['account', '@realDonaldTrump@truthsocial.com', 'account:fedi:realdonaldtrump@truthsocial.com'],
  ['account', '  https://x.com/jack  ', 'account:x:jack'],
  ['account', 'x.com/jack', 'account:x:jack'],
  ['account', 'did:plc:z72i7hdynmk6r22z27h6tvur', 'account:bsky:did:plc:z72i7hdynmk6r22z27h6tvur'],
  ['account', 'at://did:plc:z72i7hdynmk6r22z27h6tvur', 'account:bsky:did:plc:z72i7hdynmk6r22z27h6tvur'],
  ['account', 'at://Alice.bsky.social', 'account:bsky:alice.bsky.social'],
  [
    'post',
    'at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l',
    'post:bsky:did:plc:z72i7hdynmk6r22z27h6tvur/3l6oveex3ii2l',
  ],
  ['post', 'twitter.com/jack/status/20', 'post:x:20'],
  ['link', 'parler.com', 'link:domain:parler.com'],
  ['link', 'Parler.COM', 'link:domain:parler.com'],
  ['link', 'parler.com/', 'link:domain:parler.com'],
  ['link', 'www.parler.com', 'link:domain:parler.com'],
  ['link', 'news.parler.com', 'link:domain:news.parler.com'],
  ['link', 'someone.blogspot.com', 'link:domain:someone.blogspot.com'],
  ['link', 'www.com', 'link:domain:www.com'],
  ['link', 'bücher.de', 'link:domain:xn--bcher-kva.de'],
  ['link', '203.0.113.7', 'link:domain:203.0.113.7'],
  [
    'link',
    'https://apps.apple.com/us/app/parler/id1467880070',
    'link:url:apps.apple.com/us/app/parler/id1467880070',
  ],
  ['link', 'apps.apple.com/us/app/parler/id1467880070', 'link:url:apps.apple.com/us/app/parler/id1467880070'],
  ['link', 'https://parler.com/', 'link:url:parler.com'],
];

describe('curator forms that are not page URLs', () => {
  it.each(CURATOR_FORMS)('%s %s → %s', (kind, input, key) => {
    expect(normalizeTarget(kind, input)).toEqual({ ok: true, key });
  });
});

describe('link URL keys', () => {
  it.each([
    [
      'https://apps.apple.com/us/app/parler/id1467880070',
      'link:url:apps.apple.com/us/app/parler/id1467880070',
    ],
    [
      'HTTP://WWW.Apps.Apple.COM/us/app/parler/id1467880070/',
      'link:url:apps.apple.com/us/app/parler/id1467880070',
    ],
    ['https://example.com/a?utm_source=tw&utm_medium=social&b=2&a=1', 'link:url:example.com/a?a=1&b=2'],
    [
      'https://example.com/a?fbclid=IwAR0&gclid=x&igshid=y&si=z&ref_src=twsrc&a=1',
      'link:url:example.com/a?a=1',
    ],
    ['https://example.com/a#section-2', 'link:url:example.com/a'],
    ['https://example.com/A/B', 'link:url:example.com/A/B'],
    ['https://example.com/%7euser/%c3%a9', 'link:url:example.com/~user/%C3%A9'],
    ['https://example.com:8443/x', 'link:url:example.com:8443/x'],
    ['https://example.com:443/x', 'link:url:example.com/x'],
    ['https://user:secret@example.com/x', 'link:url:example.com/x'],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s', 'link:url:youtube.com/watch?t=42s&v=dQw4w9WgXcQ'],
    ['https://example.com/search?q=a%20b', 'link:url:example.com/search?q=a+b'],
  ])('%s → %s', (url, key) => {
    expect(normalizeTarget('link', url)).toEqual({ ok: true, key });
    expect(linkLookupKeys(url)[0]).toBe(key);
  });
});

describe('link lookup keys', () => {
  it('matches a bare-domain label from any page of that domain or its subdomains', () => {
    expect(linkLookupKeys('https://news.parler.com/x')).toEqual([
      'link:url:news.parler.com/x',
      'link:domain:news.parler.com',
      'link:domain:parler.com',
      'server:fedi:news.parler.com',
      'server:fedi:parler.com',
    ]);
    expect(linkLookupKeys('https://a.b.parler.com/')).toEqual([
      'link:url:a.b.parler.com',
      'link:domain:a.b.parler.com',
      'link:domain:b.parler.com',
      'link:domain:parler.com',
      'server:fedi:a.b.parler.com',
      'server:fedi:b.parler.com',
      'server:fedi:parler.com',
    ]);
  });

  it('does not let a subdomain label match the parent domain', () => {
    expect(linkLookupKeys('https://parler.com/x')).not.toContain('link:domain:news.parler.com');
  });

  it('stops at the registrable domain from the Public Suffix List', () => {
    expect(linkLookupKeys('https://www.bbc.co.uk/news')).toEqual([
      'link:url:bbc.co.uk/news',
      'link:domain:bbc.co.uk',
      'server:fedi:bbc.co.uk',
    ]);
    expect(linkLookupKeys('https://someone.blogspot.com/2020/post.html')).toEqual([
      'link:url:someone.blogspot.com/2020/post.html',
      'link:domain:someone.blogspot.com',
      'server:fedi:someone.blogspot.com',
    ]);
    expect(linkLookupKeys('http://203.0.113.7/x')).toEqual([
      'link:url:203.0.113.7/x',
      'link:domain:203.0.113.7',
      'server:fedi:203.0.113.7',
    ]);
  });

  it('punycodes international domain names', () => {
    expect(linkLookupKeys('https://bücher.de/katalog')).toEqual([
      'link:url:xn--bcher-kva.de/katalog',
      'link:domain:xn--bcher-kva.de',
      'server:fedi:xn--bcher-kva.de',
    ]);
  });

  it('adds the account or post key when a link points at a profile or post', () => {
    expect(linkLookupKeys('https://x.com/realDonaldTrump')).toContain('account:x:realdonaldtrump');
    expect(linkLookupKeys('https://youtu.be/dQw4w9WgXcQ')).toContain('post:youtube:dQw4w9WgXcQ');
    expect(linkLookupKeys('https://truthsocial.com/@realDonaldTrump')).toContain(
      'account:fedi:realdonaldtrump@truthsocial.com',
    );
  });

  it('gives nothing for links that are not http(s)', () => {
    for (const url of [
      'mailto:a@b.c',
      'javascript:alert(1)',
      'ftp://example.com/x',
      'data:text/html,hi',
      '/relative',
      '',
    ]) {
      expect(linkLookupKeys(url)).toEqual([]);
    }
  });
});

describe('link wrappers', () => {
  it.each([
    [
      'https://l.facebook.com/l.php?u=https%3A%2F%2Fnews.parler.com%2Fx%3Fa%3D1&h=AT0',
      'https://news.parler.com/x?a=1',
    ],
    ['https://lm.facebook.com/l.php?u=https%3A%2F%2Fparler.com%2F', 'https://parler.com/'],
    ['https://www.facebook.com/l.php?u=https%3A%2F%2Fparler.com%2F', 'https://parler.com/'],
    ['https://l.messenger.com/l.php?u=https%3A%2F%2Fparler.com%2F', 'https://parler.com/'],
    ['https://l.instagram.com/?u=https%3A%2F%2Fparler.com%2Fx&e=AT1', 'https://parler.com/x'],
    ['https://l.threads.net/?u=https%3A%2F%2Fparler.com%2Fx', 'https://parler.com/x'],
    ['https://l.threads.com/?u=https%3A%2F%2Fparler.com%2Fx', 'https://parler.com/x'],
    [
      'https://www.youtube.com/redirect?event=video_description&q=https%3A%2F%2Fparler.com%2Fx',
      'https://parler.com/x',
    ],
    ['https://m.youtube.com/redirect?q=https://parler.com/x', 'https://parler.com/x'],
    ['https://out.reddit.com/t3_1abc2de?url=https%3A%2F%2Fparler.com%2Fx&token=abc', 'https://parler.com/x'],
    ['https://go.bsky.app/redirect?u=https%3A%2F%2Fparler.com%2Fx', 'https://parler.com/x'],
    ['https://href.li/?https://parler.com/x', 'https://parler.com/x'],
    ['https://www.google.com/url?q=https://parler.com/x&sa=D', 'https://parler.com/x'],
    ['https://www.google.co.uk/url?url=https://parler.com/x', 'https://parler.com/x'],
    [
      'https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.youtube.com%2Fredirect%3Fq%3Dhttps%253A%252F%252Fparler.com%252Fx',
      'https://parler.com/x',
    ],
  ])('%s → %s', (wrapper, destination) => {
    expect(isWrapperUrl(wrapper)).toBe(true);
    expect(unwrapLink(wrapper)).toBe(destination);
    expect(linkLookupKeys(wrapper)).toEqual(linkLookupKeys(destination));
    expect(linkLookupKeys(wrapper)).not.toContain('link:domain:facebook.com');
    const asTarget = normalizeTarget('link', wrapper);
    expect(asTarget.ok).toBe(false);
    expect(asTarget.ok ? '' : asTarget.message).toContain('is a link wrapper, not a target');
  });

  it.each([
    'https://t.co/abc123XYZ',
    'https://t.co/',
    'https://l.facebook.com/l.php',
    'https://l.instagram.com/?u=javascript%3Aalert(1)',
    'https://www.youtube.com/redirect?q=mailto:a@b.c',
    'https://out.reddit.com/t3_1abc2de',
    'https://href.li/?',
  ])('%s is a wrapper that gives no key at all', (wrapper) => {
    expect(isWrapperUrl(wrapper)).toBe(true);
    expect(unwrapLink(wrapper)).toBeNull();
    expect(linkLookupKeys(wrapper)).toEqual([]);
    expect(accountKeys(wrapper)).toEqual([]);
    expect(postKeys(wrapper)).toEqual([]);
    for (const kind of ['account', 'post', 'link'] as const)
      expect(normalizeTarget(kind, wrapper).ok).toBe(false);
  });

  it('says t.co is a wrapper and not a target', () => {
    expect(normalizeTarget('link', 'https://t.co/abc')).toEqual({
      ok: false,
      message: '"https://t.co/abc" is a link wrapper, not a target',
    });
    expect(normalizeTarget('link', 't.co')).toEqual({
      ok: false,
      message: '"t.co" is a link wrapper, not a target',
    });
  });

  it('names the destination when a curator pastes a wrapper that carries one', () => {
    expect(normalizeTarget('link', 'https://l.facebook.com/l.php?u=https%3A%2F%2Fparler.com%2F')).toEqual({
      ok: false,
      message:
        '"https://l.facebook.com/l.php?u=https%3A%2F%2Fparler.com%2F" is a link wrapper, not a target; use where it points: "https://parler.com/"',
    });
  });

  it.each([
    'https://go.bsky.app/AbCdEf',
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    'https://reddit.com/r/news',
    'https://www.google.com/search?q=x',
    'https://bit.ly/3abc',
  ])('%s is not a wrapper', (url) => {
    expect(isWrapperUrl(url)).toBe(false);
    expect(unwrapLink(url)).toBe(new URL(url).href);
  });
});

describe('messages curators see', () => {
  it.each<[TargetKind, string, string]>([
    ['account', 'https://x.com/home', '"https://x.com/home" is not an account URL'],
    [
      'account',
      'https://x.com/jack/status/20',
      '"https://x.com/jack/status/20" is a post URL, not an account URL',
    ],
    ['post', 'https://x.com/jack', '"https://x.com/jack" is an account URL, not a post URL'],
    ['post', 'https://parler.com/', '"https://parler.com/" is not a post URL'],
    ['account', 'realDonaldTrump', '"realDonaldTrump" is not an account URL'],
    ['account', '@someone@not a host', '"@someone@not a host" is not a valid URL'],
    ['account', '@someone@not_a_host', '"@someone@not_a_host" is not a valid user@host address'],
    ['account', 'at://did:plc:abc/app.bsky.feed.post/3k', 'is not a valid Bluesky DID or handle'],
    ['account', 'ftp://x.com/jack', '"ftp://x.com/jack": only http(s) URLs are allowed'],
    ['link', 'javascript:alert(1)', '"javascript:alert(1)": only http(s) URLs are allowed'],
    ['link', 'blogspot.com', '"blogspot.com" is a public suffix shared by many sites; label a site under it'],
    ['link', 'parler', '"parler" is not a domain or URL'],
    ['link', '   ', 'the target is empty'],
    ['account', 'did:plc:', '"did:plc:" is not a valid Bluesky DID or handle'],
    [
      'post',
      'at://did:plc:abc/app.bsky.feed.post/',
      '"at://did:plc:abc/app.bsky.feed.post/" is not a Bluesky post URI',
    ],
  ])('%s %j', (kind, input, message) => {
    const result = normalizeTarget(kind, input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(message);
  });

  it('shortens a very long target in its message', () => {
    const result = normalizeTarget('account', `https://example.com/${'a'.repeat(5000)}`);
    expect(result.ok ? '' : result.message.length).toBeLessThan(200);
  });

  it('gives no keys for a URL whose host is only dots (found by the key-shape property)', () => {
    const input = 'https:.//www.youtube.com/watch?v=DQW4W9WGXCQ';
    expect([...accountKeys(input), ...postKeys(input), ...linkLookupKeys(input)]).toEqual([]);
    expect(normalizeTarget('link', input).ok).toBe(false);
  });

  it('refuses an unknown kind instead of throwing', () => {
    expect(normalizeTarget('page' as TargetKind, 'https://x.com/jack')).toEqual({
      ok: false,
      message: '"page" is not a target kind (account, post or link)',
    });
  });
});

describe('docs/targets.md', () => {
  it('shows only keys that the tables above prove', () => {
    const docs = readFileSync(new URL('../docs/targets.md', import.meta.url), 'utf8');
    const documented = [...docs.matchAll(/`((?:account|post|link|server):[a-z]+:[^`\s]+)`/g)].map(
      (match) => match[1],
    );
    const proven = new Set(
      [...ALL_ROWS.map((row) => row.url), ...CURATOR_FORMS.map(([, input]) => input)].flatMap((input) => [
        ...linkLookupKeys(input),
        ...(['account', 'post', 'link'] as const).map((kind) => {
          const result = normalizeTarget(kind, input);
          return result.ok ? result.key : '';
        }),
      ]),
    );
    // The server section's examples (docs/targets.md "Servers"), proven by the server tests below.
    for (const input of [
      'https://blocked.example/@someone',
      'https://mastodon.social/@someone@social.blocked.example',
      'https://bsky.app/profile/someone.blocked.example.ap.brid.gy',
      'https://media.blocked.example/files/a.png',
    ]) {
      for (const key of [...accountKeys(input), ...linkLookupKeys(input)]) proven.add(key);
    }
    const server = normalizeServer('blocked.example');
    if (server.ok) proven.add(server.key);
    expect(documented.length).toBeGreaterThan(20);
    expect(documented.filter((key) => !proven.has(key ?? ''))).toEqual([]);
  });
});

describe('properties', () => {
  const kinds = fc.constantFrom<TargetKind>('account', 'post', 'link');
  const anyInput = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc
      .constantFrom(...ALL_ROWS.map((row) => row.url))
      .chain((url) =>
        fc
          .tuple(fc.nat(url.length), fc.string())
          .map(([at, junk]) => url.slice(0, at) + junk + url.slice(at)),
      ),
  );

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(kinds, anyInput, (kind, input) => {
        const result = normalizeTarget(kind, input);
        expect(typeof result.ok).toBe('boolean');
        for (const fn of [accountKeys, postKeys, linkLookupKeys]) expect(Array.isArray(fn(input))).toBe(true);
        expect(typeof isWrapperUrl(input)).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('gives keys of the form <kind>:<site>:<id>', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        for (const key of [...accountKeys(input), ...postKeys(input), ...linkLookupKeys(input)]) {
          expect(key).toMatch(/^(account|post|link|server):[a-z]+:\S+$/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is stable: the URL a link key spells normalises to the same key', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const first = normalizeTarget('link', url);
        if (!first.ok || !first.key.startsWith('link:url:')) return;
        const again = normalizeTarget('link', `https://${first.key.slice('link:url:'.length)}`);
        expect(again).toEqual(first);
      }),
      { numRuns: 2000 },
    );
  });

  /** Adds noise that never carries identity: a tracking parameter, a fragment, a trailing slash. */
  const noise = fc.oneof(
    fc.string({ minLength: 1, maxLength: 12 }).map((value) => (url: URL) => {
      url.searchParams.append('utm_source', value);
    }),
    fc
      .constantFrom('fbclid', 'gclid', 'igshid', 'si', 'ref_src', 'utm_campaign')
      .map((name) => (url: URL) => {
        url.searchParams.append(name, 'AbC123');
      }),
    fc.string({ maxLength: 12 }).map((fragment) => (url: URL) => {
      url.hash = fragment;
    }),
    fc.constant((url: URL) => {
      if (!url.pathname.endsWith('/')) url.pathname += '/';
    }),
    fc.constant((url: URL) => {
      url.hostname = url.hostname.toUpperCase();
    }),
  );

  it('ignores tracking parameters, fragments, trailing slashes and host case on site URLs', () => {
    const rows = ALL_ROWS.filter((row) => !row.url.includes('#'));
    fc.assert(
      fc.property(
        fc.constantFrom(...rows),
        fc.array(noise, { minLength: 1, maxLength: 3 }),
        (row, changes) => {
          const url = new URL(row.url);
          for (const change of changes) change(url);
          expect(accountKeys(url.href)).toEqual(accountKeys(row.url));
          expect(postKeys(url.href)).toEqual(postKeys(row.url));
          expect(linkLookupKeys(url.href)).toEqual(linkLookupKeys(row.url));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('ignores tracking parameters, fragments, trailing slashes and host case on any link', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true }),
        fc.array(noise, { minLength: 1, maxLength: 3 }),
        (raw, changes) => {
          const url = new URL(raw);
          const before = normalizeTarget('link', url.href);
          for (const change of changes) change(url);
          const after = normalizeTarget('link', url.href);
          expect(after.ok).toBe(before.ok);
          if (after.ok && before.ok) expect(after.key).toBe(before.key);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('server labels (every account on a fediverse server)', () => {
  it.each([
    ['blocked.example', 'server:fedi:blocked.example'],
    ['Blocked.Example', 'server:fedi:blocked.example'],
    ['www.blocked.example', 'server:fedi:blocked.example'],
    ['blocked.example/', 'server:fedi:blocked.example'],
    ['social.blocked.example', 'server:fedi:social.blocked.example'],
    ['bücher.example', 'server:fedi:xn--bcher-kva.example'],
  ])('%s → %s', (input, key) => {
    expect(normalizeServer(input)).toEqual({ ok: true, key });
    expect(labelKey({ link: input, server: true })).toEqual({ ok: true, key });
    // Without the flag the same label is the link label it always was.
    expect(labelKey({ link: input })).toEqual({ ok: true, key: key.replace('server:fedi:', 'link:domain:') });
  });

  it.each([
    ['https://blocked.example/', /is not a bare domain/],
    ['@someone@blocked.example', /is not a bare domain/],
    ['co.uk', /public suffix/],
    ['localhost', /is not a domain/],
  ])('refuses %s', (input, message) => {
    expect(normalizeServer(input)).toEqual({ ok: false, message: expect.stringMatching(message) });
  });

  it('looks a fediverse author up by the server and its parents, seen from any server', () => {
    const keys = ['server:fedi:blocked.example'];
    expect(accountKeys('https://blocked.example/@someone')).toEqual([
      'account:fedi:someone@blocked.example',
      ...keys,
    ]);
    expect(accountKeys('https://mastodon.social/@someone@blocked.example')).toEqual([
      'account:fedi:someone@blocked.example',
      ...keys,
    ]);
    expect(accountKeys('https://mastodon.social/@someone@social.blocked.example')).toEqual([
      'account:fedi:someone@social.blocked.example',
      'server:fedi:social.blocked.example',
      ...keys,
    ]);
    expect(accountKeys('https://truthsocial.com/@someone')).toContain('server:fedi:truthsocial.com');
  });

  it('looks a Bluesky account bridged from the fediverse (Bridgy Fed) up as that account and its server', () => {
    expect(accountKeys('https://bsky.app/profile/someone.blocked.example.ap.brid.gy')).toEqual([
      'account:bsky:someone.blocked.example.ap.brid.gy',
      'account:fedi:someone@blocked.example',
      'server:fedi:blocked.example',
    ]);
    expect(accountKeys('https://bsky.app/profile/alice.bsky.social')).toEqual([
      'account:bsky:alice.bsky.social',
    ]);
    expect(accountKeys('https://x.com/blocked')).toEqual(['account:x:blocked']);
  });

  it('matches links to the server and its subdomains, like a domain link label', () => {
    const keys = linkLookupKeys('https://media.blocked.example/files/a.png');
    expect(keys).toContain('server:fedi:media.blocked.example');
    expect(keys).toContain('server:fedi:blocked.example');
    expect(keys).toContain('link:domain:blocked.example');
    expect(linkLookupKeys('https://notblocked.example/')).not.toContain('server:fedi:blocked.example');
  });

  it('serverKeys stops at two labels', () => {
    expect(serverKeys('a.b.blocked.example')).toEqual([
      'server:fedi:a.b.blocked.example',
      'server:fedi:b.blocked.example',
      'server:fedi:blocked.example',
    ]);
    expect(serverKeys('localhost')).toEqual([]);
  });
});
