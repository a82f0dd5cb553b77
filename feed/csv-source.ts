/**
 * Reads a CSV feed source as a stream (Node only, so it is not part of feed/index.ts, which the
 * extension imports): csv-parse splits the text into records as it arrives, and each row becomes a
 * label through feed/source.ts's csvRowLabel, so a million-row file is never held as one string.
 * Problems are named by row and line (`row 17 (line 18): sources: …`), syntax errors by line.
 * Label ids are csvLabelId's, computed with node:crypto's SHA-256 (the same digits, faster).
 */
import { hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { IdIndex, type LabelRow, labelRow, type RowSource } from './build';
import { FEED_CAPS } from './caps';
import { Problems } from './problems';
import { BUILT_FIELDS, CSV_HEADER, type CsvType, csvRowLabel, type FeedSource } from './source';
import type { Result } from './types';
import { clip, isRecord, type LabelInput, validateHeader, validateTimes } from './validate';

/** csvLabelId with node:crypto: the first 16 hex digits of SHA-256("type\ntarget\nval"). */
export function csvLabelIdFast(type: CsvType, target: string, val: string): string {
  // 8 bytes to hex: a string of its own, not a slice that keeps all 64 digits alive per row.
  return hash('sha256', `${type}\n${target}\n${val}`, 'buffer').toString('hex', 0, 8);
}

/**
 * csvLabelIdFast as a slice of the 64 hex digits (faster, but the slice keeps them alive: only for
 * ids copied at once, as the CSV worker threads do when they join a batch's ids).
 */
export function csvLabelIdHex(type: CsvType, target: string, val: string): string {
  return hash('sha256', `${type}\n${target}\n${val}`, 'hex').slice(0, 16);
}

/** csv-parse's error in the words of the format's documentation. */
function syntaxMessage(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted field (quote the whole field)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote must be followed by a comma or the end of the line';
    default:
      return error.message.replace(/ (?:at|on) line \d+.*$/, '');
  }
}

export type CsvInput = string | Uint8Array | AsyncIterable<string | Uint8Array>;

/**
 * A CSV source: header exactly `type,target,val,note,sources,since,until`, one label per row;
 * `sources` holds one or more http(s) URLs separated by spaces. `meta` is the JSON source without
 * `labels` (the feed's fields and definitions); its problems are named `meta.<field>`. `input` is
 * the CSV text, whole or in pieces (a file stream); a byte-order mark is skipped.
 */
export async function readCsvSource(input: CsvInput, meta: unknown): Promise<Result<FeedSource>> {
  const labels: LabelInput[] = [];
  const read = await readCsv(input, meta, (label) => labels.push(label));
  return read.ok ? { ok: true, value: { ...read.value, labels } } : read;
}

/**
 * readCsvSource for the builder (buildRows): each label is kept as a row, its JSON line, from the
 * moment its row is checked, so a million rows are held as about their JSON text.
 */
export async function readCsvRows(input: CsvInput, meta: unknown): Promise<Result<RowSource>> {
  const rows: LabelRow[] = [];
  const read = await readCsv(input, meta, (label) => rows.push(labelRow(label)));
  return read.ok ? { ok: true, value: { ...read.value, rows } } : read;
}

/** A CSV source's meta object checked (its problems, named `meta.<field>`, are added to `p`). */
export function checkCsvMeta(meta: unknown, p: Problems) {
  if (!isRecord(meta)) {
    p.add('meta', 'must be a JSON object with the feed fields and definitions');
    return undefined;
  }
  for (const [field, message] of Object.entries(BUILT_FIELDS))
    if (meta[field] !== undefined) p.add(`meta.${field}`, message);
  if (meta.labels !== undefined) p.add('meta.labels', 'labels come from the CSV rows');
  const { header, definitionIds } = validateHeader(meta, p, 'meta');
  const { issued, expires } = validateTimes(meta, p, false, 'meta');
  return { header, definitionIds, issued, expires };
}

/** The source's fields from a checked meta object (once the rows are read without problems). */
export function csvSourceHeader(
  checked: NonNullable<ReturnType<typeof checkCsvMeta>>,
): Omit<FeedSource, 'labels'> | undefined {
  const { header, issued, expires } = checked;
  if (!header) return undefined;
  const out: Omit<FeedSource, 'labels'> = { ...header };
  if (issued !== undefined) out.issued = issued;
  if (expires !== undefined) out.expires = expires;
  return out;
}

async function readCsv(
  input: CsvInput,
  meta: unknown,
  add: (label: LabelInput) => void,
): Promise<Result<Omit<FeedSource, 'labels'>>> {
  const p = new Problems();
  const checked = checkCsvMeta(meta, p);
  if (!checked) return p.failure();
  const { definitionIds } = checked;

  const parser = parse({ bom: true, relax_column_count: true });
  const source = typeof input === 'string' || input instanceof Uint8Array ? [input] : input;
  const feeding = Readable.from(source, { objectMode: false });
  feeding.on('error', (error) => parser.destroy(error));
  feeding.pipe(parser);

  // Label id → its row; rowLines[row] is the row's first line (for "the same … as row 1 (line 2)").
  const rowLines: number[] = [];
  const seen = new IdIndex();
  let row = 0;
  let headerSeen = false;
  // The line the next record starts on: each record takes one line, plus the line breaks inside
  // its quoted fields (cheaper than csv-parse's per-record info object).
  let nextLine = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine++;
      for (const field of record) if (field.includes('\n')) nextLine += field.split('\n').length - 1;
      if (!headerSeen) {
        headerSeen = true;
        const headText = record.join(',');
        if (headText !== CSV_HEADER) {
          p.add(
            'line 1',
            `the header must be exactly "${CSV_HEADER}", got ${JSON.stringify(clip(headText))}`,
          );
          parser.destroy();
          feeding.destroy();
          return p.failure();
        }
        continue;
      }
      row++;
      rowLines[row] = line;
      if (row > FEED_CAPS.totalLabels) {
        p.add(
          'csv',
          `has more than ${FEED_CAPS.totalLabels} rows; at most ${FEED_CAPS.totalLabels} labels are allowed`,
        );
        parser.destroy();
        feeding.destroy();
        return p.failure();
      }
      if (p.full) continue;
      if (record.length === 1 && record[0] === '') continue; // blank line
      const at = `row ${row} (line ${line})`;
      const label = csvRowLabel(record, at, definitionIds, p, csvLabelIdFast);
      if (!label) continue;
      const first = seen.get(label.id);
      if (first !== undefined) {
        p.add(at, `the same type, target and val as row ${first} (line ${rowLines[first]})`);
        continue;
      }
      seen.set(label.id, row);
      add(label);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 1;
    p.add(`line ${line}`, syntaxMessage(error));
    return p.failure();
  }
  if (!headerSeen) p.add('line 1', `the header must be exactly "${CSV_HEADER}", got ""`);
  const out = csvSourceHeader(checked);
  return p.count || !out ? p.failure() : { ok: true, value: out };
}
