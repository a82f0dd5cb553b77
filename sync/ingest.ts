/**
 * Ingest: turns a verified manifest and its verified chunks into a stored version of a feed that is
 * NOT yet current, then makes it current in one small transaction (a versioned swap), then deletes
 * what no version needs any more. Owns the write side of the cache layout (storage/db.ts).
 * Must never fetch or verify (the caller hands in checked labels), and never touch a feed's current
 * version before the flip: lookups see all-old or all-new, also when the worker dies mid-ingest.
 *
 *   manifest ─▶ for each chunk: held? reuse its hashes : loadChunk() ─▶ chunk + block rows
 *            ─▶ index entries (key hash → ordinal), retractions dropped ─▶ pages + filter + version
 *            ─▶ commitVersion(): version.complete, feed.currentVersion = it   (one transaction)
 *            ─▶ dropVersion(old) + collectFeedChunks()
 */
import {
  type ChunkRef,
  FEED_FORMAT_2,
  type FeedManifest,
  type Label,
  type Refusal,
  sha256Hex,
  utf8Encode,
} from '../feed';
import { labelKey } from '../feed/targets';
import {
  BLOCK_LABELS,
  type BlockRecord,
  type CacheDb,
  type ChunkListEntry,
  type ChunkRecord,
  type FeedRecord,
  type VersionRecord,
} from '../storage/db';
import { hashKey, IndexBuilder } from './keyindex';

/**
 * The key range of every compound key that starts with `parts`: arrays sort after every other
 * key type, so `[...parts, []]` is above any `[...parts, x, …]`.
 */
function prefix(...parts: string[]): [string[], (string | never[])[]] {
  return [parts, [...parts, []]];
}

/** A refusal also carries the verifier's kind and problems (feed/verify.ts), for tests and logs. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string; refusal?: Refusal };

export interface IngestRequest {
  feedId: string;
  manifest: FeedManifest;
  /** The chunk's labels, fetched and checked against the signed manifest (or why not). */
  loadChunk(ref: ChunkRef, index: number): Promise<Outcome<Label[]>>;
  /** Told about every chunk reused from the store instead of loaded (index in manifest.chunks). */
  heldChunk?(index: number, chunk: ChunkRecord): void;
  /**
   * Called once every chunk is stored, before the index is built: the last say on the whole
   * publication (the sync checks label ids across chunks here). `readId` reads a stored label's id.
   */
  allChunks?(
    readId: (index: number, position: number) => Promise<string | undefined>,
  ): Promise<Outcome<null>>;
  /** Labels processed of the total, after each chunk. */
  onProgress?(done: number, total: number): void;
  /** Labels buffered before a write transaction (default FLUSH_LABELS). */
  flushLabels?: number;
}

export interface StoredVersion {
  versionId: string;
  /** Labels that can match (retractions and unreadable targets left out). */
  labelCount: number;
}

/** Rows written per transaction while ingesting (fewer, larger transactions write faster). */
const FLUSH_LABELS = 20_000;

const INLINE_PREFIX = 'inline-';

/** What a reader is told when the browser refuses to store more. */
export const QUOTA_MESSAGE =
  'The browser has no storage space left for this feed; the copy you had is kept. Free some disk space and sync again.';

export function isQuotaError(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { inner?: unknown }).inner) {
    if ((e as { name?: unknown }).name === 'QuotaExceededError') return true;
  }
  return false;
}

/** A storage failure in words a reader understands. */
export function storageMessage(error: unknown): string {
  if (isQuotaError(error)) return QUOTA_MESSAGE;
  const detail = error instanceof Error ? error.message : String(error);
  return `The feed could not be stored (${detail}); the copy you had is kept.`;
}

/** Splits a chunk into its index row and its label block rows. */
export function chunkRows(feedId: string, sha256: string, labels: readonly Label[]) {
  const n = labels.length;
  const hashes = new Uint32Array(4 * n);
  const indexed = new Uint8Array(n);
  const negIds: string[] = [];
  const texts: string[] = new Array(n);
  const keys: string[] = new Array(n);
  labels.forEach((label, i) => {
    texts[i] = JSON.stringify(label);
    const id = hashKey(label.id);
    hashes[4 * i + 2] = id.hi;
    hashes[4 * i + 3] = id.lo;
    keys[i] = '';
    if (label.neg === true) {
      negIds.push(label.id);
      return;
    }
    const target = labelKey(label);
    if (!target.ok) return;
    keys[i] = target.key;
    const key = hashKey(target.key);
    hashes[4 * i] = key.hi;
    hashes[4 * i + 1] = key.lo;
    indexed[i] = 1;
  });
  const chunk: ChunkRecord = { feedId, sha256, count: n, hashes, indexed, negIds };
  const blocks: BlockRecord[] = [];
  for (let b = 0; b * BLOCK_LABELS < n; b++) {
    const start = b * BLOCK_LABELS;
    const end = start + BLOCK_LABELS;
    blocks.push({ feedId, sha256, block: b, labels: texts.slice(start, end), keys: keys.slice(start, end) });
  }
  return { chunk, blocks };
}

function chunkList(manifest: FeedManifest): ChunkListEntry[] {
  const list: ChunkListEntry[] = [];
  const inline = manifest.labels ?? [];
  if (inline.length > 0) {
    list.push({
      sha256: INLINE_PREFIX + sha256Hex(utf8Encode(JSON.stringify(inline))),
      count: inline.length,
    });
  }
  for (const ref of manifest.chunks ?? [])
    list.push({ sha256: ref.sha256, count: ref.count, ...(ref.layer === 'change' ? { change: true } : {}) });
  return list;
}

async function heldChunks(db: CacheDb, feedId: string): Promise<Set<string>> {
  const keys = await db.chunks
    .where(':id')
    .between(...prefix(feedId))
    .primaryKeys();
  return new Set(keys.map((k) => k[1]));
}

/** Where label `ordinal` of a version lives. */
export function locate(
  chunks: readonly ChunkListEntry[],
  ordinal: number,
): { chunk: number; pos: number } | null {
  let start = 0;
  for (let c = 0; c < chunks.length; c++) {
    const count = (chunks[c] as ChunkListEntry).count;
    if (ordinal < start + count) return { chunk: c, pos: ordinal - start };
    start += count;
  }
  return null;
}

/**
 * Writes a new, not-yet-current version of `feedId`. Chunks the feed already holds are reused
 * without calling loadChunk. On failure, rows written for the attempt are removed again.
 */
export async function writeVersion(db: CacheDb, request: IngestRequest): Promise<Outcome<StoredVersion>> {
  const { feedId, manifest } = request;
  const list = chunkList(manifest);
  const total = list.reduce((sum, c) => sum + c.count, 0);
  const versionId = crypto.randomUUID();
  let written = false;
  try {
    const held = await heldChunks(db, feedId);
    // Entries: key hash, ordinal, id hash; retractions are resolved once every chunk was seen.
    const keyHi = new Uint32Array(total);
    const keyLo = new Uint32Array(total);
    const ords = new Uint32Array(total);
    const idHi = new Uint32Array(total);
    const idLo = new Uint32Array(total);
    let entries = 0;
    const negIds = new Set<string>();
    let pendingChunks: ChunkRecord[] = [];
    let pendingBlocks: BlockRecord[] = [];
    let pendingLabels = 0;
    // One write transaction in flight while the next chunk is downloaded and parsed.
    let writing: Promise<void> = Promise.resolve();
    let writeError: unknown;
    const flush = async () => {
      await writing;
      if (writeError) throw writeError;
      if (pendingChunks.length === 0) return;
      const chunks = pendingChunks;
      const blocks = pendingBlocks;
      pendingChunks = [];
      pendingBlocks = [];
      pendingLabels = 0;
      writing = db
        .transaction('rw', db.chunks, db.blocks, async () => {
          await db.chunks.bulkPut(chunks);
          await db.blocks.bulkPut(blocks);
        })
        .catch((error: unknown) => {
          writeError = error;
        });
    };
    const settle = async () => {
      await flush();
      await writing;
      if (writeError) throw writeError;
    };

    const refs = manifest.chunks ?? [];
    const inlineOffset = list.length - refs.length;
    // The next chunk downloads (and is checked) while this one is indexed and written.
    const loads = new Map<number, Promise<Outcome<Label[]>>>();
    const startLoad = (c: number) => {
      const entry = list[c];
      if (!entry || c < inlineOffset || held.has(entry.sha256) || loads.has(c)) return;
      const load = request
        .loadChunk(refs[c - inlineOffset] as ChunkRef, c - inlineOffset)
        .catch((error: unknown): Outcome<Label[]> => ({ ok: false, message: String(error) }));
      loads.set(c, load);
    };

    const layered = manifest.format === FEED_FORMAT_2;
    // Id hash → the ordinal of its latest occurrence in a change chunk.
    const replacedBy = new Map<string, number>();
    // Chunk rows made in this attempt (a manifest may list the same chunk twice).
    const made = new Map<string, ChunkRecord>();
    let ordinal = 0;
    for (let c = 0; c < list.length; c++) {
      const entry = list[c] as ChunkListEntry;
      startLoad(c);
      let chunk: ChunkRecord | undefined;
      if (held.has(entry.sha256)) {
        chunk = made.get(entry.sha256) ?? (await db.chunks.get([feedId, entry.sha256]));
        if (chunk && c >= inlineOffset) request.heldChunk?.(c - inlineOffset, chunk);
      }
      if (!chunk && !held.has(entry.sha256)) startLoad(c + 1);
      if (!chunk) {
        let labels: Label[];
        if (c < inlineOffset) labels = manifest.labels ?? [];
        else {
          startLoad(c);
          const loaded = (await loads.get(c)) as Outcome<Label[]>;
          loads.delete(c);
          if (!loaded.ok) {
            await Promise.all(loads.values());
            await settle();
            return loaded;
          }
          labels = loaded.value;
        }
        const rows = chunkRows(feedId, entry.sha256, labels);
        chunk = rows.chunk;
        made.set(entry.sha256, rows.chunk);
        pendingChunks.push(rows.chunk);
        pendingBlocks.push(...rows.blocks);
        pendingLabels += labels.length;
        held.add(entry.sha256);
        if (pendingLabels >= (request.flushLabels ?? FLUSH_LABELS)) await flush();
      }
      if (chunk.count !== entry.count) {
        await Promise.all(loads.values());
        await settle();
        return {
          ok: false,
          message: `A part of the feed has ${chunk.count} labels; the manifest says ${entry.count}.`,
        };
      }
      const { hashes, indexed } = chunk;
      for (let pos = 0; pos < chunk.count; pos++) {
        if (indexed[pos] !== 1) continue;
        keyHi[entries] = hashes[4 * pos] as number;
        keyLo[entries] = hashes[4 * pos + 1] as number;
        idHi[entries] = hashes[4 * pos + 2] as number;
        idLo[entries] = hashes[4 * pos + 3] as number;
        ords[entries] = ordinal + pos;
        entries++;
      }
      // Format 1: a retraction drops every label with its id. Format 2: only earlier ones (below).
      if (!layered) for (const id of chunk.negIds) negIds.add(id);
      // A change chunk's labels (retractions too) replace earlier labels with the same id.
      if (entry.change) {
        for (let pos = 0; pos < chunk.count; pos++)
          replacedBy.set(`${chunk.hashes[4 * pos + 2]}:${chunk.hashes[4 * pos + 3]}`, ordinal + pos);
      }
      ordinal += chunk.count;
      request.onProgress?.(ordinal, total);
    }
    await settle();
    if (request.allChunks) {
      const verdict = await request.allChunks(async (index, position) => {
        const entry = list[index + inlineOffset];
        if (!entry) return undefined;
        const row = await db.blocks.get([feedId, entry.sha256, Math.floor(position / BLOCK_LABELS)]);
        const text = row?.labels[position % BLOCK_LABELS];
        return text === undefined ? undefined : (JSON.parse(text) as Label).id;
      });
      if (!verdict.ok) return verdict;
    }

    const retracted = await retractedOrdinals(db, feedId, list, negIds, { idHi, idLo, ords, entries });
    if (replacedBy.size > 0) {
      // By 64-bit id hash: ids of one feed colliding has odds of about 1 in 10^8 even at 2M labels.
      for (let e = 0; e < entries; e++) {
        const later = replacedBy.get(`${idHi[e]}:${idLo[e]}`);
        if (later !== undefined && later > (ords[e] as number)) retracted.add(ords[e] as number);
      }
    }
    const builder = new IndexBuilder(Math.max(1, entries - retracted.size));
    for (let e = 0; e < entries; e++) {
      const ord = ords[e] as number;
      if (!retracted.has(ord)) builder.add({ hi: keyHi[e] as number, lo: keyLo[e] as number }, ord);
    }
    const { pageBits, pages, filter } = builder.build();
    const version: VersionRecord = {
      id: versionId,
      feedId,
      sequence: manifest.sequence,
      complete: false,
      createdAt: new Date().toISOString(),
      definitions: manifest.definitions,
      chunks: list,
      pageBits,
      entryCount: builder.length,
    };
    await db.transaction('rw', db.versions, db.pages, db.filters, async () => {
      await db.pages.bulkPut([...pages].map(([page, entries]) => ({ versionId, page, entries })));
      await db.filters.put({ versionId, bits: filter.bits, hashes: filter.hashes });
      await db.versions.put(version);
    });
    written = true;
    return { ok: true, value: { versionId, labelCount: builder.length } };
  } catch (error) {
    return { ok: false, message: storageMessage(error) };
  } finally {
    // A failed attempt leaves nothing behind: the old copy is all there is.
    if (!written) await discardVersion(db, versionId, feedId);
  }
}

/**
 * Ordinals of labels retracted by a `neg` label of the same id. Id hashes pick the suspects; their
 * ids are then read from the stored label texts, so a hash collision never hides a label.
 */
async function retractedOrdinals(
  db: CacheDb,
  feedId: string,
  list: readonly ChunkListEntry[],
  negIds: ReadonlySet<string>,
  e: { idHi: Uint32Array; idLo: Uint32Array; ords: Uint32Array; entries: number },
): Promise<Set<number>> {
  const out = new Set<number>();
  if (negIds.size === 0) return out;
  const negHashes = new Set<string>();
  for (const id of negIds) {
    const h = hashKey(id);
    negHashes.add(`${h.hi}:${h.lo}`);
  }
  const suspects = new Map<string, { ord: number; offset: number }[]>();
  for (let i = 0; i < e.entries; i++) {
    if (!negHashes.has(`${e.idHi[i]}:${e.idLo[i]}`)) continue;
    const ord = e.ords[i] as number;
    const at = locate(list, ord);
    if (!at) continue;
    const block = Math.floor(at.pos / BLOCK_LABELS);
    const key = `${at.chunk}:${block}`;
    const group = suspects.get(key) ?? [];
    group.push({ ord, offset: at.pos % BLOCK_LABELS });
    suspects.set(key, group);
  }
  for (const [key, group] of suspects) {
    const [chunk, block] = key.split(':').map(Number) as [number, number];
    const sha = (list[chunk] as ChunkListEntry).sha256;
    const row = await db.blocks.get([feedId, sha, block]);
    for (const { ord, offset } of group) {
      const text = row?.labels[offset];
      if (text !== undefined && negIds.has((JSON.parse(text) as Label).id)) out.add(ord);
    }
  }
  return out;
}

/**
 * Makes a written version the feed's current one, with the feed's new metadata, in one
 * transaction; then deletes the previous version and every chunk no version lists.
 * Returns false when the feed was removed meanwhile (the version is then deleted).
 */
export async function commitVersion(
  db: CacheDb,
  feedId: string,
  versionId: string,
  patch: Partial<FeedRecord>,
): Promise<boolean> {
  const previous = await db.transaction('rw', db.feeds, db.versions, async () => {
    const feed = await db.feeds.get(feedId);
    const version = await db.versions.get(versionId);
    if (!feed || !version) return null;
    await db.versions.update(versionId, { complete: true });
    await db.feeds.put({ ...feed, ...patch, currentVersion: versionId });
    return { old: feed.currentVersion };
  });
  if (!previous) {
    await discardVersion(db, versionId, feedId);
    return false;
  }
  if (previous.old && previous.old !== versionId) await discardVersion(db, previous.old, feedId);
  return true;
}

/** Deletes a version that is not current and the chunks only it listed; never throws. */
export async function discardVersion(db: CacheDb, versionId: string, feedId: string): Promise<void> {
  try {
    await dropVersion(db, versionId);
    await collectFeedChunks(db, feedId);
  } catch {
    // Left for collectGarbage at the next start.
  }
}

export async function dropVersion(db: CacheDb, versionId: string): Promise<void> {
  await db.transaction('rw', db.versions, db.pages, db.filters, async () => {
    await db.pages
      .where(':id')
      .between(...prefix(versionId))
      .delete();
    await db.filters.delete(versionId);
    await db.versions.delete(versionId);
  });
}

/** Deletes the feed's chunks (and their blocks) that no stored version of the feed lists. */
export async function collectFeedChunks(db: CacheDb, feedId: string): Promise<void> {
  await db.transaction('rw', db.versions, db.chunks, db.blocks, async () => {
    const versions = await db.versions.where('feedId').equals(feedId).toArray();
    const listed = new Set(versions.flatMap((v) => v.chunks.map((c) => c.sha256)));
    const held = await heldChunks(db, feedId);
    for (const sha of held) {
      if (listed.has(sha)) continue;
      await db.blocks
        .where(':id')
        .between(...prefix(feedId, sha))
        .delete();
      await db.chunks.delete([feedId, sha]);
    }
  });
}

/** Deletes every chunk and label block stored for a feed. */
async function deleteAllChunks(db: CacheDb, feedId: string): Promise<void> {
  await db.blocks
    .where(':id')
    .between(...prefix(feedId))
    .delete();
  await db.chunks
    .where(':id')
    .between(...prefix(feedId))
    .delete();
}

/** Deletes a feed and everything stored for it. */
export async function deleteFeedData(db: CacheDb, feedId: string): Promise<void> {
  await db.transaction(
    'rw',
    [db.feeds, db.versions, db.pages, db.filters, db.chunks, db.blocks],
    async () => {
      const versions = await db.versions.where('feedId').equals(feedId).primaryKeys();
      for (const id of versions) {
        await db.pages
          .where(':id')
          .between(...prefix(id))
          .delete();
        await db.filters.delete(id);
      }
      await db.versions.bulkDelete(versions);
      await deleteAllChunks(db, feedId);
      await db.feeds.delete(feedId);
    },
  );
}

/**
 * Startup clean-up after a worker that died mid-sync: versions that never became current, their
 * pages and filters, and chunks no remaining version lists.
 */
export async function collectGarbage(db: CacheDb): Promise<void> {
  const feeds = await db.feeds.toArray();
  const current = new Map(feeds.map((f) => [f.id, f.currentVersion]));
  const versions = await db.versions.toArray();
  for (const v of versions) {
    if (current.get(v.feedId) !== v.id) await dropVersion(db, v.id);
  }
  const live = new Set(versions.filter((v) => current.get(v.feedId) === v.id).map((v) => v.id));
  const pageKeys = await db.pages.toCollection().primaryKeys();
  const strayPages = pageKeys.filter(([versionId]) => !live.has(versionId));
  if (strayPages.length) await db.pages.bulkDelete(strayPages);
  const filterKeys = await db.filters.toCollection().primaryKeys();
  const strayFilters = filterKeys.filter((id) => !live.has(id));
  if (strayFilters.length) await db.filters.bulkDelete(strayFilters);
  const chunkKeys = await db.chunks.toCollection().primaryKeys();
  for (const feedId of new Set(chunkKeys.map(([f]) => f))) {
    if (current.has(feedId)) await collectFeedChunks(db, feedId);
    else await deleteAllChunks(db, feedId);
  }
}
