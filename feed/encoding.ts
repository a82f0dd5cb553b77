/**
 * Bytes ↔ text for the feed format: UTF-8, base64 (standard and URL-safe), hex and SHA-256.
 * Owns the only encoding helpers feed/ uses. Must never touch Buffer or node: modules — it runs in
 * Node, in the extension's service worker and in pages alike.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const encoder = new TextEncoder();

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Strict UTF-8: invalid byte sequences give `null` instead of replacement characters. */
export function utf8Decode(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Lowercase hex SHA-256 of exact bytes: chunk names, key fingerprints, CSV label ids. */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/**
 * sha256Hex through the platform's native SHA-256 (Web Crypto: browsers' workers and pages, Node),
 * several times faster than the JS one on megabytes; the JS one where there is none. Same result.
 */
export async function sha256HexAsync(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256Hex(bytes);
  return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
// DSSE readers accept the URL-safe alphabet too.
DECODE['-'.charCodeAt(0)] = 62;
DECODE['_'.charCodeAt(0)] = 63;

/** Standard base64 with padding (RFC 4648 §4). */
export function base64Encode(bytes: Uint8Array): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out.push(ALPHABET[n >> 18] as string, ALPHABET[(n >> 12) & 63] as string);
    out.push(ALPHABET[(n >> 6) & 63] as string, ALPHABET[n & 63] as string);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out.push(ALPHABET[n >> 18] as string, ALPHABET[(n >> 12) & 63] as string, '==');
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out.push(ALPHABET[n >> 18] as string, ALPHABET[(n >> 12) & 63] as string);
    out.push(ALPHABET[(n >> 6) & 63] as string, '=');
  }
  return out.join('');
}

/**
 * Decodes standard or URL-safe base64, padding optional. Returns `null` for anything else
 * (whitespace, stray characters, impossible lengths, non-zero trailing bits).
 */
export function base64Decode(text: string): Uint8Array | null {
  let end = text.length;
  if (end % 4 === 0 && end > 0) {
    if (text.charCodeAt(end - 1) === 61) end--;
    if (text.charCodeAt(end - 1) === 61) end--;
  }
  if (end % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const d = c < 128 ? (DECODE[c] as number) : -1;
    if (d < 0) return null;
    value = (value << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, so that every byte string has exactly one encoding per alphabet.
  if ((value & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Canonical base64 only: the standard alphabet with padding, zero trailing bits. Every byte string
 * has exactly one such text, so changing any character of it changes the bytes or is refused.
 * Used for the envelope's payload and signatures.
 */
export function base64DecodeStrict(text: string): Uint8Array | null {
  return CANONICAL_BASE64.test(text) ? base64Decode(text) : null;
}
