import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuiltFeed, buildFeed } from './build';
import { makeChunk } from './chunks';
import { signManifest } from './dsse';
import { base64Encode, utf8Encode } from './encoding';
import { generateKeyPair, keyFingerprint, publicKeyFromPrivate } from './keys';
import { labelKey } from './targets';
import { exampleLabel, exampleSource, memoryReader, TEST_NOW, TEST_PRIVATE_KEY } from './testing';
import type { ChunkRef, Label } from './types';
import { openPublication, verifyFeed } from './verify';

let publicKey: Uint8Array;
let fingerprint: string;
let inline: BuiltFeed;
let chunked: BuiltFeed;

beforeAll(async () => {
  publicKey = await publicKeyFromPrivate(TEST_PRIVATE_KEY);
  fingerprint = keyFingerprint(publicKey);
  inline = await buildFeed(exampleSource(3), { privateKey: TEST_PRIVATE_KEY, now: TEST_NOW });
  chunked = await buildFeed(exampleSource(7), { privateKey: TEST_PRIVATE_KEY, now: TEST_NOW, chunkSize: 3 });
});

function withFile(feed: BuiltFeed, path: string, bytes: Uint8Array | null): Map<string, Uint8Array> {
  const files = new Map(feed.files);
  if (bytes) files.set(path, bytes);
  else files.delete(path);
  return files;
}

describe('verifyFeed', () => {
  it('accepts a built feed against its key or its fingerprint', async () => {
    for (const feed of [inline, chunked]) {
      const byKey = await verifyFeed(memoryReader(feed.files), { publicKey, now: TEST_NOW });
      expect(byKey).toMatchObject({ ok: true, problems: [], warnings: [], keyid: fingerprint });
      const byFingerprint = await verifyFeed(memoryReader(feed.files), { fingerprint, now: TEST_NOW });
      expect(byFingerprint).toMatchObject({ ok: true, problems: [], warnings: [], keyid: fingerprint });
    }
    const report = await verifyFeed(memoryReader(chunked.files), { publicKey, now: TEST_NOW });
    expect(report.labelCount).toBe(7);
    expect(report.manifest?.chunks).toHaveLength(3);
  });

  it('without a key, checks the feed against its own key and warns that it is not trusted', async () => {
    const report = await verifyFeed(memoryReader(inline.files), { now: TEST_NOW });
    expect(report.ok).toBe(true);
    expect(report.keyid).toBe(fingerprint);
    expect(report.warnings).toEqual([
      `no key given: the signature was checked only against the key the feed names itself (fingerprint ${fingerprint}); compare that fingerprint with one the publisher gives you`,
    ]);
  });

  it('refuses a feed signed by another key', async () => {
    const other = await generateKeyPair();
    const otherFp = keyFingerprint(other.publicKey);
    const report = await verifyFeed(memoryReader(inline.files), {
      publicKey: other.publicKey,
      now: TEST_NOW,
    });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      `feed.json: not signed by the expected key ${otherFp} (signed by ${fingerprint})`,
    ]);
    const byFp = await verifyFeed(memoryReader(inline.files), { fingerprint: otherFp, now: TEST_NOW });
    expect(byFp.problems).toEqual([
      `publicKey: the feed is signed by key ${fingerprint}, not by the expected key ${otherFp}`,
    ]);
  });

  it('refuses a manifest whose publicKey did not sign it', async () => {
    const other = await generateKeyPair();
    const manifest = { ...inline.manifest, publicKey: base64Encode(other.publicKey) };
    const feedJson = await signManifest(utf8Encode(JSON.stringify(manifest)), TEST_PRIVATE_KEY);
    const report = await verifyFeed(memoryReader(withFile(inline, 'feed.json', feedJson)), {
      publicKey,
      now: TEST_NOW,
    });
    expect(report.problems).toEqual([
      `publicKey: the feed's own key ${keyFingerprint(other.publicKey)} has no valid signature on it (the feed was altered or forged)`,
    ]);
  });

  it('reports an expired feed', async () => {
    const report = await verifyFeed(memoryReader(inline.files), {
      publicKey,
      now: new Date('2026-04-01T00:00:00Z'),
    });
    expect(report.problems).toEqual(['feed expired on 2026-03-31T12:00:00Z']);
  });

  it('warns about a feed issued in the future', async () => {
    const report = await verifyFeed(memoryReader(inline.files), {
      publicKey,
      now: new Date('2026-03-01T11:00:00Z'),
    });
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual(['issued 2026-03-01T12:00:00Z is in the future']);
  });

  it('reports missing files and read errors', async () => {
    expect((await verifyFeed(async () => null, {})).problems).toEqual(['feed.json: not found']);
    const failing = async () => {
      throw new Error('connection reset');
    };
    expect((await verifyFeed(failing, {})).problems).toEqual([
      'feed.json: could not be read (connection reset)',
    ]);
    const ref = chunked.manifest.chunks?.[1];
    const report = await verifyFeed(memoryReader(withFile(chunked, ref?.path as string, null)), {
      publicKey,
      now: TEST_NOW,
    });
    expect(report.problems).toEqual([`chunks[1] (${ref?.path}): not found`]);
  });

  it('reports a label id used twice across chunks', async () => {
    const labels = [exampleLabel(1), exampleLabel(2), exampleLabel(3)] as Label[];
    const built = await buildFeed(exampleSource(0, { labels }), {
      privateKey: TEST_PRIVATE_KEY,
      now: TEST_NOW,
      chunkSize: 2,
    });
    const first = built.manifest.chunks?.[0] as ChunkRef;
    // A second chunk that repeats label-1 and label-2 (changed), signed into the manifest.
    // Carrying their keys, as the manifest's keyRules says chunk labels do.
    const keyed = (l: Label) => ({ ...l, key: (labelKey(l) as { key: string }).key });
    const extra = makeChunk(
      [exampleLabel(1), exampleLabel(2, { note: 'other' })].map((l) => keyed(l as Label)),
    );
    const manifest = { ...built.manifest, chunks: [first, extra.ref] };
    const files = new Map(built.files);
    files.set(extra.ref.path, extra.bytes);
    files.set('feed.json', await signManifest(utf8Encode(JSON.stringify(manifest)), TEST_PRIVATE_KEY));
    const report = await verifyFeed(memoryReader(files), { publicKey, now: TEST_NOW });
    const second = `chunks[1] (${extra.ref.path})`;
    expect(report.problems).toEqual([
      `${second}.labels[0].id: duplicate label id "label-1" (also chunks[0] (${first.path}).labels[0])`,
      `${second}.labels[1].id: duplicate label id "label-2" (also chunks[0] (${first.path}).labels[1])`,
    ]);
  });

  it('fails when any one byte of feed.json or of a chunk is changed', async () => {
    const targets = [
      ['feed.json', chunked.files.get('feed.json') as Uint8Array],
      ...[...chunked.files].filter(([p]) => p !== 'feed.json'),
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.nat(),
        // Bias towards flips that turn one JSON whitespace or base64 character into another.
        fc.oneof(fc.integer({ min: 1, max: 255 }), fc.constantFrom(0x29, 0x2a, 0x2d, 0x06, 0x20, 0x01)),
        async ([path, bytes], at, flip) => {
          const changed = bytes.slice();
          const i = at % changed.length;
          changed[i] = (changed[i] as number) ^ flip;
          const report = await verifyFeed(memoryReader(withFile(chunked, path, changed)), {
            publicKey,
            now: TEST_NOW,
          });
          expect(report.ok).toBe(false);
          expect(report.problems.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails for a change at every single position of a small feed.json', async () => {
    const small = await buildFeed(exampleSource(1), { privateKey: TEST_PRIVATE_KEY, now: TEST_NOW });
    const bytes = small.files.get('feed.json') as Uint8Array;
    const flips = [0x01, 0x20, 0x29, 0x2a, 0x06, 0x80];
    const passed: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const changed = bytes.slice();
      changed[i] = (changed[i] as number) ^ (flips[i % flips.length] as number);
      const report = await verifyFeed(memoryReader(new Map([['feed.json', changed]])), {
        publicKey,
        now: TEST_NOW,
      });
      if (report.ok) passed.push(i);
    }
    expect(passed).toEqual([]);
  });

  it("covers the payload, not the envelope's JSON framing: reformatting feed.json is the same publication", async () => {
    const bytes = chunked.files.get('feed.json') as Uint8Array;
    const envelope = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const { payloadType, payload, signatures } = envelope;
    const framings = [
      `${new TextDecoder().decode(bytes)}\n`,
      ` \t\r\n${new TextDecoder().decode(bytes)}  \n\n`,
      JSON.stringify(envelope, null, 2),
      JSON.stringify({ signatures, payload, payloadType }),
      JSON.stringify({ ...envelope, comment: 'fields the envelope does not define are ignored' }),
    ];
    const held = await openPublication(bytes, { keys: [publicKey] });
    if (!held.ok) throw new Error('the built feed does not open');
    for (const text of framings) {
      const files = withFile(chunked, 'feed.json', utf8Encode(text));
      const report = await verifyFeed(memoryReader(files), { publicKey, now: TEST_NOW });
      expect(report.problems, JSON.stringify(text.slice(0, 40))).toEqual([]);
      const opened = await openPublication(utf8Encode(text), { keys: [publicKey] });
      // The same payload digest: a reader holding the publication sees no change, and no fork.
      expect(opened.ok && opened.value.digest).toBe(held.value.digest);
    }
    // What the signature covers is not framing: one more character inside payload is refused.
    const altered = JSON.stringify({ payloadType, payload: `${payload as string}A`, signatures });
    expect(
      (
        await verifyFeed(memoryReader(withFile(chunked, 'feed.json', utf8Encode(altered))), {
          publicKey,
          now: TEST_NOW,
        })
      ).ok,
    ).toBe(false);
  });

  it('never throws for arbitrary feed.json bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const report = await verifyFeed(memoryReader(new Map([['feed.json', bytes]])), { now: TEST_NOW });
        expect(report.ok).toBe(false);
      }),
    );
  });
});
