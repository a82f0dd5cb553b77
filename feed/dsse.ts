/**
 * The signed envelope of feed.json: DSSE (https://github.com/secure-systems-lab/dsse) with
 * Ed25519 over PAE(payloadType, payload). Signatures cover the exact payload bytes; nothing is
 * canonicalised. Owns signing, opening and verifying envelopes; never decides which key to trust
 * (callers pass the pinned key).
 *
 *   feed.json bytes ──openEnvelope──▶ { envelope, payload bytes, keyids }
 *                                         │
 *   pinned public key ──verifyEnvelope───┘──▶ true / false
 */
import * as ed from '@noble/ed25519';
import { FEED_CAPS } from './caps';
import { base64DecodeStrict, base64Encode, utf8Encode } from './encoding';
import { keyFingerprint } from './keys';
import { Problems } from './problems';
import { type Envelope, PAYLOAD_TYPE, type Result } from './types';
import { isRecord, parseJsonBytes, SHA256_PATTERN } from './validate';

/** DSSE v1 pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8Encode(payloadType);
  const head = utf8Encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

/**
 * Signs manifest bytes and returns the bytes of feed.json. Several keys give several signatures
 * (during a key rotation a publisher may sign with the old and the new key).
 */
export async function signManifest(
  manifestBytes: Uint8Array,
  privateKey: Uint8Array | readonly Uint8Array[],
): Promise<Uint8Array> {
  const keys = privateKey instanceof Uint8Array ? [privateKey] : privateKey;
  const message = pae(PAYLOAD_TYPE, manifestBytes);
  const signatures: Envelope['signatures'] = [];
  for (const key of keys) {
    const publicKey = await ed.getPublicKeyAsync(key);
    const sig = await ed.signAsync(message, key);
    signatures.push({ keyid: keyFingerprint(publicKey), sig: base64Encode(sig) });
  }
  const envelope: Envelope = { payloadType: PAYLOAD_TYPE, payload: base64Encode(manifestBytes), signatures };
  // Compact, no trailing newline: the one spelling the builder writes. The signature covers the
  // payload and its type, not this framing (docs/feed-format.md, "What the signature covers").
  return utf8Encode(JSON.stringify(envelope));
}

/** Parses feed.json bytes into the envelope and its payload bytes. Does not check signatures. */
export function openEnvelope(
  bytes: Uint8Array,
): Result<{ envelope: Envelope; payload: Uint8Array; keyids: string[] }> {
  const p = new Problems();
  const value = parseJsonBytes(bytes, 'feed.json', FEED_CAPS.envelopeBytes, p);
  if (p.count) return p.failure();
  if (!isRecord(value)) {
    p.add('feed.json', 'must be a JSON object (a DSSE envelope)');
    return p.failure();
  }
  if (value.payloadType !== PAYLOAD_TYPE) {
    p.add('feed.json.payloadType', `must be "${PAYLOAD_TYPE}"`);
  }
  let payload: Uint8Array | null = null;
  if (typeof value.payload !== 'string') p.add('feed.json.payload', 'must be a base64 string');
  else {
    payload = base64DecodeStrict(value.payload);
    if (!payload) p.add('feed.json.payload', 'is not canonical base64 (standard alphabet, padded)');
  }
  const signatures: Envelope['signatures'] = [];
  const sigs = value.signatures;
  if (!Array.isArray(sigs) || sigs.length === 0) {
    p.add('feed.json.signatures', 'must be a non-empty array');
  } else if (sigs.length > FEED_CAPS.signatures) {
    p.add('feed.json.signatures', `has ${sigs.length} entries; at most ${FEED_CAPS.signatures} are allowed`);
  } else {
    sigs.forEach((s: unknown, i) => {
      const at = `feed.json.signatures[${i}]`;
      if (!isRecord(s)) {
        p.add(at, 'must be an object like {"keyid", "sig"}');
        return;
      }
      if (typeof s.keyid !== 'string' || !SHA256_PATTERN.test(s.keyid)) {
        p.add(`${at}.keyid`, 'must be the key fingerprint: 64 lowercase hex digits');
      }
      if (typeof s.sig !== 'string' || base64DecodeStrict(s.sig)?.length !== 64) {
        p.add(`${at}.sig`, 'must be the canonical base64 of a 64-byte Ed25519 signature');
      }
      if (typeof s.keyid === 'string' && typeof s.sig === 'string')
        signatures.push({ keyid: s.keyid, sig: s.sig });
    });
  }
  if (p.count || !payload) return p.failure();
  const envelope: Envelope = { payloadType: PAYLOAD_TYPE, payload: value.payload as string, signatures };
  return { ok: true, value: { envelope, payload, keyids: signatures.map((s) => s.keyid) } };
}

/** True when a signature of `publicKey` (matched by keyid) verifies over the envelope's payload. */
export async function verifyEnvelope(envelope: Envelope, publicKey: Uint8Array): Promise<boolean> {
  if (publicKey.length !== 32 || envelope.payloadType !== PAYLOAD_TYPE) return false;
  const payload = base64DecodeStrict(envelope.payload);
  if (!payload) return false;
  const keyid = keyFingerprint(publicKey);
  const message = pae(envelope.payloadType, payload);
  for (const { keyid: id, sig } of envelope.signatures) {
    if (id !== keyid) continue;
    const signature = base64DecodeStrict(sig);
    if (signature?.length !== 64) continue;
    try {
      if (await ed.verifyAsync(signature, message, publicKey)) return true;
    } catch {
      // A malformed key or signature point is simply not a valid signature.
    }
  }
  return false;
}
