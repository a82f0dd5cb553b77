import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { matchedLabel } from '../components/testLabels';
import { keyHost } from '../feed/key-token';
import { someWordRead } from '../feed/key-words';
import { linkLookupKeys } from '../feed/link-keys';
import { ALL_SITE_KEYS, accountKeys, keyReader, postKeys } from '../feed/site-keys';
import { KeyIndex, linkCandidates } from '../lens/keyIndex';
import { postSlots } from '../lens/slots';
import { pageIndexOf } from '../lens/testing';
import type { MatchedLabel, PageIndexWire } from '../messaging/protocol';
import { SITE_KEYS } from '../sites/catalog';
import { siteAdapters } from '../sites/registry';
import { parseHttpUrl } from '../sites/url';
import { cacheDb } from '../storage/db';
import { SITE_EXAMPLES } from '../tests/site-examples';
import { fixtureNames, loadFixture } from '../tests/site-fixtures';
import { filterHas, hashKey } from './keyindex';
import { startWorker } from './lifecycle';
import { clearLookupCache } from './lookup';
import {
  clearPageIndex,
  DOMAIN_WORDS,
  encodePageIndex,
  IndexKeys,
  KEY_SITES,
  KeyScopes,
  type PageIndexEntry,
  pageIndex,
  pageIndexById,
  pageIndexHead,
  pageIndexPart,
  SESSION_KEY,
  siteIndex,
} from './page-index';
import { lookupPageKeys } from './page-lookup';
import { build, FeedServer, feedSource, keys, publicKeyText, xKey, xLabel } from './testing';

const EXT = 'chrome-extension://test-extension-id/';

/** One feed of one definition, as a page index names it. */
function oneFeed(): PageIndexWire['feeds'] {
  const base = matchedLabel({});
  return [{ ...base, id: base.feedId, name: base.feedName, definitions: [base.definition] }];
}

/** The worker's index (id `f`) of one label for each key, scoped as `buildPageIndex` scopes them. */
function scopedIndex(labelled: readonly string[]): PageIndexWire {
  const keys = new IndexKeys();
  for (const key of labelled) keys.add(key);
  const scopes = new KeyScopes();
  const entries = labelled.map((key) => ({ ...hashKey(key), code: 0, scope: scopes.of(key) }));
  return encodePageIndex('f', oneFeed(), entries, keys, undefined, scopes.names) as PageIndexWire;
}
const SEED_ID = 'https://context-lens.example/seed/feed.json';
const LATER = '2099-01-01T00:00:00Z';

beforeEach(async () => {
  const server = new FeedServer();
  vi.stubGlobal('fetch', server.fetch);
  await cacheDb().delete({ disableAutoOpen: false });
  clearLookupCache();
  clearPageIndex();
  const key = await keys();
  const labels = [
    xLabel('author', 'labelled'),
    xLabel('author-2', 'labelled', { val: 'state-media' }),
    xLabel('gone', 'expired', { exp: '2020-01-01T00:00:00Z' }),
    xLabel('expiring', 'expiring', { exp: LATER }),
    xLabel('site', 'ignored', { account: undefined, link: 'news.example.com', val: 'state-media' }),
    xLabel('page', 'ignored', { account: undefined, link: 'https://www.paper.example.org/story?b=2&a=1' }),
    xLabel('blog', 'ignored', { account: undefined, link: 'me.blogspot.com' }),
    xLabel('post', 'ignored', { account: undefined, post: 'https://x.com/someone/status/42' }),
  ];
  const built = await build(feedSource(SEED_ID, labels, { name: 'Seed' }), key, { sequence: 1 });
  server.publish(`${EXT}seed/`, built);
  server.put(`${EXT}seed/public-key.txt`, publicKeyText(key));
  Object.assign(fakeBrowser, {
    permissions: { contains: async () => false },
    scripting: { getRegisteredContentScripts: async () => [] },
  });
  await startWorker();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** What a badge is drawn from: which definition of which feed, on which key, asked as what. */
function drawn(labels: readonly MatchedLabel[]): string[] {
  return labels
    .map((l) =>
      [l.feedId, l.feedName, l.definition.id, l.definition.severity, l.key, l.asked ?? ''].join(' '),
    )
    .sort();
}

const ASKED = [
  xKey('labelled'),
  xKey('nobody'),
  xKey('expired'),
  xKey('expiring'),
  'post:x:42',
  'url:https://www.news.example.com/2024/story',
  'url:https://a.b.news.example.com/',
  'url:https://example.com/',
  'url:https://paper.example.org/story?a=1&utm_source=feed&b=2',
  'url:https://www.paper.example.org/story/?b=2&a=1#top',
  'url:https://www.paper.example.org/other',
  'url:https://me.blogspot.com/x',
  'url:https://blogspot.com/',
  'url:https://twitter.com/someone/status/42?s=20',
  'url:https://x.com/labelled',
  'url:http://192.168.0.1/',
  'url:not a url',
];

/** The index a tab makes of `wire` (the worker's own layout) as it is sent it: packed (siteIndex). */
function tabIndex(wire: PageIndexWire | null | undefined): KeyIndex | null {
  return KeyIndex.decode(wire && siteIndex(wire, undefined), ALL_SITE_KEYS);
}

describe('pageIndex', () => {
  it('gives the tab, for every key, the labels (feed, definition, key) a lookup answers', async () => {
    const wire = await pageIndex(cacheDb());
    const index = tabIndex(wire);
    expect(index?.size).toBe(7);
    const now = Date.now();
    for (const key of ASKED) {
      const fromIndex = (index as KeyIndex).labels(key, now) as MatchedLabel[];
      expect(fromIndex).not.toBeNull();
      expect(fromIndex.every((l) => l.brief)).toBe(true);
      expect(drawn(fromIndex), key).toEqual(drawn(await lookupPageKeys(cacheDb(), [key])));
    }
    // Hosts of link, domain and server labels only: links elsewhere derive no link keys.
    const hosts = wire?.hosts as { bits: string; hashes: number };
    const filter = {
      bits: new Uint32Array(Uint8Array.from(atob(hosts.bits), (c) => c.charCodeAt(0)).buffer),
      hashes: hosts.hashes,
    };
    for (const host of ['news.example.com', 'paper.example.org', 'me.blogspot.com'])
      expect(filterHas(filter, hashKey(host)), host).toBe(true);
    for (const host of ['x.com', 'example.com', 'blogspot.com', 'other.example'])
      expect(filterHas(filter, hashKey(host)), host).toBe(false);
    // The label that expires later bounds how long the index may be used.
    expect(wire?.validUntil).toBe(Date.parse(LATER));
    expect(index?.usable(Date.parse(LATER) + 1)).toBe(false);
  });

  it('is built once per set of feed versions, and again when a feed is disabled', async () => {
    const first = await pageIndex(cacheDb());
    expect(await pageIndex(cacheDb())).toBe(first);
    await cacheDb().feeds.update(SEED_ID, { enabled: false });
    const after = await pageIndex(cacheDb());
    expect(after?.count).toBe(0);
    expect(after?.id).not.toBe(first?.id);
    expect(tabIndex(after)?.labels(xKey('labelled'), Date.now())).toEqual([]);
  });

  it('is read back from the session by a worker that stopped, not built again, unless the versions changed', async () => {
    const first = await pageIndex(cacheDb());
    expect(first?.count).toBeGreaterThan(0);
    // A new worker: nothing in memory, and label blocks that would now read as nothing.
    clearPageIndex();
    await cacheDb().blocks.clear();
    const woken = await pageIndex(cacheDb());
    expect(woken).toEqual(first);
    expect(tabIndex(woken)?.labels(xKey('labelled'), Date.now())).toHaveLength(2);
    // Another set of versions is built, not taken from the session.
    clearPageIndex();
    await cacheDb().feeds.update(SEED_ID, { enabled: false });
    expect((await pageIndex(cacheDb()))?.count).toBe(0);
    // Without session storage (or over its quota) the index is still built and served.
    clearPageIndex();
    await cacheDb().feeds.update(SEED_ID, { enabled: true });
    vi.spyOn(fakeBrowser.storage.session, 'get').mockRejectedValue(new Error('no session storage'));
    vi.spyOn(fakeBrowser.storage.session, 'set').mockRejectedValue(new Error('quota'));
    expect((await pageIndex(cacheDb()))?.count).toBe(0);
  });

  it('does not take a session copy in an older wire form (from before an update)', async () => {
    vi.restoreAllMocks();
    const first = (await pageIndex(cacheDb())) as PageIndexWire;
    const stored = (await fakeBrowser.storage.session.get(SESSION_KEY))[SESSION_KEY] as { signature: string };
    // The same versions, in the form before places and codes (12 bytes a label, no `codes`).
    const { codes: _, ...older } = { ...first, count: 999 };
    await fakeBrowser.storage.session.set({ [SESSION_KEY]: { signature: stored.signature, answer: older } });
    clearPageIndex();
    expect(await pageIndex(cacheDb())).toEqual(first);
  });

  it('sends long entries in parts that the tab puts back together, and refuses parts that do not fit', () => {
    const base = matchedLabel({});
    const feeds = [{ ...base, id: base.feedId, name: base.feedName, definitions: [base.definition] }];
    const labelled = Array.from({ length: 100 }, (_, i) => `account:x:user${i}`);
    const keys = new IndexKeys();
    for (const key of labelled) keys.add(key);
    const wire = encodePageIndex(
      'p',
      feeds,
      labelled.map((key) => ({ ...hashKey(key), code: 0 })),
      keys,
    ) as PageIndexWire;
    // As a tab is sent it: 100 entries packed in 153 words (sync/packed-entries.ts), 816 base64
    // characters: 7 parts of 128 (and one part's worth of them whole).
    const sent = siteIndex(wire, undefined);
    expect(sent.entries).toHaveLength(816);
    expect(pageIndexHead(sent, 1024)).toBe(sent);
    const head = pageIndexHead(sent, 128) as PageIndexWire;
    expect(head).toMatchObject({ id: 'p', count: 100, parts: 7 });
    expect(head.words).toEqual(wire.words);
    const parts = Array.from({ length: 7 }, (_, part) => pageIndexPart(sent, part, 128) as string);
    expect(head.entries).toBe(parts[0]);
    expect(parts.join('')).toBe(sent.entries);
    expect(pageIndexPart(sent, 7, 128)).toBeNull();
    expect(pageIndexPart(sent, -1, 128)).toBeNull();
    expect(pageIndexPart(sent, 0.5, 128)).toBeNull();
    const rest = parts.slice(1);
    const index = KeyIndex.decode(head, ALL_SITE_KEYS, rest) as KeyIndex;
    const now = Date.now();
    for (const key of labelled) expect(index.labels(key, now), key).toHaveLength(1);
    expect(index.labels('account:x:someone', now)).toEqual([]);
    // A part missing, one too many, not text, or a head without its parts: no index.
    expect(KeyIndex.decode(head, ALL_SITE_KEYS, rest.slice(1))).toBeNull();
    expect(KeyIndex.decode(head, ALL_SITE_KEYS, [...rest, 'AAAA'])).toBeNull();
    expect(KeyIndex.decode(head, ALL_SITE_KEYS, [null, ...rest.slice(1)])).toBeNull();
    expect(KeyIndex.decode(head, ALL_SITE_KEYS)).toBeNull();
    expect(KeyIndex.decode(sent, ALL_SITE_KEYS, rest)).toBeNull();
    // Parts that together hold more or fewer bytes than the count says.
    expect(KeyIndex.decode(head, ALL_SITE_KEYS, [...rest.slice(0, 5), `${rest[5]}AAAA`])).toBeNull();
    expect(
      KeyIndex.decode(head, ALL_SITE_KEYS, [...rest.slice(0, 5), (rest[5] as string).slice(4)]),
    ).toBeNull();
  });

  it('finds the index a tab was given by its id while it is held or current, and no other', async () => {
    const full = (await pageIndex(cacheDb())) as PageIndexWire;
    const x = siteIndex(full, 'x');
    expect(x.id).not.toBe(full.id);
    expect(await pageIndexById(cacheDb(), x.id, 'x')).toBe(x);
    expect(await pageIndexById(cacheDb(), x.id, 'reddit')).toBeNull();
    expect(await pageIndexById(cacheDb(), 'another', 'x')).toBeNull();
    // A woken worker reads it back from the session.
    clearPageIndex();
    expect(await pageIndexById(cacheDb(), x.id, 'x')).toEqual(x);
    // The feeds changed (the tab then drops what it is putting together and asks again): once the
    // worker has built the new index, the old one's parts are gone.
    await cacheDb().feeds.update(SEED_ID, { enabled: false });
    const next = (await pageIndex(cacheDb())) as PageIndexWire;
    expect(await pageIndexById(cacheDb(), x.id, 'x')).toBeNull();
    expect(await pageIndexById(cacheDb(), siteIndex(next, 'x').id, 'x')).toEqual(siteIndex(next, 'x'));
  });

  it('sends a tab of one site the link, domain and server keys and that site’s account and post keys only', () => {
    const labelled = [
      'account:x:someone',
      'post:x:20',
      'account:bsky:someone.bsky.social',
      'account:fedi:someone@mastodon.example',
      'post:reddit:abc123',
      'link:domain:news.example.com',
      'server:fedi:mastodon.example',
    ];
    const full = scopedIndex(labelled);
    const now = Date.now();
    const x = siteIndex(full, 'x');
    expect(x).toMatchObject({ id: 'f/x', count: 4, sites: ['x'], hosts: full.hosts });
    expect(x).not.toHaveProperty('scopes');
    expect(siteIndex(full, 'x')).toBe(x);
    const tab = KeyIndex.decode(x, ALL_SITE_KEYS) as KeyIndex;
    for (const key of [
      'account:x:someone',
      'post:x:20',
      'link:domain:news.example.com',
      'server:fedi:mastodon.example',
    ])
      expect(tab.labels(key, now), key).toHaveLength(1);
    expect(tab.labels('account:x:another', now)).toEqual([]);
    // Another site's keys are not in it: the tab asks the background for them.
    for (const key of [
      'account:bsky:someone.bsky.social',
      'account:bsky:nobody.bsky.social',
      'post:reddit:abc123',
    ])
      expect(tab.labels(key, now), key).toBeNull();
    // A Bluesky page's: Bluesky's keys and the fediverse's (accounts bridged from it).
    const bluesky = KeyIndex.decode(siteIndex(full, 'bluesky'), ALL_SITE_KEYS) as KeyIndex;
    expect(bluesky.size).toBe(4);
    expect(bluesky.labels('account:fedi:someone@mastodon.example', now)).toHaveLength(1);
    expect(bluesky.labels('account:x:someone', now)).toBeNull();
    // A search page's (it may link anywhere), an unknown site's, and an index without scopes: every key.
    for (const [whole, id] of [
      [siteIndex(full, 'search'), 'f/search'],
      [siteIndex(full, 'nowhere'), 'f'],
      [siteIndex(full, undefined), 'f'],
    ] as const) {
      expect(whole).toMatchObject({ id, count: 7 });
      expect(whole).not.toHaveProperty('scopes');
      expect(whole).not.toHaveProperty('sites');
    }
    const { scopes: _, scopeNames: __, ...unscoped } = full;
    const every = siteIndex(unscoped, 'x');
    expect(every).toMatchObject({ id: 'f/x', count: 7, hosts: full.hosts });
    expect(every).not.toHaveProperty('sites');
    const all = KeyIndex.decode(every, ALL_SITE_KEYS) as KeyIndex;
    for (const key of labelled) expect(all.labels(key, now), key).toHaveLength(1);
  });

  it('sends a tab the words of the sites it holds, and of another site’s keys that site’s domain words', () => {
    const labelled = [
      'account:x:xperson',
      'account:bsky:skyperson.bsky.social',
      'account:fedi:fediperson@mastodon.example',
      'post:reddit:rpost99',
      'account:youtube:UCtubechannel0000000000000',
      'link:domain:newsplace.example.com',
    ];
    const full = scopedIndex(labelled);
    expect(Object.keys(full.siteWords ?? {}).sort()).toEqual(['bsky', 'reddit', 'youtube']);
    const names = (site: string | undefined, word: string) =>
      (KeyIndex.decode(siteIndex(full, site), ALL_SITE_KEYS) as KeyIndex).mayName(word, false);
    const own = ['xperson', 'fediperson', 'newsplace'];
    const sites = ['skyperson', 'rpost99', 'uctubechannel0000000000000'];
    const domains = ['bsky', 'redd', 'reddit', 'youtu', 'youtube'];
    // X's own words, every link's and fediverse account's, and the other sites' domains.
    for (const word of [...own, ...domains]) expect(names('x', word), word).toBe(true);
    for (const word of sites) expect(names('x', word), word).toBe(false);
    // Bluesky's: its own accounts' words, not its domain's (every Bluesky handle shows `bsky`).
    for (const word of [...own, 'skyperson', 'redd', 'youtube'])
      expect(names('bluesky', word), word).toBe(true);
    for (const word of ['bsky', 'rpost99']) expect(names('bluesky', word), word).toBe(false);
    expect(siteIndex(full, 'bluesky').moreWords).toEqual([{ bits: full.siteWords?.bsky?.bits, hashes: 7 }]);
    // A Mastodon page's, which holds no DOMAIN_WORDS site's keys: every such site by its domain.
    for (const word of [...own, ...domains]) expect(names('mastodon', word), word).toBe(true);
    for (const word of sites) expect(names('mastodon', word), word).toBe(false);
    // A search page's or a YouTube page's, whose adapter reads every post: no word filter at all.
    for (const site of ['search', 'youtube', 'facebook', 'instagram']) {
      const tab = siteIndex(full, site);
      expect(tab, site).not.toHaveProperty('words');
      expect(tab, site).not.toHaveProperty('moreWords');
      expect((KeyIndex.decode(tab, ALL_SITE_KEYS) as KeyIndex).knowsWords, site).toBe(false);
    }
    // An unknown site's: every key's own word.
    for (const word of [...own, ...sites]) expect(names('nowhere', word), word).toBe(true);
    expect(names('nowhere', 'bsky')).toBe(false);
    expect(siteIndex(full, 'x').words?.shortest).toBe(4);
    // An X tab's filter no longer grows with Bluesky's labels.
    const many = new IndexKeys();
    for (let i = 0; i < 5000; i++) many.add(`account:bsky:person${i}.bsky.social`);
    many.add('account:x:xperson');
    const big = encodePageIndex('g', oneFeed(), [], many) as PageIndexWire;
    expect(siteIndex(big, 'x').words?.bits.length).toBeLessThan(100);
    expect(siteIndex(big, 'bluesky').moreWords?.[0]?.bits.length).toBeGreaterThan(10_000);
  });

  it('has a domain word in every URL that leads to a key of a DOMAIN_WORDS site, example or generated', () => {
    const showsDomain = (url: string, site: string) => {
      const words = (DOMAIN_WORDS.get(site) ?? []).map(hashKey);
      return someWordRead(url, 1, (h) => words.some((w) => w.hi === h.hi && w.lo === h.lo));
    };
    const check = (url: string) => {
      let found = 0;
      for (const key of [...accountKeys(url), ...postKeys(url)]) {
        const site = key.split(':')[1] as string;
        if (!DOMAIN_WORDS.has(site)) continue;
        expect(showsDomain(url, site), `${url} → ${key}`).toBe(true);
        found++;
      }
      return found;
    };
    const examples = Object.values(SITE_EXAMPLES).flatMap((rows) => rows.map((row) => row.url));
    expect(examples.reduce((sum, url) => sum + check(url), 0)).toBeGreaterThan(100);
    // Account and post paths on any rule host, the host spelt as a page may spell it.
    const hosts = SITE_KEYS.flatMap((keys) => keys.rules.flatMap((rule) => rule.hosts));
    const paths = [
      'profile/N.bsky.social',
      'profile/N.bsky.social/post/N',
      'user/N',
      'u/N',
      'r/N/comments/N/N',
      'N',
      '@N',
      '@N/post/N',
      'watch?v=VVVVVVVVVVV',
      'shorts/VVVVVVVVVVV',
      'VVVVVVVVVVV',
      'channel/UCVVVVVVVVVVVVVVVVVVVVVV',
      'p/N',
      'N/posts/1234567890',
    ];
    let generated = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...hosts),
        fc.constantFrom('', 'www.', 'WWW.'),
        fc.boolean(),
        fc.constantFrom(...paths),
        fc.stringMatching(/^[A-Za-z0-9_]{3,15}$/),
        fc.stringMatching(/^[A-Za-z0-9_-]{11}$/),
        (host, www, upper, path, name, video) => {
          const spelt = upper ? host.toUpperCase() : host;
          const filled = path.replaceAll('N', name).replace(/V+/, (run) => video.padEnd(run.length, 'x'));
          generated += check(`https://${www}${spelt}/${filled}`);
        },
      ),
      { numRuns: 2000 },
    );
    expect(generated).toBeGreaterThan(150);
  });

  it('sends a tab its entries packed, in under 72 % of their bytes, and finds every label in them', () => {
    const base = matchedLabel({});
    const definitions = [0, 1, 2].map((d) => ({ ...base.definition, id: `d${d}` }));
    const feeds = [{ ...base, id: base.feedId, name: base.feedName, definitions }];
    const labelled = Array.from({ length: 3000 }, (_, i) => `account:x:user${i}`);
    const keys = new IndexKeys();
    for (const key of labelled) keys.add(key);
    const entries = labelled.map((key, i) => ({ ...hashKey(key), code: i % 3 }));
    // Two labels of one key, and a second key sharing another's top 48 bits (asked for, not read).
    entries.push({ ...hashKey('account:x:user0'), code: 1 });
    const twin = hashKey('account:x:user1');
    entries.push({ hi: twin.hi, lo: (twin.lo ^ 1) >>> 0, code: 2 });
    const wire = encodePageIndex('p', feeds, entries, keys) as PageIndexWire;
    const sent = siteIndex(wire, 'search');
    expect(sent.packing).toEqual({ b: 8, p: 2 });
    expect(sent.entries.length / wire.entries.length).toBeLessThan(0.72);
    const head = pageIndexHead(sent, 1024) as PageIndexWire;
    const rest = Array.from({ length: (head.parts as number) - 1 }, (_, i) =>
      pageIndexPart(sent, i + 1, 1024),
    );
    const index = KeyIndex.decode(head, ALL_SITE_KEYS, rest) as KeyIndex;
    const now = Date.now();
    labelled.forEach((key, i) => {
      const found = index.labels(key, now)?.map((label) => label.definition.id);
      if (i === 0) expect(found).toEqual(['d0', 'd1']);
      else if (i === 1) expect(index.labels(key, now)).toBeNull();
      else expect(found, key).toEqual([`d${i % 3}`]);
    });
    for (let i = 0; i < 3000; i++) expect(index.labels(`account:x:other${i}`, now)).toEqual([]);
  });

  it('is read in each site’s tab with its own rules: every key its index holds, and the rest asked for', () => {
    const urls = Object.values(SITE_EXAMPLES).flatMap((rows) => rows.map((row) => row.url));
    for (const adapter of siteAdapters) {
      const held = KEY_SITES[adapter.id];
      const tab = keyReader(adapter.keyRules);
      let read = 0;
      let asked = 0;
      for (const url of urls) {
        const parsed = parseHttpUrl(url);
        if (!parsed) continue;
        const every = [...accountKeys(url), ...postKeys(url)];
        const names = tab.mayName(parsed);
        const label = `${adapter.id} tab: ${url}`;
        if (names === 'ask') {
          asked++;
          // Asked only about what another site's rules read: a key the index holds is read here.
          const others = every.filter(
            (key) => !key.startsWith('server:') && !held?.includes(key.split(':')[1] ?? ''),
          );
          expect(every.length === 0 || others.length > 0, label).toBe(true);
          continue;
        }
        read++;
        expect([...tab.accountKeys(url), ...tab.postKeys(url)], label).toEqual(every);
        if (!names) expect(every, label).toEqual([]);
      }
      expect(read, adapter.id).toBeGreaterThan(0);
      // A tab whose index holds every key (search) reads every URL itself.
      if (held === null) expect(asked, adapter.id).toBe(0);
      else expect(asked, adapter.id).toBeGreaterThan(0);
    }
  });

  it('holds for each site every account and post key its fixture posts give', () => {
    for (const adapter of siteAdapters) {
      const sites = KEY_SITES[adapter.id];
      if (!sites) continue;
      let checked = 0;
      for (const name of fixtureNames(adapter.id)) {
        const page = loadFixture(adapter.id, name);
        for (const element of page.document.querySelectorAll(adapter.postSelector)) {
          const post = adapter.parsePost(element, page.location);
          if (!post) continue;
          for (const key of postSlots(post, ALL_SITE_KEYS).flatMap((slot) => slot.keys)) {
            if (key.startsWith('url:')) continue;
            const [kind, site] = key.split(':');
            if (kind === 'link' || kind === 'server') continue;
            expect(sites, `${adapter.id} ${name}: ${key}`).toContain(site);
            checked++;
          }
        }
        page.close();
      }
      expect(checked, adapter.id).toBeGreaterThan(0);
    }
  });

  it('finds every label of every key among many, and nothing for other keys', () => {
    const base = matchedLabel({});
    const labelled = Array.from({ length: 3000 }, (_, i) => `account:x:user${i}`);
    // Every third key has two labels (two definitions), so equal hashes sit side by side.
    const other = { ...base.definition, id: 'other' };
    const index = pageIndexOf(
      labelled.flatMap((key, i) => [
        { ...base, key },
        ...(i % 3 === 0 ? [{ ...base, key, definition: other }] : []),
      ]),
    );
    const now = Date.now();
    labelled.forEach((key, i) => {
      const found = index.labels(key, now)?.map((l) => l.definition.id);
      expect(found, key).toEqual(i % 3 === 0 ? [base.definition.id, 'other'] : [base.definition.id]);
    });
    for (let i = 0; i < 3000; i++) expect(index.labels(`account:x:other${i}`, now)).toEqual([]);
  });

  it('carries each key’s word, and no word filter once a key has none (every post is then read)', () => {
    const summary = new IndexKeys();
    summary.add('account:x:someone');
    const index = tabIndex(encodePageIndex('w', [], [], summary)) as KeyIndex;
    expect(index.knowsWords).toBe(true);
    expect(index.mayName('https://x.com/SomeOne/status/1')).toBe(true);
    expect(index.mayName('https://x.com/someones')).toBe(false);
    summary.add('link:domain:xn--bcher-kva');
    const wordless = tabIndex(encodePageIndex('w', [], [], summary)) as KeyIndex;
    expect(wordless.knowsWords).toBe(false);
    expect(wordless.mayName('nothing here')).toBe(true);
  });

  it('keeps 48 bits of each hash, and sends the tab to the background where two labelled keys share them', () => {
    const base = matchedLabel({});
    const feeds = [{ ...base, id: base.feedId, name: base.feedName, definitions: [base.definition] }];
    const key = 'account:x:someone';
    const { hi, lo } = hashKey(key);
    const wire = (entries: PageIndexEntry[]) =>
      tabIndex(encodePageIndex('s', feeds, entries, new IndexKeys())) as KeyIndex;
    const now = Date.now();
    // Alone, and beside another key whose hash differs only in its last 16 bits: asked for.
    expect(wire([{ hi, lo, code: 0 }]).labels(key, now)).toHaveLength(1);
    const shared = wire([
      { hi, lo, code: 0 },
      { hi, lo: lo ^ 1, code: 0 },
    ]);
    expect(shared.labels(key, now)).toBeNull();
    expect(shared.labels(`url:https://x.com/${key.slice(10)}`, now)).toBeNull();
    // Equal hashes are one key (its labels side by side); another key is still told apart.
    const same = wire([
      { hi, lo, code: 0 },
      { hi, lo, code: 0 },
      { hi: hi ^ 1, lo, code: 0 },
    ]);
    expect(same.labels(key, now)).toHaveLength(2);
    expect(same.labels('account:x:other', now)).toEqual([]);
  });

  it('names each label’s feed and definition by a 16-bit place: past 65,535 pairs there is no index', () => {
    const entries = (pairs: number) => Array.from({ length: pairs }, (_, i) => ({ hi: i, lo: 0, code: i }));
    expect(encodePageIndex('c', [], entries(65_535), new IndexKeys())?.codes).toHaveLength(65_535);
    expect(encodePageIndex('c', [], entries(65_536), new IndexKeys())).toBeNull();
  });

  it('is refused when it does not decode', () => {
    expect(KeyIndex.decode(null, ALL_SITE_KEYS)).toBeNull();
    expect(
      KeyIndex.decode({ id: 'x', feeds: [], count: 2, entries: 'AAAA', codes: [] }, ALL_SITE_KEYS),
    ).toBeNull();
    const wire = encodePageIndex('x', [], [{ hi: 1, lo: 2, code: 0 }], new IndexKeys()) as PageIndexWire;
    const sent = siteIndex(wire, undefined);
    expect(KeyIndex.decode(sent, ALL_SITE_KEYS)).not.toBeNull();
    expect(
      KeyIndex.decode({ ...sent, codes: undefined } as unknown as PageIndexWire, ALL_SITE_KEYS),
    ).toBeNull();
    // The worker's own layout, unpacked: a tab reads only packed entries.
    expect(KeyIndex.decode(wire, ALL_SITE_KEYS)).toBeNull();
    // Packed for another count.
    expect(KeyIndex.decode({ ...sent, count: 2 }, ALL_SITE_KEYS)).toBeNull();
  });
});

describe('linkCandidates', () => {
  const URLS = [
    'https://www.news.example.com/2024/story?utm_source=x',
    'https://a.b.example.co.uk/path/',
    'https://www.co.uk/',
    'https://www.blogspot.com/a',
    'https://me.blogspot.com/x',
    'http://192.168.0.1:8080/a',
    'https://[::1]/',
    'https://WWW.Example.COM./A%7e?b=1&a=2',
    'https://mastodon.social/@someone',
    'https://bsky.app/profile/someone.bsky.social/post/3abc',
    'https://l.facebook.com/l.php?u=https%3A%2F%2Fnews.example.com%2Fa',
    'https://www.youtube.com/watch?v=abc&si=track',
    'https://localhost/',
  ];
  it('holds every link key the background gives, for known and generated URLs', () => {
    for (const url of URLS)
      expect(linkCandidates(url, ALL_SITE_KEYS), url).toEqual(expect.arrayContaining(linkLookupKeys(url)));
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const candidates = new Set(linkCandidates(url, ALL_SITE_KEYS));
        for (const key of linkLookupKeys(url)) expect(candidates.has(key), `${url} ${key}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('with a host filter, still holds each key whose host (or none) it lets through, and no link keys elsewhere', () => {
    const check = (url: string) => {
      for (const key of linkLookupKeys(url)) {
        const host = keyHost(key);
        const candidates = linkCandidates(url, ALL_SITE_KEYS, (h) => h === host);
        expect(candidates, `${url} ${key}`).toContain(key);
      }
    };
    for (const url of URLS) check(url);
    fc.assert(fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), check), {
      numRuns: 300,
    });
    expect(linkCandidates('https://www.blog.example.org/2024/story', ALL_SITE_KEYS, () => false)).toEqual([]);
    expect(linkCandidates('https://blog.example.org/@me', ALL_SITE_KEYS, () => false)).toEqual([
      'account:fedi:me@blog.example.org',
      'server:fedi:blog.example.org',
      'server:fedi:example.org',
    ]);
    expect(linkCandidates('https://x.com/someone/status/42', ALL_SITE_KEYS, () => false)).toEqual([
      'post:x:42',
    ]);
  });

  it('reads the host a key names', () => {
    expect(keyHost('link:url:www.a.example:8080/x?b=1')).toBe('www.a.example');
    expect(keyHost('link:url:a.example?b=1')).toBe('a.example');
    expect(keyHost('link:url:[::1]:80/x')).toBe('[::1]');
    expect(keyHost('link:domain:a.example')).toBe('a.example');
    expect(keyHost('server:fedi:a.example')).toBe('a.example');
    expect(keyHost('account:fedi:me@a.example')).toBeNull();
    expect(keyHost('post:x:42')).toBeNull();
  });
});
