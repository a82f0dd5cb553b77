/**
 * The page index: what a tab needs to draw every badge in the site's own task, without asking.
 * Per enabled feed's current version, every labelled key's 64-bit hash (feed/hash.ts hashKey, the
 * cache's own key hash, so tab and background agree), of which the tab keeps the top 48 bits, and
 * a 16-bit place in a table of (feed, definition) codes: 8 bytes a label, sorted by hash across
 * feeds. Where two labelled keys' hashes share their top 48 bits, their labels' place says so
 * (SHARED_HASH) and the tab asks the background for those keys, so the shorter hash never draws a
 * label on the wrong key. The feeds' names, links and
 * definitions travel once beside it. Evidence (notes, sources, periods, label ids) stays here: the
 * tab asks for it through the `lookup` port (sync/page-lookup.ts) only for keys the index named.
 *
 *   feeds (enabled, current) ─▶ versions ─▶ index pages [hi…, lo…, ordinal…] (the base's too,
 *     its replaced labels left out) ─▶ ordinal ─▶ label block ─▶ val, exp (expired: left out)
 *     ─▶ sorted [hi…, lo top 16 bits | place…], codes[place] = feed << 16 | definition ─▶ base64
 *     ─▶ cut for the asking tab's site (siteIndex: link, domain and server keys, and the account
 *     and post keys of KEY_SITES), its entries packed (sync/packed-entries.ts, ~5.3 bytes a
 *     label) ─▶ `pageIndex` message (lens/keyIndex.ts reads it); past
 *     PAGE_INDEX_PART_CHARS its entries in `pageIndexPart` messages (pageIndexHead,
 *     pageIndexPart), each a short task in the tab
 *   label keys ─▶ hosts of link/domain/server keys ─▶ Bloom filter (`hosts`): the tab derives a
 *     link's link keys only on those hosts
 *   label keys ─▶ each key's word (feed/key-token.ts keyToken) ─▶ Bloom filter (`words`): the tab
 *     reads no further a post whose words are none of them (both filters hold every key, in
 *     every site's cut: a post may link to any site); the words of each DOMAIN_WORDS site's
 *     account and post keys in a filter of their own (`siteWords`), sent only to the tabs that
 *     hold those keys (`moreWords`); the others' `words` take on the site's domain words instead
 *
 * Built once per set of feed versions and kept while the worker lives; every tab asking meanwhile
 * gets the same answer. A copy goes to `storage.session` (memory the browser keeps for the extension
 * until it quits, unreadable by content scripts): a worker that stopped and woke reads it back
 * instead of reading every label again (seconds at 300,000 labels, while the tab's look-ups wait).
 * A memo, not state: when the copy is missing, stale or over the session quota, the index is built. Above
 * MAX_PAGE_INDEX_ENTRIES labels there is no index: tabs ask for every key as before.
 */
import { browser } from 'wxt/browser';
import { activeLabels, type Label } from '../feed';
import { keyHost, keyToken } from '../feed/key-token';
import { wordsOf } from '../feed/key-words';
import type { PageIndexFeed, PageIndexWire, WordFilterWire } from '../messaging/protocol';
import { SITE_KEYS, type SiteId } from '../sites/catalog';
import type { BlockRecord, CacheDb, FeedRecord, VersionRecord } from '../storage/db';
import { BLOCK_LABELS } from '../storage/db';
import { ID_PAGE, locate, readLabel } from './cache-layout';
import { type BloomFilter, createFilter, filterAdd, hashKey, SHARED_HASH } from './keyindex';
import { replacesLabel } from './lookup';
import { packEntries } from './packed-entries';

/**
 * The sites named in the account and post keys each site's own pages give (`x` of `account:x:jack`;
 * a Bluesky handle bridged from the fediverse also gives `account:fedi:`): a tab on the site is sent
 * an index of only those keys and every link, domain and server key (`siteIndex`), and asks the
 * background for any other (a link to another site's profile). null: a page of the site may lead
 * anywhere (search results), and its index holds every key. Only how much a tab holds and asks
 * depends on it, never which labels it shows (sync/page-index.test.ts checks it against every
 * site's URL table).
 */
export const KEY_SITES: Record<SiteId, readonly string[] | null> = {
  bluesky: ['bsky', 'fedi'],
  facebook: ['facebook'],
  instagram: ['instagram'],
  mastodon: ['fedi'],
  reddit: ['reddit'],
  search: null,
  threads: ['threads'],
  truthsocial: ['fedi'],
  x: ['x'],
  youtube: ['youtube'],
};

/**
 * The sites whose adapters pass over posts by their words (\`quickRead\`, lens/quiet.ts): only their
 * tabs are sent the word filters. Another site's tab reads every post and would never look at them
 * (lens/quiet.test.ts holds this list to the adapters').
 */
export const READS_WORDS: ReadonlySet<string> = new Set<SiteId>([
  'bluesky',
  'mastodon',
  'reddit',
  'threads',
  'truthsocial',
  'x',
]);

/** Letters a domain word has at least: `x` of x.com would send every post with an `x` in it to be read. */
const MIN_DOMAIN_WORD = 4;

/**
 * The words a URL on each key site's hosts shows whatever account or post it names (`bsky`; `reddit`
 * and `redd` for reddit.com and redd.it): the longest word of each rule host's name before its top
 * level, one per host unless one already chosen is among its words. A tab that does not hold a
 * site's keys (KEY_SITES) reaches them only through a link on one of those hosts (every rule host
 * is on its site's domains: sites/meta.test.ts), so its word filter holds these words instead of each
 * account's and post's own (`siteIndex`): the filter of an X tab need not grow with a million
 * Bluesky labels. Not for a site read on any host (`fedi`), nor one with a shorter word (`x`).
 */
export const DOMAIN_WORDS: ReadonlyMap<string, readonly string[]> = domainWords();

function domainWords(): Map<string, string[]> {
  const hosts = new Map<string, Set<string>>();
  const anyHost = new Set<string>();
  for (const { site, rules, anyHostRules } of SITE_KEYS)
    for (const keySite of KEY_SITES[site] ?? []) {
      if (anyHostRules) anyHost.add(keySite);
      const held = hosts.get(keySite) ?? new Set<string>();
      for (const rule of rules) for (const host of rule.hosts) held.add(host);
      hosts.set(keySite, held);
    }
  const out = new Map<string, string[]>();
  for (const [keySite, names] of hosts) {
    if (anyHost.has(keySite) || names.size === 0) continue;
    const chosen: string[] = [];
    for (const host of [...names].sort((a, b) => a.length - b.length)) {
      const words = wordsOf(host.split('.').slice(0, -1).join('.'));
      if (words.some((word) => chosen.includes(word))) continue;
      chosen.push(words.reduce((best, word) => (word.length > best.length ? word : best), ''));
    }
    if (chosen.every((word) => word.length >= MIN_DOMAIN_WORD)) out.set(keySite, chosen);
  }
  return out;
}

/** The scope of link, domain and server keys (`link:…`, `server:…`; and of keys past 255 sites): in every site's index. */
const ANY_SITE = 0xff;

/**
 * Labels in one page index at most (8 bytes each in the worker's copy, ~5.3 packed in a tab that
 * gets them all: ~3.2 MB); above it tabs ask for every key.
 */
export const MAX_PAGE_INDEX_ENTRIES = 600_000;
/** Labels read between two turns of the worker while building. */
const BUILD_SLICE = 4_000;
/** Feeds (256) and definitions per feed (65,536) a code can name. */
const MAX_FEEDS = 256;
const MAX_DEFINITIONS = 65_536;

interface Built {
  signature: string;
  answer: Promise<PageIndexWire | null>;
}
/** The last index built, while the worker lives. */
let last: Built | undefined;

/** The `storage.session` key of the copy that outlives a stopped worker. */
export const SESSION_KEY = 'pageIndex';

/** Forgets the memo held in the worker (tests; the session copy stays, as when a worker stops). */
export function clearPageIndex(): void {
  last = undefined;
}

function usable(answer: PageIndexWire | null, now: Date): boolean {
  return !answer || answer.validUntil === undefined || answer.validUntil > now.getTime();
}

/**
 * The index a previous worker built for these versions, if the session still holds it (in today's
 * wire form: a copy from before an update, without `codes`, is built again).
 */
async function fromSession(signature: string, now: Date): Promise<PageIndexWire | null | undefined> {
  try {
    const stored = (await browser.storage.session.get(SESSION_KEY))[SESSION_KEY] as Built | undefined;
    if (stored?.signature !== signature) return undefined;
    const answer = stored.answer as unknown as PageIndexWire | null;
    if (answer && !Array.isArray(answer.codes)) return undefined;
    return usable(answer, now) ? answer : undefined;
  } catch {
    return undefined;
  }
}

async function build(
  db: CacheDb,
  feeds: FeedRecord[],
  signature: string,
  now: Date,
): Promise<PageIndexWire | null> {
  const saved = await fromSession(signature, now);
  if (saved !== undefined) return saved;
  const answer = await buildPageIndex(db, feeds, signature, now).catch(() => null);
  // Over the session quota (or no session storage): the next worker builds it again.
  await browser.storage.session.set({ [SESSION_KEY]: { signature, answer } }).catch(() => {});
  return answer;
}

function feedSignature(feed: FeedRecord): string {
  return [
    feed.id,
    feed.currentVersion,
    feed.name,
    feed.publisher,
    feed.appeals,
    feed.homepage,
    feed.lastUpdated,
    feed.expires,
  ].join('\n');
}

/** The page index of the enabled feeds (null: above the cap, or the cache could not be read). */
export async function pageIndex(db: CacheDb, now = new Date()): Promise<PageIndexWire | null> {
  const feeds = (await db.feeds.toArray())
    .filter((f) => f.enabled && f.currentVersion)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const signature = feeds.map(feedSignature).join('\n\n');
  const held = last;
  if (held && held.signature === signature) {
    const answer = await held.answer;
    if (usable(answer, now)) return answer;
  }
  const answer = build(db, feeds, signature, now).catch(() => null);
  last = { signature, answer };
  return answer;
}

/**
 * Base64 characters of the entries in one `pageIndexPart` answer (a multiple of 4, so each part
 * decodes alone): ~98,000 labels. Chromium carries a message at ~65 ms a megabyte and hands it to
 * the tab as one task; a part makes a task of ~15 ms on this project's 2-core machine.
 */
export const PAGE_INDEX_PART_CHARS = 1 << 20;

/**
 * The `pageIndex` answer for an index: the index itself when its entries fit in one part, else the
 * index with only their first part and how many parts they come in (the rest: `pageIndexPart`).
 */
export function pageIndexHead(
  wire: PageIndexWire | null,
  partChars = PAGE_INDEX_PART_CHARS,
): PageIndexWire | null {
  if (!wire || wire.entries.length <= partChars) return wire;
  return {
    ...wire,
    entries: wire.entries.slice(0, partChars),
    parts: Math.ceil(wire.entries.length / partChars),
  };
}

/**
 * The index `id` names, as a tab of `site` is sent it (`siteIndex`), if it is the one this worker
 * holds or would give now (a tab asking for the parts of the head it was given); null when it is
 * another now.
 */
export async function pageIndexById(db: CacheDb, id: unknown, site: unknown): Promise<PageIndexWire | null> {
  const held = await last?.answer;
  const mine = held && siteIndex(held, site);
  if (mine && mine.id === id) return mine;
  const current = await pageIndex(db);
  const wire = current && siteIndex(current, site);
  return wire?.id === id ? wire : null;
}

/** Part `part` of an index's entries (pageIndexHead), or null when there is no such part. */
export function pageIndexPart(
  wire: PageIndexWire,
  part: number,
  partChars = PAGE_INDEX_PART_CHARS,
): string | null {
  const parts = Math.ceil(wire.entries.length / partChars);
  if (!Number.isInteger(part) || part < 0 || part >= parts) return null;
  return wire.entries.slice(part * partChars, (part + 1) * partChars);
}

/** One label in the index: its key's hash, and its feed and definition (`feed << 16 | definition`). */
export interface PageIndexEntry {
  hi: number;
  lo: number;
  code: number;
  /** Its key's site's place in the index's `scopeNames` (ANY_SITE: a link, domain or server key). */
  scope?: number;
}

/**
 * Each key's scope (PageIndexEntry.scope), as the tab reads a key (lens/keyIndex.ts `find`): its
 * site's place in `names` for `<kind>:<site>:…`, ANY_SITE for link and server keys (in every index)
 * and past 255 sites.
 */
export class KeyScopes {
  readonly names: string[] = [];
  private readonly places = new Map<string, number>();

  of(key: string): number {
    const [kind, site = ''] = key.split(':', 2);
    if (kind === 'link' || kind === 'server') return ANY_SITE;
    let scope = this.places.get(site);
    if (scope === undefined) {
      scope = this.names.length < ANY_SITE ? this.names.push(site) - 1 : ANY_SITE;
      this.places.set(site, scope);
    }
    return scope;
  }
}

async function buildPageIndex(
  db: CacheDb,
  feeds: readonly FeedRecord[],
  signature: string,
  now: Date,
): Promise<PageIndexWire | null> {
  if (feeds.length > MAX_FEEDS) return null;
  const entries: PageIndexEntry[] = [];
  const keys = new IndexKeys();
  const scopes = new KeyScopes();
  const out: PageIndexFeed[] = [];
  let validUntil = Number.POSITIVE_INFINITY;
  for (const feed of feeds) {
    const version = await db.versions.get(feed.currentVersion as string);
    if (!version?.complete) continue;
    const base = version.base ? await db.versions.get(version.base) : undefined;
    if (version.base && !base?.complete) continue;
    // Counted before any label is read: a feed past the cap costs nothing.
    if (entries.length + version.entryCount + (base?.entryCount ?? 0) > MAX_PAGE_INDEX_ENTRIES) return null;
    if (version.definitions.length > MAX_DEFINITIONS) return null;
    const definitionIndex = new Map(version.definitions.map((d, i) => [d.id, i]));
    const feedIndex = out.length;
    out.push({
      id: feed.id,
      name: feed.name,
      publisher: feed.publisher,
      appeals: feed.appeals,
      homepage: feed.homepage,
      updatedAt: feed.lastUpdated ?? version.createdAt,
      ...(feed.expires ? { expires: feed.expires } : {}),
      definitions: version.definitions.map((d) => ({
        id: d.id,
        title: d.title,
        description: d.description,
        severity: d.severity,
        defaultAction: d.defaultAction,
      })),
    });
    const labels = await versionLabels(db, feed.id, version, base, now);
    for (const { hi, lo, key, label } of labels) {
      const definition = definitionIndex.get(label.val);
      if (definition === undefined) continue;
      keys.add(key);
      if (label.exp !== undefined) {
        const exp = Date.parse(label.exp);
        if (Number.isFinite(exp) && exp < validUntil) validUntil = exp;
      }
      entries.push({ hi, lo, code: (feedIndex << 16) | definition, scope: scopes.of(key) });
    }
  }
  return encodePageIndex(await digest(signature), out, entries, keys, validUntil, scopes.names);
}

/**
 * Bits a word takes in the word filter: ~16 and 7 probes give about 1 false positive in 1,400, so a
 * post of ~40 words is read for nothing about once in 35.
 */
const WORD_BITS = 16;

/**
 * What the index's filters are made of: the hosts its link, domain and server keys name, and each
 * key's word, those of the account and post keys of each DOMAIN_WORDS site apart from the rest.
 */
export class IndexKeys {
  readonly hosts = new Set<string>();
  /** null once a key has no word (feed/key-token.ts keyToken): then every post is read. */
  words: Set<string> | null = new Set();
  /** Per DOMAIN_WORDS site, the words of its account and post keys (not in `words`). */
  readonly siteWords = new Map<string, Set<string>>();

  add(key: string): void {
    const host = keyHost(key);
    if (host !== null) this.hosts.add(host);
    if (!this.words) return;
    const word = keyToken(key);
    if (word === null) {
      this.words = null;
      return;
    }
    const [kind, site = ''] = key.split(':', 2);
    if ((kind === 'account' || kind === 'post') && DOMAIN_WORDS.has(site)) {
      const words = this.siteWords.get(site) ?? new Set<string>();
      this.siteWords.set(site, words.add(word));
    } else this.words.add(word);
  }
}

function filterOf(items: ReadonlySet<string>): BloomFilter {
  const filter = createFilter(items.size);
  for (const item of items) filterAdd(filter, hashKey(item));
  return filter;
}

/** Every DOMAIN_WORDS word, counted once per site. */
const DOMAIN_WORD_COUNT = [...DOMAIN_WORDS.values()].reduce((sum, words) => sum + words.length, 0);

/** A word filter's wire form; `shortest` 0 when it holds no word. */
function wordFilterOf(words: ReadonlySet<string>, room = 0): WordFilterWire {
  const filter = createFilter(words.size + room, WORD_BITS);
  let shortest = 0;
  for (const word of words) {
    filterAdd(filter, hashKey(word));
    if (!shortest || word.length < shortest) shortest = word.length;
  }
  return { bits: toBase64(new Uint8Array(filter.bits.buffer)), hashes: filter.hashes, shortest };
}

/**
 * The worker's page index (siteIndex makes each tab's of it): the entries sorted by hash and laid
 * out as [hi…, lo's top 16 bits << 16 | place in `codes`…] in base64 (null past 65,535 feed and
 * definition pairs), the Bloom filter of the hosts the link, domain and server labels name, and
 * those of the keys' words (each DOMAIN_WORDS site's apart). Sorts `entries` in place.
 */
export function encodePageIndex(
  id: string,
  feeds: PageIndexFeed[],
  entries: PageIndexEntry[],
  keys: IndexKeys,
  validUntil = Number.POSITIVE_INFINITY,
  scopeNames?: string[],
): PageIndexWire | null {
  entries.sort((a, b) => a.hi - b.hi || a.lo - b.lo || a.code - b.code);
  const n = entries.length;
  const codes: number[] = [];
  const places = new Map<number, number>();
  const words = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const e = entries[i] as PageIndexEntry;
    let place = places.get(e.code);
    if (place === undefined) {
      place = codes.push(e.code) - 1;
      places.set(e.code, place);
    }
    if (place >= SHARED_HASH) return null;
    words[i] = e.hi;
    words[n + i] = (e.lo & 0xffff0000) | place;
  }
  // Labels of two keys whose hashes share their top 48 bits: the tab asks the background for them.
  for (let i = 0, j = 1; i < n; i = j++) {
    const { hi, lo } = entries[i] as PageIndexEntry;
    let shared = false;
    for (
      ;
      j < n && (entries[j] as PageIndexEntry).hi === hi && (words[n + j] as number) >>> 16 === lo >>> 16;
      j++
    )
      shared ||= (entries[j] as PageIndexEntry).lo !== lo;
    if (shared) for (let k = i; k < j; k++) words[n + k] = (words[n + k] as number) | SHARED_HASH;
  }
  const hosts = filterOf(keys.hosts);
  return {
    id,
    feeds,
    count: n,
    entries: toBase64(new Uint8Array(words.buffer)),
    codes,
    hosts: { bits: toBase64(new Uint8Array(hosts.bits.buffer)), hashes: hosts.hashes },
    ...(keys.words
      ? {
          // Room for the domain words a tab's filter takes on (siteIndex).
          words: wordFilterOf(keys.words, DOMAIN_WORD_COUNT),
          siteWords: Object.fromEntries([...keys.siteWords].map(([site, set]) => [site, wordFilterOf(set)])),
        }
      : {}),
    ...(Number.isFinite(validUntil) ? { validUntil } : {}),
    ...(scopeNames
      ? { scopes: toBase64(Uint8Array.from(entries, (e) => e.scope ?? ANY_SITE)), scopeNames }
      : {}),
  };
}

/** Base64 to bytes (the engine's own decoder where there is one). */
function fromBase64(text: string): Uint8Array {
  const native = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
  return native ? native(text) : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Each full index's answers for the sites asked so far (made once per index and site). */
const forSites = new WeakMap<PageIndexWire, Map<string, PageIndexWire>>();

/** The memo key of the answer that holds every key (a site not in KEY_SITES, or an index without scopes). */
const EVERY_KEY = '';

/**
 * The index a tab of `site` is sent: the entries of every link, domain and server key and of the
 * account and post keys its pages give (KEY_SITES), without the entries' scopes; the whole index
 * for a site not named there or an index without scopes. Its `sites` tell the tab which account and
 * post keys it holds; its id is its own. Its entries are packed (sync/packed-entries.ts): every page
 * load carries them. Its word filters are the site's (`tabWords`), and only for a site whose tab
 * reads them (READS_WORDS).
 */
export function siteIndex(full: PageIndexWire, site: unknown): PageIndexWire {
  const { scopes, scopeNames, siteWords, words: _, ...whole } = full;
  const known = typeof site === 'string' && Object.hasOwn(KEY_SITES, site);
  const readsWords = !known || READS_WORDS.has(site as string);
  const keySites = known ? KEY_SITES[site as SiteId] : undefined;
  const cut = keySites && scopes !== undefined && scopeNames ? keySites : undefined;
  const memo = forSites.get(full) ?? new Map<string, PageIndexWire>();
  forSites.set(full, memo);
  const memoKey = known ? (site as string) : EVERY_KEY;
  const held = memo.get(memoKey);
  if (held) return held;
  const n = full.count;
  const bytes = fromBase64(full.entries);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, 2 * n);
  const base = { ...whole, ...(readsWords ? tabWords(full, known ? (keySites ?? []) : undefined) : {}) };
  let answer: PageIndexWire;
  if (cut && scopes !== undefined && scopeNames) {
    const wanted = new Uint8Array(256);
    wanted[ANY_SITE] = 1;
    for (const name of cut) if (scopeNames.includes(name)) wanted[scopeNames.indexOf(name)] = 1;
    const scope = fromBase64(scopes);
    let m = 0;
    for (let i = 0; i < n; i++) m += wanted[scope[i] as number] as number;
    const out = new Uint32Array(2 * m);
    for (let i = 0, j = 0; i < n; i++) {
      if (!wanted[scope[i] as number]) continue;
      out[j] = words[i] as number;
      out[m + j++] = words[n + i] as number;
    }
    answer = packed({ ...base, id: `${full.id}/${site}`, count: m, sites: [...cut] }, out);
  } else answer = packed(known ? { ...base, id: `${full.id}/${site}` } : base, words);
  memo.set(memoKey, answer);
  return answer;
}

/**
 * The word filters a tab is sent: the index's own, taking on the DOMAIN_WORDS of each site whose
 * keys the tab does not hold (`held`: its KEY_SITES; undefined: it may hold any), and the filter
 * of each site's words it does hold, apart (`moreWords`).
 */
function tabWords(full: PageIndexWire, held: readonly string[] | undefined): Partial<PageIndexWire> {
  const rest = full.words;
  if (!rest) return {};
  const bytes = fromBase64(rest.bits);
  const filter = {
    bits: new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2),
    hashes: rest.hashes,
  };
  let shortest = rest.shortest;
  const fewer = (length: number) => {
    if (length > 0 && (!shortest || length < shortest)) shortest = length;
  };
  const moreWords: PageIndexWire['moreWords'] = [];
  for (const [site, words] of Object.entries(full.siteWords ?? {})) {
    const domain = held && !held.includes(site) ? DOMAIN_WORDS.get(site) : undefined;
    if (domain)
      for (const word of domain) {
        filterAdd(filter, hashKey(word));
        fewer(word.length);
      }
    else {
      moreWords.push({ bits: words.bits, hashes: words.hashes });
      fewer(words.shortest);
    }
  }
  const bits = toBase64(new Uint8Array(filter.bits.buffer, filter.bits.byteOffset, filter.bits.byteLength));
  return {
    words: { bits, hashes: filter.hashes, shortest: shortest || 1 },
    ...(moreWords.length > 0 ? { moreWords } : {}),
  };
}

/** `wire` with `words` (its `count` entries, unpacked) as its packed entries. */
function packed(wire: PageIndexWire, words: Uint32Array): PageIndexWire {
  const { bytes, packing } = packEntries(words, wire.count, wire.codes.length);
  return { ...wire, entries: toBase64(bytes), packing };
}

/**
 * Every label of a version that a lookup can find now, with its key's hash: the entries of its own
 * index pages and of its base's (less the labels its changes replace), read from their blocks.
 */
async function versionLabels(
  db: CacheDb,
  feedId: string,
  version: VersionRecord,
  base: VersionRecord | undefined,
  now: Date,
): Promise<{ hi: number; lo: number; key: string; label: Label }[]> {
  const found: { hi: number; lo: number; key: string; label: Label }[] = [];
  const blocks = new Map<string, BlockRecord | undefined>();
  const memo: { replacedIds?: string[] } = {};
  for (const [indexed, inBase] of [[version, false], ...(base ? [[base, true] as const] : [])] as const) {
    const rows = await db.pages
      .where(':id')
      .between([indexed.id, 0], [indexed.id, 2 ** indexed.pageBits], true, false)
      .toArray();
    const hits: { hi: number; lo: number; chunk: string; block: number; offset: number }[] = [];
    for (const row of rows) {
      if (row.page === ID_PAGE) continue;
      const m = row.entries.length / 3;
      for (let i = 0; i < m; i++) {
        const at = locate(version.chunks, row.entries[2 * m + i] as number);
        if (!at) continue;
        hits.push({
          hi: row.entries[i] as number,
          lo: row.entries[m + i] as number,
          chunk: (version.chunks[at.chunk] as { sha256: string }).sha256,
          block: Math.floor(at.pos / BLOCK_LABELS),
          offset: at.pos % BLOCK_LABELS,
        });
      }
    }
    const blockId = (h: { chunk: string; block: number }) => `${h.chunk}\n${h.block}`;
    const needed = [...new Set(hits.map(blockId))].filter((id) => !blocks.has(id));
    const read = await db.blocks.bulkGet(
      needed.map((id) => {
        const [chunk, block] = id.split('\n');
        return [feedId, chunk as string, Number(block)] as [string, string, number];
      }),
    );
    needed.forEach((id, i) => {
      blocks.set(id, read[i]);
    });
    const labels: Label[] = [];
    const hashes: { hi: number; lo: number; key: string }[] = [];
    for (const [i, hit] of hits.entries()) {
      // A turn now and then: lookups arriving meanwhile are answered between slices, not after the build.
      if (i > 0 && i % BUILD_SLICE === 0) await new Promise((next) => setTimeout(next, 0));
      const block = blocks.get(blockId(hit));
      const one = block ? readLabel(block, hit.offset) : null;
      if (!one) continue;
      if (inBase && replacesLabel(version, one.label.id, memo)) continue;
      labels.push(one.label);
      hashes.push({ hi: hit.hi, lo: hit.lo, key: one.key });
    }
    const active = new Set(activeLabels(labels, now));
    labels.forEach((label, i) => {
      if (active.has(label)) found.push({ ...(hashes[i] as { hi: number; lo: number; key: string }), label });
    });
  }
  return found;
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return toBase64(bytes.subarray(0, 12));
}

/** Base64 of bytes, in slices (a 4 MB index must not be one call's arguments). */
function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // A multiple of 3, so only the last slice is padded.
  const SLICE = 3 * 8192;
  for (let i = 0; i < bytes.length; i += SLICE) {
    parts.push(btoa(String.fromCharCode(...bytes.subarray(i, i + SLICE))));
  }
  return parts.join('');
}
