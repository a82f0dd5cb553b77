/**
 * The page index's entries as a tab is sent them (sync/page-index.ts `siteIndex`) and holds them
 * (lens/keyIndex.ts): ~5.3 bytes an entry at 50,000 entries where the background's own layout
 * takes 8. Every page load carries its tab's index, and a megabyte of answer costs the page ~40–70
 * ms of task time on this project's 2-core machine (docs/benchmarks.md, twenty-third session).
 *
 *   entry i's 48-bit hash (hi, lo's top 16 bits), sorted ─▶ its bucket (the hash's top b bits,
 *   b ≈ log2 n − 4, at most 16), its low 32 bits, and the 16 − b bits between. One stream of
 *   little-endian u32 words:
 *     [each entry's low 32 bits…]                                    n words
 *     [where each bucket's entries start…, n]                        2^b + 1 words
 *     [each entry's 16 − b middle bits, then its place in `codes` in p bits (`places`:
 *      SHARED_HASH)…]
 *
 * The tab reads them where they lie, with no pass over them (the pass that starts sent as bits
 * needed cost 2–9 ms of a page's load, run cold), and finds a key's entries among its bucket's
 * (about 16) instead of by a binary search over all.
 */
import { SHARED_HASH } from './keyindex';

/** How an answer's entries are packed: bucket bits `b`, bits a place `p` (`32 - clz32(places)`). */
export interface Packing {
  b: number;
  p: number;
}

const REFUSED = 'page index entries do not unpack';

/** Words of a stream of `bits` bits. */
const wordsFor = (bits: number): number => Math.ceil(bits / 32);

/** Bits a place: a place below `places`, or `places` itself for SHARED_HASH. */
const placeBits = (places: number): number => 32 - Math.clz32(places);

/** Reads `bits` (≤ 32) bits at bit `at` of `stream`. */
function bitsAt(stream: Uint32Array, at: number, bits: number): number {
  const w = at >>> 5;
  const o = at & 31;
  let value = (stream[w] as number) >>> o;
  if (o + bits > 32) value |= (stream[w + 1] as number) << (32 - o);
  return bits > 31 ? value >>> 0 : value & ((1 << bits) - 1);
}

/** Writes `value` (< 2^bits, bits ≤ 32) at bit `at` of `stream`, whose bits there are 0. */
function putBits(stream: Uint32Array, at: number, bits: number, value: number): void {
  const w = at >>> 5;
  const o = at & 31;
  stream[w] = (stream[w] as number) | (value << o);
  if (o + bits > 32) stream[w + 1] = value >>> (32 - o);
}

/** Bucket bits for n entries: about 16 entries a bucket, at most 2^16 buckets. */
const bucketBits = (n: number): number => Math.min(16, Math.max(0, 28 - Math.clz32(n)));

/** An entry's bucket: its hash's top b bits (hi's). */
const bucketOf = (hi: number, b: number): number => (b === 0 ? 0 : hi >>> (32 - b));

/** Its 16 − b middle bits: hi's top 16 after the bucket's. */
const middleOf = (hi: number, b: number): number => (hi >>> 16) & ((1 << (16 - b)) - 1);

/**
 * Packs `n` entries laid out as [hi…, lo's top 16 bits << 16 | place…] and sorted by hash, whose
 * places are below `places` or SHARED_HASH. Throws on entries out of order or a place out of range.
 */
export function packEntries(
  words: Uint32Array,
  n: number,
  places: number,
): { bytes: Uint8Array; packing: Packing } {
  const p = placeBits(places);
  const b = bucketBits(n);
  const rest = 16 - b + p;
  const buckets = 2 ** b;
  const stream = new Uint32Array(n + buckets + 1 + wordsFor(n * rest));
  const restAt = (n + buckets + 1) * 32;
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const hi = words[i] as number;
    const second = words[n + i] as number;
    const hash = hi * 0x10000 + (second >>> 16);
    if (hash < previous) throw new RangeError('page index entries out of order');
    previous = hash;
    stream[i] = ((hi & 0xffff) << 16) | (second >>> 16);
    // Every bucket after this entry's starts after it.
    stream[n + bucketOf(hi, b) + 1] = i + 1;
    const place = second & 0xffff;
    if (place !== SHARED_HASH && place >= places) throw new RangeError('page index place out of range');
    const code = place === SHARED_HASH ? places : place;
    putBits(stream, restAt + i * rest, rest, ((middleOf(hi, b) << p) | code) >>> 0);
  }
  // A bucket without entries starts where the one before it does.
  for (let k = 1; k <= buckets; k++)
    stream[n + k] = Math.max(stream[n + k] as number, stream[n + k - 1] as number);
  return { bytes: new Uint8Array(stream.buffer), packing: { b, p } };
}

/** A tab's entries, read where they lie in the stream. */
export class PackedEntries {
  private constructor(
    /** Each entry's hash's low 32 bits. */
    private readonly lows: Uint32Array,
    /** Bucket k's entries are [starts[k], starts[k + 1]). */
    private readonly starts: Uint32Array,
    private readonly stream: Uint32Array,
    /** Bit at which each entry's middle bits and place start. */
    private readonly restAt: number,
    private readonly places: number,
    private readonly b: number,
    private readonly p: number,
  ) {}

  /**
   * The `n` entries `packEntries` packed into `stream`. Throws where the stream is not as long as
   * they take or its packing is not one `packEntries` gives `n` entries of `places` places: the tab
   * then has no index and asks for every key. Nothing is read before a look-up: starts that are
   * not in order only make a look-up miss (it never reads past the entries).
   */
  static read(stream: Uint32Array, n: number, places: number, { b, p }: Packing): PackedEntries {
    const buckets = 2 ** b;
    if (
      b !== bucketBits(n) ||
      p !== placeBits(places) ||
      stream.length !== n + buckets + 1 + wordsFor(n * (16 - b + p))
    )
      throw new RangeError(REFUSED);
    const starts = stream.subarray(n, n + buckets + 1);
    return new PackedEntries(stream.subarray(0, n), starts, stream, (n + buckets + 1) * 32, places, b, p);
  }

  /** The first entry of the bucket of a hash whose first 32 bits are `hi`. */
  first(hi: number): number {
    return this.starts[bucketOf(hi, this.b)] as number;
  }

  /**
   * The first entry at or after `from` whose hash is (hi, lo's top 16 bits), in its bucket; -1 when
   * there is none. A look-up runs through its bucket's ~16 entries here, in one loop.
   */
  next(hi: number, lo: number, from: number): number {
    const { lows, b } = this;
    const low = (((hi & 0xffff) << 16) | (lo >>> 16)) >>> 0;
    const end = Math.min(this.starts[bucketOf(hi, b) + 1] as number, lows.length);
    for (let at = from; at < end; at++)
      if (lows[at] === low && this.rest(at) >>> this.p === middleOf(hi, b)) return at;
    return -1;
  }

  /** Entry `at`'s place in `codes` (SHARED_HASH as such). */
  placeAt(at: number): number {
    const place = this.rest(at) & ((1 << this.p) - 1);
    return place === this.places ? SHARED_HASH : place;
  }

  /** Entry `at`'s middle bits and place. */
  private rest(at: number): number {
    const bits = 16 - this.b + this.p;
    return bitsAt(this.stream, this.restAt + at * bits, bits);
  }
}
