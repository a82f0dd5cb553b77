/**
 * For the sync fuzz campaign (sync/fuzz-campaign.ts) only. The campaign signs a manifest for every
 * re-signed mutation, its oracle checks each signature, and the sync then checks the same signature
 * over the same bytes: Ed25519 in JavaScript was the campaign's largest single cost. So here, and
 * only here, the curve arithmetic is Node's native Ed25519 (OpenSSL), and an answer for identical
 * inputs is remembered. Ed25519 signing is deterministic (RFC 8032), so a signature or public key is
 * byte for byte what @noble/ed25519 makes; a verification agrees with noble's on everything the
 * campaign can produce (signatures by its own keys, and mutations no key signed). The sync's code
 * is untouched; the extension and the CLI always run @noble/ed25519. Each shard's test file mocks
 * `@noble/ed25519` with `rememberVerify(original)`.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';

type Ed25519 = typeof import('@noble/ed25519');

/** Answers remembered per kind before the memory is cleared. */
const LIMIT = 50_000;

/** DER prefixes that wrap a raw 32-byte Ed25519 seed (PKCS #8) or public key (SPKI). */
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');

const b64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function rememberVerify(ed: Ed25519): Ed25519 {
  const answers = new Map<string, boolean>();
  const signatures = new Map<string, Uint8Array>();
  const privateKeys = new Map<string, KeyObject>();
  const publicKeys = new Map<string, KeyObject | null>();
  const put = <V>(map: Map<string, V>, key: string, value: V): V => {
    if (map.size > LIMIT) map.clear();
    map.set(key, value);
    return value;
  };
  const privateKey = (seed: Uint8Array) => {
    const id = b64(seed);
    return (
      privateKeys.get(id) ??
      put(
        privateKeys,
        id,
        createPrivateKey({ key: Buffer.concat([PKCS8, seed]), format: 'der', type: 'pkcs8' }),
      )
    );
  };
  const publicKey = (raw: Uint8Array): KeyObject | null => {
    const id = b64(raw);
    const known = publicKeys.get(id);
    if (known !== undefined) return known;
    let key: KeyObject | null = null;
    try {
      // Noble refuses a key that is not 32 bytes or not a point; so does this (null).
      if (raw.length === 32)
        key = createPublicKey({ key: Buffer.concat([SPKI, raw]), format: 'der', type: 'spki' });
    } catch {
      key = null;
    }
    return put(publicKeys, id, key);
  };
  const verifyAsync: Ed25519['verifyAsync'] = async (signature, message, key, options) => {
    if (options !== undefined) return ed.verifyAsync(signature, message, key, options);
    const id = `${b64(signature)},${b64(key)},${b64(sha256(message))}`;
    const known = answers.get(id);
    if (known !== undefined) return known;
    const pub = publicKey(key);
    let answer = false;
    try {
      answer = pub !== null && signature.length === 64 && verify(null, message, pub, signature);
    } catch {
      answer = false;
    }
    return put(answers, id, answer);
  };
  const signAsync: Ed25519['signAsync'] = async (message, seed) => {
    const id = `${b64(seed)},${b64(sha256(message))}`;
    const known =
      signatures.get(id) ?? put(signatures, id, new Uint8Array(sign(null, message, privateKey(seed))));
    return known.slice();
  };
  const getPublicKeyAsync: Ed25519['getPublicKeyAsync'] = async (seed) => {
    const der = createPublicKey(privateKey(seed)).export({ format: 'der', type: 'spki' });
    return new Uint8Array(der.subarray(SPKI.length));
  };
  return { ...ed, verifyAsync, signAsync, getPublicKeyAsync };
}
