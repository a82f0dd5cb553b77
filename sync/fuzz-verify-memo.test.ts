// The campaign's native Ed25519 stand-in (sync/fuzz-verify-memo.ts) must give exactly what
// @noble/ed25519 gives on what the campaign produces, or the campaign would test something else.
import * as noble from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { rememberVerify } from './fuzz-verify-memo';

const fast = rememberVerify(noble);
const message = new TextEncoder().encode('DSSEv1 38 application/vnd.context-lens.feed+json 2 {}');

describe("the fuzz campaign's Ed25519", () => {
  it('signs and derives keys byte for byte as noble does, remembered or not', async () => {
    for (let i = 0; i < 5; i++) {
      const seed = noble.utils.randomSecretKey();
      expect(await fast.getPublicKeyAsync(seed)).toEqual(await noble.getPublicKeyAsync(seed));
      for (let round = 0; round < 2; round++)
        expect(await fast.signAsync(message, seed)).toEqual(await noble.signAsync(message, seed));
    }
  });

  it('verifies as noble does: valid signatures, flipped bits anywhere, wrong keys and garbage keys', async () => {
    const seed = noble.utils.randomSecretKey();
    const key = await noble.getPublicKeyAsync(seed);
    const signature = await noble.signAsync(message, seed);
    const cases: [Uint8Array, Uint8Array, Uint8Array][] = [[signature, message, key]];
    for (let bit = 0; bit < 512; bit += 7) {
      const flipped = signature.slice();
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      cases.push([flipped, message, key]);
    }
    for (let bit = 0; bit < 256; bit += 11) {
      const flipped = key.slice();
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
      cases.push([signature, message, flipped]);
    }
    cases.push([signature, message.slice(1), key], [signature, message, new Uint8Array(32).fill(0xff)]);
    cases.push([signature, message, new Uint8Array(32)], [new Uint8Array(64), message, key]);
    for (const [sig, msg, pub] of cases) {
      const expected = await noble.verifyAsync(sig, msg, pub).catch(() => false);
      expect(await fast.verifyAsync(sig, msg, pub)).toBe(expected);
      expect(await fast.verifyAsync(sig, msg, pub)).toBe(expected);
    }
  });
});
