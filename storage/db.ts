/**
 * The label cache: one Dexie (IndexedDB) database in the extension origin, opened only by the
 * background service worker. Content scripts never open it; they ask the background (`lookup`).
 * Owns the schema and the record shapes; what goes in and how it is read live in sync/.
 * Must never hold reader settings (storage/settings.ts) or anything a reader cannot rebuild by
 * syncing again: clearing it loses nothing but downloaded feeds.
 *
 * Layout (how a publication maps onto it: sync/cache-layout.ts; measured numbers in the header of
 * sync/lookup.ts):
 *
 *   feeds     one row per subscription: URL, pinned key, state, last error, sequence, expiry,
 *             enabled, etag/last-modified, bundled flag, and `currentVersion`.
 *   versions  one row per stored publication of a feed: definitions, the ordered chunk list,
 *             page count. `complete` is set in the same transaction that points the feed at it.
 *   chunks    one row per feed chunk, keyed [feedId+sha256] and shared by every version that lists
 *             it: per label the 64-bit hashes of its normalised key and its id, its id, and the ids
 *             its retractions name. Enough to index a new version without re-reading label texts.
 *   blocks    the chunk's labels, 256 a row: their JSON text as one run of UTF-8 bytes cut from the
 *             verified chunk, and where each label starts and ends in it, so a lookup hit reads
 *             ~75 KB rather than a whole multi-megabyte chunk, and ingest serialises nothing.
 *   pages     the version's key index split by the top bits of a 64-bit key hash: sorted
 *             (hash, label ordinal) triples in one Uint32Array, ~1,000 entries a page.
 *   filters   a Bloom filter of the version's keys, read first so most lookups touch no page.
 *
 * A small update is stored as changes over the full version held (its own pages and filter for the
 * new change chunks; sync/cache-layout.ts), and that full version stays while it is the base.
 * A lookup reads the filter, then only the pages and chunks its keys hit. A sync writes a new
 * version beside the old one and flips `feeds.currentVersion` in one small transaction, so a
 * lookup sees all-old or all-new even when the worker dies mid-ingest (orphans are collected).
 */
import Dexie, { type Table } from 'dexie';
import type { LabelDefinition } from '../feed/types';
import {
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  SCHEMA_V4,
  SCHEMA_V5,
  upgradeV1toV2,
  upgradeV2toV3,
  upgradeV3toV4,
  upgradeV4toV5,
} from './migrations';

export const CACHE_DB_NAME = 'context-lens-cache';

export interface FeedRecord {
  /** The subscribed feed.json URL; for the bundled feed, its manifest id. */
  id: string;
  /** Where feed.json is fetched from (for the bundled feed: inside the extension package). */
  url: string;
  /**
   * The signed manifest's `id`, pinned at subscription (absent on subscriptions made before it was
   * kept: then the subscribed URL). Every later publication must carry it, and name `url` as its id
   * or a mirror (feed/address.ts).
   */
  manifestId?: string;
  bundled: boolean;
  enabled: boolean;
  /** base64 raw Ed25519 key every publication must be signed with (pinned on first use). */
  publicKey: string;
  /** Hex SHA-256 of the pinned raw key. */
  keyFingerprint: string;
  /**
   * The key the pinned key announced as `nextKey` (base64): publications signed by it are accepted
   * beside the pinned key's, and the first one signed by it makes it the pinned key.
   */
  nextKey?: string;
  /** The key pinned before the last rotation: accepted only for the publication already held. */
  retiredKey?: string;
  /** The version lookups read; absent until the first sync succeeds. */
  currentVersion?: string;
  /** The full version `currentVersion` is stored as changes over, if any (read beside it). */
  currentBase?: string;
  /** Sequence of the current version; 0 before the first sync. */
  sequence: number;
  /** Hex SHA-256 of the current version's signed payload: a later copy with the same sequence must match it. */
  payloadSha256?: string;
  name: string;
  publisher: string;
  homepage: string;
  appeals: string;
  description: string;
  issued?: string;
  expires?: string;
  /** Labels that can match (retractions applied). */
  labelCount: number;
  addedAt: string;
  /** ISO: the last successful sync (new data, or the server said nothing changed). */
  lastUpdated?: string;
  /** The last failed sync, in words a reader understands; cleared by the next success. */
  lastError?: { message: string; at: string };
  etag?: string;
  lastModified?: string;
  /** Failed syncs in a row (drives the retry backoff). */
  failures: number;
  /** Epoch ms of the next retry after a failure. */
  nextRetryAt?: number;
}

export interface ChunkListEntry {
  sha256: string;
  count: number;
  /** A format-2 change chunk: its labels replace earlier labels with the same id. */
  change?: true;
  /** The ChunkRef's `bytes` and `encoding` it was listed with (absent in rows stored before they were kept). */
  bytes?: number;
  encoding?: 'gzip';
}

export interface VersionRecord {
  /** Random id; never reused. */
  id: string;
  feedId: string;
  sequence: number;
  /** Set only in the transaction that makes this version the feed's current one. */
  complete: boolean;
  createdAt: string;
  definitions: LabelDefinition[];
  /** The chunks in manifest order; a label's ordinal counts through them (inline labels first). */
  chunks: ChunkListEntry[];
  /** `pages` rows: 2^pageBits of them (missing rows are empty pages). */
  pageBits: number;
  /** Index entries (labels that can match) in this version's own pages. */
  entryCount: number;
  /**
   * The manifest's `keyRules` the chunks were checked under (`{}`: none); absent in rows stored
   * before it was kept, which are never a base.
   */
  checkedUnder?: { keyRules?: number };
  /**
   * A version stored as changes over a full one (sync/cache-layout.ts): `base` is a complete version
   * without a base whose chunk list is this one's first `baseChunks` entries; its pages and filter
   * index those, this version's own pages and filter index the rest (change chunks only).
   */
  base?: string;
  baseChunks?: number;
  /**
   * With `base`: the ids of every label of this version's own chunks (they replace the base's labels
   * with the same id), sorted by their 64-bit hash: `[hi…, lo…]`, and the ids joined by line feeds
   * in the same order.
   */
  replaced?: Uint32Array;
  replacedIds?: string;
}

export interface ChunkRecord {
  feedId: string;
  sha256: string;
  count: number;
  /** Per label: key hash hi, key hash lo, id hash hi, id hash lo. */
  hashes: Uint32Array;
  /** Per label: 1 when it can match (not a retraction, target normalised). */
  indexed: Uint8Array;
  /** Label ids retracted by the chunk's `neg` labels. */
  negIds: string[];
  /**
   * Every label's id, in order, joined by line feeds (an id has none): a change chunk's label
   * replaces an earlier one only when the ids' text is equal, not just their hash. One string
   * stores and loads far faster than thousands.
   */
  ids: string;
  /**
   * What the chunk's file was checked against when it was downloaded: the sync reuses the row for
   * a later publication only when that publication lists and frames it the same way, else it checks
   * the file again, as `verify` does. Absent in rows stored before it was kept.
   */
  checked?: ChunkChecked;
}

/** A chunk file's listing and the manifest context its labels were checked under. */
export interface ChunkChecked {
  /** The ChunkRef's `bytes` and `encoding`. */
  bytes: number;
  encoding?: 'gzip';
  /** The manifest's `keyRules` (absent: every target was normalised). */
  keyRules?: number;
  /** Every distinct `val` of its labels (each must stay a definition of the manifest). */
  vals: string[];
}

/**
 * Labels per block row. Rows over about 64 KB write several times faster per byte than smaller
 * ones (150 MB as 18 KB rows: 5–8 s, as 73 KB rows: ~2 s; in a bare worker in Chromium 150,
 * 9,766 rows of 30 KB: 5–10 s, 3,906 of 77 KB: 0.4–0.9 s). Why is not settled: the sixth session
 * put it down to Chromium keeping a value over 64 KB in a file of its own, but after a 1M-label
 * ingest in Chromium 150 the database's blob folder held 202 files and none of them a block. A
 * lookup hit reads its whole row, and the time to read a row grows with its bytes, so rows should
 * pass that line and no more: 256 labels of a format-2 feed (~300 bytes each, key and id carried)
 * make ~77 KB (512 up to schema v4). A lookup hit reads one row and parses only its label.
 */
export const BLOCK_LABELS = 256;

export interface BlockRecord {
  feedId: string;
  sha256: string;
  block: number;
  /**
   * Labels `block * BLOCK_LABELS …` of the chunk as UTF-8 JSON, parsed only when a lookup hits
   * one: the verified chunk's own bytes (with whatever lay between its labels), or labels
   * serialised one after the other.
   */
  text: Uint8Array;
  /** Label i's JSON is `text[spans[2i] … spans[2i+1])`. */
  spans: Uint32Array;
  /**
   * Each label's normalised target key ('' for retractions and targets that did not normalise),
   * when the texts' own `key` fields are not this reader's keys (format 1, other target rules).
   */
  keys?: string[];
}

export interface PageRecord {
  versionId: string;
  page: number;
  /** [hi…, lo…, ordinal…] of the page's entries, sorted by (hi, lo). */
  entries: Uint32Array;
}

export interface FilterRecord {
  versionId: string;
  bits: Uint32Array;
  hashes: number;
}

export class CacheDb extends Dexie {
  feeds!: Table<FeedRecord, string>;
  versions!: Table<VersionRecord, string>;
  chunks!: Table<ChunkRecord, [string, string]>;
  blocks!: Table<BlockRecord, [string, string, number]>;
  pages!: Table<PageRecord, [string, number]>;
  filters!: Table<FilterRecord, string>;

  constructor(name: string = CACHE_DB_NAME) {
    super(name);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2).upgrade(upgradeV1toV2);
    this.version(3).stores(SCHEMA_V3).upgrade(upgradeV2toV3);
    this.version(4).stores(SCHEMA_V4).upgrade(upgradeV3toV4);
    this.version(5).stores(SCHEMA_V5).upgrade(upgradeV4toV5);
  }
}

let shared: CacheDb | undefined;

/** The background's database handle (opened lazily; Dexie reopens it after a worker restart). */
export function cacheDb(): CacheDb {
  shared ??= new CacheDb();
  return shared;
}
