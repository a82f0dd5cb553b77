import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFeed } from './build';
import { makeChunk, parseChunk, serializeChunk } from './chunks';
import { sha256Hex, utf8Encode } from './encoding';
import { exampleLabel, exampleSource, TEST_NOW, TEST_PRIVATE_KEY } from './testing';
import { type ChunkRef, type FeedManifest, formatProblem, type Label, type Result } from './types';

function problems(result: Result<unknown>): string[] {
  return result.ok ? [] : result.problems.map(formatProblem);
}

async function chunkedFeed(): Promise<{ manifest: FeedManifest; files: Map<string, Uint8Array> }> {
  return buildFeed(exampleSource(6), {
    privateKey: TEST_PRIVATE_KEY,
    now: TEST_NOW,
    chunkSize: 2,
    format: 1,
  });
}

/** A chunk of `labels` (any JSON) listed as the manifest's third chunk. */
function listed(
  manifest: FeedManifest,
  body: string,
  count: number,
): { bytes: Uint8Array; ref: ChunkRef; m: FeedManifest } {
  const bytes = utf8Encode(body);
  const sha256 = sha256Hex(bytes);
  const ref = { path: `chunks/${sha256}.json`, sha256, count, bytes: bytes.length };
  const chunks = [...(manifest.chunks ?? [])];
  chunks[2] = ref;
  return { bytes, ref, m: { ...manifest, chunks } };
}

describe('parseChunk', () => {
  it('accepts the chunks the builder wrote', async () => {
    const { manifest, files } = await chunkedFeed();
    const labels: Label[] = [];
    for (const ref of manifest.chunks ?? []) {
      const parsed = parseChunk(files.get(ref.path) as Uint8Array, ref, manifest);
      if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join('\n'));
      labels.push(...parsed.value);
    }
    expect(labels.map((l) => l.id)).toEqual([
      'label-0',
      'label-1',
      'label-2',
      'label-3',
      'label-4',
      'label-5',
    ]);
  });

  it('checks size, then hash, before parsing', async () => {
    const { manifest, files } = await chunkedFeed();
    const ref = manifest.chunks?.[1] as ChunkRef;
    const bytes = files.get(ref.path) as Uint8Array;
    expect(problems(parseChunk(bytes.slice(1), ref, manifest))).toEqual([
      `chunks[1] (${ref.path}): is ${bytes.length - 1} bytes; the manifest says ${bytes.length}`,
    ]);
    const changed = bytes.slice();
    changed[20] = (changed[20] as number) ^ 1;
    expect(problems(parseChunk(changed, ref, manifest))).toEqual([
      `chunks[1] (${ref.path}): does not match the sha256 in the manifest (its bytes hash to ${sha256Hex(changed)})`,
    ]);
  });

  it('names problems in the chunk by chunk index, path and label index', async () => {
    const { manifest } = await chunkedFeed();
    const bad = { ...exampleLabel(9), val: 'made-up' };
    const { bytes, ref, m } = listed(manifest, JSON.stringify({ labels: [exampleLabel(8), bad] }), 2);
    expect(problems(parseChunk(bytes, ref, m))).toEqual([
      `chunks[2] (${ref.path}).labels[1].val: "made-up" is not a definition of this feed`,
    ]);
    expect(problems(parseChunk(bytes, ref, m, 'custom'))).toEqual([
      'custom.labels[1].val: "made-up" is not a definition of this feed',
    ]);
  });

  it('checks the count and the body shape', async () => {
    const { manifest } = await chunkedFeed();
    const one = listed(manifest, JSON.stringify({ labels: [exampleLabel(8)] }), 2);
    expect(problems(parseChunk(one.bytes, one.ref, one.m))).toEqual([
      `chunks[2] (${one.ref.path}).labels: has 1 labels; the manifest says 2`,
    ]);
    const arr = listed(manifest, '[]', 0);
    expect(problems(parseChunk(arr.bytes, arr.ref, arr.m))).toEqual([
      `chunks[2] (${arr.ref.path}): must be a JSON object {"labels": [...]}`,
    ]);
    const dup = listed(manifest, JSON.stringify({ labels: [exampleLabel(8), exampleLabel(8)] }), 2);
    expect(problems(parseChunk(dup.bytes, dup.ref, dup.m))).toEqual([
      `chunks[2] (${dup.ref.path}).labels[1].id: duplicate label id "label-8" (also chunks[2] (${dup.ref.path}).labels[0])`,
    ]);
  });

  it('never throws on arbitrary bytes listed with their true hash', async () => {
    const { manifest } = await chunkedFeed();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 300 }),
          fc.jsonValue().map((v) => utf8Encode(JSON.stringify({ labels: [v] }))),
        ),
        (bytes) => {
          const sha256 = sha256Hex(bytes);
          const ref = { path: `chunks/${sha256}.json`, sha256, count: 1, bytes: bytes.length };
          const result = parseChunk(bytes, ref, manifest);
          if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe('serializeChunk', () => {
  it('writes one label per line with fields in a fixed order', () => {
    const label = {
      cts: '2026-01-01T00:00:00Z',
      sources: [{ title: 'T', url: 'https://n.example/' }],
      val: 'v',
      account: 'a',
      id: 'x',
    };
    const text = new TextDecoder().decode(serializeChunk([label as Label, label as Label]));
    const line =
      '{"id":"x","account":"a","val":"v","sources":[{"url":"https://n.example/","title":"T"}],"cts":"2026-01-01T00:00:00Z"}';
    expect(text).toBe(`{"labels":[\n${line},\n${line}\n]}\n`);
    expect(makeChunk([label as Label]).ref.path).toBe(
      `chunks/${sha256Hex(serializeChunk([label as Label]))}.json`,
    );
  });
});
