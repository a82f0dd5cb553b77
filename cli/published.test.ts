// `build --previous` reads the previous publication through openPreviousFeed: each chunk decoded
// and matched to the signed manifest, its labels checked by the builder, which parses only the
// lines that are not exactly one of its rows' lines. These tests hold that path to the one that
// checks every label first (previousOf): the same bytes for a series of publications, the same
// refusals for a previous publication with a bad or doubled label.
import { describe, expect, it } from 'vitest';
import {
  type BuildOptions,
  type BuiltFeed,
  buildFeed,
  PreviousError,
  type PreviousReader,
  previousOf,
} from '../feed/build';
import { checkChunk, decodeChunk } from '../feed/chunks';
import { signManifest } from '../feed/dsse';
import { utf8Decode, utf8Encode } from '../feed/encoding';
import { NODE_CODEC } from '../feed/node-codec';
import type { FeedSource } from '../feed/source';
import {
  exampleDefinition,
  exampleDefinitions,
  exampleHeader,
  exampleLabel,
  TEST_NOW,
  TEST_PRIVATE_KEY,
} from '../feed/testing';
import type { ChunkRef, FeedManifest } from '../feed/types';
import type { LabelInput } from '../feed/validate';
import { sectionName } from '../feed/verify';
import { openPreviousFeed } from './published';

const DAY = 86_400_000;

/** A publication's files as a place to read from, and a reader that counts full label checks. */
async function reader(built: BuiltFeed, counts: { checks: number }): Promise<PreviousReader> {
  const opened = await openPreviousFeed({
    label: 'memory',
    read: async (path) => built.files.get(path) ?? null,
  });
  if (!opened.ok) throw new Error(JSON.stringify(opened.problems));
  const inner = opened.reader;
  return {
    manifest: inner.manifest,
    async chunk(index) {
      const read = await inner.chunk(index);
      const check = read.ok ? read.value.check : undefined;
      if (read.ok && check) {
        read.value.check = () => {
          counts.checks++;
          return check();
        };
      }
      return read;
    },
  };
}

/** 600 labels of several kinds; `edit` changes some notes, `keep` drops some. */
function labels(day: number, keep: (i: number) => boolean = () => true): LabelInput[] {
  const out: LabelInput[] = [];
  for (let i = 0; i < 600; i++) {
    if (!keep(i)) continue;
    const note = `Case ${i}${i % 37 === day ? ` (revised ${day})` : ''}`;
    const common = { id: `id-${i.toString(36).padStart(4, '0')}`, note };
    if (i % 3 === 0) out.push(exampleLabel(i, { ...common, cts: undefined }));
    else if (i % 3 === 1)
      out.push({
        ...common,
        link: `site${i}.example.net`,
        val: 'hosting-terminated',
        sources: [{ url: `https://news.example.org/${i}` }],
        // Some carry their own cts, some an expiry or a retraction.
        ...(i % 5 === 0 ? { cts: '2026-02-01T00:00:00Z' } : {}),
        ...(i % 7 === 0 ? { exp: '2027-01-01T00:00:00Z' } : {}),
        ...(i % 11 === 0 ? { neg: true } : {}),
      });
    else
      out.push({
        ...common,
        post: `https://bsky.app/profile/user${i}.bsky.social/post/3k${i.toString(36)}x`,
        val: 'account-suspended',
        sources: [{ url: `https://news.example.org/p/${i}` }],
      });
  }
  return out;
}

const opts = (day: number): BuildOptions => ({
  privateKey: TEST_PRIVATE_KEY,
  chunkSize: 50,
  now: new Date(TEST_NOW.getTime() + day * DAY),
  codec: NODE_CODEC,
});

describe('build --previous through openPreviousFeed', () => {
  it('publishes what the fully checked previous gives, checking no chunk in full for a plain update', {
    timeout: 60_000,
  }, async () => {
    const steps: { source: FeedSource; full: boolean }[] = [
      // spread edits, dropped labels (retractions), a new one
      {
        source: { ...exampleHeader, labels: [...labels(1, (i) => i % 53 !== 0), exampleLabel(900)] },
        full: false,
      },
      // a definition removed: the chunks holding its labels are laid out afresh
      {
        source: {
          ...exampleHeader,
          definitions: exampleDefinitions.filter((d) => d.id === 'account-suspended'),
          labels: labels(2).filter((l) => l.val === 'account-suspended'),
        },
        full: false,
      },
      // a definition added: rows may use a val the previous manifest lacks, so every chunk is checked
      {
        source: {
          ...exampleHeader,
          definitions: [exampleDefinitions[0], exampleDefinition('new-one')].filter((d) => d !== undefined),
          labels: labels(3)
            .filter((l) => l.val === 'account-suspended')
            .map((l, i) => (i % 9 === 0 ? { ...l, val: 'new-one' } : l)),
        },
        full: true,
      },
    ];
    let checked = await buildFeed({ ...exampleHeader, labels: labels(0) }, opts(0));
    let matched = checked;
    for (const [day, step] of steps.entries()) {
      const counts = { checks: 0 };
      const previous = await reader(matched, counts);
      checked = await buildFeed(step.source, { ...opts(day + 1), previous: await previousOf(checked) });
      matched = await buildFeed(step.source, { ...opts(day + 1), previous });
      expect([...matched.files.entries()].sort()).toEqual([...checked.files.entries()].sort());
      const chunks = checked.manifest.chunks?.length ?? 0;
      expect(counts.checks, `step ${day + 1}`).toBe(step.full ? previous.manifest.chunks?.length : 0);
      expect(chunks).toBeGreaterThan(1);
    }
  });

  /** The built feed with its first chunk's decoded text changed by `edit`, re-signed. */
  async function tampered(built: BuiltFeed, edit: (text: string) => string): Promise<BuiltFeed> {
    const ref = built.manifest.chunks?.[0] as ChunkRef;
    const decoded = await decodeChunk(built.files.get(ref.path) as Uint8Array, ref, '');
    if (!decoded.ok) throw new Error('not decoded');
    const bytes = await NODE_CODEC.gzip(utf8Encode(edit(utf8Decode(decoded.value) as string)));
    const sha256 = NODE_CODEC.sha256Hex(bytes);
    const next: ChunkRef = { ...ref, path: `chunks/${sha256}.json.gz`, sha256, bytes: bytes.length };
    const manifest: FeedManifest = {
      ...built.manifest,
      chunks: [next, ...(built.manifest.chunks ?? []).slice(1)],
    };
    const files = new Map(built.files);
    files.delete(ref.path);
    files.set(next.path, bytes);
    files.set(
      'feed.json',
      await signManifest(utf8Encode(`${JSON.stringify(manifest, null, 2)}\n`), TEST_PRIVATE_KEY),
    );
    return { manifest, files };
  }

  it.each([
    [
      'a label that breaks a rule',
      (text: string) => text.replace('"url":"https://news.', '"url":"javascript:'),
    ],
    [
      'a label twice',
      // the second line replaced by the first: as many lines, one id twice
      (text: string) => {
        const lines = text.split('\n');
        lines[2] = lines[1] as string;
        return lines.join('\n');
      },
    ],
  ])('refuses a previous publication with %s, in the words of the full check', async (_name, edit) => {
    const first = await buildFeed({ ...exampleHeader, labels: labels(0) }, opts(0));
    const bad = await tampered(first, edit);
    const ref = bad.manifest.chunks?.[0] as ChunkRef;
    const want = await checkChunk(
      bad.files.get(ref.path) as Uint8Array,
      ref,
      bad.manifest,
      sectionName(bad.manifest, 0),
    );
    expect(want.ok).toBe(false);
    const counts = { checks: 0 };
    const error = await buildFeed(
      { ...exampleHeader, labels: labels(1) },
      { ...opts(1), previous: await reader(bad, counts) },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreviousError);
    expect((error as PreviousError).problems).toEqual(want.ok ? [] : want.problems);
  });
});
