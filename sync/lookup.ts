/**
 * The lookup service: normalised target keys in, the labels of enabled feeds that apply to them out.
 * Reads the cache through its layout (sync/cache-layout.ts), and only what the asked keys need:
 *
 *   keys ─hash─▶ per enabled feed: filter (one row) ─maybe─▶ index page (one row, ~12 KB)
 *        ─binary search─▶ label ordinals ─▶ label blocks (one row per 256 labels) ─▶ key text equal?
 *        ─▶ activeLabels(now): expired labels dropped ─▶ MatchedLabel[]
 *
 * A version stored as changes over a full one (sync/cache-layout.ts) is searched in both indexes;
 * a label found through the base's whose id the changes carry (its text compared) is replaced.
 *
 * Everything read is immutable per version id (a sync writes a new version and flips the feed to
 * it), so an in-memory LRU of versions, filters, pages and blocks is a cache, never state: a worker
 * that just woke simply reads the rows again. Once a version has answered a few lookups in this
 * worker's life, all of its index pages are read in the background whenever lookups pause (12
 * bytes a label), so later lookups read only the label blocks they hit: one IndexedDB round trip.
 * The list of enabled feeds is kept too, and dropped whenever a write to the feeds table commits
 * (Dexie's storagemutated event, fired at the commit before any awaiting code runs); a list read
 * while such a write committed is not kept.
 * The rows a lookup reads are read straight from IndexedDB (LookupReader), in one read transaction
 * when they can be; every row is immutable once a feed names its version, so it never mixes two
 * versions of a feed.
 * Must never write, and never read a whole feed's labels into memory.
 *
 * Measured by `npm run bench -- feed` (bench/feed/: 1,000,000 labels in the built extension in
 * Chromium, 200 keys a lookup, 10 of them labelled); the figures are in docs/benchmarks.md.
 */
import Dexie from 'dexie';
import { activeLabels, type Label, type LabelDefinition } from '../feed';
import { labelFeedFields } from '../messaging/label-feed';
import type { MatchedLabel } from '../messaging/protocol';
import {
  BLOCK_LABELS,
  type BlockRecord,
  type CacheDb,
  type FeedRecord,
  type FilterRecord,
  type PageRecord,
  type VersionRecord,
} from '../storage/db';
import { findHash, locate, readLabel } from './cache-layout';
import { filterHas, hashKey, type KeyHash, pageOf, searchPage } from './keyindex';

/** Keys accepted in one lookup; the rest of a longer request is ignored. */
export const MAX_LOOKUP_KEYS = 2_000;

class Lru<V> {
  private map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  clear(): void {
    this.map.clear();
  }
}

interface VersionView {
  version: VersionRecord;
  filter: FilterRecord | undefined;
  definitions: Map<string, LabelDefinition>;
  /** The replaced ids' text (a version stored as changes), split when first needed. */
  replacedIds?: string[];
}

const versions = new Lru<VersionView>(64);
const pages = new Lru<Uint32Array>(2_048);
const blocks = new Lru<BlockRecord>(512);
/** Stored for a missing page row (an empty page). */
const EMPTY_PAGE = new Uint32Array(0);

/** Whole key indexes of versions (page → entries), read after a version's first lookup. */
const indexes = new Map<string, Map<number, Uint32Array>>();
/** Index entries held in `indexes` at most (12 bytes each); the first read are dropped first. */
const MAX_HELD_ENTRIES = 3_000_000;
let heldEntries = 0;
const indexSizes = new Map<string, number>();
/** Versions whose index is being read or was read. */
const indexReads = new Set<string>();
/** Lookups a version answered in this worker's life, until its whole index is read. */
const answered = new Map<string, number>();
/**
 * A version's whole index is read once it has answered this many lookups since the worker started:
 * a worker woken for a lookup or two never pays for it; one serving a reader's scrolling does.
 * Once it is held, a warm lookup reads only its label blocks: one round of reads instead of two.
 * (Both are rows inside the database: in Chromium 150 the ~77 KB blocks are not kept as files of
 * their own; after a 1M-label ingest the database's blob folder held 202 files, 153 KB to 8 MB,
 * none of them a block.)
 */
const LOOKUPS_BEFORE_WHOLE_INDEX = 4;
/**
 * Index pages read together while a whole index is read (8 pages: ~100 KB). A lookup arriving
 * while a slice is read waits for it (the database answers in order, and the worker decodes the
 * slice on its one thread), so slices stay small; 64-page slices (~0.8 MB) held lookups for tens
 * of ms each.
 */
const WHOLE_INDEX_SLICE = 8;

/**
 * How long no lookup must have run before each slice of a whole-index read starts. A burst of
 * lookups (a page opening, the bench's back-to-back ones) is served from stored pages, two rounds
 * of reads each, rather than each lookup waiting behind a slice: with a slice between every two
 * lookups, a 1M-label index (128 slices) was never held before the burst ended, and any lookup of
 * it could wait for a slice (bench/feed/browser.ts A/B, warm medians, slices between lookups →
 * after a quiet spell: 5.6 → 5.6, 5.5 → 4.3, 6.0 → 4.9 ms in three sittings). Once the lookups
 * pause, the slices follow each other at once.
 */
const SLICE_QUIET_MS = 40;

/** Lookups in progress; when the last one started or ended; who waits for a quiet spell. */
let lookupsInFlight = 0;
let lastLookupAt = Number.NEGATIVE_INFINITY;
let noLookups: (() => void)[] = [];

/** Resolves once no lookup is in progress and none has run for SLICE_QUIET_MS. */
function betweenLookups(): Promise<void> {
  return new Promise((done) => {
    const check = () => {
      if (lookupsInFlight > 0) {
        noLookups.push(check);
        return;
      }
      const quietFor = performance.now() - lastLookupAt;
      if (quietFor >= SLICE_QUIET_MS) setTimeout(done, 0);
      else setTimeout(check, SLICE_QUIET_MS - quietFor);
    };
    check();
  });
}

function lookupDone(): void {
  lastLookupAt = performance.now();
  if (--lookupsInFlight > 0) return;
  const waiting = noLookups;
  noLookups = [];
  for (const wake of waiting) wake();
}

/** Enabled feeds with a current version, per database, while no write to `feeds` has committed. */
const feedLists = new Map<string, FeedRecord[]>();
let feedsGeneration = 0;

Dexie.on('storagemutated', (parts) => {
  // Parts are named `idb://<database>/<table>/<index>`.
  for (const part of Object.keys(parts)) {
    const segments = part.split('/');
    if (segments[segments.length - 2] === 'feeds') {
      feedsGeneration++;
      feedLists.clear();
      return;
    }
  }
});

/** Forgets every cached row (tests; the cache never needs it for correctness). */
export function clearLookupCache(): void {
  versions.clear();
  pages.clear();
  blocks.clear();
  indexes.clear();
  indexSizes.clear();
  indexReads.clear();
  answered.clear();
  heldEntries = 0;
  feedLists.clear();
  feedsGeneration++;
}

async function enabledFeeds(db: CacheDb): Promise<FeedRecord[]> {
  const held = feedLists.get(db.name);
  if (held) return held;
  const generation = feedsGeneration;
  const feeds = (await db.feeds.toArray()).filter((f) => f.enabled && f.currentVersion);
  // A write to feeds that committed meanwhile may not be in what was read: keep nothing then.
  if (generation === feedsGeneration) feedLists.set(db.name, feeds);
  return feeds;
}

/**
 * Reads every index page of a version into memory, once, outside any lookup's transaction; a
 * version dropped meanwhile leaves nothing (its rows are gone, so nothing is kept).
 */
function readWholeIndex(db: CacheDb, version: VersionRecord): void {
  if (indexReads.has(version.id) || version.entryCount > MAX_HELD_ENTRIES) return;
  const count = (answered.get(version.id) ?? 0) + 1;
  answered.set(version.id, count);
  if (count < LOOKUPS_BEFORE_WHOLE_INDEX) return;
  answered.delete(version.id);
  indexReads.add(version.id);
  const read = new Promise<void>((finish) => setTimeout(() => readSlices(db, version).finally(finish), 0));
  reading.add(read);
  void read.then(() => reading.delete(read));
}

/** readWholeIndex's work: the version's pages, a slice at a time, each after a quiet spell. */
async function readSlices(db: CacheDb, version: VersionRecord): Promise<void> {
  try {
    // A slice of pages at a time, each its own short read started only after a quiet spell
    // (betweenLookups), so a lookup waits for one small slice at most, not for the whole index.
    const byPage = new Map<number, Uint32Array>();
    for (let from = 0; from < 2 ** version.pageBits; from += WHOLE_INDEX_SLICE) {
      await betweenLookups();
      const rows = await db.pages
        .where(':id')
        .between([version.id, from], [version.id, from + WHOLE_INDEX_SLICE], true, false)
        .toArray();
      for (const row of rows) {
        byPage.set(row.page, row.entries);
        // Lookups arriving before the whole index is held find the pages read so far.
        pages.set(`${version.id}/${row.page}`, row.entries);
      }
    }
    const still = await db.versions.get(version.id);
    if (!still?.complete || !indexReads.has(version.id)) return;
    indexes.set(version.id, byPage);
    indexSizes.set(version.id, version.entryCount);
    heldEntries += version.entryCount;
    for (const [id, size] of indexSizes) {
      if (heldEntries <= MAX_HELD_ENTRIES || id === version.id) break;
      indexes.delete(id);
      indexSizes.delete(id);
      indexReads.delete(id);
      heldEntries -= size;
    }
  } catch {
    indexReads.delete(version.id);
  }
}

/** Whole-index reads started and not yet ended. */
const reading = new Set<Promise<void>>();

/** Settles once every whole-index read started so far has ended (tests). */
export async function wholeIndexReads(): Promise<void> {
  await Promise.all(reading);
}

/** Whether a version's whole index is held in memory (tests). */
export function holdsWholeIndex(versionId: string): boolean {
  return indexes.has(versionId);
}

/** Page `page` of a version, when it is in memory (a missing row of a read index: empty). */
function heldPage(version: VersionRecord, page: number): Uint32Array | undefined {
  const whole = indexes.get(version.id);
  if (whole) return whole.get(page) ?? EMPTY_PAGE;
  return pages.get(`${version.id}/${page}`);
}

/** The tables a lookup reads, and their rows. */
interface Rows {
  versions: VersionRecord;
  filters: FilterRecord;
  pages: PageRecord;
  blocks: BlockRecord;
}

/**
 * One lookup's reads, straight from IndexedDB in one read-only transaction (opened at the first
 * read): each read resolves as its requests succeed, so the answer does not wait for the
 * transaction to commit, nor for Dexie's promise machinery. Every row it reads is never changed
 * once written (versions are complete before a feed names them; pages, filters and blocks are
 * keyed by version or by chunk hash), so should the transaction have ended between two reads (the
 * worker did other work meanwhile), a new one reads the same rows.
 */
export class LookupReader {
  private tx: IDBTransaction | undefined;
  constructor(private readonly db: CacheDb) {}

  async get<T extends keyof Rows>(table: T, keys: readonly IDBValidKey[]): Promise<(Rows[T] | undefined)[]> {
    if (keys.length === 0) return [];
    if (!this.db.isOpen()) await this.db.open();
    const issue = () => {
      const store = this.store(table);
      return keys.map((key) => store.get(key) as IDBRequest<Rows[T] | undefined>);
    };
    let requests: IDBRequest<Rows[T] | undefined>[];
    try {
      requests = issue();
    } catch {
      // Ended or inactive: the rows are the same in a new transaction.
      this.tx = undefined;
      requests = issue();
    }
    return new Promise((done, fail) => {
      const out = new Array<Rows[T] | undefined>(keys.length);
      let left = keys.length;
      requests.forEach((request, i) => {
        request.onsuccess = () => {
          out[i] = request.result;
          if (--left === 0) done(out);
        };
        request.onerror = () => fail(request.error);
      });
    });
  }

  private store(table: keyof Rows): IDBObjectStore {
    this.tx ??= this.db.backendDB().transaction(['versions', 'filters', 'pages', 'blocks'], 'readonly');
    return this.tx.objectStore(table);
  }
}

async function versionView(reader: LookupReader, versionId: string): Promise<VersionView | undefined> {
  const cached = versions.get(versionId);
  if (cached) return cached;
  const [[version], [filter]] = await Promise.all([
    reader.get('versions', [versionId]),
    reader.get('filters', [versionId]),
  ]);
  if (!version?.complete) return undefined;
  const view = { version, filter, definitions: new Map(version.definitions.map((d) => [d.id, d])) };
  versions.set(versionId, view);
  return view;
}

interface Hit {
  key: string;
  chunk: string;
  block: number;
  offset: number;
  /** Found in the base of a version stored as changes: replaced when the changes carry its id. */
  inBase: boolean;
}

/** The hits of `keys` in one version's own index (its pages and filter). */
async function indexHits(
  db: CacheDb,
  reader: LookupReader,
  view: VersionView,
  chunks: VersionRecord['chunks'],
  keys: readonly string[],
  hashes: readonly KeyHash[],
  inBase: boolean,
): Promise<Hit[]> {
  const { version, filter } = view;
  if (!filter) return [];
  const filterBits = { bits: filter.bits, hashes: filter.hashes };
  // Keys that pass the filter, grouped by page.
  const wanted = new Map<number, number[]>();
  hashes.forEach((hash, i) => {
    if (!filterHas(filterBits, hash)) return;
    const page = pageOf(hash.hi, version.pageBits);
    const list = wanted.get(page) ?? [];
    list.push(i);
    wanted.set(page, list);
  });
  readWholeIndex(db, version);
  if (wanted.size === 0) return [];
  const found = new Map<number, Uint32Array>();
  const missing: number[] = [];
  for (const p of wanted.keys()) {
    const entries = heldPage(version, p);
    if (entries) found.set(p, entries);
    else missing.push(p);
  }
  if (missing.length) {
    const rows = await reader.get(
      'pages',
      missing.map((p) => [version.id, p]),
    );
    missing.forEach((p, i) => {
      const entries = rows[i]?.entries ?? EMPTY_PAGE;
      pages.set(`${version.id}/${p}`, entries);
      found.set(p, entries);
    });
  }
  const hits: Hit[] = [];
  for (const [page, asked] of wanted) {
    const entries = found.get(page) ?? EMPTY_PAGE;
    if (entries.length === 0) continue;
    for (const i of asked) {
      for (const ordinal of searchPage(entries, hashes[i] as KeyHash)) {
        const at = locate(chunks, ordinal);
        if (!at) continue;
        const chunk = (chunks[at.chunk] as { sha256: string }).sha256;
        hits.push({
          key: keys[i] as string,
          chunk,
          block: Math.floor(at.pos / BLOCK_LABELS),
          offset: at.pos % BLOCK_LABELS,
          inBase,
        });
      }
    }
  }
  return hits;
}

/** Whether a version stored as changes carries label id `id` (so its base's label is replaced). */
function replaces(view: VersionView, id: string): boolean {
  return replacesLabel(view.version, id, view);
}

/**
 * Whether a version stored as changes carries label id `id`, so its base's label with that id is
 * replaced (also sync/page-index.ts). `memo` keeps the split id list between calls.
 */
export function replacesLabel(version: VersionRecord, id: string, memo: { replacedIds?: string[] }): boolean {
  const { replaced, replacedIds } = version;
  if (!replaced || replacedIds === undefined) return false;
  const { hi, lo } = hashKey(id);
  const at = findHash(replaced, hi, lo);
  if (at < 0) return false;
  memo.replacedIds ??= replacedIds.split('\n');
  // Equal hashes sit side by side: the id's text decides.
  const m = replaced.length / 2;
  for (let k = at; k < m && replaced[k] === hi && replaced[m + k] === lo; k++) {
    if (memo.replacedIds[k] === id) return true;
  }
  return false;
}

async function lookupFeed(
  db: CacheDb,
  reader: LookupReader,
  feed: FeedRecord,
  keys: readonly string[],
  hashes: readonly KeyHash[],
): Promise<{ key: string; label: Label }[]> {
  if (!feed.currentVersion) return [];
  // The feed row names the base too, so both are read at once.
  const [view, named] = await Promise.all([
    versionView(reader, feed.currentVersion),
    feed.currentBase ? versionView(reader, feed.currentBase) : undefined,
  ]);
  if (!view) return [];
  const { chunks, base } = view.version;
  const baseView = !base ? undefined : named?.version.id === base ? named : await versionView(reader, base);
  if (base && !baseView) return [];
  const [own, inBase] = await Promise.all([
    indexHits(db, reader, view, chunks, keys, hashes, false),
    baseView ? indexHits(db, reader, baseView, chunks, keys, hashes, true) : [],
  ]);
  const hits = inBase.length ? [...inBase, ...own] : own;
  const blockKey = (h: Hit) => `${feed.id}\n${h.chunk}\n${h.block}`;
  const needed = [...new Set(hits.map(blockKey))].filter((k) => !blocks.get(k));
  if (needed.length) {
    const ids = needed.map((k) => {
      const [, chunk, block] = k.split('\n');
      return [feed.id, chunk as string, Number(block)] as [string, string, number];
    });
    const rows = await reader.get('blocks', ids);
    rows.forEach((row, i) => {
      if (row) blocks.set(needed[i] as string, row);
    });
  }
  const labels: { key: string; label: Label }[] = [];
  for (const hit of hits) {
    const row = blocks.get(blockKey(hit));
    const read = row ? readLabel(row, hit.offset) : null;
    // The hash only narrowed the search: the stored key text decides.
    if (read?.key !== hit.key) continue;
    if (hit.inBase && replaces(view, read.label.id)) continue;
    labels.push({ key: hit.key, label: read.label });
  }
  return labels;
}

function isPast(iso: string | undefined, now: Date): boolean {
  if (!iso) return false;
  const t = Date.parse(iso);
  return Number.isFinite(t) && t < now.getTime();
}

/** The labels of enabled feeds that apply to `keys` now (retracted and expired labels never). */
export async function lookupLabels(
  db: CacheDb,
  keys: readonly string[],
  now = new Date(),
): Promise<MatchedLabel[]> {
  const unique = [...new Set(keys.filter((k) => typeof k === 'string' && k.length > 0))].slice(
    0,
    MAX_LOOKUP_KEYS,
  );
  if (unique.length === 0) return [];
  lookupsInFlight++;
  lastLookupAt = performance.now();
  try {
    return await matchLabels(db, unique, now);
  } finally {
    lookupDone();
  }
}

async function matchLabels(db: CacheDb, unique: string[], now: Date): Promise<MatchedLabel[]> {
  const hashes = unique.map(hashKey);
  const feeds = await enabledFeeds(db);
  if (feeds.length === 0) return [];
  const reader = new LookupReader(db);
  const perFeed = await Promise.all(feeds.map((feed) => lookupFeed(db, reader, feed, unique, hashes)));
  const out: MatchedLabel[] = [];
  feeds.forEach((feed, f) => {
    const found = perFeed[f] ?? [];
    if (found.length === 0) return;
    const view = versions.get(feed.currentVersion as string);
    if (!view) return;
    const stale = isPast(feed.expires, now);
    const keyOf = new Map(found.map((x) => [x.label, x.key]));
    for (const label of activeLabels(
      found.map((x) => x.label),
      now,
    )) {
      const definition = view.definitions.get(label.val);
      if (!definition) continue;
      out.push({
        key: keyOf.get(label) as string,
        ...labelFeedFields(feed, stale, feed.lastUpdated ?? view.version.createdAt),
        labelId: label.id,
        definition: {
          id: definition.id,
          title: definition.title,
          description: definition.description,
          severity: definition.severity,
          defaultAction: definition.defaultAction,
        },
        ...(label.note !== undefined ? { note: label.note } : {}),
        sources: label.sources,
        ...(label.since !== undefined ? { since: label.since } : {}),
        ...(label.until !== undefined ? { until: label.until } : {}),
        cts: label.cts,
        ...(label.exp !== undefined ? { exp: label.exp } : {}),
      });
    }
  });
  return out;
}
