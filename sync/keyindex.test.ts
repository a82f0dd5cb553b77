import { describe, expect, it } from 'vitest';
import { filterHas, hashKey, IndexBuilder, pageBitsFor, pageOf, searchPage } from './keyindex';

function build(keys: string[]) {
  const builder = new IndexBuilder(4);
  keys.forEach((key, ordinal) => {
    builder.add(hashKey(key), ordinal);
  });
  return builder.build();
}

function find(index: ReturnType<typeof build>, key: string): number[] {
  const hash = hashKey(key);
  if (!filterHas(index.filter, hash)) return [];
  const page = index.pages.get(pageOf(hash.hi, index.pageBits));
  return page ? searchPage(page, hash) : [];
}

describe('key index', () => {
  it('finds every key it was built from, and every label of a key that has several', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `account:x.com/user${i}`);
    keys.push('account:x.com/user42');
    const index = build(keys);
    expect(index.pageBits).toBeGreaterThan(0);
    for (let i = 0; i < 5000; i += 7) {
      if (i === 42) continue;
      expect(find(index, keys[i] as string)).toEqual([i]);
    }
    expect(find(index, 'account:x.com/user42').sort((a, b) => a - b)).toEqual([42, 5000]);
  });

  it('answers most absent keys from the filter alone', () => {
    const index = build(Array.from({ length: 20_000 }, (_, i) => `post:bsky.app/p/${i}`));
    let passed = 0;
    for (let i = 0; i < 10_000; i++) if (filterHas(index.filter, hashKey(`post:bsky.app/q/${i}`))) passed++;
    expect(passed).toBeLessThan(200);
    expect(find(index, 'post:bsky.app/q/1')).toEqual([]);
  });

  it('keeps an empty version searchable', () => {
    const index = build([]);
    expect(index.pages.size).toBe(0);
    expect(find(index, 'account:x.com/a')).toEqual([]);
  });

  it('splits large indexes into pages of about a thousand entries', () => {
    expect(pageBitsFor(1000)).toBe(0);
    expect(pageBitsFor(1_000_000)).toBe(10);
    const hashes = new Set(['a', 'b', 'c'].map((k) => hashKey(k).hi));
    expect(hashes.size).toBe(3);
  });
});
