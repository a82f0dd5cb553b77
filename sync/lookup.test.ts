import { afterEach, describe, expect, it } from 'vitest';
import { CacheDb } from '../storage/db';
import { LookupReader } from './lookup';

const db = new CacheDb('lookup-reader-test');

afterEach(async () => {
  await db.delete({ disableAutoOpen: false });
});

describe('LookupReader', () => {
  it('reads rows in the order asked, missing ones as undefined', async () => {
    await db.pages.bulkPut([
      { versionId: 'v1', page: 0, entries: new Uint32Array([1, 2, 3]) },
      { versionId: 'v1', page: 2, entries: new Uint32Array([4, 5, 6]) },
    ]);
    const rows = await new LookupReader(db).get('pages', [
      ['v1', 2],
      ['v1', 1],
      ['v1', 0],
    ]);
    expect(rows.map((row) => row && [...row.entries])).toEqual([[4, 5, 6], undefined, [1, 2, 3]]);
  });

  it('reads on when its transaction ended between two reads (the worker did other work meanwhile)', async () => {
    await db.filters.put({ versionId: 'v1', bits: new Uint32Array([1, 2]), hashes: 7 });
    const reader = new LookupReader(db);
    expect((await reader.get('filters', ['v1']))[0]?.hashes).toBe(7);
    await new Promise((next) => setTimeout(next, 20));
    expect((await reader.get('filters', ['v1']))[0]?.hashes).toBe(7);
  });
});
