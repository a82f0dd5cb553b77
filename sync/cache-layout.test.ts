import { describe, expect, it } from 'vitest';
import { type ChunkRef, type Label, PublicationCheck, serializeChunk, utf8Encode } from '../feed';
import type { ChunkListEntry, VersionRecord } from '../storage/db';
import {
  BLOCK_LABELS,
  changesOver,
  chunkIds,
  chunkRows,
  findHash,
  labelSpans,
  readLabel,
} from './cache-layout';
import { hashKey } from './keyindex';
import { build, feedSource, keys, xKey, xLabel } from './testing';

function label(id: string, handle: string, extra: Partial<Label> = {}): Label {
  return {
    id,
    account: `https://x.com/${handle}`,
    key: xKey(handle),
    val: 'suspended',
    sources: [{ url: `https://news.example/${id}` }],
    cts: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

describe('a chunk as the sync checked it', () => {
  it('comes with the spans and id hashes the layout would find and make itself, also after non-ASCII text', async () => {
    const notes = ['Café — ünïcödé 😀', 'naïve', 'ß after it', 'plain', 'ascii', 'again'];
    const built = await build(
      feedSource(
        'https://feeds.example/a/feed.json',
        notes.map((note, i) => xLabel(`l${i}`, `user${i}`, { note })),
      ),
      await keys(),
      { chunkSize: 3 },
    );
    const check = new PublicationCheck(built.manifest);
    const refs = built.manifest.chunks ?? [];
    expect(refs).toHaveLength(2);
    let ascii = 0;
    for (const [index, ref] of refs.entries()) {
      const checked = await check.chunkText(index, built.files.get(ref.path) as Uint8Array);
      if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
      const { labels, text, spans, idHashes } = checked.value;
      expect(spans).toEqual(labelSpans(text, labels.length));
      const made = chunkRows('f', (ref as ChunkRef).sha256, { labels, text });
      const given = chunkRows('f', (ref as ChunkRef).sha256, checked.value);
      expect(given.chunk.hashes).toEqual(made.chunk.hashes);
      expect(idHashes).toHaveLength(2 * labels.length);
      expect(given.blocks).toEqual(made.blocks);
      if (new TextDecoder().decode(text).length === text.length) ascii++;
    }
    expect(ascii).toBe(1);
  });
});

describe('label spans in a chunk file', () => {
  it('finds each label of a builder-written chunk, with quotes, braces and escapes inside strings', () => {
    const labels = [
      label('a', 'alice', { note: 'a "quoted" {brace} [bracket] \\ and a \\" pair' }),
      label('b', 'bob', { note: 'ünïcödé — “typographic” 😀' }),
      label('c', 'carol'),
    ];
    const bytes = serializeChunk(labels);
    const spans = labelSpans(bytes, 3);
    expect(spans).not.toBeNull();
    const parsed = JSON.parse(new TextDecoder().decode(bytes)).labels as unknown[];
    for (let i = 0; i < 3; i++) {
      const slice = bytes.subarray(spans?.[2 * i], spans?.[2 * i + 1]);
      expect(JSON.parse(new TextDecoder().decode(slice))).toEqual(parsed[i]);
    }
  });

  it('takes any JSON whitespace, and nothing but the one labels array', () => {
    const one = JSON.stringify(label('a', 'alice'));
    expect(labelSpans(utf8Encode(` \n{ "labels" :\t[ ${one} ,\r\n${one}] }\n`), 2)).not.toBeNull();
    expect(labelSpans(utf8Encode('{"labels":[]}'), 0)).toEqual(new Uint32Array(0));
    // Another key, an escaped key, a byte order mark, a miscount: the caller serialises instead.
    expect(labelSpans(utf8Encode(`{"labels":[${one}],"x":1}`), 1)).toBeNull();
    expect(labelSpans(utf8Encode(`{"x":1,"labels":[${one}]}`), 1)).toBeNull();
    expect(labelSpans(utf8Encode(`{"\\u006cabels":[${one}]}`), 1)).toBeNull();
    expect(labelSpans(utf8Encode(`\ufeff{"labels":[${one}]}`), 1)).toBeNull();
    expect(labelSpans(utf8Encode(`{"labels":[${one},${one}]}`), 1)).toBeNull();
    expect(labelSpans(utf8Encode(`{"labels":[${one}]}`), 2)).toBeNull();
  });
});

describe('chunk rows', () => {
  it('cuts block texts from the chunk bytes and reads every label back with its key', () => {
    const count = 2 * BLOCK_LABELS + 44;
    const labels = Array.from({ length: count }, (_, i) => label(`l${i}`, `user${i}`));
    const bytes = serializeChunk(labels);
    const { chunk, blocks } = chunkRows('f', 'sha', { labels, text: bytes, textKeys: true });
    expect(blocks).toHaveLength(3);
    // The block holds the file's own bytes: nothing was serialised again.
    const first = blocks[0];
    const start = new TextDecoder().decode(bytes).indexOf('{"id":"l0"');
    expect(first?.text).toEqual(bytes.slice(start, start + (first?.text.length ?? 0)));
    expect(first?.keys).toBeUndefined();
    expect(chunkIds(chunk)).toEqual(labels.map((l) => l.id));
    const last = count - 1;
    const h = hashKey(xKey(`user${last}`));
    expect([chunk.hashes[4 * last], chunk.hashes[4 * last + 1]]).toEqual([h.hi, h.lo]);
    const read = readLabel(blocks[2] as (typeof blocks)[number], last - 2 * BLOCK_LABELS);
    expect(read).toEqual({ key: xKey(`user${last}`), label: labels[last] });
  });

  it('keeps the reader’s own keys beside texts whose key fields are not them', () => {
    const labels = [label('a', 'alice', { key: xKey('someone-else') })];
    const bytes = serializeChunk(labels);
    labels[0] = { ...(labels[0] as Label), key: xKey('alice') };
    const { blocks } = chunkRows('f', 'sha', { labels, text: bytes, textKeys: false });
    expect(blocks[0]?.keys).toEqual([xKey('alice')]);
    expect(readLabel(blocks[0] as (typeof blocks)[number], 0)?.key).toBe(xKey('alice'));
  });

  it('serialises labels given without bytes, and reads back only the fields the format defines', () => {
    const odd = { ...label('a', 'alice'), extra: 'x', sources: [{ url: 'https://s.example/', more: 1 }] };
    const bytes = utf8Encode(`{"labels":[${JSON.stringify(odd)}]}`);
    const fromText = chunkRows('f', 'sha', { labels: [label('a', 'alice')], text: bytes, textKeys: true });
    const read = readLabel(fromText.blocks[0] as (typeof fromText.blocks)[number], 0);
    expect(read?.label).toEqual({ ...label('a', 'alice'), sources: [{ url: 'https://s.example/' }] });
    const noKey = { ...label('b', 'bob') };
    delete noKey.key;
    const serialised = chunkRows('f', 'sha', { labels: [noKey] });
    expect(readLabel(serialised.blocks[0] as (typeof serialised.blocks)[number], 0)).toEqual({
      key: xKey('bob'),
      label: { ...noKey, key: xKey('bob') },
    });
  });
});

describe('a publication stored as changes over a full version', () => {
  const entry = (sha256: string, count: number, change = false): ChunkListEntry => ({
    sha256,
    count,
    bytes: count * 100,
    ...(change ? { change: true as const } : {}),
  });
  const base = (chunks: ChunkListEntry[], extra: Partial<VersionRecord> = {}): VersionRecord => ({
    id: 'v1',
    feedId: 'f',
    sequence: 1,
    complete: true,
    createdAt: '2026-01-01T00:00:00Z',
    definitions: [],
    chunks,
    pageBits: 0,
    entryCount: 0,
    checkedUnder: {},
    ...extra,
  });
  const held = [entry('a', 100), entry('b', 100), entry('c', 20, true)];

  it('takes the base chunks listed first exactly as held, then change chunks adding up to an eighth', () => {
    expect(changesOver(base(held), [...held, entry('d', 10, true), entry('e', 15, true)])).toBe(3);
    expect(changesOver(base(held), held)).toBe(3);
    // More than an eighth of the base's labels.
    expect(changesOver(base(held), [...held, entry('d', 28, true)])).toBeNull();
    // A plain chunk after them (its ids must be compared with the base's).
    expect(changesOver(base(held), [...held, entry('d', 10)])).toBeNull();
  });

  it('stores whole what lists the base otherwise, or a base that is not a full, complete, kept-listing version', () => {
    const more = entry('d', 10, true);
    expect(changesOver(base(held), [held[0] as ChunkListEntry, held[2] as ChunkListEntry, more])).toBeNull();
    expect(
      changesOver(base(held), [{ ...(held[0] as ChunkListEntry), bytes: 1 }, ...held.slice(1), more]),
    ).toBeNull();
    expect(
      changesOver(base(held), [{ ...(held[0] as ChunkListEntry), encoding: 'gzip' }, ...held.slice(1), more]),
    ).toBeNull();
    expect(changesOver(base(held), [held[0] as ChunkListEntry, held[1] as ChunkListEntry])).toBeNull();
    expect(changesOver(base(held, { base: 'v0' }), [...held, more])).toBeNull();
    expect(changesOver(base(held, { complete: false }), [...held, more])).toBeNull();
    const { checkedUnder: _, ...old } = base(held);
    expect(changesOver(old, [...held, more])).toBeNull();
    const { bytes: __, ...unlisted } = held[0] as ChunkListEntry;
    expect(changesOver(base([unlisted, ...held.slice(1)]), [unlisted, ...held.slice(1), more])).toBeNull();
  });

  it('finds a hash in a sorted [hi…, lo…] list', () => {
    const sorted = new Uint32Array([1, 2, 2, 9, 5, 1, 7, 0]);
    expect(findHash(sorted, 2, 1)).toBe(1);
    expect(findHash(sorted, 2, 7)).toBe(2);
    expect(findHash(sorted, 9, 0)).toBe(3);
    expect(findHash(sorted, 2, 3)).toBe(-1);
    expect(findHash(new Uint32Array(0), 1, 1)).toBe(-1);
  });
});
