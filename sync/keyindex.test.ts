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

describe('key index pages', () => {
  it('hold every entry sorted by (hi, lo), ties in the order added, as a comparison sort gives', () => {
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (const n of [0, 1, 5, 1_600, 20_000]) {
      const builder = new IndexBuilder(4);
      const added: { hi: number; lo: number; ord: number }[] = [];
      for (let i = 0; i < n; i++) {
        // Some repeated hashes and some sharing hi, as several labels of one key give.
        const r = next() % 10;
        const earlier = added[next() % Math.max(1, added.length)];
        const hash =
          r === 0 && earlier
            ? { hi: earlier.hi, lo: earlier.lo }
            : r === 1 && earlier
              ? { hi: earlier.hi, lo: next() }
              : { hi: next(), lo: next() };
        builder.add(hash, i);
        added.push({ ...hash, ord: i });
      }
      const { pageBits, pages } = builder.build();
      const expected = [...added].sort((a, b) => a.hi - b.hi || a.lo - b.lo);
      const got: { hi: number; lo: number; ord: number }[] = [];
      for (const p of [...pages.keys()].sort((a, b) => a - b)) {
        const page = pages.get(p) as Uint32Array;
        const m = page.length / 3;
        for (let j = 0; j < m; j++) {
          expect(pageOf(page[j] as number, pageBits)).toBe(p);
          got.push({ hi: page[j] as number, lo: page[m + j] as number, ord: page[2 * m + j] as number });
        }
      }
      expect(got).toEqual(expected);
    }
  });
});
