/**
 * What every importer shares: the tables and JSON documents it reads (already split into rows by
 * the CLI, each row with its line), the result it returns (definitions, labels, what was read and
 * every skipped row counted by reason), the error for malformed input (file, line, field), and the
 * text helpers that keep imported notes and sources within the feed format's caps.
 * Pure: imports no Node module and no extension API (the CLI does the reading, cli/import/).
 */
import { decodeHTML } from 'entities';
import { FEED_CAPS } from '../caps';
import { sha256Hex, utf8Encode } from '../encoding';
import type { LabelDefinition, Source } from '../types';
import { checkHttpUrl, isoTime, type LabelInput } from '../validate';

/** One delimited file: its header's column names and its data rows, each with its 1-based line. */
export interface Table {
  file: string;
  columns: string[];
  rows: TableRow[];
}

export interface TableRow {
  /** The line the row starts on. */
  line: number;
  values: string[];
}

/** One thing wrong with the input: the file, and where known the line and the field. */
export interface ImportProblem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

/** `notes.tsv: line 17: tweetId: "12a" is not a number` */
export function formatImportProblem(p: ImportProblem): string {
  return [p.file, p.line !== undefined ? `line ${p.line}` : '', p.field ?? '', p.message]
    .filter((part) => part !== '')
    .join(': ');
}

/** Malformed input: the import stops and writes nothing. */
export class ImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(problems.map(formatImportProblem).join('\n'));
    this.name = 'ImportError';
  }
}

/** Collects problems up to the format's problem cap, then throws them together. */
export class ImportProblems {
  readonly list: ImportProblem[] = [];

  add(problem: ImportProblem): void {
    if (this.list.length < FEED_CAPS.problems) this.list.push(problem);
  }

  get full(): boolean {
    return this.list.length >= FEED_CAPS.problems;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ImportError(this.list);
  }
}

/** Counts by reason, in the order reasons were first seen. */
export class Tally {
  readonly counts = new Map<string, number>();

  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }

  get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
}

export interface ImportResult {
  /** The definitions the labels use (a --meta file may replace them by id). */
  definitions: LabelDefinition[];
  /** Sorted by id; ids are stable, so a re-import of the same data gives the same labels. */
  labels: LabelInput[];
  /** What was read, e.g. `[['notes', 1000], ['status rows', 5631]]`. */
  read: [string, number][];
  /** Every input row (or item) that did not become a label, by reason. */
  skipped: Tally;
  /** Other counts the curator should see: changes to written labels (a shortened note, a cited URL
   * left out), rows of a companion file that were not needed. */
  notices: Tally;
}

/** A label id that stays the same for the same parts: `<prefix>-<16 hex digits of SHA-256>`. */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${sha256Hex(utf8Encode(parts.join('\n'))).slice(0, 16)}`;
}

export function sortById(labels: LabelInput[]): LabelInput[] {
  return labels.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** HTML character references (`&amp;`, `&quot;`, `&#39;`) decoded, as a browser would. */
export function decodeEntities(text: string): string {
  return decodeHTML(text);
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?'"\]}>]+$/;

/** Strips punctuation that ends the sentence rather than the URL; keeps a `)` that closes a `(` in it. */
function trimUrl(url: string): string {
  let out = url.replace(TRAILING, '');
  while (out.endsWith(')') && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0)) {
    out = out.slice(0, -1).replace(TRAILING, '');
  }
  return out;
}

/** Where a URL was taken out of the text, while the text around it is tidied (U+FFFC, "an object was here"). */
const MARK = '\uFFFC';
/**
 * The http(s) URLs in a text, in order and without repeats, and the text without them, tidied so
 * nothing is left pointing at a link that is no longer there: brackets around a URL, "see" or "via"
 * before it, a colon or dash that introduced it (dropped mid-sentence, a full stop where the
 * sentence ends there), commas left with nothing after them.
 */
export function takeUrls(text: string): { text: string; urls: string[] } {
  const urls: string[] = [];
  let rest = text.replaceAll(MARK, '').replace(URL_IN_TEXT, (match) => {
    const url = trimUrl(match);
    if (!urls.includes(url)) urls.push(url);
    return MARK + match.slice(url.length);
  });
  rest = rest
    // "(https://…)" and "[https://…]": the brackets go with the URL.
    .replace(/[ \t]*[([][ \t]*\uFFFC[ \t]*[)\]]/g, MARK)
    // Several URLs in a row ("a, b and c") are one gap.
    .replace(/\uFFFC(?:[ \t]*(?:,|;|and|&)?[ \t]*\uFFFC)+/gi, MARK)
    // "see https://…", "via https://…": the words only pointed at the link.
    .replace(/\b(?:see|via)(?:[ \t]+here)?[ \t]*:?[ \t]*\uFFFC/gi, MARK)
    // A colon or dash that introduced the URL: gone mid-sentence, a full stop where the sentence ends.
    .replace(/[ \t]*[:\u2013\u2014-][ \t]*\uFFFC(?=[ \t]*\p{Ll})/gu, MARK)
    .replace(/[ \t]*[:\u2013\u2014-][ \t]*\uFFFC(?=[ \t]*(?:$|\n|\p{Lu}|\d))/gmu, `.${MARK}`)
    .replace(/[ \t]*\uFFFC/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .replace(/ +([.,;:!])/g, '$1')
    // Punctuation left with nothing before it: ". Also." → "Also.", "safely,." → "safely."
    .replace(/[ \t]+$/gm, '')
    .replace(/[,;:]+(?=[.!?])/g, '')
    .replace(/[,;:]+$/gm, '.')
    .replace(/([.!?])\.+/g, '$1')
    .replace(/^[ \t]*[.,;:]+[ \t]*/gm, '');
  return { text: rest.trim(), urls };
}

/**
 * The characters the feed format refuses in text (feed/validate.ts `checkTextControls`): C0 and C1
 * controls other than tab and line breaks, DEL, and the bidi embeddings, overrides and isolates
 * that could make a note read differently from what it says. `common.test.ts` checks this list
 * against the validator over every BMP character.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const REFUSED_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` without the characters the feed format refuses, so real data that holds them imports
 * instead of failing the build; each character removed is counted in `notices`.
 */
export function plainText(text: string, notices: Tally): string {
  let removed = 0;
  const out = text.replace(REFUSED_IN_TEXT, () => {
    removed++;
    return '';
  });
  if (removed > 0)
    notices.add('control or bidi characters removed from texts (the feed format refuses them)', removed);
  return out;
}

/** Text cut to the note cap (5,000 characters) with an ellipsis; `clipped` says whether it was cut. */
export function fitNote(text: string): { text: string; clipped: boolean } {
  const max = FEED_CAPS.textLength;
  if (text.length <= max) return { text, clipped: false };
  return { text: `${text.slice(0, max - 1).trimEnd()}…`, clipped: true };
}

/** A title or publisher cut to the title cap (300 characters). */
export function fitTitle(text: string): string {
  const max = FEED_CAPS.titleLength;
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** True when the URL may be a source: http(s), no credentials, within the URL cap. */
export function isUsableUrl(url: string): boolean {
  return url.length <= FEED_CAPS.urlLength && !/[\s\p{Cc}]/u.test(url) && checkHttpUrl(url) === null;
}

/**
 * Sources in order, within the cap of 20: `first` always, then each usable URL once. Counts URLs
 * that could not be kept in `notices`.
 */
export function sourcesWith(first: Source, urls: string[], notices: Tally): Source[] {
  const sources: Source[] = [first];
  const seen = new Set([first.url]);
  for (const url of urls) {
    if (seen.has(url)) continue;
    seen.add(url);
    if (!isUsableUrl(url)) notices.add('cited URLs left out (not a usable http(s) URL)');
    else if (sources.length >= FEED_CAPS.sourcesPerLabel)
      notices.add(`cited URLs left out (a label keeps at most ${FEED_CAPS.sourcesPerLabel} sources)`);
    else sources.push({ url });
  }
  return sources;
}

/** Milliseconds since the epoch (as text) to an ISO time; null for empty, `-1` or `0`. */
export function isoFromMillis(text: string): string | null {
  if (!/^\d{1,15}$/.test(text) || Number(text) <= 0) return null;
  return new Date(Number(text)).toISOString();
}

/**
 * An ISO time the feed format accepts, from a date or date-time that may lack a zone
 * (`2019-07-22T10:00:00` is read as its date, `2019-07-22`). Null when it is not a date.
 */
export function feedDate(text: string): string | null {
  const trimmed = text.trim();
  if (isoTime(trimmed) !== null) return trimmed;
  const date = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.exec(trimmed)?.[1];
  return date && isoTime(date) !== null ? date : null;
}

/** The index of the first of `names` among the columns, or -1. */
export function columnIndex(table: Table, ...names: string[]): number {
  for (const name of names) {
    const i = table.columns.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}
