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
 *   blocks[feedId, sha256, b]    labels b·128 … b·128+127 of a chunk: their JSON text as UTF-8
 *                                bytes, cut straight from the verified chunk (no label is
 *                                serialised again), and where each label starts and ends in it
 *   pages[versionId, p]          the version's key index, page p = top pageBits bits of the key hash
 *   pages[versionId, ID_PAGE]    a full version's indexed labels' id hashes, sorted (read by updates)
 *   filters[versionId]           the version's Bloom filter of key hashes
 *
 * A version is full (its pages index every chunk it lists) or stored as changes over a full one,
 * its `base`: a publication that lists the base's chunks exactly as the base did, then change chunks
 * only (a few, see changesOver), is written as pages and a filter of those change chunks alone and
 * the ids they carry (`replaced`). A lookup searches both indexes, and a base label whose id the
 * changes carry is replaced (its id text compared). The base stays stored while a current version
 * names it; the next full version (changes grown past MAX_CHANGE_SHARE, or a publication that lists
 * other chunks) drops it.
 *
 * A block's text is the chunk's own bytes, so it may hold fields this reader does not know: a
 * lookup reads a label through readLabel(), which keeps the fields the format defines. Where the
 * text's `key` fields are not the keys this reader made (a format-1 feed, or other target rules),
 * the block also holds the keys.
 *
 * Pure: no IndexedDB calls.
 */
import { type FeedManifest, type Label, type Source, sha256Hex, utf8Encode } from '../feed';
import { lineBytes } from '../feed/chunks';
import { labelKey } from '../feed/targets';
import {
  BLOCK_LABELS,
  type BlockRecord,
  type ChunkListEntry,
  type ChunkRecord,
  type VersionRecord,
} from '../storage/db';
import { sliceBlock } from '../storage/migrations';
import { hashKey, lowerBound } from './keyindex';

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
    list.push({
      sha256: ref.sha256,
      count: ref.count,
      ...(ref.layer === 'change' ? { change: true } : {}),
      bytes: ref.bytes,
      ...(ref.encoding === 'gzip' ? { encoding: 'gzip' as const } : {}),
    });
  return list;
}

/** `pages` row of a full version holding its index entries' label-id hashes, sorted ([hi…, lo…]). */
export const ID_PAGE = -1;

/** Whether `sorted` ([hi…, lo…], sorted by (hi, lo)) holds the hash; its place, or -1. */
export function findHash(sorted: Uint32Array, hi: number, lo: number): number {
  const m = sorted.length / 2;
  const a = lowerBound(sorted, m, hi, lo);
  return a < m && sorted[a] === hi && sorted[m + a] === lo ? a : -1;
}

/**
 * The largest share of a version's labels a version stored as changes over it may add; past it, the
 * next publication is stored whole again (which also drops what the changes replaced).
 */
export const MAX_CHANGE_SHARE = 0.125;

/**
 * How many of `list`'s first chunks `base` (a full version) holds exactly as listed, when the
 * rest are change chunks few enough to store `list` as changes over it; else null.
 */
export function changesOver(base: VersionRecord, list: readonly ChunkListEntry[]): number | null {
  if (base.base || !base.complete || !base.checkedUnder) return null;
  const n = base.chunks.length;
  if (list.length < n) return null;
  let baseLabels = 0;
  for (let c = 0; c < n; c++) {
    const held = base.chunks[c] as ChunkListEntry;
    const now = list[c] as ChunkListEntry;
    if (
      held.bytes === undefined ||
      held.sha256 !== now.sha256 ||
      held.count !== now.count ||
      held.change !== now.change ||
      held.bytes !== now.bytes ||
      held.encoding !== now.encoding
    )
      return null;
    baseLabels += held.count;
  }
  let added = 0;
  for (let c = n; c < list.length; c++) {
    const entry = list[c] as ChunkListEntry;
    if (!entry.change) return null;
    added += entry.count;
  }
  return added <= Math.max(1, baseLabels) * MAX_CHANGE_SHARE ? n : null;
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

/** A chunk's labels as the check gave them, and the decoded JSON text they were parsed from. */
export interface ChunkLabels {
  labels: readonly Label[];
  /** The chunk's decoded bytes (`{"labels":[…]}`), when they were parsed from a file. */
  text?: Uint8Array;
  /** Whether each label's `key` field in `text` is the key the check gave it (carried keys). */
  textKeys?: boolean;
  /** Where each label lies in `text`, when the check found them (else labelSpans finds them). */
  spans?: Uint32Array;
  /** The labels' id hashes ([hi, lo] a label, hashKey), when the check made them (else made here). */
  idHashes?: Uint32Array;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

const LABELS_KEY = utf8Encode('"labels"');

/**
 * Where each element of a chunk file's `labels` array starts and ends in its bytes: [start, end)
 * pairs. The bytes must already have parsed as JSON (the chunk check did), so only the frame is
 * checked: exactly `{"labels": […]}` with whitespace anywhere JSON allows it and `count` objects
 * in the array. Anything else (another key, an escaped key, a byte order mark) gives null, and the
 * caller serialises the labels instead.
 */
export function labelSpans(text: Uint8Array, count: number): Uint32Array | null {
  const n = text.length;
  let i = 0;
  const space = () => {
    while (i < n && isSpace(text[i] as number)) i++;
  };
  const expect = (b: number) => {
    space();
    if (text[i] !== b) return false;
    i++;
    return true;
  };
  if (!expect(0x7b)) return null;
  space();
  for (let k = 0; k < LABELS_KEY.length; k++) if (text[i + k] !== LABELS_KEY[k]) return null;
  i += LABELS_KEY.length;
  if (!expect(0x3a) || !expect(0x5b)) return null;
  const spans = new Uint32Array(2 * count);
  let found = 0;
  space();
  if (text[i] === 0x5d) i++;
  else {
    for (;;) {
      space();
      if (text[i] !== 0x7b || found === count) return null;
      const start = i;
      // One pass over the label's bytes, in locals (`i` is the closures' and slower to touch).
      let j = i;
      let depth = 0;
      let quoted = false;
      for (; j < n; j++) {
        const b = text[j] as number;
        if (quoted) {
          if (b === BACKSLASH) j++;
          else if (b === QUOTE) quoted = false;
        } else if (b === QUOTE) quoted = true;
        else if (b === 0x7b || b === 0x5b) depth++;
        else if ((b === 0x7d || b === 0x5d) && --depth === 0) {
          j++;
          break;
        }
      }
      i = j;
      if (depth !== 0) return null;
      spans[2 * found] = start;
      spans[2 * found + 1] = i;
      found++;
      space();
      if (text[i] === 0x2c) {
        i++;
        continue;
      }
      if (text[i] !== 0x5d) return null;
      i++;
      break;
    }
  }
  if (!expect(0x7d)) return null;
  space();
  return i === n && found === count ? spans : null;
}

/**
 * Splits a checked chunk into its index row and its label block rows. A label's key is the one
 * the chunk check gave it (feed/chunks.ts: carried and spot-checked, or normalised there); inline
 * labels, checked by the manifest parser, are normalised here. Block text is cut from the chunk's
 * own bytes when they are given and framed as the builder writes them; otherwise (inline labels,
 * an unusual frame) each label is serialised with its key.
 */
export function chunkRows(
  feedId: string,
  sha256: string,
  chunk: ChunkLabels,
): { chunk: ChunkRecord; blocks: BlockRecord[] } {
  const { labels } = chunk;
  const n = labels.length;
  const hashes = new Uint32Array(4 * n);
  const indexed = new Uint8Array(n);
  const negIds: string[] = [];
  const ids: string[] = new Array(n);
  const keys: string[] = new Array(n);
  const idHashes = chunk.idHashes?.length === 2 * n ? chunk.idHashes : null;
  for (let i = 0; i < n; i++) {
    const label = labels[i] as Label;
    ids[i] = label.id;
    let key = label.key;
    if (key === undefined) {
      const made = labelKey(label);
      key = made.ok ? made.key : '';
    }
    if (idHashes) {
      hashes[4 * i + 2] = idHashes[2 * i] as number;
      hashes[4 * i + 3] = idHashes[2 * i + 1] as number;
    } else {
      const id = hashKey(label.id);
      hashes[4 * i + 2] = id.hi;
      hashes[4 * i + 3] = id.lo;
    }
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
  const record: ChunkRecord = { feedId, sha256, count: n, hashes, indexed, negIds, ids: ids.join('\n') };
  const spans = chunk.text ? (chunk.spans ?? labelSpans(chunk.text, n)) : null;
  const blocks: BlockRecord[] = [];
  for (let b = 0; b * BLOCK_LABELS < n; b++) {
    const first = b * BLOCK_LABELS;
    const last = Math.min(n, first + BLOCK_LABELS);
    let block: BlockRecord;
    if (spans && chunk.text) {
      const whole = chunk.textKeys ? { text: chunk.text, spans } : { text: chunk.text, spans, keys };
      block = { feedId, sha256, block: b, ...sliceBlock(whole, first, last) };
    } else {
      const lines = labels
        .slice(first, last)
        .map((label, j) => JSON.stringify(keys[first + j] ? { ...label, key: keys[first + j] } : label));
      const text = utf8Encode(lines.join(''));
      const local = new Uint32Array(2 * lines.length);
      let at = 0;
      lines.forEach((line, j) => {
        local[2 * j] = at;
        at += lineBytes(line);
        local[2 * j + 1] = at;
      });
      block = { feedId, sha256, block: b, text, spans: local };
    }
    blocks.push(block);
  }
  return { chunk: record, blocks };
}

/** The ids of a chunk row's labels, in order. */
export function chunkIds(chunk: ChunkRecord): string[] {
  let ids = splitIds.get(chunk);
  if (!ids) {
    ids = chunk.count === 0 ? [] : chunk.ids.split('\n');
    splitIds.set(chunk, ids);
  }
  return ids;
}
const splitIds = new WeakMap<ChunkRecord, string[]>();

const decoder = new TextDecoder();

/**
 * Label `offset` of a block row, with its lookup key (null when the text is not a label, which a
 * verified chunk never gives). Only the fields the format defines are kept.
 */
export function readLabel(block: BlockRecord, offset: number): { key: string; label: Label } | null {
  const start = block.spans[2 * offset];
  const end = block.spans[2 * offset + 1];
  if (start === undefined || end === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(block.text.subarray(start, end)));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const key = block.keys ? block.keys[offset] : v.key;
  if (typeof key !== 'string' || typeof v.id !== 'string' || typeof v.val !== 'string') return null;
  const label = { id: v.id, val: v.val, sources: [] as Source[], key } as Label;
  for (const field of ['account', 'post', 'link', 'note', 'since', 'until', 'cts', 'exp'] as const) {
    if (v[field] !== undefined) (label as unknown as Record<string, unknown>)[field] = v[field];
  }
  if (v.server === true) label.server = true;
  if (v.neg === true) label.neg = true;
  if (Array.isArray(v.sources)) {
    label.sources = v.sources.map((s: Record<string, unknown>) => {
      const source: Source = { url: s.url as string };
      if (s.title !== undefined) source.title = s.title as string;
      if (s.publisher !== undefined) source.publisher = s.publisher as string;
      if (s.date !== undefined) source.date = s.date as string;
      return source;
    });
  }
  return { key, label };
}
