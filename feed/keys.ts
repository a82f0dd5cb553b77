/**
 * Ed25519 keys for signing feeds: generation, fingerprints and the key file format
 * `{"type":"ed25519","publicKey":"<base64>","privateKey":"<base64>"}`. Uses @noble/ed25519's
 * async API (WebCrypto SHA-512), so it runs in Node and in a service worker. Never reads or writes
 * files: callers own where keys live.
 */
import * as ed from '@noble/ed25519';
import { base64Decode, base64Encode, bytesEqual, sha256Hex } from './encoding';
import { fail, Problems } from './problems';
import type { Result } from './types';
import { isRecord, parseJson } from './validate';

export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export async function generateKeyPair(): Promise<KeyPair> {
  const privateKey = ed.utils.randomSecretKey();
  const publicKey = await ed.getPublicKeyAsync(privateKey);
  return { publicKey, privateKey };
}

export function publicKeyFromPrivate(privateKey: Uint8Array): Promise<Uint8Array> {
  return ed.getPublicKeyAsync(privateKey);
}

/** Hex SHA-256 of the raw 32-byte public key: the DSSE keyid and the fingerprint readers compare. */
export function keyFingerprint(publicKey: Uint8Array): string {
  return sha256Hex(publicKey);
}

export function serializeKeyFile(pair: KeyPair): string {
  const file = {
    type: 'ed25519',
    publicKey: base64Encode(pair.publicKey),
    privateKey: base64Encode(pair.privateKey),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Reads a key file and checks that its public key belongs to its private key. */
export async function parseKeyFileChecked(text: string): Promise<Result<KeyPair>> {
  const parsed = parseKeyFile(text);
  if (!parsed.ok) return parsed;
  const derived = await ed.getPublicKeyAsync(parsed.value.privateKey);
  if (!bytesEqual(derived, parsed.value.publicKey)) {
    return fail('publicKey', 'does not belong to privateKey');
  }
  return parsed;
}

/** Reads a key file. Checks shapes and lengths (use parseKeyFileChecked to also match the pair). */
export function parseKeyFile(text: string): Result<KeyPair> {
  const p = new Problems();
  const value = parseJson(text, 'key file', p);
  if (p.count) return p.failure();
  if (!isRecord(value)) return fail('key file', 'must be a JSON object');
  if (value.type !== 'ed25519') p.add('type', 'must be "ed25519"');
  const publicKey = readKey(value.publicKey, 'publicKey', p);
  const privateKey = readKey(value.privateKey, 'privateKey', p);
  if (p.count || !publicKey || !privateKey) return p.failure();
  return { ok: true, value: { publicKey, privateKey } };
}

function readKey(value: unknown, path: string, p: Problems): Uint8Array | undefined {
  if (typeof value !== 'string') {
    p.add(path, value === undefined ? 'is required' : 'must be a base64 string');
    return undefined;
  }
  const bytes = base64Decode(value.trim());
  if (bytes?.length !== 32) {
    p.add(path, 'must be the base64 of 32 raw bytes');
    return undefined;
  }
  return bytes;
}

/** A public key given as base64 of the raw 32 bytes, or as a key file (its public half). */
export function parsePublicKey(text: string): Result<Uint8Array> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const p = new Problems();
    const value = parseJson(trimmed, 'key file', p);
    if (p.count) return p.failure();
    if (!isRecord(value)) return fail('key file', 'must be a JSON object');
    const key = readKey(value.publicKey, 'publicKey', p);
    return key ? { ok: true, value: key } : p.failure();
  }
  const bytes = base64Decode(trimmed);
  if (bytes?.length !== 32) {
    return fail('public key', 'must be the base64 of a raw 32-byte Ed25519 public key (or a key file)');
  }
  return { ok: true, value: bytes };
}
