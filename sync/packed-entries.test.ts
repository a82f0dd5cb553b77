import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKey, SHARED_HASH } from './keyindex';
import { PackedEntries, packEntries } from './packed-entries';

interface Entry {
  hi: number;
  lo: number;
  place: number;
}

/** Entries sorted by hash, and as the page index lays them out ([hi…, lo's top 16 bits << 16 | place…]). */
function layout(entries: readonly Entry[]): { sorted: Entry[]; words: Uint32Array } {
  const sorted = [...entries].sort((a, b) => a.hi - b.hi || (a.lo >>> 16) - (b.lo >>> 16));
  const n = sorted.length;
  const words = new Uint32Array(2 * n);
  sorted.forEach((e, i) => {
    words[i] = e.hi;
    words[n + i] = ((e.lo & 0xffff0000) | e.place) >>> 0;
  });
  return { sorted, words };
}

function packed(entries: readonly Entry[], places: number): { sorted: Entry[]; read: PackedEntries } {
  const { sorted, words } = layout(entries);
  const { bytes, packing } = packEntries(words, sorted.length, places);
  const stream = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return { sorted, read: PackedEntries.read(stream, sorted.length, places, packing) };
}

/** Every entry (number, place) whose hash is e's, as the tab finds them. */
function found(read: PackedEntries, e: { hi: number; lo: number }): [number, number][] {
  const out: [number, number][] = [];
  for (let at = read.next(e.hi, e.lo, read.first(e.hi)); at >= 0; at = read.next(e.hi, e.lo, at + 1))
    out.push([at, read.placeAt(at)]);
  return out;
}

/** What the plain layout finds for e: each entry with its 48 bits, by number. */
function expected(sorted: readonly Entry[], e: { hi: number; lo: number }): [number, number][] {
  const out: [number, number][] = [];
  sorted.forEach((one, at) => {
    if (one.hi === e.hi && one.lo >>> 16 === e.lo >>> 16) out.push([at, one.place]);
  });
  return out;
}

const hash = fc.record({ hi: fc.nat({ max: 0xffffffff }), lo: fc.nat({ max: 0xffffffff }) });

describe('packed page index entries', () => {
  it('find every entry of a hash, by its number and place, and none of another hash', () => {
    const entry = (places: number) =>
      fc.record({
        hi: fc.oneof(fc.nat({ max: 0xffffffff }), fc.nat({ max: 3 })),
        lo: fc.nat({ max: 0xffffffff }),
        place: fc.oneof(fc.nat({ max: places - 1 }), fc.constant(SHARED_HASH)),
      });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 0xffff })
          .chain((places) =>
            fc.tuple(fc.constant(places), fc.array(entry(places), { maxLength: 200 }), fc.array(hash)),
          ),
        ([places, entries, others]) => {
          const { sorted, read } = packed(entries, places);
          for (const e of [...sorted, ...others]) expect(found(read, e)).toEqual(expected(sorted, e));
        },
      ),
    );
  });

  it('hold equal hashes, the first and last buckets, and a bucket of many', () => {
    const entries: Entry[] = [
      { hi: 0, lo: 0, place: 0 },
      { hi: 0, lo: 0, place: 1 },
      { hi: 0, lo: 0x10000, place: 2 },
      { hi: 0xffffffff, lo: 0xffff0000, place: 2 },
      { hi: 0xffffffff, lo: 0xffff0000, place: SHARED_HASH },
      ...Array.from({ length: 500 }, (_, i) => ({ hi: 0x00070000 + i, lo: i << 16, place: i % 3 })),
      // One bucket, the same low 32 bits, told apart by the bits between.
      { hi: 0x00010005, lo: 0x12340000, place: 0 },
      { hi: 0x00020005, lo: 0x12340000, place: 1 },
    ];
    const { sorted, read } = packed(entries, 3);
    for (const e of sorted) expect(found(read, e)).toEqual(expected(sorted, e));
    expect(found(read, { hi: 0, lo: 0 })).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(found(read, { hi: 0xffffffff, lo: 0xffff1234 })).toEqual([
      [505, 2],
      [506, SHARED_HASH],
    ]);
    expect(found(read, { hi: 0x00010005, lo: 0x12340000 })).toEqual([[3, 0]]);
    expect(found(read, { hi: 0x00020005, lo: 0x12340000 })).toEqual([[4, 1]]);
  });

  it('take under 5.4 bytes an entry at a feed’s size, where the plain layout takes 8', () => {
    const n = 50_000;
    const entries = Array.from({ length: n }, (_, i) => ({ ...hashKey(`account:x:user${i}`), place: i % 9 }));
    const { sorted, words } = layout(entries);
    const { bytes, packing } = packEntries(words, n, 9);
    expect(packing).toEqual({ b: 12, p: 4 });
    expect(bytes.length / n).toBeLessThan(5.4);
    const read = PackedEntries.read(new Uint32Array(bytes.buffer), n, 9, packing);
    for (let i = 0; i < n; i += 97) {
      const e = sorted[i] as Entry;
      expect(found(read, e)).toEqual([[i, e.place]]);
      expect(found(read, { hi: e.hi ^ 0x10000, lo: e.lo })).toEqual([]);
    }
  });

  it('are refused when cut short, run on, or packed otherwise; starts out of order only miss', () => {
    const entries = Array.from({ length: 40 }, (_, i) => ({ ...hashKey(`k${i}`), place: i % 3 }));
    const { sorted, words } = layout(entries);
    const { bytes, packing } = packEntries(words, 40, 3);
    const stream = new Uint32Array(bytes.buffer);
    expect(() => PackedEntries.read(stream.subarray(1), 40, 3, packing)).toThrow(RangeError);
    expect(() => PackedEntries.read(Uint32Array.from([...stream, 0]), 40, 3, packing)).toThrow(RangeError);
    expect(() => PackedEntries.read(stream, 40, 4, packing)).toThrow(RangeError);
    expect(() => PackedEntries.read(stream, 40, 3, { ...packing, p: 3 })).toThrow(RangeError);
    expect(() => PackedEntries.read(stream, 40, 3, { ...packing, b: 16 })).toThrow(RangeError);
    // Starts past the entries, or backwards: nothing found there, nothing read past them.
    const wild = Uint32Array.from(stream);
    wild.fill(0xffffffff, 40, 40 + 2 ** packing.b + 1);
    const read = PackedEntries.read(wild, 40, 3, packing);
    for (const e of sorted) expect(found(read, e)).toEqual([]);
    const backwards = Uint32Array.from(stream);
    for (let k = 0; k <= 2 ** packing.b; k++) backwards[40 + k] = 40 - k;
    for (const e of sorted) expect(found(PackedEntries.read(backwards, 40, 3, packing), e)).toEqual([]);
    const swapped = Uint32Array.from(words);
    [swapped[0], swapped[1]] = [words[1] as number, words[0] as number];
    [swapped[40], swapped[41]] = [words[41] as number, words[40] as number];
    expect(() => packEntries(swapped, 40, 3)).toThrow(RangeError);
    expect(() => packEntries(layout([{ hi: 1, lo: 0, place: 3 }]).words, 1, 3)).toThrow(RangeError);
  });
});
