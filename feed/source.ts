/**
 * What curators write: a feed source, as JSON (the manifest's shape without sequence, chunks and
 * publicKey, issued/expires optional) or as CSV rows plus a JSON meta object. Owns validating
 * sources, with problems named by field (`labels[3].val`) or by CSV row
 * (`row 17 (line 18): sources: "ftp://x" is not an http(s) URL`); the CSV text itself is read by
 * feed/csv-source.ts (Node only). Never signs or writes files.
 */
import { FEED_CAPS } from './caps';
import { sha256Hex, utf8Encode } from './encoding';
import { Problems } from './problems';
import { type NormalizeResult, normalizeServer, normalizeTarget } from './targets';
import type { Result, Source, TargetKind } from './types';
import {
  checkHttpUrl,
  checkTargetShape,
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
export const BUILT_FIELDS: Record<string, string> = {
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
export const CSV_COLUMNS = CSV_HEADER.split(',');
/** A CSV row's `type`: a target kind, or `server` (a `link` to a bare domain with `"server": true`). */
export type CsvType = TargetKind | 'server';
const CSV_TYPES: readonly CsvType[] = [...TARGET_KINDS, 'server'];

/** The stable label id of a CSV row: the first 16 hex digits of SHA-256("type\ntarget\nval"). */
export function csvLabelId(type: CsvType, target: string, val: string): string {
  return sha256Hex(utf8Encode(`${type}\n${target}\n${val}`)).slice(0, 16);
}

/** A server row's key: its target must be a link target and a server's bare domain. */
function serverKey(target: string): NormalizeResult {
  const link = normalizeTarget('link', target);
  return link.ok ? normalizeServer(target) : link;
}

/**
 * An http(s) URL that `new URL` certainly takes as checkHttpUrl wants it: a lowercase scheme, a
 * host of lowercase letters, digits and hyphens whose last label starts with a letter (no IP
 * address, port, user or punycode to check), then nothing or a path, query or fragment of
 * printable ASCII, which the URL parser never refuses. Most sources look like this.
 */
const PLAIN_SOURCE = /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*(?:[/?#][\x21-\x7e]*)?$/;

/** checkHttpUrl, without the URL parser for a plain URL (PLAIN_SOURCE) within the length cap. */
export function checkSourceUrl(url: string): string | null {
  return url.length <= FEED_CAPS.urlLength && PLAIN_SOURCE.test(url) && !url.includes('xn--')
    ? null
    : checkHttpUrl(url);
}

/** isoTime of a CSV date, remembered: a CSV's since and until columns repeat a few dates. */
const csvTimes = new Map<string, number | null>();
function csvIsoTime(value: string): number | null {
  let time = csvTimes.get(value);
  if (time === undefined) {
    time = isoTime(value);
    if (csvTimes.size >= 4096) csvTimes.clear();
    csvTimes.set(value, time);
  }
  return time;
}

function describeUrlProblem(value: string, message: string): string {
  if (message === 'only http(s) URLs are allowed')
    return `${JSON.stringify(clip(value))} is not an http(s) URL`;
  return `${JSON.stringify(clip(value))} ${message}`;
}

/**
 * One CSV row as a label (`at` names it, `row 17 (line 18)`), or undefined with its problems added.
 * `type` is a target kind or `server` (the target is a server's bare domain). The label keeps the
 * lookup key its target check made (`key`), so the builder need not make it again. Reading the
 * rows (feed/csv-source.ts, csv-parse) is kept apart, since it needs Node.
 */
export function csvRowLabel(
  fields: string[],
  at: string,
  definitionIds: ReadonlySet<string> | null,
  p: Problems,
  labelId: (type: CsvType, target: string, val: string) => string = csvLabelId,
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
  let key: string | undefined;
  if (!(CSV_TYPES as readonly string[]).includes(type)) {
    p.add(at, `type: ${JSON.stringify(clip(type))} is not one of ${CSV_TYPES.join(', ')}`);
  } else {
    const shape = checkTargetShape(target);
    const made =
      shape !== null
        ? ({ ok: false, message: shape } as const)
        : type === 'server'
          ? serverKey(target)
          : normalizeTarget(type as TargetKind, target);
    if (made.ok) key = made.key;
    else p.add(at, `target: ${made.message}`);
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
    const problem = checkSourceUrl(url);
    if (problem) p.add(at, `sources: ${describeUrlProblem(url, problem)}`);
  }
  // checkIso(value) is a message exactly when isoTime(value) is null.
  const sinceTime = since ? csvIsoTime(since) : null;
  const untilTime = until ? csvIsoTime(until) : null;
  if (since && sinceTime === null) p.add(at, `since: ${JSON.stringify(clip(since))} is not an ISO 8601 date`);
  if (until && untilTime === null) p.add(at, `until: ${JSON.stringify(clip(until))} is not an ISO 8601 date`);
  if (sinceTime !== null && untilTime !== null && sinceTime > untilTime) {
    p.add(at, `until: ${until} is before since (${since})`);
  }
  if (p.count !== before) return undefined;
  const csvType = type as CsvType;
  const label: LabelInput = {
    id: labelId(csvType, target, val),
    val,
    sources: urls.map((url): Source => ({ url })),
  };
  if (csvType === 'server') {
    label.link = target;
    label.server = true;
  } else label[csvType] = target;
  if (key !== undefined) label.key = key;
  if (note) label.note = note;
  if (since) label.since = since;
  if (until) label.until = until;
  return label;
}
