/**
 * Ingest: turns a verified manifest and its verified chunks into a stored version of a feed that is
 * NOT yet current, then makes it current in one small transaction (a versioned swap), then deletes
 * what no version needs any more. Owns the write side of the cache (its layout: sync/cache-layout.ts).
 * Must never fetch or verify (the caller hands in checked labels), and never touch a feed's current
 * version before the flip: lookups see all-old or all-new, also when the worker dies mid-ingest.
 *
 *   manifest ─▶ change chunks first, then the others: held? reuse its row : loadChunk() ─▶ rows
 *            ─▶ index entries (key hash → ordinal); labels a later change chunk replaces (same id
 *               text, not just hash) or a format-1 retraction names are left out ─▶ pages + filter
 *            ─▶ commitVersion(): version.complete, feed.currentVersion = it   (one transaction)
 *            ─▶ dropVersion(every other version but its base) + collectFeedChunks()
 *
 * A publication that adds a few change chunks to the chunks of the full version held (changesOver,
 * and the caller's heldPrefix) is stored as changes over it: only those chunks are read and
 * indexed, and the held chunk rows are not read at all.
 */
import { type ChunkRef, FEED_FORMAT_2, type FeedManifest, type Label, type Refusal } from '../feed';
import { KEY_RULES } from '../feed/targets';
import type {
  BlockRecord,
  CacheDb,
  ChunkListEntry,
  ChunkRecord,
  FeedRecord,
  VersionRecord,
} from '../storage/db';
import {
  changesOver,
  chunkIds,
  chunkList,
  chunkRows,
  chunkStarts,
  findHash,
  ID_PAGE,
  locate,
  prefix,
} from './cache-layout';
import { hashKey, IndexBuilder, sortedHashes } from './keyindex';

export { chunkRows, locate };

/** A refusal also carries the verifier's kind and problems (feed/verify.ts), for tests and logs. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string; refusal?: Refusal };

export interface IngestRequest {
  feedId: string;
  manifest: FeedManifest;
  /**
   * The chunk's labels, fetched and checked against the signed manifest (or why not); with the
   * decoded bytes they were parsed from, the stored label texts are cut from those bytes.
   */
  loadChunk(ref: ChunkRef, index: number): Promise<Outcome<Label[] | LoadedChunk>>;
  /** What a loaded chunk was checked against, kept on its row (index in manifest.chunks). */
  checkedUnder?(index: number, labels: readonly Label[]): ChunkRecord['checked'];
  /** Told about every chunk reused from the store instead of loaded (index in manifest.chunks). */
  heldChunk?(index: number, chunk: ChunkRecord): void;
  /**
   * Called once every chunk is stored, before the index is built: the last say on the whole
   * publication (the sync checks label ids across chunks here). `readId` reads a stored label's id.
   */
  allChunks?(
    readId: (index: number, position: number) => Promise<string | undefined>,
  ): Promise<Outcome<null>>;
  /**
   * Whether the publication's first `chunks` chunks, held as the stored full version `base` lists
   * them (same files, sizes and encodings; every later chunk a change chunk), pass its checks
   * without being read again: then the version is stored as changes over `base`. Without this
   * callback every publication is stored whole.
   */
  heldPrefix?(base: VersionRecord, chunks: number): boolean;
  /** Labels processed of the total, after each chunk. */
  onProgress?(done: number, total: number): void;
  /** Labels buffered before a write transaction (default FLUSH_LABELS). */
  flushLabels?: number;
}

/** A checked chunk's labels and the decoded JSON bytes (`{"labels":[…]}`) they were parsed from. */
export interface LoadedChunk {
  labels: Label[];
  text: Uint8Array;
  /** Where each label lies in `text`, when the check found them. */
  spans?: Uint32Array;
  /** The labels' id hashes ([hi, lo] a label), when the check made them. */
  idHashes?: Uint32Array;
}

export interface StoredVersion {
  versionId: string;
  /** Labels that can match (retractions and unreadable targets left out). */
  labelCount: number;
}

/** Rows written per transaction while ingesting (fewer, larger transactions write faster). */
const FLUSH_LABELS = 20_000;
/** Bits of the filter of replacing ids' hashes (a power of two). */
const REPLACED_BITS = 1 << 20;
/** Held chunk rows read ahead of the one being indexed. */
const HELD_READ_AHEAD = 8;

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

async function heldChunks(db: CacheDb, feedId: string): Promise<Set<string>> {
  const keys = await db.chunks
    .where(':id')
    .between(...prefix(feedId))
    .primaryKeys();
  return new Set(keys.map((k) => k[1]));
}

/** 53 bits of a 64-bit hash as one number, for Map keys. */
const hash53 = (hi: number, lo: number) => hi * 2 ** 21 + (lo >>> 11);

/** The full version a publication can be stored as changes over, with its labels' id hashes. */
interface ChangeBase {
  version: VersionRecord;
  /** How many of the publication's first chunks it holds. */
  chunks: number;
  /** Its index entries' label-id hashes ([hi…, lo…], in no order). */
  ids: Uint32Array;
}

async function changeBase(
  db: CacheDb,
  request: IngestRequest,
  list: readonly ChunkListEntry[],
  held: ReadonlySet<string>,
): Promise<ChangeBase | null> {
  if (!request.heldPrefix || request.manifest.format !== FEED_FORMAT_2) return null;
  const feed = await db.feeds.get(request.feedId);
  const current = feed?.currentVersion ? await db.versions.get(feed.currentVersion) : undefined;
  if (!current?.complete) return null;
  const version = current.base ? await db.versions.get(current.base) : current;
  if (!version) return null;
  const chunks = changesOver(version, list);
  if (chunks === null || version.chunks.some((c) => !held.has(c.sha256))) return null;
  if (!request.heldPrefix(version, chunks)) return null;
  const ids = await db.pages.get([version.id, ID_PAGE]);
  return ids ? { version, chunks, ids: ids.entries } : null;
}

/**
 * Writes a new, not-yet-current version of `feedId`. Chunks the feed already holds are reused
 * without calling loadChunk. On failure, rows written for the attempt are removed again.
 */
export async function writeVersion(db: CacheDb, request: IngestRequest): Promise<Outcome<StoredVersion>> {
  const { feedId, manifest } = request;
  const list = chunkList(manifest);
  const starts = chunkStarts(list);
  const total = starts[list.length] as number;
  const versionId = crypto.randomUUID();
  let written = false;
  try {
    const held = await heldChunks(db, feedId);
    // A publication adding a few change chunks to a full version's: only those are read and indexed.
    const base = await changeBase(db, request, list, held);
    const first = base ? base.chunks : 0;
    const own = total - (starts[first] as number);
    // Index entries (labels that can match): key hash, label-id hash and ordinal.
    const keyHi = new Uint32Array(own);
    const keyLo = new Uint32Array(own);
    const idHi = new Uint32Array(own);
    const idLo = new Uint32Array(own);
    const ords = new Uint32Array(own);
    let entries = 0;
    // Ordinals left out of the index: replaced by a later change chunk, or retracted (format 1).
    const dead = new Uint8Array(total);
    let deadCount = 0;
    const negIds = new Set<string>();
    const negOrdinals: number[] = [];
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
    const layered = manifest.format === FEED_FORMAT_2;
    // The chunk texts' own `key` fields are this reader's keys (feed/chunks.ts checked a sample).
    const carriedKeys = manifest.keyRules === KEY_RULES;
    // Change chunks first: what they replace is then known when the chunks before them are indexed.
    const order = list.map((_, c) => c).filter((c) => c >= first);
    if (layered) order.sort((a, b) => Number(!list[a]?.change) - Number(!list[b]?.change) || a - b);
    // The next chunk downloads (and is checked) while this one is indexed and written.
    const loads = new Map<number, Promise<Outcome<Label[] | LoadedChunk>>>();
    const startLoad = (c: number | undefined) => {
      if (c === undefined) return;
      const entry = list[c];
      if (!entry || c < inlineOffset || held.has(entry.sha256) || loads.has(c)) return;
      const load = request
        .loadChunk(refs[c - inlineOffset] as ChunkRef, c - inlineOffset)
        .catch((error: unknown): Outcome<Label[] | LoadedChunk> => ({ ok: false, message: String(error) }));
      loads.set(c, load);
    };
    const fail = async <T>(outcome: Outcome<T>) => {
      await Promise.all(loads.values());
      await settle();
      return outcome;
    };

    // A change chunk's label replaces every earlier label with the same id (text compared).
    const replacers = new Map<number, { hi: number; lo: number; id: string; ord: number }[]>();
    // One bit per low 20 bits of a replacing id's hash: most labels of held chunks are passed over
    // without a Map lookup.
    const replaced = new Uint32Array(REPLACED_BITS / 32);
    // With a base: the chunks whose labels replace the base's labels with the same id.
    const replacing: ChunkRecord[] = [];
    // Chunk rows made in this attempt (a manifest may list the same chunk twice).
    const made = new Map<string, ChunkRecord>();
    // Rows of held chunks are read a few ahead, so their reads overlap (an update holds most).
    const heldReads = new Map<string, Promise<ChunkRecord | undefined>>();
    const readHeld = (sha256: string) => {
      let read = heldReads.get(sha256);
      if (!read) {
        read = db.chunks.get([feedId, sha256]);
        heldReads.set(sha256, read);
      }
      return read;
    };
    let done = starts[first] as number;
    for (let k = 0; k < order.length; k++) {
      const c = order[k] as number;
      const entry = list[c] as ChunkListEntry;
      startLoad(c);
      for (let ahead = k; ahead < Math.min(order.length, k + HELD_READ_AHEAD); ahead++) {
        const sha256 = (list[order[ahead] as number] as ChunkListEntry).sha256;
        if (held.has(sha256) && !made.has(sha256)) void readHeld(sha256).catch(() => undefined);
      }
      let chunk: ChunkRecord | undefined;
      if (held.has(entry.sha256)) {
        chunk = made.get(entry.sha256) ?? (await readHeld(entry.sha256));
        heldReads.delete(entry.sha256);
        if (chunk && c >= inlineOffset) request.heldChunk?.(c - inlineOffset, chunk);
      }
      if (!chunk && !held.has(entry.sha256)) startLoad(order[k + 1]);
      if (!chunk) {
        let labels: Label[];
        let text: Uint8Array | undefined;
        let spans: Uint32Array | undefined;
        let idHashes: Uint32Array | undefined;
        if (c < inlineOffset) labels = manifest.labels ?? [];
        else {
          startLoad(c);
          const loaded = (await loads.get(c)) as Outcome<Label[] | LoadedChunk>;
          loads.delete(c);
          if (!loaded.ok) return await fail(loaded);
          if (Array.isArray(loaded.value)) labels = loaded.value;
          else ({ labels, text, spans, idHashes } = loaded.value);
        }
        const rows = chunkRows(feedId, entry.sha256, {
          labels,
          ...(text ? { text, textKeys: carriedKeys } : {}),
          ...(text && spans ? { spans } : {}),
          ...(idHashes ? { idHashes } : {}),
        });
        const checked = c >= inlineOffset ? request.checkedUnder?.(c - inlineOffset, labels) : undefined;
        if (checked) rows.chunk.checked = checked;
        chunk = rows.chunk;
        made.set(entry.sha256, rows.chunk);
        pendingChunks.push(rows.chunk);
        pendingBlocks.push(...rows.blocks);
        pendingLabels += labels.length;
        held.add(entry.sha256);
        if (pendingLabels >= (request.flushLabels ?? FLUSH_LABELS)) await flush();
      }
      if (chunk.count !== entry.count) {
        return await fail({
          ok: false,
          message: `A part of the feed has ${chunk.count} labels; the manifest says ${entry.count}.`,
        });
      }
      const { hashes, indexed } = chunk;
      const start = starts[c] as number;
      for (let pos = 0; pos < chunk.count; pos++) {
        if (indexed[pos] !== 1) continue;
        keyHi[entries] = hashes[4 * pos] as number;
        keyLo[entries] = hashes[4 * pos + 1] as number;
        idHi[entries] = hashes[4 * pos + 2] as number;
        idLo[entries] = hashes[4 * pos + 3] as number;
        ords[entries] = start + pos;
        entries++;
      }
      if (base) replacing.push(chunk);
      if (!layered) {
        // Format 1: a retraction drops every label with its id (resolved once all chunks are seen).
        for (const id of chunk.negIds) negIds.add(id);
        if (chunk.negIds.length) negOrdinals.push(c);
      } else if (entry.change) {
        for (let pos = 0; pos < chunk.count; pos++) {
          const hi = hashes[4 * pos + 2] as number;
          const lo = hashes[4 * pos + 3] as number;
          const id = chunkIds(chunk)[pos];
          if (id === undefined) continue;
          const ord = start + pos;
          const group = replacers.get(hash53(hi, lo)) ?? [];
          const earlier = group.find((r) => r.hi === hi && r.lo === lo && r.id === id);
          if (earlier) {
            // A later change chunk replaces an earlier one's label (change chunks come in order).
            if (!dead[earlier.ord]) deadCount++;
            dead[earlier.ord] = 1;
            earlier.ord = ord;
          } else group.push({ hi, lo, id, ord });
          replacers.set(hash53(hi, lo), group);
          const bit = lo & (REPLACED_BITS - 1);
          replaced[bit >>> 5] = (replaced[bit >>> 5] as number) | (1 << (bit & 31));
        }
      } else if (replacers.size > 0) {
        for (let pos = 0; pos < chunk.count; pos++) {
          const lo = hashes[4 * pos + 3] as number;
          const bit = lo & (REPLACED_BITS - 1);
          if (((replaced[bit >>> 5] as number) & (1 << (bit & 31))) === 0) continue;
          const hi = hashes[4 * pos + 2] as number;
          const group = replacers.get(hash53(hi, lo));
          if (!group) continue;
          // The hash only narrows the search: the id's text decides, so a collision replaces nothing.
          const id = chunkIds(chunk)[pos];
          if (group.some((r) => r.hi === hi && r.lo === lo && r.id === id && r.ord > start + pos)) {
            if (!dead[start + pos]) deadCount++;
            dead[start + pos] = 1;
          }
        }
      }
      done += chunk.count;
      request.onProgress?.(done, total);
    }
    await settle();
    if (request.allChunks) {
      const verdict = await request.allChunks(async (index, position) => {
        const entry = list[index + inlineOffset];
        if (!entry) return undefined;
        const chunk = made.get(entry.sha256) ?? (await db.chunks.get([feedId, entry.sha256]));
        return chunk ? chunkIds(chunk)[position] : undefined;
      });
      if (!verdict.ok) return verdict;
    }
    if (negIds.size > 0) {
      for (const ord of await retractedOrdinals(db, feedId, list, negIds)) {
        if (!dead[ord]) deadCount++;
        dead[ord] = 1;
      }
    }
    const builder = new IndexBuilder(Math.max(1, entries - deadCount));
    // A full version keeps its entries' id hashes, for publications stored as changes over it.
    const ids = base ? undefined : new Uint32Array(2 * Math.max(0, entries - deadCount));
    const alive = entries - deadCount;
    for (let e = 0; e < entries; e++) {
      const ord = ords[e] as number;
      if (dead[ord]) continue;
      if (ids) {
        ids[builder.length] = idHi[e] as number;
        ids[alive + builder.length] = idLo[e] as number;
      }
      builder.add({ hi: keyHi[e] as number, lo: keyLo[e] as number }, ord);
    }
    const { pageBits, pages, filter } = builder.build();
    let labelCount = builder.length;
    const changes: Partial<VersionRecord> = {};
    if (base) {
      const replaced = replacedIds(replacing);
      labelCount += base.version.entryCount - replacedCount(base.ids, replaced.hashes);
      Object.assign(changes, {
        base: base.version.id,
        baseChunks: base.chunks,
        replaced: replaced.hashes,
        replacedIds: replaced.ids,
      });
    }
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
      checkedUnder: manifest.keyRules !== undefined ? { keyRules: manifest.keyRules } : {},
      ...changes,
    };
    await db.transaction('rw', db.versions, db.pages, db.filters, async () => {
      const rows = [...pages].map(([page, entries]) => ({ versionId, page, entries }));
      if (ids) rows.push({ versionId, page: ID_PAGE, entries: ids });
      await db.pages.bulkPut(rows);
      await db.filters.put({ versionId, bits: filter.bits, hashes: filter.hashes });
      await db.versions.put(version);
    });
    written = true;
    return { ok: true, value: { versionId, labelCount } };
  } catch (error) {
    return { ok: false, message: storageMessage(error) };
  } finally {
    // A failed attempt leaves nothing behind: the old copy is all there is.
    if (!written) await discardVersion(db, versionId, feedId);
  }
}

/**
 * Every label id of the chunks (a retraction's too), once: sorted by hash ([hi…, lo…]) and their
 * text joined by line feeds in the same order.
 */
function replacedIds(chunks: readonly ChunkRecord[]): { hashes: Uint32Array; ids: string } {
  const n = chunks.reduce((sum, c) => sum + c.count, 0);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const text: string[] = new Array(n);
  let i = 0;
  for (const chunk of chunks) {
    const ids = chunkIds(chunk);
    for (let pos = 0; pos < chunk.count; pos++, i++) {
      hi[i] = chunk.hashes[4 * pos + 2] as number;
      lo[i] = chunk.hashes[4 * pos + 3] as number;
      text[i] = ids[pos] as string;
    }
  }
  const { sorted, order } = sortedHashes(hi, lo, n);
  // The same id twice (a later change chunk replacing an earlier one) is kept once.
  const keep: number[] = [];
  for (let j = 0; j < n; j++) {
    const same = (k: number) =>
      sorted[k] === sorted[j] &&
      sorted[n + k] === sorted[n + j] &&
      text[order[k] as number] === text[order[j] as number];
    let seen = false;
    for (let k = j - 1; k >= 0 && sorted[k] === sorted[j] && sorted[n + k] === sorted[n + j]; k--) {
      if (same(k)) {
        seen = true;
        break;
      }
    }
    if (!seen) keep.push(j);
  }
  const m = keep.length;
  const hashes = new Uint32Array(2 * m);
  keep.forEach((j, k) => {
    hashes[k] = sorted[j] as number;
    hashes[m + k] = sorted[n + j] as number;
  });
  return { hashes, ids: keep.map((j) => text[order[j] as number]).join('\n') };
}

/**
 * How many of a full version's index entries (their id hashes, [hi…, lo…]) carry an id of
 * `replaced` (sorted [hi…, lo…]): the labels the changes replace. Ids are compared by their 64-bit
 * hash only, so this count (a reader's "labels" figure) could be one off on a hash collision;
 * lookups compare the ids' text.
 */
function replacedCount(ids: Uint32Array, replaced: Uint32Array): number {
  const n = ids.length / 2;
  const marks = new Uint32Array(REPLACED_BITS / 32);
  const m = replaced.length / 2;
  for (let k = 0; k < m; k++) {
    const bit = (replaced[m + k] as number) & (REPLACED_BITS - 1);
    marks[bit >>> 5] = (marks[bit >>> 5] as number) | (1 << (bit & 31));
  }
  let count = 0;
  for (let i = 0; i < n; i++) {
    const lo = ids[n + i] as number;
    const bit = lo & (REPLACED_BITS - 1);
    if (((marks[bit >>> 5] as number) & (1 << (bit & 31))) === 0) continue;
    if (findHash(replaced, ids[i] as number, lo) >= 0) count++;
  }
  return count;
}

/**
 * Format 1: ordinals of every label whose id a `neg` label names (the retraction itself too, as
 * it is never indexed anyway). Id hashes pick the suspects; their ids' text decides.
 */
async function retractedOrdinals(
  db: CacheDb,
  feedId: string,
  list: readonly ChunkListEntry[],
  negIds: ReadonlySet<string>,
): Promise<number[]> {
  const out: number[] = [];
  const negHashes = new Set<number>();
  for (const id of negIds) {
    const h = hashKey(id);
    negHashes.add(hash53(h.hi, h.lo));
  }
  const starts = chunkStarts(list);
  for (let c = 0; c < list.length; c++) {
    const chunk = await db.chunks.get([feedId, (list[c] as ChunkListEntry).sha256]);
    if (!chunk) continue;
    for (let pos = 0; pos < chunk.count; pos++) {
      const hi = chunk.hashes[4 * pos + 2] as number;
      const lo = chunk.hashes[4 * pos + 3] as number;
      if (!negHashes.has(hash53(hi, lo))) continue;
      const id = chunkIds(chunk)[pos];
      if (id !== undefined && negIds.has(id)) out.push((starts[c] as number) + pos);
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
    const next: FeedRecord = { ...feed, ...patch, currentVersion: versionId };
    if (version.base) next.currentBase = version.base;
    else delete next.currentBase;
    await db.feeds.put(next);
    return { old: feed.currentVersion, base: version.base };
  });
  if (!previous) {
    await discardVersion(db, versionId, feedId);
    return false;
  }
  if (previous.old && previous.old !== versionId) {
    // The versions before it, except the full version it is stored as changes over.
    try {
      const versions = await db.versions.where('feedId').equals(feedId).primaryKeys();
      for (const id of versions) if (id !== versionId && id !== previous.base) await dropVersion(db, id);
      await collectFeedChunks(db, feedId);
    } catch {
      // Left for collectGarbage at the next start.
    }
  }
  return true;
}

/** Deletes a version that is neither current nor a current one's base, and the chunks only it listed; never throws. */
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
 * Startup clean-up after a worker that died mid-sync: versions that never became current (or
 * stopped being current and are no current version's base), their pages and filters, and chunks no
 * remaining version lists.
 */
export async function collectGarbage(db: CacheDb): Promise<void> {
  const feeds = await db.feeds.toArray();
  const current = new Map(feeds.map((f) => [f.id, f.currentVersion]));
  const versions = await db.versions.toArray();
  const live = new Set<string>();
  for (const v of versions) {
    if (current.get(v.feedId) !== v.id) continue;
    live.add(v.id);
    if (v.base) live.add(v.base);
  }
  for (const v of versions) {
    if (!live.has(v.id)) await dropVersion(db, v.id);
  }
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
