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
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return { hi: h2 >>> 0, lo: h1 >>> 0 };
}
