/**
 * The one 64-bit string hash of the feed library and the label cache: lookup keys and label ids are
 * hashed with it (the cache's key index, the verifier's duplicate-id check, retractions). Not
 * cryptographic and never trusted on its own: every user compares the strings behind a match.
 */

export interface KeyHash {
  hi: number;
  lo: number;
}

/**
 * 64-bit string hash (cyrb53's mixing, both 32-bit halves kept). Fast in JS, well spread; not
 * cryptographic, which it does not need to be (see the header).
 */
export function hashKey(key: string): KeyHash {
  let h1 = HASH_START_1;
  let h2 = HASH_START_2;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return finishKeyHash(h1, h2, { hi: 0, lo: 0 });
}

/** The two running states' start (feed/key-words.ts hashes words as it scans, from the same). */
export const HASH_START_1 = 0xdeadbeef;
export const HASH_START_2 = 0x41c6ce57;

/** hashKey's final mixing of the running states, written into `out`. */
export function finishKeyHash(h1: number, h2: number, out: KeyHash): KeyHash {
  let a = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  a ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  let b = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  b ^= Math.imul(a ^ (a >>> 13), 3266489909);
  out.hi = b >>> 0;
  out.lo = a >>> 0;
  return out;
}
