/**
 * The label cache's layout in one place: which rows a stored feed version consists of, their ids,
 * and where a label lives. Ingest (sync/ingest.ts) writes rows through these functions and the
 * lookup (sync/lookup.ts) reads them through the same ones, so the two cannot drift apart. The
 * tables and record shapes themselves are storage/db.ts's (the Dexie schema); this module says
 * how a publication maps onto them:
 *
 *   feeds[feedId].currentVersion ─▶ versions[versionId]: definitions, chunk list, pageBits
 *   a label's ordinal            = its place counting through the version's chunk list
 *                                  (inline labels first, then chunks in manifest order)
 *   chunks[feedId, sha256]       per label: key hash, id hash, indexed flag; its label ids
 *   blocks[feedId, sha256, b]    labels b·128 … b·128+127 of a chunk: JSON text and lookup key
 *   pages[versionId, p]          the version's key index, page p = top pageBits bits of the key hash
 *   filters[versionId]           the version's Bloom filter of key hashes
 *
 * Pure: no IndexedDB calls.
 */
import { type FeedManifest, type Label, sha256Hex, utf8Encode } from '../feed';
import { labelKey } from '../feed/targets';
import { BLOCK_LABELS, type BlockRecord, type ChunkListEntry, type ChunkRecord } from '../storage/db';
import { hashKey } from './keyindex';

export { BLOCK_LABELS };

/** Chunk-list id of a manifest's inline labels (they are stored as one chunk). */
export const INLINE_PREFIX = 'inline-';

/**
 * The key range of every compound key that starts with `parts`: arrays sort after every other
 * key type, so `[...parts, []]` is above any `[...parts, x, …]`.
 */
export function prefix(...parts: string[]): [string[], (string | never[])[]] {
  return [parts, [...parts, []]];
}

/** The ordered chunks of a publication as a version lists them (inline labels first). */
export function chunkList(manifest: FeedManifest): ChunkListEntry[] {
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

/** The ordinal of each chunk's first label. */
export function chunkStarts(chunks: readonly ChunkListEntry[]): Uint32Array {
  const starts = new Uint32Array(chunks.length + 1);
  for (let c = 0; c < chunks.length; c++)
    starts[c + 1] = (starts[c] as number) + (chunks[c] as ChunkListEntry).count;
  return starts;
}

/** Where label `ordinal` of a version lives: its chunk in the list and its place in that chunk. */
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

/** The block row id holding label `pos` of a chunk, and the label's offset in it. */
export function blockOf(
  feedId: string,
  sha256: string,
  pos: number,
): { id: [string, string, number]; offset: number } {
  return { id: [feedId, sha256, Math.floor(pos / BLOCK_LABELS)], offset: pos % BLOCK_LABELS };
}

/**
 * Splits a checked chunk into its index row and its label block rows. A label's key is the one
 * the chunk check gave it (feed/chunks.ts: carried and spot-checked, or normalised there); inline
 * labels, checked by the manifest parser, are normalised here.
 */
export function chunkRows(
  feedId: string,
  sha256: string,
  labels: readonly Label[],
): { chunk: ChunkRecord; blocks: BlockRecord[] } {
  const n = labels.length;
  const hashes = new Uint32Array(4 * n);
  const indexed = new Uint8Array(n);
  const negIds: string[] = [];
  const ids: string[] = new Array(n);
  const texts: string[] = new Array(n);
  const keys: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels[i] as Label;
    ids[i] = label.id;
    let key = label.key;
    if (key === undefined) {
      const made = labelKey(label);
      key = made.ok ? made.key : '';
    }
    // The key is stored beside the text; the text need not repeat it.
    const { key: _, ...rest } = label;
    texts[i] = JSON.stringify(rest);
    const id = hashKey(label.id);
    hashes[4 * i + 2] = id.hi;
    hashes[4 * i + 3] = id.lo;
    keys[i] = '';
    if (label.neg === true) {
      negIds.push(label.id);
      continue;
    }
    if (!key) continue;
    keys[i] = key;
    const h = hashKey(key);
    hashes[4 * i] = h.hi;
    hashes[4 * i + 1] = h.lo;
    indexed[i] = 1;
  }
  const chunk: ChunkRecord = { feedId, sha256, count: n, hashes, indexed, negIds, ids };
  const blocks: BlockRecord[] = [];
  for (let b = 0; b * BLOCK_LABELS < n; b++) {
    const start = b * BLOCK_LABELS;
    const end = start + BLOCK_LABELS;
    blocks.push({ feedId, sha256, block: b, labels: texts.slice(start, end), keys: keys.slice(start, end) });
  }
  return { chunk, blocks };
}
