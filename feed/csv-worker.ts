/**
 * One worker thread of readCsvFileRows (feed/csv-parallel.ts): parses its byte range of a CSV
 * source with csv-parse and checks each row with csvRowLabel, as feed/csv-source.ts's readCsv
 * does, and sends the good rows back in batches: their ids in one string and their heads (the
 * LabelRow line up to `cts`) in another, two strings per batch instead of an object per row.
 * It makes no messages: at the first thing that is not a plain good row (a problem, a syntax
 * error, a header other than CSV_HEADER) it says `refused` and stops, and the main thread reads
 * the whole file again on one thread, which names every problem by its row and line.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { parse } from 'csv-parse';
import { labelRow } from './build';
import { csvLabelIdHex } from './csv-source';
import { Problems } from './problems';
import { CSV_HEADER, csvRowLabel } from './source';

/** What a worker is given: its bytes [start, end) of the file. */
export interface CsvPiece {
  path: string;
  start: number;
  end: number;
  /** The piece at the start of the file: skips a byte-order mark and checks the header. */
  first: boolean;
  /** The file's record delimiter (the one after its header); the first piece finds its own. */
  recordDelimiter: '\n' | '\r\n';
  definitionIds: string[];
}

export type CsvWorkerMessage =
  | { kind: 'rows'; ids: string; heads: string }
  /** `records`: every record after the header, blank lines included (the row numbers it used). */
  | { kind: 'done'; records: number }
  | { kind: 'refused' };

/** Rows per message. */
const BATCH = 4096;
/** Each row's id is CSV ids' 16 hex digits, so a batch's ids string is cut every 16 characters. */
export const ID_LENGTH = 16;

class Refused extends Error {}

async function readPiece(piece: CsvPiece, post: (message: CsvWorkerMessage) => void): Promise<void> {
  const definitionIds = new Set(piece.definitionIds);
  const p = new Problems(1);
  let headerSeen = !piece.first;
  let records = 0;
  let ids = '';
  let heads: string[] = [];
  const flush = () => {
    if (heads.length === 0) return;
    // A JSON line never holds a raw newline, so newlines can join the heads.
    post({ kind: 'rows', ids, heads: heads.join('\n') });
    ids = '';
    heads = [];
  };
  let refused = false;
  // At once: the main thread stops every worker and reads the file on one thread.
  const refuse = () => {
    if (!refused) post({ kind: 'refused' });
    refused = true;
  };
  const onRecord = (record: string[]): void => {
    if (refused) return;
    if (!headerSeen) {
      headerSeen = true;
      if (record.join(',') !== CSV_HEADER) refuse();
      return;
    }
    records++;
    if (record.length === 1 && record[0] === '') return; // blank line
    const label = csvRowLabel(record, '', definitionIds, p, csvLabelIdHex);
    if (!label) {
      refuse();
      return;
    }
    const row = labelRow(label);
    if (row.tail !== '}' || !row.keyed || row.cts !== undefined || row.id.length !== ID_LENGTH) {
      refuse();
      return;
    }
    ids += row.id;
    heads.push(row.head);
    if (heads.length >= BATCH) flush();
  };
  const parser = parse({
    bom: piece.first,
    relax_column_count: true,
    ...(piece.first ? {} : { record_delimiter: piece.recordDelimiter }),
  });
  // 'data' takes each record as it is parsed (cheaper than csv-parse's on_record, which makes an
  // info object per record); after a refusal the rest is only parsed, and nothing is sent.
  parser.on('data', onRecord);
  if (piece.end > piece.start) {
    const input = createReadStream(piece.path, {
      start: piece.start,
      end: piece.end - 1,
      highWaterMark: 1 << 20,
    });
    await pipeline(input, parser);
  } else parser.end();
  if (refused) return;
  if (!headerSeen) throw new Refused();
  flush();
  post({ kind: 'done', records });
}

if (parentPort) {
  const port = parentPort;
  readPiece(workerData as CsvPiece, (message) => port.postMessage(message)).catch(() =>
    // Any failure (a bad row, a CSV error, an unreadable file) is the one-thread read's to name.
    port.postMessage({ kind: 'refused' } satisfies CsvWorkerMessage),
  );
}
