// The builder publishes the same bytes as the builder before rows and the chunk-at-a-time previous
// (commit adca2f8): a series of publications of a mid-size CSV and of a JSON-shaped source, each
// pinned by a digest of every file it writes (feed.json's signature covers the manifest, which names
// every chunk's SHA-256). The pins were made with that builder. Each CSV publication is built twice
// more as `context-lens-feed build` builds it: rows straight from the CSV, node:zlib, and the
// previous publication read one chunk at a time.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type BuildOptions,
  type BuiltFeed,
  buildFeed,
  buildRows,
  type PreviousReader,
  previousOf,
} from './build';
import { checkChunk } from './chunks';
import { readCsvRows, readCsvSource } from './csv-source';
import { NODE_CODEC } from './node-codec';
import type { FeedSource } from './source';
import { exampleDefinitions, exampleHeader, exampleLabel, TEST_NOW, TEST_PRIVATE_KEY } from './testing';
import type { LabelInput } from './validate';

const DAY = 86_400_000;
const ROWS = 6_000;
const HEADER = 'type,target,val,note,sources,since,until';

/** Row i's CSV line (`edition` changes its note, not its id). */
function csvRow(i: number, edition: number): string {
  const note = `"Row ${i}${edition ? ` (revised ${edition})` : ''}, report ${(i * 7919) % 10_007}${i % 7 === 0 ? ' — café ✓' : ''}"`;
  const source = `https://news.example.org/${i % 97}/story-${i}${i % 11 === 0 ? ' https://archive.example.net/s' : ''}`;
  const until = i % 13 === 0 ? '2024-06-30' : '';
  switch (i % 4) {
    case 0:
      return `account,https://x.com/user${i},account-suspended,${note},${source},2021-01-08,${until}`;
    case 1:
      return `post,https://bsky.app/profile/user${i}.bsky.social/post/3k${i.toString(36)}x,account-suspended,${note},${source},,`;
    case 2:
      return `link,site${i}.example.net,hosting-terminated,${note},${source},2023-02-11,${until}`;
    default:
      return i % 8 === 3
        ? `server,host${i}.example.social,hosting-terminated,${note},${source},,`
        : `link,https://site${i}.example.com/page/${i},hosting-terminated,${note},${source},,`;
  }
}

/** The first hex digit of row i's label id (what decides its place in the id-sorted chunks). */
function idDigit(i: number): string {
  const [type, target, val] = csvRow(i, 0).split(',') as [string, string, string];
  return createHash('sha256').update(`${type}\n${target}\n${val}`).digest('hex')[0] as string;
}

function csvText(rows: number[], edition: (i: number) => number): string {
  return `${[HEADER, ...rows.map((i) => csvRow(i, edition(i)))].join('\n')}\n`;
}

const all = Array.from({ length: ROWS }, (_, i) => i);

function digest(built: BuiltFeed): string {
  const hash = createHash('sha256');
  for (const path of [...built.files.keys()].sort()) {
    hash.update(`${path}\n`);
    hash.update(
      createHash('sha256')
        .update(built.files.get(path) as Uint8Array)
        .digest('hex'),
    );
  }
  return hash.digest('hex').slice(0, 32);
}

/** A previous publication as the CLI reads it: each chunk checked when the builder asks. */
function chunkReader(built: BuiltFeed): PreviousReader {
  const { manifest } = built;
  return {
    manifest,
    async chunk(index) {
      const ref = manifest.chunks?.[index];
      const bytes = ref && built.files.get(ref.path);
      if (!ref || !bytes) return { ok: true, value: {} };
      const labels = await checkChunk(bytes, ref, manifest);
      return labels.ok ? { ok: true, value: { labels: labels.value, bytes } } : labels;
    },
  };
}

interface Step {
  name: string;
  csv: string;
  meta?: Partial<FeedSource>;
  format?: 1 | 2;
  day: number;
}

const metaOf = (step: Step) => ({ ...exampleHeader, ...step.meta });

/** Builds each step on the last, as buildFeed does and as the CLI does; both must agree. */
async function series(
  steps: Step[],
  chunkSize: number,
  layouts: Record<string, string> = {},
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let before = new Set<string>();
  let last: BuiltFeed | undefined;
  let lastCli: BuiltFeed | undefined;
  for (const step of steps) {
    const opts: BuildOptions = {
      privateKey: TEST_PRIVATE_KEY,
      chunkSize,
      now: new Date(TEST_NOW.getTime() + step.day * DAY),
      format: step.format ?? 2,
      checked: true,
    };
    const source = await readCsvSource(step.csv, metaOf(step));
    if (!source.ok) throw new Error(JSON.stringify(source.problems));
    last = await buildFeed(source.value, { ...opts, ...(last ? { previous: await previousOf(last) } : {}) });
    out[step.name] = digest(last);
    // What each step is for: how many chunks it kept, how many change and new base chunks it made.
    const chunks = last.manifest.chunks ?? [];
    const kept = chunks.filter((c) => before.has(c.path)).length;
    const change = chunks.filter((c) => !before.has(c.path) && c.layer === 'change').length;
    layouts[step.name] = `${kept} kept, ${change} change, ${chunks.length - kept - change} new`;
    before = new Set(chunks.map((c) => c.path));

    const rows = await readCsvRows(step.csv, metaOf(step));
    if (!rows.ok) throw new Error(JSON.stringify(rows.problems));
    lastCli = await buildRows(rows.value, {
      ...opts,
      codec: NODE_CODEC,
      ...(lastCli ? { previous: chunkReader(lastCli) } : {}),
    });
    expect(digest(lastCli), `${step.name}, as the CLI builds it`).toBe(out[step.name]);
  }
  return out;
}

describe('the builder publishes the bytes it published before rows', () => {
  it('a CSV series: first build, spread edits, new and dropped rows, a compaction that keeps chunks, a removed definition', {
    timeout: 120_000,
  }, async () => {
    const low = new Set(all.filter((i) => '0123'.includes(idDigit(i))));
    const digits = new Set(all.filter((i) => '0123456789'.includes(idDigit(i))));
    const steps: Step[] = [
      { name: 'first', csv: csvText(all, () => 0), day: 0 },
      // 1 % of rows edited (only ids 0–3…), 20 dropped, 30 new: one change chunk.
      {
        name: 'edit',
        csv: csvText(
          [
            ...all.filter((i) => !(low.has(i) && i % 211 === 0)),
            ...Array.from({ length: 30 }, (_, k) => ROWS + k),
          ],
          (i) => (low.has(i) && i % 97 === 5 ? 1 : 0),
        ),
        day: 1,
      },
      // Over half the rows edited, all with ids 0–9…: compacted; chunks of ids a–f… keep their names.
      {
        name: 'compact',
        csv: csvText(
          [
            ...all.filter((i) => !(low.has(i) && i % 211 === 0)),
            ...Array.from({ length: 30 }, (_, k) => ROWS + k),
          ],
          (i) => (digits.has(i) ? 2 : 0),
        ),
        day: 2,
      },
      // A definition removed with its labels: kept chunks would hold orphans, so laid out afresh.
      {
        name: 'definition removed',
        csv: csvText(
          all.filter((i) => csvRow(i, 0).includes('account-suspended')),
          (i) => (digits.has(i) ? 2 : 0),
        ),
        meta: { definitions: exampleDefinitions.filter((d) => d.id === 'account-suspended') },
        day: 3,
      },
    ];
    const layouts: Record<string, string> = {};
    expect(await series(steps, 250, layouts)).toEqual({
      first: '2b50fe36e6ecea07cc01ef9b4aa7e250',
      edit: 'f52755af2f12cfa4247338bf17be070f',
      compact: '132598cab73f567d1ffa27ba15677ebb',
      'definition removed': 'c19bb475c459f0ba9f1f5f515a2b73f3',
    });
    expect(layouts).toEqual({
      first: '0 kept, 0 change, 24 new',
      edit: '24 kept, 1 change, 0 new',
      compact: '8 kept, 0 change, 17 new',
      'definition removed': '0 kept, 0 change, 12 new',
    });
  });

  it('a format-1 series keeps unchanged chunks by their labels without keys', {
    timeout: 60_000,
  }, async () => {
    const rows = all.slice(0, 3_000);
    const steps: Step[] = [
      { name: 'first', csv: csvText(rows, () => 0), format: 1, day: 0 },
      { name: 'edit', csv: csvText(rows, (i) => ('0123'.includes(idDigit(i)) ? 1 : 0)), format: 1, day: 1 },
    ];
    const layouts: Record<string, string> = {};
    expect(await series(steps, 200, layouts)).toEqual({
      first: '0c5cbb1844f5ad09e7cec2579f210f3f',
      edit: '673f1afa6a51ad4d3387ddca30d5c737',
    });
    expect(layouts).toEqual({ first: '0 kept, 0 change, 15 new', edit: '11 kept, 0 change, 4 new' });
  });

  it('a JSON-shaped source: given and missing cts, localised notes, exp, retractions, inline', async () => {
    const label = (i: number, edition: number): LabelInput => {
      const out = exampleLabel(i, {
        note: i % 5 === 0 ? { en: `Case ${i} (${edition})`, de: `Fall ${i}` } : `Case ${i} (${edition}).`,
        ...(i % 3 === 0 ? { link: `https://site${i}.example.net/`, account: undefined } : {}),
        ...(i % 4 === 0 ? { exp: '2027-01-01T00:00:00Z' } : {}),
        ...(i % 9 === 0 ? { until: '2025-12-31' } : {}),
      });
      if (i % 3 === 0) out.val = 'hosting-terminated';
      if (i % 2 === 0) delete out.cts;
      return out;
    };
    const build = async (labels: LabelInput[], day: number, previous?: BuiltFeed) =>
      buildFeed(
        { ...exampleHeader, labels },
        {
          privateKey: TEST_PRIVATE_KEY,
          chunkSize: 100,
          now: new Date(TEST_NOW.getTime() + day * DAY),
          ...(previous ? { previous: await previousOf(previous) } : {}),
        },
      );
    const ids = Array.from({ length: 1_200 }, (_, i) => i);
    const first = await build(
      ids.map((i) => label(i, 0)),
      0,
    );
    const second = await build(
      ids.filter((i) => i % 50 !== 7).map((i) => label(i, i % 40 === 1 ? 1 : 0)),
      1,
      first,
    );
    const inline = await build(
      ids.slice(0, 5).map((i) => label(i, 0)),
      0,
    );
    expect({ first: digest(first), second: digest(second), inline: digest(inline) }).toEqual({
      first: '2211fac2f75563f64c4b3019f77bdb59',
      second: '4fbd72835b435aca6ba38ff5726d1983',
      inline: 'ff5414e70a83f502d465e36e76a5f837',
    });
  });
});
