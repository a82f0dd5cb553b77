/**
 * Reads importer input files into what feed/import/ works on: delimited files (TSV, CSV) split
 * into rows by csv-parse, each row with the line it starts on, and JSON files parsed with their
 * lines. A file that cannot be split fails naming the file and line. Holds no importer logic.
 */
import { basename } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { formatImportProblem, ImportError, type Table } from '../../feed/import/common';
import { type JsonDocument, parseJsonDocument } from '../../feed/import/json';
import { CliError } from '../errors';
import { readText } from '../io';

export interface TableFormat {
  delimiter: ',' | '\t';
  /** False for files that never quote (X's TSV downloads: a `"` is part of the text). */
  quoted: boolean;
}

/** csv-parse's message without the line it also gives as a number. */
function csvMessage(message: string): string {
  return message
    .replace(
      /^Invalid Record Length: expect (\d+), got (\d+) on line \d+$/,
      'has $2 fields; the header has $1',
    )
    .replace(/ on line \d+$/, '');
}

/** Splits delimited text into a header and rows; throws ImportError naming the line. */
export function splitTable(file: string, text: string, format: TableFormat): Table {
  let records: { record: string[]; info: { lines: number; raw?: string } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: format.delimiter,
      quote: format.quoted ? '"' : false,
      skip_empty_lines: true,
      info: true,
      raw: true,
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new ImportError([{ file, line, message: csvMessage(error.message) }]);
    }
    throw error;
  }
  const [head, ...rest] = records;
  if (!head) throw new ImportError([{ file, message: 'is empty (expected a header line)' }]);
  // info.lines is where a record ends; a quoted field may span lines, so count back to its start.
  const startLine = (r: (typeof records)[number]) =>
    r.info.lines - ((r.info.raw ?? '').replace(/^[\r\n]+|[\r\n]+$/g, '').match(/\n/g)?.length ?? 0);
  return {
    file,
    columns: head.record.map((c) => c.trim()),
    rows: rest.map((r) => ({ line: startLine(r), values: r.record })),
  };
}

/** Reads a delimited file; errors name the file as the curator typed it. */
export async function readTable(path: string, format: TableFormat): Promise<Table> {
  return splitTable(path, await readText(path), format);
}

export async function readJsonDocument(path: string): Promise<JsonDocument> {
  return parseJsonDocument(path, await readText(path));
}

/** A file's kind by its extension, for importers that take more than one. */
export function extensionOf(path: string): string {
  const name = basename(path).toLowerCase();
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}

/** Runs an importer step, turning malformed input into the CLI's one-line-per-problem error. */
export async function orImportError<T>(step: () => Promise<T> | T): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof ImportError)
      throw new CliError(error.problems.map((p) => printable(formatImportProblem(p))));
    throw error;
  }
}

/** Input text made safe for a terminal: control and direction-changing characters as \u escapes. */
export function printable(text: string): string {
  return text.replace(
    /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
