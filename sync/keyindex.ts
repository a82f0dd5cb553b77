/**
 * The compact key index of one stored feed version: a 64-bit hash of every normalised target key,
 * split into pages by the hash's top bits (each page sorted for binary search), and a Bloom filter
 * of the same hashes that is read first, so a key with no label (most keys) touches no page.
 * Pure: no IndexedDB, no extension API. The hash only narrows the search; the caller compares the
 * stored key text before trusting a hit, so a collision can never show a wrong label.
 */

/**
 * The page index's place (sync/page-index.ts, lens/keyIndex.ts) of labels whose key shares its
 * hash's top 48 bits with another labelled key: the tab asks the background for such keys.
 */
export const SHARED_HASH = 0xffff;

/** Target entries per page; a page is 12 bytes an entry. */
const PAGE_TARGET = 1024;
/** Bloom filter: ~10 bits a key and 7 probes give about 1 false positive in 120. */
const FILTER_BITS_PER_KEY = 10;
const FILTER_HASHES = 7;

import type { KeyHash } from '../feed/hash';

export { hashKey, type KeyHash } from '../feed/hash';

/** How many top hash bits pick the page for `entries` index entries. */
export function pageBitsFor(entries: number): number {
  let bits = 0;
  while (entries >> bits > PAGE_TARGET * 1.5 && bits < 20) bits++;
  return bits;
}

export function pageOf(hi: number, pageBits: number): number {
  return pageBits === 0 ? 0 : hi >>> (32 - pageBits);
}

export interface BloomFilter {
  bits: Uint32Array;
  hashes: number;
}

export function createFilter(entries: number, bitsPerEntry = FILTER_BITS_PER_KEY): BloomFilter {
  const words = Math.max(2, Math.ceil((entries * bitsPerEntry) / 32));
  return { bits: new Uint32Array(words), hashes: FILTER_HASHES };
}

// Kirsch–Mitzenmacher: probe i is lo + i·hi (mod m), hi forced odd so the probes differ.
export function filterAdd(filter: BloomFilter, { hi, lo }: KeyHash): void {
  const m = filter.bits.length * 32;
  const step = (hi | 1) >>> 0;
  for (let i = 0; i < filter.hashes; i++) {
    const bit = (lo + Math.imul(i, step)) >>> 0;
    const b = bit % m;
    filter.bits[b >>> 5] = (filter.bits[b >>> 5] as number) | (1 << (b & 31));
  }
}

export function filterHas(filter: BloomFilter, { hi, lo }: KeyHash): boolean {
  const m = filter.bits.length * 32;
  const step = (hi | 1) >>> 0;
  for (let i = 0; i < filter.hashes; i++) {
    const b = ((lo + Math.imul(i, step)) >>> 0) % m;
    if (((filter.bits[b >>> 5] as number) & (1 << (b & 31))) === 0) return false;
  }
  return true;
}

/** The index entries of a version while it is being built: one (hash, ordinal) per label that can match. */
export class IndexBuilder {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private ord: Uint32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.ord = new Uint32Array(capacity);
  }

  add(hash: KeyHash, ordinal: number): void {
    if (this.length === this.hi.length) {
      const grow = (a: Uint32Array): Uint32Array => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.hi = grow(this.hi);
      this.lo = grow(this.lo);
      this.ord = grow(this.ord);
    }
    this.hi[this.length] = hash.hi;
    this.lo[this.length] = hash.lo;
    this.ord[this.length] = ordinal;
    this.length++;
  }

  /** Pages (only the non-empty ones) and the filter of every entry added. */
  build(): { pageBits: number; pages: Map<number, Uint32Array>; filter: BloomFilter } {
    const n = this.length;
    const pageBits = pageBitsFor(n);
    const filter = createFilter(n);
    const { hi, lo, ord } = this;
    for (let i = 0; i < n; i++) filterAdd(filter, { hi: hi[i] as number, lo: lo[i] as number });
    const order = sortedOrder(hi, lo, n, Math.min(22, pageBits + 10));
    // Sorted by hash, so by page too: each page is a run of the order.
    const pages = new Map<number, Uint32Array>();
    for (let start = 0; start < n; ) {
      const page = pageOf(hi[order[start] as number] as number, pageBits);
      let end = start + 1;
      while (end < n && pageOf(hi[order[end] as number] as number, pageBits) === page) end++;
      const m = end - start;
      const entries = new Uint32Array(3 * m);
      for (let j = 0; j < m; j++) {
        const i = order[start + j] as number;
        entries[j] = hi[i] as number;
        entries[m + j] = lo[i] as number;
        entries[2 * m + j] = ord[i] as number;
      }
      pages.set(page, entries);
      start = end;
    }
    return { pageBits, pages, filter };
  }
}

/**
 * Entries 0 … n-1 in (hi, lo) order, ties in the order they were added: a counting sort by the
 * top `bits` bits of hi (about one entry a bucket, as hashes spread evenly), then an insertion
 * sort, which only has neighbours sharing those bits to put in order. Linear time, no comparator
 * calls.
 */
function sortedOrder(hi: Uint32Array, lo: Uint32Array, n: number, bits: number): Uint32Array {
  const shift = 32 - bits;
  const starts = new Uint32Array((1 << bits) + 1);
  for (let i = 0; i < n; i++) {
    const b = ((hi[i] as number) >>> shift) + 1;
    starts[b] = (starts[b] as number) + 1;
  }
  for (let b = 1; b < starts.length; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const b = (hi[i] as number) >>> shift;
    order[starts[b] as number] = i;
    starts[b] = (starts[b] as number) + 1;
  }
  for (let j = 1; j < n; j++) {
    const e = order[j] as number;
    const h = hi[e] as number;
    const l = lo[e] as number;
    let k = j - 1;
    for (; k >= 0; k--) {
      const f = order[k] as number;
      const fh = hi[f] as number;
      if (fh < h || (fh === h && (lo[f] as number) <= l)) break;
      order[k + 1] = f;
    }
    order[k + 1] = e;
  }
  return order;
}

/**
 * The first place j < m where (sorted[j], sorted[m + j]) is not below (hi, lo): hashes laid out as
 * `[hi…, lo…, …]`, m of them, sorted (binary search).
 */
export function lowerBound(sorted: Uint32Array, m: number, hi: number, lo: number): number {
  let a = 0;
  let b = m;
  while (a < b) {
    const mid = (a + b) >>> 1;
    const h = sorted[mid] as number;
    if (h < hi || (h === hi && (sorted[m + mid] as number) < lo)) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** Ordinals of every entry of `page` with exactly this hash (binary search). */
export function searchPage(page: Uint32Array, { hi, lo }: KeyHash): number[] {
  const m = page.length / 3;
  const a = lowerBound(page, m, hi, lo);
  const found: number[] = [];
  for (let j = a; j < m && page[j] === hi && page[m + j] === lo; j++) found.push(page[2 * m + j] as number);
  return found;
}

/**
 * Hashes `hi[i], lo[i]` (i < n) sorted by (hi, lo), as `[hi…, lo…]`, with their places in the
 * input when `order` is wanted.
 */
export function sortedHashes(
  hi: Uint32Array,
  lo: Uint32Array,
  n: number,
): { sorted: Uint32Array; order: Uint32Array } {
  const order = sortedOrder(hi, lo, n, Math.max(1, Math.min(22, Math.ceil(Math.log2(n + 1)))));
  const sorted = new Uint32Array(2 * n);
  for (let j = 0; j < n; j++) {
    const i = order[j] as number;
    sorted[j] = hi[i] as number;
    sorted[n + j] = lo[i] as number;
  }
  return { sorted, order };
}
