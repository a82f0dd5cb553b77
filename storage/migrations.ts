/**
 * Every schema version of the label cache (storage/db.ts) and the upgrade between each pair.
 * A schema here is never edited once released: a change adds a version, its upgrade, and a test
 * in migrations.test.ts that opens the previous version with data, upgrades and checks the data.
 * Must never import extension APIs (the upgrade runs inside Dexie's version-change transaction).
 */
import type { Transaction } from 'dexie';

/**
 * v1: the Bloom filter of a version lived inside its `versions` row. Reading definitions or a
 * version's chunk list then also read up to ~1.2 MB of filter.
 */
export const SCHEMA_V1 = {
  feeds: 'id',
  versions: 'id, feedId',
  chunks: '[feedId+sha256]',
  blocks: '[feedId+sha256+block]',
  pages: '[versionId+page]',
};

/** v2: the filter moved to its own `filters` table, read only by lookups. */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  filters: 'versionId',
};

interface V1Version {
  id: string;
  filter?: { bits: Uint32Array; hashes: number };
}

export async function upgradeV1toV2(tx: Transaction): Promise<void> {
  const versions: V1Version[] = await tx.table('versions').toArray();
  await tx
    .table('filters')
    .bulkPut(
      versions.flatMap((v) =>
        v.filter ? [{ versionId: v.id, bits: v.filter.bits, hashes: v.filter.hashes }] : [],
      ),
    );
  await tx
    .table('versions')
    .toCollection()
    .modify((version: V1Version) => {
      delete version.filter;
    });
}

/**
 * v3: a block holds its labels' JSON as one run of UTF-8 bytes with their [start, end) spans
 * (ingest cuts it from the verified chunk instead of serialising every label), and a chunk's ids
 * are one string joined by line feeds. The index is unchanged, so stored feeds stay as they are.
 */
export const SCHEMA_V3 = SCHEMA_V2;

interface V2Block {
  feedId: string;
  sha256: string;
  block: number;
  labels?: string[];
  keys?: string[];
  text?: Uint8Array;
  spans?: Uint32Array;
}

interface V2Chunk {
  feedId: string;
  sha256: string;
  count: number;
  ids?: string[] | string;
}

/** A v2 block's texts (which left the key out) as a v3 block's bytes, spans and keys. */
export function blockV3(labels: readonly string[]): { text: Uint8Array; spans: Uint32Array } {
  const encoder = new TextEncoder();
  const parts = labels.map((l) => encoder.encode(l));
  const text = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const spans = new Uint32Array(2 * parts.length);
  let at = 0;
  parts.forEach((part, i) => {
    text.set(part, at);
    spans[2 * i] = at;
    at += part.length;
    spans[2 * i + 1] = at;
  });
  return { text, spans };
}

export async function upgradeV2toV3(tx: Transaction): Promise<void> {
  // Chunks stored before their ids were kept: the ids come from their blocks' texts.
  const chunks: V2Chunk[] = await tx.table('chunks').toArray();
  const idsOf = new Map<string, string[]>();
  for (const chunk of chunks) {
    if (chunk.ids !== undefined) continue;
    const blocks: V2Block[] = await tx
      .table('blocks')
      .where('[feedId+sha256+block]')
      .between([chunk.feedId, chunk.sha256, -Infinity], [chunk.feedId, chunk.sha256, Infinity])
      .toArray();
    const ids: string[] = [];
    for (const block of blocks.sort((a, b) => a.block - b.block))
      for (const text of block.labels ?? []) ids.push((JSON.parse(text) as { id: string }).id);
    idsOf.set(`${chunk.feedId}\n${chunk.sha256}`, ids);
  }
  await tx
    .table('chunks')
    .toCollection()
    .modify((chunk: V2Chunk) => {
      if (typeof chunk.ids === 'string') return;
      chunk.ids = (chunk.ids ?? idsOf.get(`${chunk.feedId}\n${chunk.sha256}`) ?? []).join('\n');
    });
  await tx
    .table('blocks')
    .toCollection()
    .modify((block: V2Block) => {
      if (!block.labels) return;
      Object.assign(block, blockV3(block.labels));
      delete block.labels;
    });
}

/**
 * v4: a block row holds 512 labels instead of 128, so it passes 64 KB, over which rows write
 * several times faster per byte (storage/db.ts BLOCK_LABELS). Tables and keys are unchanged; each
 * chunk's blocks are regrouped in place.
 */
export const SCHEMA_V4 = SCHEMA_V3;

/** Labels per block row up to v3, and from v4 on. */
const V3_BLOCK_LABELS = 128;
const V4_BLOCK_LABELS = 512;

interface V3Block {
  feedId: string;
  sha256: string;
  block: number;
  text: Uint8Array;
  spans: Uint32Array;
  keys?: string[];
}

export async function upgradeV3toV4(tx: Transaction): Promise<void> {
  await regroupBlocks(tx, (feedId, sha256, old) => {
    const groups = new Map<number, (V3Block | undefined)[]>();
    for (const block of old) {
      const group = Math.floor((block.block * V3_BLOCK_LABELS) / V4_BLOCK_LABELS);
      const parts = groups.get(group) ?? [];
      parts[block.block - (group * V4_BLOCK_LABELS) / V3_BLOCK_LABELS] = block;
      groups.set(group, parts);
    }
    return [...groups].map(([block, parts]) => ({ feedId, sha256, block, ...mergeBlocks(parts) }));
  });
}

/**
 * Replaces each chunk's block rows with `regroup`'s, one chunk at a time (~10 rows), so an upgrade
 * never holds more than one chunk's blocks.
 */
async function regroupBlocks(
  tx: Transaction,
  regroup: (feedId: string, sha256: string, old: V3Block[]) => V3Block[],
): Promise<void> {
  const blocks = tx.table('blocks');
  const ids = (await blocks.toCollection().primaryKeys()) as unknown as [string, string, number][];
  const chunks = new Map<string, [string, string]>();
  for (const [feedId, sha256] of ids) chunks.set(`${feedId}\n${sha256}`, [feedId, sha256]);
  for (const [feedId, sha256] of chunks.values()) {
    const range = blocks
      .where('[feedId+sha256+block]')
      .between([feedId, sha256, -Infinity], [feedId, sha256, Infinity]);
    const rows = regroup(feedId, sha256, await range.toArray());
    await range.delete();
    await blocks.bulkPut(rows);
  }
}

/**
 * v3 blocks (in order; a missing one is a hole) as one v4 block. A hole keeps its labels' places
 * as empty spans, which a lookup reads as no label, as it read the missing row before.
 */
function mergeBlocks(sparse: readonly (V3Block | undefined)[]): {
  text: Uint8Array;
  spans: Uint32Array;
  keys?: string[];
} {
  // Array.from fills holes with undefined (reduce and forEach would pass them over).
  const parts = Array.from(sparse);
  const last = parts.length - 1;
  const spanCount = parts.reduce(
    (n, p, i) => n + (i === last ? (p?.spans.length ?? 0) : 2 * V3_BLOCK_LABELS),
    0,
  );
  const text = new Uint8Array(parts.reduce((n, p) => n + (p?.text.length ?? 0), 0));
  const spans = new Uint32Array(spanCount);
  const keyed = parts.some((p) => p?.keys);
  const keys: string[] = [];
  let at = 0;
  let s = 0;
  parts.forEach((part, i) => {
    const labels = i === last ? (part?.spans.length ?? 0) / 2 : V3_BLOCK_LABELS;
    for (let j = 0; j < labels; j++) {
      const start = part?.spans[2 * j];
      const end = part?.spans[2 * j + 1];
      const has = part !== undefined && start !== undefined && end !== undefined;
      spans[s++] = has ? at + start : at;
      spans[s++] = has ? at + end : at;
      if (keyed) keys.push(!has ? '' : (part.keys?.[j] ?? textKey(part.text.subarray(start, end))));
    }
    if (part) {
      text.set(part.text, at);
      at += part.text.length;
    }
  });
  return keyed ? { text, spans, keys } : { text, spans };
}

/** The `key` field of a label's JSON text ('' when it has none). */
function textKey(bytes: Uint8Array): string {
  try {
    const key = (JSON.parse(new TextDecoder().decode(bytes)) as { key?: unknown }).key;
    return typeof key === 'string' ? key : '';
  } catch {
    return '';
  }
}

/**
 * v5: a block row holds 256 labels instead of 512. Labels of a format-2 feed (key and id carried)
 * run ~300 bytes, so 512 of them made ~150 KB rows, and a lookup reads one whole row per hit: the
 * time to read a row grows with its bytes. 256 of them (~75 KB) still pass the 64 KB line over
 * which rows write several times faster per byte (storage/db.ts BLOCK_LABELS). Tables and keys
 * are unchanged; each v4 block b is split in place into blocks 2b and 2b + 1.
 */
export const SCHEMA_V5 = SCHEMA_V4;

const V5_BLOCK_LABELS = 256;

export async function upgradeV4toV5(tx: Transaction): Promise<void> {
  const parts = V4_BLOCK_LABELS / V5_BLOCK_LABELS;
  await regroupBlocks(tx, (feedId, sha256, old) => {
    const split: V3Block[] = [];
    for (const block of old) {
      const labels = block.spans.length / 2;
      for (let h = 0; h < parts && h * V5_BLOCK_LABELS < labels; h++) {
        const first = h * V5_BLOCK_LABELS;
        const last = Math.min(labels, first + V5_BLOCK_LABELS);
        split.push({ feedId, sha256, block: block.block * parts + h, ...sliceBlock(block, first, last) });
      }
    }
    return split;
  });
}

/**
 * Labels `first … last-1` of a block's text, spans and keys, as a block of their own: the text
 * between the first label's start and the last one's end, and spans counted from there.
 */
export function sliceBlock(
  block: { text: Uint8Array; spans: Uint32Array; keys?: string[] },
  first: number,
  last: number,
): { text: Uint8Array; spans: Uint32Array; keys?: string[] } {
  const from = block.spans[2 * first] as number;
  const spans = block.spans.slice(2 * first, 2 * last);
  for (let j = 0; j < spans.length; j++) spans[j] = (spans[j] as number) - from;
  const text = block.text.slice(from, block.spans[2 * last - 1]);
  return block.keys ? { text, spans, keys: block.keys.slice(first, last) } : { text, spans };
}
