/**
 * readCsvRows for a large CSV file on several threads (Node only, like feed/csv-source.ts): the
 * file is cut into byte ranges at record boundaries and each range is parsed and checked by a
 * worker thread (feed/csv-worker.ts); the main thread gathers the rows in file order and checks
 * ids for duplicates. The result is the one-thread read's, row for row.
 *
 * Cuts: a record ends at a line break outside quotes, and in a CSV that csv-parse accepts every
 * quote opens or closes a quoted field or is one of an escaped pair, so a line break after an even
 * number of quotes ends a record. Up to the first thing csv-parse would refuse every cut is a true
 * record boundary, so the worker whose range holds that refusal meets it too.
 *
 * Problems: a worker stops at the first row that is not plain and good; then (or on a duplicate
 * id, too many rows, a worker that fails) the whole file is read again on one thread
 * (readCsvRows), which names every problem by its row and line exactly as it always has.
 */
import { readFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { IdIndex, type LabelRow, type RowSource } from './build';
import { FEED_CAPS } from './caps';
import { type CsvInput, checkCsvMeta, csvSourceHeader, readCsvRows } from './csv-source';
import type { CsvPiece, CsvWorkerMessage } from './csv-worker';
import { ID_LENGTH } from './csv-worker';
import { Problems } from './problems';
import { CSV_HEADER } from './source';
import type { Result } from './types';

/** Below this size a file is read on one thread (starting workers costs about a second). */
export const PARALLEL_BYTES = 8 << 20;

export interface ParallelOptions {
  /** Worker threads (default: the machine's cores, at most 4); below 2, one thread. */
  threads?: number;
  /** Files smaller than this are read on one thread (default PARALLEL_BYTES). */
  minBytes?: number;
}

/**
 * readCsvRows of the file at `path`, on worker threads when it is large. `openInput` gives the file
 * as readCsvRows takes it, for the one-thread read (which also says why a file cannot be read).
 */
export async function readCsvFileRows(
  path: string,
  meta: unknown,
  openInput: () => Promise<CsvInput>,
  opts: ParallelOptions = {},
): Promise<Result<RowSource>> {
  const read = await readCsvOnThreads(path, meta, opts);
  return read ? { ok: true, value: read } : readCsvRows(await openInput(), meta);
}

/**
 * The source read on worker threads, or undefined when it should be read on one thread: a small
 * file, one thread, a file that does not start with the header as written, or any problem at all
 * (the one-thread read names it).
 */
export async function readCsvOnThreads(
  path: string,
  meta: unknown,
  opts: ParallelOptions = {},
): Promise<RowSource | undefined> {
  const threads = opts.threads ?? Math.min(4, availableParallelism());
  if (threads < 2) return undefined;
  const p = new Problems();
  const checked = checkCsvMeta(meta, p);
  const header = checked && csvSourceHeader(checked);
  if (!checked || !header || p.count) return undefined;
  try {
    const file = await open(path, 'r');
    let pieces: CsvPiece[];
    try {
      const { size } = await file.stat();
      if (size < (opts.minBytes ?? PARALLEL_BYTES)) return undefined;
      const delimiter = await recordDelimiter(file);
      if (!delimiter) return undefined;
      const cuts = await cutPoints(file, size, threads, delimiter === '\r\n');
      const definitionIds = [...(checked.definitionIds ?? [])];
      pieces = cuts.map((start, i) => ({
        path,
        start,
        end: cuts[i + 1] ?? size,
        first: i === 0,
        recordDelimiter: delimiter,
        definitionIds,
      }));
    } finally {
      await file.close();
    }
    const rows = await readPieces(pieces);
    return rows && { ...header, rows };
  } catch {
    return undefined; // not readable here: the one-thread read says why
  }
}

/** The record delimiter after the header line, when the file starts with the header as written. */
async function recordDelimiter(file: FileHandle): Promise<'\n' | '\r\n' | undefined> {
  const head = Buffer.alloc(CSV_HEADER.length + 5);
  const { bytesRead } = await file.read(head, 0, head.length, 0);
  let text = head.subarray(0, bytesRead).toString('latin1');
  if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3); // UTF-8 byte-order mark
  if (!text.startsWith(CSV_HEADER)) return undefined;
  const after = text.slice(CSV_HEADER.length);
  return after.startsWith('\n') ? '\n' : after.startsWith('\r\n') ? '\r\n' : undefined;
}

/**
 * Where each of `pieces` ranges starts (the first at 0): just after a line break that follows an
 * even number of quotes, at or past an even share of the file. Fewer when the file runs out.
 */
export async function cutPoints(
  file: FileHandle,
  size: number,
  pieces: number,
  crlf: boolean,
): Promise<number[]> {
  const cuts = [0];
  const block = Buffer.allocUnsafe(1 << 20);
  let inQuotes = false;
  let offset = 0;
  let before = -1; // the byte before the block
  let want = Math.ceil(size / pieces);
  while (offset < size && cuts.length < pieces) {
    const { bytesRead } = await file.read(block, 0, block.length, offset);
    if (bytesRead === 0) break;
    const buf = block.subarray(0, bytesRead);
    let at = 0;
    while (at < bytesRead && cuts.length < pieces) {
      const quote = buf.indexOf(0x22, at);
      const stop = quote < 0 ? bytesRead : quote;
      // No quote in [at, stop): a line break there, past `want` and outside quotes, ends a record.
      if (!inQuotes && offset + stop > want) {
        let nl = buf.indexOf(0x0a, Math.max(at, want - offset));
        while (crlf && nl >= 0 && nl < stop && (nl > 0 ? buf[nl - 1] : before) !== 0x0d)
          nl = buf.indexOf(0x0a, nl + 1);
        if (nl >= 0 && nl < stop) {
          const cut = offset + nl + 1;
          if (cut < size) cuts.push(cut);
          want = Math.max(cut, Math.ceil((size * cuts.length) / pieces));
          at = nl + 1;
          continue;
        }
      }
      if (quote < 0) break;
      inQuotes = !inQuotes;
      at = quote + 1;
    }
    before = buf[bytesRead - 1] as number;
    offset += bytesRead;
  }
  return cuts;
}

/**
 * The worker's module, after registering tsx's ESM loader in the worker (the CLI and the tests run
 * TypeScript on tsx; a worker does not inherit it). tsx/esm/api's `import` entry is found through
 * tsx's package.json, since require.resolve gives its CommonJS one.
 */
function workerScript(): string {
  const worker = new URL('./csv-worker.ts', import.meta.url).href;
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pathToFileURL(join(dirname(manifest), exports['./esm/api']?.import.default ?? '')).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
}

/**
 * Every piece's rows in file order, or undefined when a worker refused or failed, when there are
 * more rows than a feed may have, or when two rows share an id (the one-thread read names those).
 */
async function readPieces(pieces: CsvPiece[]): Promise<LabelRow[] | undefined> {
  const script = workerScript();
  const workers: Worker[] = [];
  const stopAll = () => {
    for (const w of workers) void w.terminate();
  };
  const read = pieces.map(
    (piece) =>
      new Promise<{ rows: LabelRow[]; records: number } | undefined>((resolve) => {
        const rows: LabelRow[] = [];
        const worker = new Worker(script, { eval: true, workerData: piece });
        workers.push(worker);
        let settled = false;
        const settle = (value: { rows: LabelRow[]; records: number } | undefined) => {
          if (settled) return;
          settled = true;
          if (!value) stopAll(); // one refusal decides: the others need not finish
          resolve(value);
        };
        worker.on('message', (message: CsvWorkerMessage) => {
          if (message.kind === 'rows') {
            const heads = message.heads.split('\n');
            for (let i = 0; i < heads.length; i++) {
              rows.push({
                id: message.ids.slice(i * ID_LENGTH, (i + 1) * ID_LENGTH),
                head: heads[i] as string,
                tail: '}',
                keyed: true,
                cts: undefined,
              });
            }
          } else if (message.kind === 'done') settle({ rows, records: message.records });
          else settle(undefined);
        });
        worker.on('error', () => settle(undefined));
        worker.on('exit', () => settle(undefined));
      }),
  );
  const results = await Promise.all(read);
  stopAll();
  if (results.some((r) => r === undefined)) return undefined;
  const done = results as { rows: LabelRow[]; records: number }[];
  if (done.reduce((n, r) => n + r.records, 0) > FEED_CAPS.totalLabels) return undefined;
  const rows = done.length === 1 ? (done[0] as { rows: LabelRow[] }).rows : done.flatMap((r) => r.rows);
  const seen = new IdIndex(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const id = (rows[i] as LabelRow).id;
    if (seen.get(id) !== undefined) return undefined;
    seen.set(id, i);
  }
  return rows;
}
