/**
 * Deterministic large feed sources for the feed benchmark: a CSV of N rows (a third accounts, a
 * third posts, a third domains; distinct notes and sources) and its meta file, and a "spread edit"
 * that changes the notes of a given share of rows picked at random across the whole file.
 * Writes into the bench's scratch folder only (bench-output/), never into the repository.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';

export const CSV_HEADER = 'type,target,val,note,sources,since,until';

export const BENCH_META = {
  id: 'https://bench.example/feed.json',
  name: 'Feed benchmark',
  publisher: 'Context Lens benchmarks',
  homepage: 'https://bench.example/',
  description: 'Generated for npm run bench -- feed.',
  appeals: 'mailto:appeals@bench.example',
  definitions: [
    {
      id: 'account-suspended',
      title: { en: 'Account suspended' },
      description: { en: 'The platform suspended this account.' },
      severity: 'caution',
      defaultAction: 'badge',
    },
    {
      id: 'post-removed',
      title: { en: 'Post removed' },
      description: { en: 'The platform removed this post.' },
      severity: 'info',
      defaultAction: 'badge',
    },
    {
      id: 'hosting-terminated',
      title: { en: 'Hosting terminated' },
      description: { en: 'The hosting provider ended service for this site.' },
      severity: 'alert',
      defaultAction: 'warn',
    },
  ],
};

/** Row i's fields; `edition` changes the note (and so the label) without changing its id. */
export function row(i: number, edition = 0): string {
  const note = `"Row ${i}${edition ? ` (revised ${edition})` : ''}, documented in report ${(i * 7919) % 100_003}"`;
  const source = `https://news.example.org/${i % 977}/story-${i}`;
  switch (i % 3) {
    case 0:
      return `account,https://x.com/user${i},account-suspended,${note},${source},2021-01-08,`;
    case 1:
      return `post,https://bsky.app/profile/user${i}.bsky.social/post/3k${i.toString(36)}x,post-removed,${note},${source},2022-05-01,`;
    default:
      return `link,site${i}.example.net,hosting-terminated,${note},${source},2023-02-11,`;
  }
}

/** Lookup key of row i as normalizeTarget makes it (accounts only: what the lookup bench asks). */
export function accountKey(i: number): string {
  return `account:x:user${i}`;
}

/** A small, fast PRNG (mulberry32): the same seed gives the same picks on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Editions per row after `days` daily spread edits of `share` of the rows (seeded per day). */
export function editions(rows: number, days: number, share = 0.01): Uint16Array {
  const out = new Uint16Array(rows);
  for (let day = 1; day <= days; day++) {
    const next = random(day * 1_000_003);
    const n = Math.round(rows * share);
    for (let k = 0; k < n; k++) out[Math.floor(next() * rows)] = day;
  }
  return out;
}

/** Writes the CSV (with the given editions) and the meta file; returns their paths. */
export async function writeSource(
  dir: string,
  name: string,
  rows: number,
  edition: Uint16Array | null = null,
): Promise<{ csv: string; meta: string }> {
  const csv = `${dir}/${name}.csv`;
  const meta = `${dir}/meta.json`;
  const out = createWriteStream(csv);
  let buffer = `${CSV_HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    buffer += `${row(i, edition ? (edition[i] as number) : 0)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  await writeFile(meta, `${JSON.stringify(BENCH_META, null, 2)}\n`);
  return { csv, meta };
}
