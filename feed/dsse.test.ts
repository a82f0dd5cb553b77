import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openEnvelope, pae, signManifest, verifyEnvelope } from './dsse';
import { base64Encode, utf8Decode, utf8Encode } from './encoding';
import {
  generateKeyPair,
  keyFingerprint,
  parseKeyFile,
  parseKeyFileChecked,
  parsePublicKey,
  publicKeyFromPrivate,
  serializeKeyFile,
} from './keys';
import { TEST_PRIVATE_KEY } from './testing';
import { formatProblem, PAYLOAD_TYPE } from './types';

const payload = utf8Encode('{"format":"context-lens/1"}');

function problemsOf(result: { ok: boolean; problems?: { path: string; message: string }[] }): string[] {
  return result.ok ? [] : (result.problems ?? []).map(formatProblem);
}

describe('PAE', () => {
  it('matches the DSSE specification example', () => {
    const out = pae('http://example.com/HelloWorld', utf8Encode('hello world'));
    expect(utf8Decode(out)).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });
  it('counts bytes, not characters', () => {
    expect(utf8Decode(pae('t', utf8Encode('ü')))).toBe('DSSEv1 1 t 2 ü');
  });
});

describe('keys', () => {
  it('makes 32-byte key pairs whose fingerprint is the hex SHA-256 of the public key', async () => {
    const pair = await generateKeyPair();
    expect(pair.publicKey).toHaveLength(32);
    expect(pair.privateKey).toHaveLength(32);
    expect(keyFingerprint(pair.publicKey)).toMatch(/^[0-9a-f]{64}$/);
    expect(await publicKeyFromPrivate(pair.privateKey)).toEqual(pair.publicKey);
  });

  it('round-trips a key file and reads its public half as a public key', async () => {
    const pair = await generateKeyPair();
    const text = serializeKeyFile(pair);
    expect(JSON.parse(text).type).toBe('ed25519');
    expect(parseKeyFile(text)).toEqual({ ok: true, value: pair });
    expect(await parseKeyFileChecked(text)).toEqual({ ok: true, value: pair });
    expect(parsePublicKey(text)).toEqual({ ok: true, value: pair.publicKey });
    expect(parsePublicKey(`  ${base64Encode(pair.publicKey)}\n`)).toEqual({
      ok: true,
      value: pair.publicKey,
    });
  });

  it('names what is wrong with a key file', async () => {
    expect(problemsOf(parseKeyFile('{"type":"rsa","publicKey":"AAAA"}'))).toEqual([
      'type: must be "ed25519"',
      'publicKey: must be the base64 of 32 raw bytes',
      'privateKey: is required',
    ]);
    expect(problemsOf(parseKeyFile('not json'))[0]).toMatch(/^key file: is not valid JSON/);
    const a = await generateKeyPair();
    const b = await generateKeyPair();
    const mixed = serializeKeyFile({ publicKey: a.publicKey, privateKey: b.privateKey });
    expect(problemsOf(await parseKeyFileChecked(mixed))).toEqual([
      'publicKey: does not belong to privateKey',
    ]);
    expect(problemsOf(parsePublicKey('abc'))).toEqual([
      'public key: must be the base64 of a raw 32-byte Ed25519 public key (or a key file)',
    ]);
  });
});

describe('envelope', () => {
  it('signs exact bytes that open and verify with the right key only', async () => {
    const publicKey = await publicKeyFromPrivate(TEST_PRIVATE_KEY);
    const feedJson = await signManifest(payload, TEST_PRIVATE_KEY);
    const opened = openEnvelope(feedJson);
    if (!opened.ok) throw new Error('did not open');
    expect(opened.value.payload).toEqual(payload);
    expect(opened.value.envelope.payloadType).toBe(PAYLOAD_TYPE);
    expect(opened.value.keyids).toEqual([keyFingerprint(publicKey)]);
    expect(await verifyEnvelope(opened.value.envelope, publicKey)).toBe(true);
    const other = await generateKeyPair();
    expect(await verifyEnvelope(opened.value.envelope, other.publicKey)).toBe(false);
  });

  it('is deterministic (Ed25519 signatures are)', async () => {
    expect(await signManifest(payload, TEST_PRIVATE_KEY)).toEqual(
      await signManifest(payload, TEST_PRIVATE_KEY),
    );
  });

  it('refuses a changed payload, even one that only adds whitespace', async () => {
    const publicKey = await publicKeyFromPrivate(TEST_PRIVATE_KEY);
    const envelope = JSON.parse(utf8Decode(await signManifest(payload, TEST_PRIVATE_KEY)) as string);
    envelope.payload = base64Encode(utf8Encode('{"format": "context-lens/1"}'));
    expect(await verifyEnvelope(envelope, publicKey)).toBe(false);
  });

  it('signs with several keys during a key rotation; each verifies', async () => {
    const next = await generateKeyPair();
    const opened = openEnvelope(await signManifest(payload, [TEST_PRIVATE_KEY, next.privateKey]));
    if (!opened.ok) throw new Error('did not open');
    expect(opened.value.keyids).toHaveLength(2);
    expect(await verifyEnvelope(opened.value.envelope, next.publicKey)).toBe(true);
    expect(await verifyEnvelope(opened.value.envelope, await publicKeyFromPrivate(TEST_PRIVATE_KEY))).toBe(
      true,
    );
  });

  it('names what is wrong with an envelope', () => {
    const bad = utf8Encode(
      JSON.stringify({ payloadType: 'text/plain', payload: '!!', signatures: [{ keyid: 'x', sig: 'AAAA' }] }),
    );
    expect(problemsOf(openEnvelope(bad))).toEqual([
      'feed.json.payloadType: must be "application/vnd.context-lens.feed+json"',
      'feed.json.payload: is not canonical base64 (standard alphabet, padded)',
      'feed.json.signatures[0].keyid: must be the key fingerprint: 64 lowercase hex digits',
      'feed.json.signatures[0].sig: must be the canonical base64 of a 64-byte Ed25519 signature',
    ]);
    expect(problemsOf(openEnvelope(utf8Encode('[]')))).toEqual([
      'feed.json: must be a JSON object (a DSSE envelope)',
    ]);
    expect(
      problemsOf(
        openEnvelope(utf8Encode('{"payloadType":"application/vnd.context-lens.feed+json","payload":""}')),
      ),
    ).toEqual(['feed.json.signatures: must be a non-empty array']);
    expect(problemsOf(openEnvelope(new Uint8Array([0xff])))).toEqual(['feed.json: is not valid UTF-8']);
  });

  it('caps the number of signatures', async () => {
    const envelope = JSON.parse(utf8Decode(await signManifest(payload, TEST_PRIVATE_KEY)) as string);
    envelope.signatures = new Array(9).fill(envelope.signatures[0]);
    expect(problemsOf(openEnvelope(utf8Encode(JSON.stringify(envelope))))).toEqual([
      'feed.json.signatures: has 9 entries; at most 8 are allowed',
    ]);
  });

  it('refuses an oversize feed.json before parsing it', () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 1).fill(0x20);
    expect(problemsOf(openEnvelope(big))).toEqual([
      'feed.json: is 2097153 bytes; at most 2097152 are allowed',
    ]);
  });

  it('never throws on arbitrary bytes: either opens or names problems', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 500 }),
          fc.json().map((j) => utf8Encode(j)),
        ),
        (bytes) => {
          const result = openEnvelope(bytes);
          if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
