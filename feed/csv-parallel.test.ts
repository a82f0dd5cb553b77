import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutPoints, readCsvFileRows, readCsvOnThreads } from './csv-parallel';
import { readCsvRows } from './csv-source';
import { exampleHeader } from './testing';
import { formatProblem, type Result } from './types';

/** A CSV source's meta file is the feed's header. */
const meta = exampleHeader;
const HEADER = 'type,target,val,note,sources,since,until';
const THREADS = { threads: 3, minBytes: 0 };

/** Rows whose notes hold line breaks, doubled quotes and commas, so a naive cut lands inside one. */
function row(i: number): string {
  const note = i % 2 ? `"line ${i}\nsays ""hi"", twice\n\nend"` : `plain ${i}`;
  return `account,https://x.com/user${i},account-suspended,${note},https://n.example.org/${i},,`;
}

function csv(rows: string[], eol = '\n'): string {
  return `${[HEADER, ...rows].join(eol)}${eol}`;
}

const ROWS = Array.from({ length: 60 }, (_, i) => row(i));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-parallel-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
async function file(text: string): Promise<string> {
  const path = join(dir, `${files++}.csv`);
  await writeFile(path, text);
  return path;
}

function problems(result: Result<unknown>): string[] {
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('readCsvOnThreads', () => {
  it.each([
    ['LF and blank lines', csv([...ROWS.slice(0, 30), '', ...ROWS.slice(30), ''])],
    ['CRLF and a byte-order mark', `\uFEFF${csv(ROWS, '\r\n')}`],
  ])('gives the one-thread rows, in order, for %s', async (_name, text) => {
    const path = await file(text);
    const one = await readCsvRows(text, meta);
    expect(one.ok).toBe(true);
    const threaded = await readCsvOnThreads(path, meta, THREADS);
    expect(threaded).toEqual(one.ok ? one.value : undefined);
  });

  it('cuts only where a record starts', async () => {
    for (const [text, crlf] of [
      [csv(ROWS), false],
      [csv(ROWS, '\r\n'), true],
    ] as const) {
      const handle = await open(await file(text), 'r');
      const size = Buffer.byteLength(text);
      const cuts = await cutPoints(handle, size, 4, crlf);
      await handle.close();
      expect(cuts).toHaveLength(4);
      for (const cut of cuts.slice(1)) {
        const before = text.slice(0, cut);
        expect(before.split('"').length % 2).toBe(1); // an even number of quotes
        expect(before.endsWith(crlf ? '\r\n' : '\n')).toBe(true);
        expect(cut).toBeGreaterThanOrEqual(size / 4);
      }
    }
  });

  it('leaves every problem, and anything unusual, to the one-thread read', async () => {
    const last = ROWS.length - 1;
    const cases = [
      // a bad row near the end, two rows with one id in different pieces, CSV errors
      csv([...ROWS.slice(0, last), row(last).replace('https://n.example.org', 'ftp://n.example.org')]),
      csv([...ROWS, row(1)]),
      `${csv(ROWS)}account,"x.com/open,v\n`,
      csv([
        ...ROWS.slice(0, 40),
        'account,x.com/a"b,account-suspended,,https://n.example.org,,',
        ...ROWS.slice(40),
      ]),
      csv([...ROWS, 'account,x.com/short']),
      // a header in quotes (csv-parse reads it as the header; not cut) and a wrong header
      `"type",target,val,note,sources,since,until\n${ROWS.join('\n')}\n`,
      `type,target\n${ROWS.join('\n')}\n`,
    ];
    for (const text of cases) {
      const path = await file(text);
      const one = await readCsvRows(text, meta);
      const read = await readCsvFileRows(path, meta, async () => text, { threads: 2, minBytes: 0 });
      expect(problems(read)).toEqual(problems(one));
      expect(read.ok).toBe(one.ok);
    }
  });

  it('reads a small file, or one thread, without workers', async () => {
    const path = await file(csv(ROWS));
    expect(await readCsvOnThreads(path, meta, { threads: 3 })).toBeUndefined();
    expect(await readCsvOnThreads(path, meta, { threads: 1, minBytes: 0 })).toBeUndefined();
    expect(await readCsvOnThreads(path, { ...meta, homepage: 'ftp://x' }, THREADS)).toBeUndefined();
  });
});
