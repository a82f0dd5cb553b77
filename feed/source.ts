/**
 * What curators write: a feed source, as JSON (the manifest's shape without sequence, chunks and
 * publicKey, issued/expires optional) or as CSV rows plus a JSON meta object. Owns parsing and
 * validating sources, with problems named by field (`labels[3].val`) or by CSV row
 * (`row 17 (line 18): sources: "ftp://x" is not an http(s) URL`). Never signs or writes files.
 */
import { FEED_CAPS } from './caps';
import { sha256Hex, utf8Encode } from './encoding';
import { Problems } from './problems';
import { normalizeServer } from './targets';
import type { Result, Source, TargetKind } from './types';
import {
  checkHttpUrl,
  checkIso,
  checkTarget,
  clip,
  isoTime,
  isRecord,
  type LabelInput,
  type ManifestHeader,
  parseJson,
  TARGET_KINDS,
  validateHeader,
  validateLabels,
  validateTimes,
} from './validate';

/** A feed before it is built: the header, optional times, and every label inline. */
export interface FeedSource extends ManifestHeader {
  /** Defaults to the build time. */
  issued?: string;
  /** Defaults to issued + 30 days. */
  expires?: string;
  /** `cts` may be left out: the builder keeps an unchanged label's earlier cts, else uses issued. */
  labels: LabelInput[];
}

/** Fields that belong to a built feed, not to its source. */
const BUILT_FIELDS: Record<string, string> = {
  sequence: 'is set when the feed is built, not in the source',
  chunks: 'are made when the feed is built; list the labels in "labels"',
  publicKey: 'comes from the signing key when the feed is built',
};

/** Validates an already parsed source object (used by parseJsonSource and by the builder). */
export function validateSource(value: unknown): Result<FeedSource> {
  const p = new Problems();
  if (!isRecord(value)) {
    p.add('source', 'must be a JSON object');
    return p.failure();
  }
  for (const [field, message] of Object.entries(BUILT_FIELDS))
    if (value[field] !== undefined) p.add(field, message);
  const { header, definitionIds } = validateHeader(value, p);
  const { issued, expires } = validateTimes(value, p, false);
  let labels: LabelInput[] = [];
  if (value.labels === undefined) p.add('labels', 'is required (an array, possibly empty)');
  else if (!Array.isArray(value.labels)) p.add('labels', 'must be an array');
  else if (value.labels.length > FEED_CAPS.totalLabels) {
    p.add('labels', `has ${value.labels.length} labels; at most ${FEED_CAPS.totalLabels} are allowed`);
  } else labels = validateLabels(value.labels, 'labels', definitionIds, p, { ctsOptional: true });
  if (p.count || !header) return p.failure();
  const source: FeedSource = { ...header, labels };
  if (issued !== undefined) source.issued = issued;
  if (expires !== undefined) source.expires = expires;
  return { ok: true, value: source };
}

export function parseJsonSource(text: string): Result<FeedSource> {
  const p = new Problems();
  const value = parseJson(text, 'source', p);
  return p.count ? p.failure() : validateSource(value);
}

// ---- CSV ----

export const CSV_HEADER = 'type,target,val,note,sources,since,until';
const CSV_COLUMNS = CSV_HEADER.split(',');
/** A CSV row's `type`: a target kind, or `server` (a `link` to a bare domain with `"server": true`). */
export type CsvType = TargetKind | 'server';
const CSV_TYPES: readonly CsvType[] = [...TARGET_KINDS, 'server'];

interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

/** RFC 4180: comma-separated, CRLF or LF, quoted fields may hold commas, newlines and "" quotes. */
export function parseCsv(text: string): { records: CsvRecord[] } | { line: number; message: string } {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  let fieldStart = true;
  while (i < n) {
    const c = text[i] as string;
    if (fieldStart && c === '"') {
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= n) return { line: quoteLine, message: 'a quoted field is never closed' };
        const q = text[i] as string;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        return { line, message: 'a closing quote must be followed by a comma or the end of the line' };
      }
      fieldStart = false;
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      fieldStart = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      fields.push(field);
      records.push({ fields, line: recordLine });
      fields = [];
      field = '';
      fieldStart = true;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (c === '"') return { line, message: 'a quote inside an unquoted field (quote the whole field)' };
    field += c;
    fieldStart = false;
    i++;
  }
  if (!fieldStart || fields.length > 0) {
    fields.push(field);
    records.push({ fields, line: recordLine });
  }
  return { records };
}

/** The stable label id of a CSV row: the first 16 hex digits of SHA-256("type\ntarget\nval"). */
export function csvLabelId(type: CsvType, target: string, val: string): string {
  return sha256Hex(utf8Encode(`${type}\n${target}\n${val}`)).slice(0, 16);
}

function serverProblem(target: string): string | null {
  const server = normalizeServer(target);
  return server.ok ? null : server.message;
}

function describeUrlProblem(value: string, message: string): string {
  if (message === 'only http(s) URLs are allowed')
    return `${JSON.stringify(clip(value))} is not an http(s) URL`;
  return `${JSON.stringify(clip(value))} ${message}`;
}

/**
 * A CSV source: header exactly `type,target,val,note,sources,since,until`, one label per row;
 * `type` is a target kind or `server` (the target is a server's bare domain); `sources` holds one or more http(s) URLs separated by spaces. `meta` is the JSON source without
 * `labels` (the feed's fields and definitions); its problems are named `meta.<field>`.
 */
export function parseCsvSource(text: string, meta: unknown): Result<FeedSource> {
  const p = new Problems();
  if (!isRecord(meta)) {
    p.add('meta', 'must be a JSON object with the feed fields and definitions');
    return p.failure();
  }
  for (const [field, message] of Object.entries(BUILT_FIELDS))
    if (meta[field] !== undefined) p.add(`meta.${field}`, message);
  if (meta.labels !== undefined) p.add('meta.labels', 'labels come from the CSV rows');
  const { header, definitionIds } = validateHeader(meta, p, 'meta');
  const { issued, expires } = validateTimes(meta, p, false, 'meta');

  const parsed = parseCsv(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if ('message' in parsed) {
    p.add(`line ${parsed.line}`, parsed.message);
    return p.failure();
  }
  const [head, ...rows] = parsed.records;
  const headText = head?.fields.join(',') ?? '';
  if (headText !== CSV_HEADER) {
    p.add('line 1', `the header must be exactly "${CSV_HEADER}", got ${JSON.stringify(clip(headText))}`);
    return p.failure();
  }
  if (rows.length > FEED_CAPS.totalLabels) {
    p.add('csv', `has ${rows.length} rows; at most ${FEED_CAPS.totalLabels} labels are allowed`);
    return p.failure();
  }
  const labels: LabelInput[] = [];
  const seen = new Map<string, string>();
  rows.forEach((record, index) => {
    if (p.full) return;
    if (record.fields.length === 1 && record.fields[0] === '') return; // blank line
    const at = `row ${index + 1} (line ${record.line})`;
    const label = csvRowLabel(record.fields, at, definitionIds, p);
    if (!label) return;
    const first = seen.get(label.id);
    if (first) {
      p.add(at, `the same type, target and val as ${first}`);
      return;
    }
    seen.set(label.id, at);
    labels.push(label);
  });
  if (p.count || !header) return p.failure();
  const source: FeedSource = { ...header, labels };
  if (issued !== undefined) source.issued = issued;
  if (expires !== undefined) source.expires = expires;
  return { ok: true, value: source };
}

function csvRowLabel(
  fields: string[],
  at: string,
  definitionIds: ReadonlySet<string> | null,
  p: Problems,
): LabelInput | undefined {
  if (fields.length !== CSV_COLUMNS.length) {
    p.add(at, `has ${fields.length} fields; expected ${CSV_COLUMNS.length} (${CSV_HEADER})`);
    return undefined;
  }
  const before = p.count;
  const [type, target, val, note, sourcesText, since, until] = fields.map((f) => f.trim()) as string[] as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!(CSV_TYPES as readonly string[]).includes(type)) {
    p.add(at, `type: ${JSON.stringify(clip(type))} is not one of ${CSV_TYPES.join(', ')}`);
  } else {
    const problem =
      type === 'server'
        ? (checkTarget('link', target) ?? serverProblem(target))
        : checkTarget(type as TargetKind, target);
    if (problem) p.add(at, `target: ${problem}`);
  }
  if (!val) p.add(at, 'val: is required');
  else if (definitionIds && !definitionIds.has(val))
    p.add(at, `val: "${clip(val)}" is not a definition of this feed`);
  if (note.length > FEED_CAPS.textLength)
    p.add(at, `note: is longer than ${FEED_CAPS.textLength} characters`);
  const urls = sourcesText.split(/\s+/).filter((u) => u !== '');
  if (urls.length === 0) p.add(at, 'sources: needs at least one URL');
  if (urls.length > FEED_CAPS.sourcesPerLabel) {
    p.add(at, `sources: has ${urls.length} URLs; at most ${FEED_CAPS.sourcesPerLabel} are allowed`);
  }
  for (const url of urls) {
    const problem = checkHttpUrl(url);
    if (problem) p.add(at, `sources: ${describeUrlProblem(url, problem)}`);
  }
  for (const [name, value] of [
    ['since', since],
    ['until', until],
  ] as const) {
    if (value && checkIso(value))
      p.add(at, `${name}: ${JSON.stringify(clip(value))} is not an ISO 8601 date`);
  }
  if (
    since &&
    until &&
    !checkIso(since) &&
    !checkIso(until) &&
    (isoTime(since) as number) > (isoTime(until) as number)
  ) {
    p.add(at, `until: ${until} is before since (${since})`);
  }
  if (p.count !== before) return undefined;
  const csvType = type as CsvType;
  const label: LabelInput = {
    id: csvLabelId(csvType, target, val),
    val,
    sources: urls.map((url): Source => ({ url })),
  };
  if (csvType === 'server') {
    label.link = target;
    label.server = true;
  } else label[csvType] = target;
  if (note) label.note = note;
  if (since) label.since = since;
  if (until) label.until = until;
  return label;
}
