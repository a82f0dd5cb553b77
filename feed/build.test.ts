import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildFeed,
  IdIndex,
  labelRow,
  type PreviousPublication,
  previousOf as previousPublication,
  rowLine,
} from './build';
import { FEED_CAPS } from './caps';
import { labelLine, lineBytes, parseChunk } from './chunks';
import { openEnvelope } from './dsse';
import { utf8Decode } from './encoding';
import { keyFingerprint, publicKeyFromPrivate } from './keys';
import { FeedError } from './problems';
import { exampleLabel, exampleSource, memoryReader, TEST_NOW, TEST_PRIVATE_KEY } from './testing';
import type { FeedManifest, Label } from './types';
import { parseManifest } from './validate';
import { PublicationCheck, verifyFeed } from './verify';

const later = new Date(TEST_NOW.getTime() + 86_400_000);

async function previousOf(
  files: Map<string, Uint8Array>,
  manifest: FeedManifest,
): Promise<PreviousPublication> {
  const chunkLabels = new Map<string, Label[]>();
  for (const ref of manifest.chunks ?? []) {
    const parsed = parseChunk(files.get(ref.path) as Uint8Array, ref, manifest);
    if (!parsed.ok) throw new Error('bad chunk');
    chunkLabels.set(ref.path, parsed.value);
  }
  return { manifest, chunkLabels };
}

async function buildError(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FeedError)
      return error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    throw error;
  }
  throw new Error('build did not fail');
}

describe('buildFeed', () => {
  it('inlines a small feed and fills defaults: sequence 1, issued now, expires in 30 days, publicKey', async () => {
    const { files, manifest } = await buildFeed(exampleSource(3), {
      privateKey: TEST_PRIVATE_KEY,
      now: TEST_NOW,
    });
    expect([...files.keys()]).toEqual(['feed.json']);
    expect(manifest.sequence).toBe(1);
    expect(manifest.issued).toBe('2026-03-01T12:00:00Z');
    expect(manifest.expires).toBe('2026-03-31T12:00:00Z');
    expect(manifest.labels?.map((l) => l.id)).toEqual(['label-0', 'label-1', 'label-2']);
    expect(manifest.chunks).toBeUndefined();
    const opened = openEnvelope(files.get('feed.json') as Uint8Array);
    if (!opened.ok) throw new Error('did not open');
    const publicKey = await publicKeyFromPrivate(TEST_PRIVATE_KEY);
    expect(opened.value.keyids).toEqual([keyFingerprint(publicKey)]);
    expect(parseManifest(opened.value.payload)).toEqual({ ok: true, value: manifest });
  });

  it('gives labels without cts the issued time', async () => {
    const source = exampleSource(1);
    delete source.labels[0]?.cts;
    const { manifest } = await buildFeed(source, { privateKey: TEST_PRIVATE_KEY, now: TEST_NOW });
    expect(manifest.labels?.[0]?.cts).toBe('2026-03-01T12:00:00Z');
  });

  it('is deterministic: the same source, key and time give the same bytes', async () => {
    const opts = { privateKey: TEST_PRIVATE_KEY, now: TEST_NOW, chunkSize: 4 };
    const a = await buildFeed(exampleSource(10), opts);
    const shuffled = exampleSource(10);
    shuffled.labels.reverse();
    const b = await buildFeed(shuffled, opts);
    expect([...a.files.entries()]).toEqual([...b.files.entries()]);
  });

  it('splits a larger feed into content-addressed chunks of chunkSize labels', async () => {
    const { files, manifest } = await buildFeed(exampleSource(10), {
      privateKey: TEST_PRIVATE_KEY,
      now: TEST_NOW,
      chunkSize: 4,
      format: 1,
    });
    expect(manifest.labels).toBeUndefined();
    expect(manifest.chunks?.map((c) => c.count)).toEqual([4, 4, 2]);
    for (const ref of manifest.chunks ?? []) {
      expect(ref.path).toBe(`chunks/${ref.sha256}.json`);
      expect(files.get(ref.path)?.length).toBe(ref.bytes);
      expect(utf8Decode(files.get(ref.path) as Uint8Array)?.startsWith('{"labels":[\n{"id":"label-')).toBe(
        true,
      );
    }
  });

  it('keeps unchanged chunks (same name, same bytes) and puts only changed labels in new ones', async () => {
    const opts = { privateKey: TEST_PRIVATE_KEY, now: TEST_NOW, chunkSize: 4, format: 1 as const };
    const first = await buildFeed(exampleSource(12), opts);
    const source = exampleSource(13); // label-12 is new
    source.labels[5] = exampleLabel(5, { note: 'changed' });
    delete source.labels[12]?.cts;
    const second = await buildFeed(source, {
      ...opts,
      now: later,
      previous: await previousOf(first.files, first.manifest),
    });
    expect(second.manifest.sequence).toBe(2);
    const before = first.manifest.chunks ?? [];
    const after = second.manifest.chunks ?? [];
    // Ids sort as label-0, label-1, label-10, label-11, label-2, …: label-5 sits in the second chunk.
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual(before[2]);
    expect(second.files.get(before[0]?.path as string)).toEqual(first.files.get(before[0]?.path as string));
    expect(after.slice(2).map((c) => c.count)).toEqual([4, 1]);
    expect(after.some((c) => c.path === before[1]?.path)).toBe(false);
    const report = await verifyFeed(memoryReader(second.files), {
      publicKey: await publicKeyFromPrivate(TEST_PRIVATE_KEY),
      now: later,
    });
    expect(report.problems).toEqual([]);
    expect(report.labelCount).toBe(13);
  });

  it('keeps the earlier cts of an unchanged label that gives none, so its chunk stays the same', async () => {
    const source = () => {
      const s = exampleSource(8);
      for (const l of s.labels) delete l.cts;
      return s;
    };
    const first = await buildFeed(source(), {
      privateKey: TEST_PRIVATE_KEY,
      now: TEST_NOW,
      chunkSize: 4,
      format: 1,
    });
    const second = await buildFeed(source(), {
      privateKey: TEST_PRIVATE_KEY,
      now: later,
      chunkSize: 4,
      format: 1,
      previous: await previousOf(first.files, first.manifest),
    });
    expect(second.manifest.chunks).toEqual(first.manifest.chunks);
    expect(second.manifest.issued).not.toBe(first.manifest.issued);
  });

  it('refuses an invalid source, a sequence that does not increase and a bad chunk size', async () => {
    const bad = exampleSource(1, { appeals: 'http://x.org' });
    expect(await buildError(buildFeed(bad, { privateKey: TEST_PRIVATE_KEY }))).toEqual([
      'appeals: only https or mailto URLs are allowed',
    ]);
    const first = await buildFeed(exampleSource(1), { privateKey: TEST_PRIVATE_KEY, now: TEST_NOW });
    const previous = { manifest: first.manifest, chunkLabels: new Map() };
    expect(
      await buildError(buildFeed(exampleSource(1), { privateKey: TEST_PRIVATE_KEY, previous, sequence: 1 })),
    ).toEqual(["sequence: must be greater than the previous publication's 1"]);
    expect(
      await buildError(buildFeed(exampleSource(1), { privateKey: TEST_PRIVATE_KEY, chunkSize: 0 })),
    ).toEqual(['chunkSize: must be a whole number from 1 to 20000']);
    const past = exampleSource(1, { expires: '2020-01-01T00:00:00Z' });
    expect(await buildError(buildFeed(past, { privateKey: TEST_PRIVATE_KEY, now: TEST_NOW }))).toEqual([
      'expires: must be after issued (2026-03-01T12:00:00Z)',
    ]);
  });

  it('round-trips through verifyFeed for arbitrary valid label sets', async () => {
    const publicKey = await publicKeyFromPrivate(TEST_PRIVATE_KEY);
    const arbitraryLabel = fc.record({
      kind: fc.constantFrom('account', 'post', 'link'),
      user: fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/),
      status: fc.bigInt({ min: 1n, max: 10n ** 18n }),
      val: fc.constantFrom('account-suspended', 'hosting-terminated'),
      note: fc.option(
        fc.oneof(
          fc.string({ maxLength: 50 }),
          fc.record({ en: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '') }),
        ),
        {
          nil: undefined,
        },
      ),
      sources: fc.array(fc.webUrl({ validSchemes: ['https'] }), { minLength: 1, maxLength: 3 }),
      neg: fc.option(fc.constant(true as const), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbitraryLabel, {
          maxLength: 30,
          selector: (l) => `${l.kind}/${l.user}/${l.status}/${l.val}`,
        }),
        fc.integer({ min: 1, max: 8 }),
        async (specs, chunkSize) => {
          const labels = specs.map((s, i) => {
            const target =
              s.kind === 'account'
                ? { account: `https://x.com/cl_${s.user}` }
                : s.kind === 'post'
                  ? { post: `https://x.com/cl_${s.user}/status/${s.status}` }
                  : { link: `https://site${i}.example.com/${s.user}` };
            return {
              id: `l${i}`,
              ...target,
              val: s.val,
              ...(s.note !== undefined ? { note: s.note } : {}),
              sources: s.sources.map((url) => ({ url })),
              cts: '2026-01-01T00:00:00Z',
              ...(s.neg ? { neg: true as const } : {}),
            };
          });
          const built = await buildFeed(exampleSource(0, { labels }), {
            privateKey: TEST_PRIVATE_KEY,
            now: TEST_NOW,
            chunkSize,
          });
          const report = await verifyFeed(memoryReader(built.files), { publicKey, now: TEST_NOW });
          expect(report.problems).toEqual([]);
          expect(report.labelCount).toBe(labels.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('format 2: gzip chunks; an update keeps every chunk and appends one change chunk; compacts past half the feed', async () => {
    const opts = { privateKey: TEST_PRIVATE_KEY, chunkSize: 4 };
    const first = await buildFeed(exampleSource(16), { ...opts, now: TEST_NOW });
    expect(first.manifest.format).toBe('context-lens/2');
    expect(first.manifest.chunks?.every((c) => c.encoding === 'gzip' && c.path.endsWith('.json.gz'))).toBe(
      true,
    );
    // One label changed, one dropped, one added: the old chunks stay, one change chunk of 3.
    const source = exampleSource(17);
    source.labels[3] = exampleLabel(3, { note: 'changed' });
    source.labels.splice(7, 1);
    const second = await buildFeed(source, {
      ...opts,
      now: later,
      previous: await previousPublication(first),
    });
    const refs = second.manifest.chunks ?? [];
    expect(refs.slice(0, 4)).toEqual(first.manifest.chunks);
    expect(refs.slice(4)).toMatchObject([{ layer: 'change', count: 3 }]);
    const check = new PublicationCheck(second.manifest);
    const change = await check.chunk(4, second.files.get(refs[4]?.path as string) as Uint8Array);
    expect(change.ok && change.value.map((l) => [l.id, l.neg === true])).toEqual([
      ['label-16', false],
      ['label-3', false],
      ['label-7', true],
    ]);
    const verified = await verifyFeed(memoryReader(second.files), { now: later });
    expect(verified).toMatchObject({ ok: true, labelCount: 17 });
    // Past half the feed in changes: everything is laid out afresh, with no change chunk.
    const many = exampleSource(17);
    for (let i = 0; i < 6; i++) many.labels[i] = exampleLabel(i, { note: 'again' });
    const third = await buildFeed(many, {
      ...opts,
      now: later,
      previous: await previousPublication(second),
      sequence: 3,
    });
    expect(third.manifest.chunks?.some((c) => c.layer === 'change')).toBe(false);
    expect((await verifyFeed(memoryReader(third.files), { now: later })).labelCount).toBe(17);
  });

  // Its speed is measured by `npm run bench -- feed` (bench/feed/), never timed in a unit test.
  it('builds and verifies a 100,000-label feed', { timeout: 120_000 }, async () => {
    const labels = Array.from({ length: 100_000 }, (_, i) => exampleLabel(i));
    const built = await buildFeed(exampleSource(0, { labels }), {
      privateKey: TEST_PRIVATE_KEY,
      now: TEST_NOW,
    });
    expect(built.manifest.chunks).toHaveLength(20);
    const report = await verifyFeed(memoryReader(built.files), {
      publicKey: await publicKeyFromPrivate(TEST_PRIVATE_KEY),
      now: TEST_NOW,
    });
    expect(report.problems).toEqual([]);
    expect(report.labelCount).toBe(100_000);
  });
});

describe('IdIndex', () => {
  it('finds every id as a Map would: hex ids sharing their low bits, replaced ids, other ids', () => {
    const ids: string[] = [];
    for (let i = 0; i < 5_000; i++)
      ids.push(
        `${(i * 2_654_435_761).toString(16).padStart(8, '0').slice(-8)}${(i % 7).toString(16).padStart(8, '0')}`,
      );
    // Not 16 lowercase hex digits: kept apart from the hex id they resemble.
    ids.push(
      'label-1',
      'label-2',
      'ABCDEF0123456789',
      'abcdef0123456789',
      '0123456789abcde ',
      '0123456789abcde',
    );
    ids.push(
      '0123456789abcdef',
      ' 123456789abcdef',
      '0123456789abcdef0',
      '0123456789abcdeg',
      '0123456789abcdeF',
    );
    const index = new IdIndex();
    const map = new Map<string, number>();
    ids.forEach((id, i) => {
      index.set(id, i);
      map.set(id, i);
    });
    for (const [id, i] of map) expect(index.get(id)).toBe(i);
    expect(index.get('ffffffffffffffff')).toBeUndefined();
    expect(index.get('label-3')).toBeUndefined();
    expect(index.get('0123456789ABCDEF')).toBeUndefined();
    expect(index.get('0123456789abcdef')).toBe(ids.indexOf('0123456789abcdef'));
    // Sized for all of them at once: the same answers.
    const sized = new IdIndex(ids.length);
    ids.forEach((id, i) => {
      sized.set(id, i);
    });
    for (const [id, i] of map) expect(sized.get(id)).toBe(i);
  });
});

describe('labelRow', () => {
  it("writes every label's line as labelLine does, whatever its fields hold", () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const odd = fc.oneof(text, fc.constant(null), fc.integer(), fc.constant(true));
    const source = fc.record(
      { url: fc.oneof(text, odd), title: maybe(odd), publisher: maybe(text), date: maybe(text) },
      { requiredKeys: ['url'] },
    );
    const label = fc.record(
      {
        id: fc.oneof(text, fc.stringMatching(/^[0-9a-f]{16}$/), odd),
        account: maybe(text),
        post: maybe(odd),
        link: maybe(text),
        server: maybe(fc.oneof(fc.boolean(), odd)),
        key: maybe(text),
        val: fc.oneof(text, odd),
        note: maybe(fc.oneof(text, fc.dictionary(fc.constantFrom('en', 'de', 'fr'), text), odd)),
        sources: fc.array(source, { maxLength: 3 }),
        since: maybe(text),
        until: maybe(odd),
        cts: maybe(text),
        exp: maybe(text),
        neg: maybe(fc.boolean()),
      },
      { requiredKeys: ['id', 'val', 'sources'] },
    );
    fc.assert(
      fc.property(label, fc.string({ maxLength: 20 }), (input, cts) => {
        const label = input as unknown as Label;
        let line: string;
        try {
          line = labelLine({ ...label, cts: label.cts ?? cts });
        } catch {
          // A note that is no object (null) fails labelLine: labelRow fails the same way.
          expect(() => labelRow(label)).toThrow();
          return;
        }
        const row = labelRow(label);
        expect(rowLine(row, row.cts ?? cts)).toBe(line);
        expect(row.keyed).toBe(input.key !== undefined);
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('chunk byte cap', () => {
  it('ends a chunk where the next line would pass the byte cap, counting UTF-8 bytes', async () => {
    // Notes of 4,000 characters: 12,000 bytes of '€' or 4,000 of 'a', in runs, so some chunks
    // reach the cap by their length alone and others only by their bytes.
    const notes = (i: number) => ((i >> 4) % 3 === 0 ? 'a' : '€').repeat(4_000);
    const labels = Array.from({ length: 1_200 }, (_, i) =>
      exampleLabel(i, { id: `label-${String(i).padStart(5, '0')}`, note: notes(i) }),
    );
    const built = await buildFeed(exampleSource(0, { labels }), {
      privateKey: TEST_PRIVATE_KEY,
      now: TEST_NOW,
      chunkSize: 1_000,
      format: 1,
    });
    const budget = FEED_CAPS.chunkBytes - 64;
    const expected: number[] = [];
    let count = 0;
    let size = 0;
    for (const label of labels) {
      const bytes = lineBytes(labelLine(label as Label)) + 2;
      if (count > 0 && (count >= 1_000 || size + bytes > budget)) {
        expected.push(count);
        count = 0;
        size = 0;
      }
      count++;
      size += bytes;
    }
    expected.push(count);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(built.manifest.chunks?.map((c) => c.count)).toEqual(expected);
    for (const c of built.manifest.chunks ?? []) expect(c.bytes).toBeLessThanOrEqual(FEED_CAPS.chunkBytes);
  });
});
