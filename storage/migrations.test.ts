import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { hashKey, IndexBuilder } from '../sync/keyindex';
import { clearLookupCache, lookupLabels } from '../sync/lookup';
import { DEFINITIONS, xKey } from '../sync/testing';
import { BLOCK_LABELS, CacheDb } from './db';
import { blockV3, SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4 } from './migrations';

const FEED = 'https://f.example/feed.json';

const handle = (i: number) => `user${i}`;

/** Label i's JSON text as a chunk file has it (with its key when `withKey`). */
function labelText(i: number, withKey: boolean): string {
  return JSON.stringify({
    id: `l${i}`,
    account: `https://x.com/${handle(i)}`,
    ...(withKey ? { key: xKey(handle(i)) } : {}),
    val: 'suspended',
    note: `Note ${i} — “quoted”`,
    sources: [{ url: `https://news.example/${i}` }],
    cts: '2026-01-01T00:00:00Z',
  });
}

/**
 * An old cache's feed, version `versionId` listing chunk c1 (`count` labels) and c2 (one), its
 * index of the labels `wanted`, and `blocks`.
 */
async function putOldCache(
  old: Dexie,
  versionId: string,
  count: number,
  wanted: readonly number[],
  blocks: object[],
): Promise<void> {
  const builder = new IndexBuilder();
  for (const i of wanted) builder.add(hashKey(xKey(handle(i))), i);
  const { pages, filter } = builder.build();
  await old.table('feeds').put({
    id: FEED,
    url: FEED,
    enabled: true,
    currentVersion: versionId,
    sequence: 3,
    name: 'F',
    publisher: 'P',
    appeals: '',
    homepage: '',
  });
  await old.table('versions').put({
    id: versionId,
    feedId: FEED,
    sequence: 3,
    complete: true,
    createdAt: '2026-01-01T00:00:00Z',
    definitions: DEFINITIONS,
    chunks: [
      { sha256: 'c1', count },
      { sha256: 'c2', count: 1 },
    ],
    pageBits: 0,
    entryCount: wanted.length,
  });
  await old.table('pages').put({ versionId, page: 0, entries: pages.get(0) });
  await old.table('filters').put({ versionId, bits: filter.bits, hashes: filter.hashes });
  await old.table('blocks').bulkPut(blocks);
}

describe('label cache schema', () => {
  it('upgrades a v1 cache: filters move out of version rows, feeds and labels stay', async () => {
    const name = 'migration-v1';
    const old = new Dexie(name);
    old.version(1).stores(SCHEMA_V1);
    await old.open();
    const bits = new Uint32Array([1, 2, 3]);
    await old.table('feeds').put({ id: FEED, currentVersion: 'v-1', sequence: 4 });
    await old.table('versions').put({ id: 'v-1', feedId: FEED, filter: { bits, hashes: 7 } });
    await old.table('chunks').put({ feedId: FEED, sha256: 'ab', count: 1, ids: ['a'] });
    old.close();

    const db = new CacheDb(name);
    await db.open();
    expect(db.verno).toBe(5);
    expect(await db.filters.get('v-1')).toEqual({ versionId: 'v-1', bits, hashes: 7 });
    const version = (await db.versions.get('v-1')) as unknown as Record<string, unknown>;
    expect(version.filter).toBeUndefined();
    expect(version.feedId).toBe(FEED);
    expect((await db.feeds.get(FEED))?.sequence).toBe(4);
    expect(await db.chunks.count()).toBe(1);
    db.close();
    await Dexie.delete(name);
  });

  it('upgrades a v2 cache in place: label texts become byte blocks, ids one string, lookups answer as before', async () => {
    const name = 'migration-v2';
    const old = new Dexie(name);
    old.version(2).stores(SCHEMA_V2);
    await old.open();
    // A v2 version of two chunks: one whose row kept its ids, one stored before ids were kept.
    const texts = (id: string, handle: string) =>
      JSON.stringify({
        id,
        account: `https://x.com/${handle}`,
        val: 'suspended',
        note: `Note on ${handle} — “quoted”`,
        sources: [{ url: `https://news.example/${id}` }],
        cts: '2026-01-01T00:00:00Z',
      });
    const builder = new IndexBuilder();
    builder.add(hashKey(xKey('alice')), 0);
    builder.add(hashKey(xKey('bob')), 1);
    const { pages, filter } = builder.build();
    await old.table('feeds').put({
      id: FEED,
      url: FEED,
      enabled: true,
      currentVersion: 'v-2',
      sequence: 2,
      name: 'F',
      publisher: 'P',
      appeals: '',
      homepage: '',
    });
    await old.table('versions').put({
      id: 'v-2',
      feedId: FEED,
      sequence: 2,
      complete: true,
      createdAt: '2026-01-01T00:00:00Z',
      definitions: DEFINITIONS,
      chunks: [
        { sha256: 'c1', count: 1 },
        { sha256: 'c2', count: 1 },
      ],
      pageBits: 0,
      entryCount: 2,
    });
    await old.table('pages').put({ versionId: 'v-2', page: 0, entries: pages.get(0) });
    await old.table('filters').put({ versionId: 'v-2', bits: filter.bits, hashes: filter.hashes });
    const hashes = new Uint32Array(4);
    await old.table('chunks').bulkPut([
      { feedId: FEED, sha256: 'c1', count: 1, hashes, indexed: new Uint8Array([1]), negIds: [], ids: ['a'] },
      { feedId: FEED, sha256: 'c2', count: 1, hashes, indexed: new Uint8Array([1]), negIds: [] },
    ]);
    await old.table('blocks').bulkPut([
      { feedId: FEED, sha256: 'c1', block: 0, labels: [texts('a', 'alice')], keys: [xKey('alice')] },
      { feedId: FEED, sha256: 'c2', block: 0, labels: [texts('b', 'bob')], keys: [xKey('bob')] },
    ]);
    old.close();

    const db = new CacheDb(name);
    await db.open();
    expect(db.verno).toBe(5);
    expect((await db.chunks.toArray()).map((c) => c.ids)).toEqual(['a', 'b']);
    const block = await db.blocks.get([FEED, 'c1', 0]);
    expect(block?.text).toBeInstanceOf(Uint8Array);
    expect(block?.keys).toEqual([xKey('alice')]);
    clearLookupCache();
    const found = await lookupLabels(db, [xKey('alice'), xKey('bob'), xKey('carol')]);
    expect(found.map((m) => [m.labelId, m.key, m.note])).toEqual([
      ['a', xKey('alice'), 'Note on alice — “quoted”'],
      ['b', xKey('bob'), 'Note on bob — “quoted”'],
    ]);
    db.close();
    await Dexie.delete(name);
  });

  it('upgrades a v3 cache in place: blocks of 128 labels become blocks of 512 (v4), then 256 (v5), each label readable at its place', async () => {
    const name = 'migration-v3';
    const old = new Dexie(name);
    old.version(3).stores(SCHEMA_V3);
    await old.open();
    // Chunk c1: 700 labels in six v3 blocks; blocks 0 and 4 keep keys beside the text, the others
    // carry them in the text, and block 2 is missing. Chunk c2: one label.
    const count = 700;
    const rows = [];
    for (let b = 0; b * 128 < count; b++) {
      if (b === 2) continue;
      const keyed = b === 0 || b === 4;
      const labels = [];
      for (let i = b * 128; i < Math.min(count, (b + 1) * 128); i++) labels.push(labelText(i, !keyed));
      const keys = labels.map((_, j) => xKey(handle(b * 128 + j)));
      rows.push({ feedId: FEED, sha256: 'c1', block: b, ...blockV3(labels), ...(keyed ? { keys } : {}) });
    }
    rows.push({ feedId: FEED, sha256: 'c2', block: 0, ...blockV3([labelText(count, true)]) });
    const wanted = [0, 127, 128, 300, 511, 512, 600, 699, 700];
    await putOldCache(old, 'v-3', count, wanted, rows);
    old.close();

    const db = new CacheDb(name);
    await db.open();
    expect(db.verno).toBe(5);
    expect(BLOCK_LABELS).toBe(256);
    const blocks = await db.blocks.toArray();
    expect(blocks.map((b) => [b.sha256, b.block, b.spans.length / 2, b.keys?.length])).toEqual([
      ['c1', 0, 256, 256],
      ['c1', 1, 256, 256],
      ['c1', 2, count - 512, count - 512],
      ['c2', 0, 1, undefined],
    ]);
    clearLookupCache();
    const found = await lookupLabels(
      db,
      wanted.map((i) => xKey(handle(i))),
    );
    // Labels 256–383 were in the missing block: still not found; every other one is where it was.
    expect(found.map((m) => m.labelId)).toEqual([
      'l0',
      'l127',
      'l128',
      'l511',
      'l512',
      'l600',
      'l699',
      'l700',
    ]);
    expect(found.find((m) => m.labelId === 'l600')?.note).toBe('Note 600 — “quoted”');
    db.close();
    await Dexie.delete(name);
  });
  it('upgrades a v4 cache in place: blocks of 512 labels become blocks of 256, each label readable at its place', async () => {
    const name = 'migration-v4';
    const old = new Dexie(name);
    old.version(4).stores(SCHEMA_V4);
    await old.open();
    // Chunk c1: 700 labels in two v4 blocks, with bytes between labels as a chunk file has them;
    // block 0 keeps keys beside the text, block 1 carries them in the text. Chunk c2: one label.
    const count = 700;
    const rows = [];
    for (let b = 0; b * 512 < count; b++) {
      const keyed = b === 0;
      const labels = [];
      for (let i = b * 512; i < Math.min(count, (b + 1) * 512); i++) labels.push(labelText(i, !keyed));
      const { text: bytes, spans } = blockV3(labels.map((l) => `${l},\n`));
      for (let j = 0; j < spans.length; j += 2) spans[j + 1] = (spans[j + 1] as number) - 2;
      const keys = labels.map((_, j) => xKey(handle(b * 512 + j)));
      rows.push({ feedId: FEED, sha256: 'c1', block: b, text: bytes, spans, ...(keyed ? { keys } : {}) });
    }
    rows.push({ feedId: FEED, sha256: 'c2', block: 0, ...blockV3([labelText(count, true)]) });
    const wanted = [0, 255, 256, 300, 511, 512, 600, 699, 700];
    await putOldCache(old, 'v-4', count, wanted, rows);
    old.close();

    const db = new CacheDb(name);
    await db.open();
    expect(db.verno).toBe(5);
    const blocks = await db.blocks.toArray();
    expect(blocks.map((b) => [b.sha256, b.block, b.spans.length / 2, b.keys?.length])).toEqual([
      ['c1', 0, 256, 256],
      ['c1', 1, 256, 256],
      ['c1', 2, count - 512, undefined],
      ['c2', 0, 1, undefined],
    ]);
    // Each new block's text starts at its first label and ends at its last one's end.
    for (const b of blocks) {
      expect(b.spans[0]).toBe(0);
      expect(b.spans[b.spans.length - 1]).toBe(b.text.length);
    }
    clearLookupCache();
    const found = await lookupLabels(
      db,
      wanted.map((i) => xKey(handle(i))),
    );
    expect(found.map((m) => m.labelId)).toEqual(wanted.map((i) => `l${i}`));
    expect(found.find((m) => m.labelId === 'l300')?.note).toBe('Note 300 — “quoted”');
    db.close();
    await Dexie.delete(name);
  });
});
