import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { CacheDb } from './db';
import { SCHEMA_V1 } from './migrations';

describe('label cache schema', () => {
  it('upgrades a v1 cache: filters move out of version rows, feeds and labels stay', async () => {
    const name = 'migration-v1';
    const old = new Dexie(name);
    old.version(1).stores(SCHEMA_V1);
    await old.open();
    const bits = new Uint32Array([1, 2, 3]);
    await old.table('feeds').put({ id: 'https://f.example/feed.json', currentVersion: 'v-1', sequence: 4 });
    await old
      .table('versions')
      .put({ id: 'v-1', feedId: 'https://f.example/feed.json', filter: { bits, hashes: 7 } });
    await old.table('chunks').put({ feedId: 'https://f.example/feed.json', sha256: 'ab', count: 1 });
    old.close();

    const db = new CacheDb(name);
    await db.open();
    expect(db.verno).toBe(2);
    expect(await db.filters.get('v-1')).toEqual({ versionId: 'v-1', bits, hashes: 7 });
    const version = (await db.versions.get('v-1')) as unknown as Record<string, unknown>;
    expect(version.filter).toBeUndefined();
    expect(version.feedId).toBe('https://f.example/feed.json');
    expect((await db.feeds.get('https://f.example/feed.json'))?.sequence).toBe(4);
    expect(await db.chunks.count()).toBe(1);
    db.close();
    await Dexie.delete(name);
  });
});
