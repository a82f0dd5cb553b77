/**
 * For the sync fuzz campaign (sync/fuzz-campaign.ts) only. The campaign's oracle checks each
 * signature first; the sync then checks the same signature over the same bytes. The curve
 * arithmetic is the campaign's main cost, so its answer for identical inputs is remembered: every
 * check still runs the real @noble/ed25519 verification once, the sync's code is untouched, and a
 * signature over other bytes or by another key is computed afresh. Each shard's test file mocks
 * `@noble/ed25519` with `rememberVerify(original)`.
 */
import { sha256 } from '@noble/hashes/sha2.js';

type Ed25519 = typeof import('@noble/ed25519');

export function rememberVerify(ed: Ed25519): Ed25519 {
  const answers = new Map<string, boolean>();
  const verifyAsync: Ed25519['verifyAsync'] = async (signature, message, publicKey, options) => {
    const key = [signature, publicKey, sha256(message)].map((b) => Buffer.from(b).toString('base64')).join();
    const known = answers.get(key);
    if (known !== undefined && options === undefined) return known;
    const answer = await ed.verifyAsync(signature, message, publicKey, options);
    if (answers.size > 50_000) answers.clear();
    answers.set(key, answer);
    return answer;
  };
  return { ...ed, verifyAsync };
}
