import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { hashKey, IndexBuilder } from '../sync/keyindex';
import { clearLookupCache, lookupLabels } from '../sync/lookup';
import { DEFINITIONS, xKey } from '../sync/testing';
import { CacheDb } from './db';
import { SCHEMA_V1, SCHEMA_V2 } from './migrations';

const FEED = 'https://f.example/feed.json';

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
    expect(db.verno).toBe(3);
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
    expect(db.verno).toBe(3);
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
});
