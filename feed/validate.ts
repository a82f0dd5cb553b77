/**
 * Validation of feed format v1 values: the manifest, definitions, labels and chunk references.
 * Every rule of docs/feed-format.md lives here, once; parsers and the builder call it. Reports
 * FeedProblems naming the place (`labels[17].sources[0].url: only http(s) URLs are allowed`) and
 * never throws. Returns objects holding only the known fields (fresh ones, or for a signed label
 * that holds no other field, the parsed object itself), so nothing unchecked slips
 * through to storage.
 */
import { FEED_CAPS } from './caps';
import { base64DecodeStrict, utf8Decode } from './encoding';
import { joinPath, Problems } from './problems';
import { normalizeServer, normalizeTarget } from './targets';
import {
  type ChunkRef,
  type DefaultAction,
  FEED_FORMAT,
  FEED_FORMAT_2,
  FEED_FORMATS,
  type FeedFormat,
  type FeedManifest,
  type Label,
  type LabelDefinition,
  type LocalizedText,
  type Result,
  type Severity,
  type Source,
  type TargetKind,
} from './types';

export const SEVERITIES: readonly Severity[] = ['info', 'caution', 'alert'];
export const DEFAULT_ACTIONS: readonly DefaultAction[] = ['badge', 'warn', 'hide'];
export const TARGET_KINDS: readonly TargetKind[] = ['account', 'post', 'link'];

export const DEFINITION_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const LABEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
export const LANGUAGE_PATTERN = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
export const CHUNK_PATH_PATTERN = /^chunks\/[0-9a-f]{64}\.json$/;
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;
/** YYYY-MM-DD, or a date-time with seconds optional and a zone (Z or ±HH:MM) required. */
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;
/** Whitespace and control characters: never inside a URL or a target as published. */
function hasSpaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0xa0)) return true;
  }
  return /\s/.test(text);
}

/**
 * Control characters a text field may not hold: C0 and C1 controls and DEL (but tab, line feed and
 * carriage return, ordinary whitespace), and the bidirectional embeddings, overrides and isolates,
 * which reorder the text around them (a title shown reversed, or the reader's own words after it).
 * The bidi marks (U+200E, U+200F, U+061C) stay allowed: right-to-left text may need them, and they
 * reorder nothing outside the text.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Why `text` may not appear in a text field, or null. */
export function checkTextControls(text: string): string | null {
  const found = TEXT_CONTROL.exec(text);
  if (!found) return null;
  const code = (found[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control characters (U+${code} at character ${found.index + 1}); only spaces, tabs and line breaks are allowed`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Milliseconds since the epoch for an ISO date / date-time of the format, or null. */
export function isoTime(text: string): number | null {
  const m = ISO_PATTERN.exec(text);
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1, 7) as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  if (date.getUTCDate() !== day) return null;
  const ms = Number(`0.${m[7] ?? '0'}`) * 1000;
  let time = date.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 23 || zm > 59) return null;
    time -= sign * (zh * 60 + zm) * 60_000;
  }
  return time;
}

// ---- single-value checks: a message, or null when fine (shared with the CSV source) ----

/** The URL in `text`, or why it is not one (length, spaces, syntax, credentials). */
function parseUrl(text: string): URL | string {
  if (text.length > FEED_CAPS.urlLength) return `is longer than ${FEED_CAPS.urlLength} characters`;
  if (hasSpaceOrControl(text)) return 'must not contain spaces or control characters';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a valid URL';
  }
  if (url.username || url.password) return 'must not contain a user name or password';
  return url;
}

export function checkHttpUrl(text: string): string | null {
  const url = parseUrl(text);
  if (typeof url === 'string') return url;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http(s) URLs are allowed';
  if (!url.hostname) return 'is not a valid URL';
  return null;
}

export function checkAppealsUrl(text: string): string | null {
  const url = parseUrl(text);
  if (typeof url === 'string') return url;
  if (url.protocol === 'mailto:') return url.pathname.includes('@') ? null : 'mailto: needs an address';
  if (url.protocol !== 'https:') return 'only https or mailto URLs are allowed';
  if (!url.hostname) return 'is not a valid URL';
  return null;
}

/** checkIso's shape test alone (no calendar check): what a reader repeats for a signed label. */
function checkIsoShape(text: string): string | null {
  return ISO_PATTERN.test(text)
    ? null
    : `must be an ISO 8601 date (YYYY-MM-DD) or date-time with a zone, got ${JSON.stringify(clip(text))}`;
}

export function checkIso(text: string): string | null {
  return isoTime(text) === null
    ? `must be an ISO 8601 date (YYYY-MM-DD) or date-time with a zone, got ${JSON.stringify(clip(text))}`
    : null;
}

/**
 * A target must be recognisable: within the length cap, without spaces or control characters, and
 * understood by normalizeTarget (feed/targets.ts, docs/targets.md), whose message says why not.
 */
export function checkTarget(kind: TargetKind, text: string): string | null {
  const shape = checkTargetShape(text);
  if (shape) return shape;
  const normalized = normalizeTarget(kind, text);
  return normalized.ok ? null : normalized.message;
}

/** The checks of checkTarget that need no normalising: empty, length, spaces and controls. */
export function checkTargetShape(text: string): string | null {
  if (text.length === 0) return 'must not be empty';
  if (text.length > FEED_CAPS.targetLength) return `is longer than ${FEED_CAPS.targetLength} characters`;
  if (hasSpaceOrControl(text)) return 'must not contain spaces or control characters';
  return null;
}

/** `scheme://authority`: http(s), a host, and no user name or password before it. */
const SIGNED_URL = /^https?:\/\/[^/?#@\\]+(?:[/?#]|$)/i;

/**
 * A source URL in a signed publication: the builder parsed it (checkHttpUrl); what a reader still
 * checks for safety is the cap, no spaces or controls, an http(s) scheme with a host and no
 * credentials, without parsing a URL per label.
 */
function checkSignedHttpUrl(text: string): string | null {
  if (text.length > FEED_CAPS.urlLength) return `is longer than ${FEED_CAPS.urlLength} characters`;
  if (hasSpaceOrControl(text)) return 'must not contain spaces or control characters';
  if (!SIGNED_URL.test(text))
    return 'only http(s) URLs with a host (and no user name or password) are allowed';
  return null;
}

/** A lookup key as the builder writes it: `<kind>:<site>:<rest>` (docs/targets.md). */
export const KEY_PATTERN = /^(?:account|post|link|server):[a-z]+:\S/;

/** Why a carried lookup key is not one, or null. */
export function checkKeyShape(text: string): string | null {
  if (text.length > FEED_CAPS.targetLength) return `is longer than ${FEED_CAPS.targetLength} characters`;
  if (hasSpaceOrControl(text) || !KEY_PATTERN.test(text))
    return 'is not a lookup key like "account:x:name" (docs/targets.md)';
  return null;
}

export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// ---- field readers ----

interface StringRule {
  required?: boolean;
  max?: number;
  nonEmpty?: boolean;
}

function readString(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  p: Problems,
  rule: StringRule,
): string | undefined {
  const value = obj[key];
  const at = joinPath(path, key);
  if (value === undefined) {
    if (rule.required) p.add(at, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    p.add(at, 'must be a string');
    return undefined;
  }
  if (rule.nonEmpty && value.trim() === '') {
    p.add(at, 'must not be empty');
    return undefined;
  }
  if (rule.max !== undefined && value.length > rule.max) {
    p.add(at, `is longer than ${rule.max} characters`);
    return undefined;
  }
  const control = checkTextControls(value);
  if (control) {
    p.add(at, control);
    return undefined;
  }
  return value;
}

function readChecked(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  p: Problems,
  required: boolean,
  check: (text: string) => string | null,
): string | undefined {
  const value = readString(obj, key, path, p, { required });
  if (value === undefined) return undefined;
  const problem = check(value);
  if (problem) {
    p.add(joinPath(path, key), problem);
    return undefined;
  }
  return value;
}

export function validateLocalized(
  value: unknown,
  path: string,
  p: Problems,
  max: number,
): LocalizedText | undefined {
  if (!isRecord(value)) {
    p.add(path, 'must be an object of texts by language, like {"en": "…"}');
    return undefined;
  }
  const keys = Object.keys(value);
  let ok = true;
  if (keys.length > FEED_CAPS.languages) {
    p.add(path, `has more than ${FEED_CAPS.languages} languages`);
    return undefined;
  }
  if (!('en' in value)) {
    p.add(path, 'needs an English text ("en")');
    ok = false;
  }
  const out: LocalizedText = {};
  for (const lang of keys) {
    if (!LANGUAGE_PATTERN.test(lang)) {
      p.add(`${path}[${JSON.stringify(clip(lang, 20))}]`, 'is not a language tag like "en" or "pt-BR"');
      ok = false;
      continue;
    }
    const text = readString(value, lang, path, p, { nonEmpty: true, max });
    if (text === undefined) ok = false;
    else out[lang] = text;
  }
  return ok ? out : undefined;
}

function readArray(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  p: Problems,
  required: boolean,
  max: number,
): unknown[] | undefined {
  const value = obj[key];
  const at = joinPath(path, key);
  if (value === undefined) {
    if (required) p.add(at, 'is required');
    return undefined;
  }
  if (!Array.isArray(value)) {
    p.add(at, 'must be an array');
    return undefined;
  }
  if (value.length > max) {
    p.add(at, `has ${value.length} entries; at most ${max} are allowed`);
    return undefined;
  }
  return value;
}

// ---- definitions ----

export function validateDefinition(value: unknown, path: string, p: Problems): LabelDefinition | undefined {
  if (!isRecord(value)) {
    p.add(path, 'must be an object');
    return undefined;
  }
  const before = p.count;
  const id = readString(value, 'id', path, p, { required: true, max: FEED_CAPS.definitionIdLength });
  if (id !== undefined && !DEFINITION_ID_PATTERN.test(id)) {
    p.add(
      `${path}.id`,
      `must be lowercase kebab-case like "account-suspended", got ${JSON.stringify(clip(id))}`,
    );
  }
  let title: LocalizedText | undefined;
  let description: LocalizedText | undefined;
  if (value.title === undefined) p.add(`${path}.title`, 'is required');
  else title = validateLocalized(value.title, `${path}.title`, p, FEED_CAPS.titleLength);
  if (value.description === undefined) p.add(`${path}.description`, 'is required');
  else description = validateLocalized(value.description, `${path}.description`, p, FEED_CAPS.textLength);
  const severity = readEnum(value, 'severity', path, p, SEVERITIES);
  const defaultAction = readEnum(value, 'defaultAction', path, p, DEFAULT_ACTIONS);
  if (p.count !== before || !id || !title || !description || !severity || !defaultAction) return undefined;
  return { id, title, description, severity, defaultAction };
}

function readEnum<T extends string>(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  p: Problems,
  allowed: readonly T[],
): T | undefined {
  const value = readString(obj, key, path, p, { required: true });
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    p.add(joinPath(path, key), `must be one of ${allowed.join(', ')}, got ${JSON.stringify(clip(value))}`);
    return undefined;
  }
  return value as T;
}

/** Validates the definitions array; returns them (or undefined) and the set of their ids. */
export function validateDefinitions(
  value: unknown,
  path: string,
  p: Problems,
): { definitions: LabelDefinition[] | undefined; ids: Set<string> | null } {
  const ids = new Set<string>();
  const holder = { definitions: value };
  const list = readArray(holder, 'definitions', '', p, true, FEED_CAPS.definitions);
  // Unreadable definitions: labels' val cannot be judged, so it is not (no noise per label).
  if (!list) return { definitions: undefined, ids: null };
  if (list.length === 0) {
    p.add(joinPath(path, 'definitions'), 'needs at least one definition');
    return { definitions: undefined, ids };
  }
  const out: LabelDefinition[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const at = `${joinPath(path, 'definitions')}[${i}]`;
    const def = validateDefinition(item, at, p);
    if (!def) {
      ok = false;
      // Still known as a definition, so its labels are not reported twice.
      if (isRecord(item) && typeof item.id === 'string') ids.add(item.id);
      return;
    }
    if (ids.has(def.id)) {
      p.add(`${at}.id`, `duplicate definition id "${def.id}"`);
      ok = false;
      return;
    }
    ids.add(def.id);
    out.push(def);
  });
  return { definitions: ok ? out : undefined, ids };
}

// ---- labels ----

function validateSource(value: unknown, path: string, p: Problems, signed = false): Source | undefined {
  if (!isRecord(value)) {
    p.add(path, 'must be an object like {"url": "https://…"}');
    return undefined;
  }
  const before = p.count;
  const url = readChecked(value, 'url', path, p, true, signed ? checkSignedHttpUrl : checkHttpUrl);
  const title = readString(value, 'title', path, p, { max: FEED_CAPS.titleLength });
  const publisher = readString(value, 'publisher', path, p, { max: FEED_CAPS.titleLength });
  const date = readChecked(value, 'date', path, p, false, signed ? checkIsoShape : checkIso);
  if (p.count !== before || url === undefined) return undefined;
  const source: Source = { url };
  if (title !== undefined) source.title = title;
  if (publisher !== undefined) source.publisher = publisher;
  if (date !== undefined) source.date = date;
  return source;
}

/** A label as a source may give it: `cts` may be left for the builder to fill. */
export type LabelInput = Omit<Label, 'cts'> & { cts?: string };

export interface LabelRules {
  /** A source's label: `cts` may be left for the builder to fill. */
  ctsOptional?: boolean;
  /**
   * A label of a signed publication, which the builder checked in full: the reader keeps the caps,
   * types and safety checks (http(s) links, no control characters) but does not normalise the
   * target or parse each URL again. The caller makes or checks the label's key (feed/chunks.ts).
   * A carried `key` is read (shape only).
   */
  signed?: boolean;
  /**
   * With `signed`: the labels were parsed from JSON text that is all ASCII, without `\u` escapes
   * and without DEL (plainJson), so none of their strings can hold a control character or a
   * non-ASCII space, and those searches are skipped. Never changes a verdict.
   */
  plain?: boolean;
}

/**
 * Whether JSON `text` is all ASCII, without DEL and without the escapes `\u`, `\b`, `\f`, `\n`,
 * `\r` and `\t`: then no string parsed from it holds a control character (JSON escapes every C0
 * control, and C1 controls, the bidi embeddings and every non-ASCII space are non-ASCII) or any
 * whitespace but the space.
 */
export function plainJson(text: string, byteLength: number): boolean {
  return text.length === byteLength && !UNPLAIN.test(text);
}
const UNPLAIN = /\\[bfnrtu]|\x7f/;

/** A string of at most `max` characters without control characters (plain: known to have none). */
function fastText(value: unknown, max: number, plain: boolean): value is string {
  return typeof value === 'string' && value.length <= max && (plain || !TEXT_CONTROL.test(value));
}

/** hasSpaceOrControl, where plain text can only hold the space. */
function fastHasSpace(text: string, plain: boolean): boolean {
  return plain ? text.includes(' ') : hasSpaceOrControl(text);
}

/** An optional date field of a signed label or source: absent, or an ISO shape. */
function fastIso(value: unknown, plain: boolean): boolean {
  return value === undefined || (fastText(value, Number.POSITIVE_INFINITY, plain) && ISO_PATTERN.test(value));
}

/** Enumerable fields of a parsed JSON object (its own; JSON gives it no others). */
function ownFields(value: Record<string, unknown>): number {
  let n = 0;
  for (const _ in value) n++;
  return n;
}

/** A checked source with only the format's fields. */
function knownSource(value: unknown): Source {
  const { url, title, publisher, date } = value as Record<string, string | undefined>;
  const source: Source = { url: url as string };
  if (title !== undefined) source.title = title;
  if (publisher !== undefined) source.publisher = publisher;
  if (date !== undefined) source.date = date;
  return source;
}

/**
 * validateLabel with `signed` (and `cts` required), for a label with nothing to report: the same
 * checks, the same label out, but no paths built and no messages. Anything it does not accept
 * (a problem, or a shape it leaves to the full check, like a localised note) gives undefined, and
 * the caller runs validateLabel for the verdict and the problems: it never accepts what
 * validateLabel refuses.
 */
export function signedLabel(
  value: unknown,
  definitionIds: ReadonlySet<string> | null,
  plain: boolean,
): Label | undefined {
  if (!isRecord(value)) return undefined;
  const { id, val, note, sources: sourcesIn, since, until, cts, exp, neg, server, key } = value;
  // The id pattern admits ASCII letters, digits and . _ : - only: no control characters.
  if (typeof id !== 'string' || id.length > FEED_CAPS.labelIdLength || !LABEL_ID_PATTERN.test(id))
    return undefined;
  let kind: TargetKind | undefined;
  let kinds = 0;
  for (const k of TARGET_KINDS) {
    if (value[k] !== undefined) {
      kind = k;
      kinds++;
    }
  }
  if (kinds !== 1 || kind === undefined) return undefined;
  const target = value[kind];
  if (!fastText(target, FEED_CAPS.targetLength, plain) || target.length === 0 || fastHasSpace(target, plain))
    return undefined;
  if (!fastText(val, Number.POSITIVE_INFINITY, plain)) return undefined;
  if (definitionIds && !definitionIds.has(val) && neg !== true) return undefined;
  if (note !== undefined && !fastText(note, FEED_CAPS.textLength, plain)) return undefined;
  if (!Array.isArray(sourcesIn) || sourcesIn.length === 0 || sourcesIn.length > FEED_CAPS.sourcesPerLabel)
    return undefined;
  // Parsed objects holding only the format's fields are kept as they are (nothing else holds them).
  let sourcesKnown = true;
  for (let i = 0; i < sourcesIn.length; i++) {
    const s = sourcesIn[i];
    if (!isRecord(s)) return undefined;
    const { url, title, publisher, date } = s;
    if (
      !fastText(url, FEED_CAPS.urlLength, plain) ||
      fastHasSpace(url, plain) ||
      !SIGNED_URL.test(url) ||
      (title !== undefined && !fastText(title, FEED_CAPS.titleLength, plain)) ||
      (publisher !== undefined && !fastText(publisher, FEED_CAPS.titleLength, plain)) ||
      !fastIso(date, plain)
    )
      return undefined;
    const fields =
      1 + Number(title !== undefined) + Number(publisher !== undefined) + Number(date !== undefined);
    if (ownFields(s) !== fields) sourcesKnown = false;
  }
  const sources = sourcesKnown ? (sourcesIn as Source[]) : sourcesIn.map(knownSource);
  if (cts === undefined || !fastIso(since, plain) || !fastIso(until, plain) || !fastIso(cts, plain))
    return undefined;
  if (!fastIso(exp, plain)) return undefined;
  if (neg !== undefined && neg !== true) return undefined;
  if (server !== undefined && (server !== true || kind !== 'link')) return undefined;
  if (
    key !== undefined &&
    (!fastText(key, FEED_CAPS.targetLength, plain) || fastHasSpace(key, plain) || !KEY_PATTERN.test(key))
  )
    return undefined;
  const fields =
    5 +
    Number(note !== undefined) +
    Number(since !== undefined) +
    Number(until !== undefined) +
    Number(exp !== undefined) +
    Number(neg !== undefined) +
    Number(server !== undefined) +
    Number(key !== undefined);
  if (sourcesKnown && ownFields(value) === fields) return value as unknown as Label;
  const label = { id, [kind]: target, val, sources } as unknown as Label;
  if (note !== undefined) label.note = note as string;
  if (since !== undefined) label.since = since as string;
  if (until !== undefined) label.until = until as string;
  label.cts = cts as string;
  if (exp !== undefined) label.exp = exp as string;
  if (neg === true) label.neg = true;
  if (server === true) label.server = true;
  if (key !== undefined) label.key = key as string;
  return label;
}

export function validateLabel(
  value: unknown,
  path: string,
  definitionIds: ReadonlySet<string> | null,
  p: Problems,
  opts: LabelRules = {},
): LabelInput | undefined {
  if (!isRecord(value)) {
    p.add(path, 'must be an object');
    return undefined;
  }
  const before = p.count;
  const id = readString(value, 'id', path, p, { required: true, max: FEED_CAPS.labelIdLength });
  if (id !== undefined && !LABEL_ID_PATTERN.test(id)) {
    p.add(
      `${path}.id`,
      'may only contain letters, digits and . _ : - (and must start with a letter or digit)',
    );
  }
  const kinds = TARGET_KINDS.filter((k) => value[k] !== undefined);
  let target: { kind: TargetKind; value: string } | undefined;
  if (kinds.length === 0) {
    p.add(path, 'needs exactly one target: account, post or link');
  } else if (kinds.length > 1) {
    p.add(path, `has ${kinds.join(' and ')}; a label has exactly one target`);
  } else {
    const kind = kinds[0] as TargetKind;
    const text = readChecked(value, kind, path, p, true, (t) =>
      opts.signed ? checkTargetShape(t) : checkTarget(kind, t),
    );
    if (text !== undefined) target = { kind, value: text };
  }
  const val = readString(value, 'val', path, p, { required: true });
  // A retraction only names the label it withdraws: its val may be a definition since removed.
  if (val !== undefined && definitionIds && !definitionIds.has(val) && value.neg !== true) {
    p.add(`${path}.val`, `"${clip(val)}" is not a definition of this feed`);
  }
  let note: string | LocalizedText | undefined;
  if (typeof value.note === 'string')
    note = readString(value, 'note', path, p, { max: FEED_CAPS.textLength });
  else if (value.note !== undefined)
    note = validateLocalized(value.note, `${path}.note`, p, FEED_CAPS.textLength);
  const sourcesIn = readArray(value, 'sources', path, p, true, FEED_CAPS.sourcesPerLabel);
  const sources: Source[] = [];
  if (sourcesIn) {
    if (sourcesIn.length === 0) p.add(`${path}.sources`, 'needs at least one source');
    sourcesIn.forEach((s, i) => {
      const source = validateSource(s, `${path}.sources[${i}]`, p, opts.signed);
      if (source) sources.push(source);
    });
  }
  // A signed label's dates were checked by the builder: a reader checks their shape only.
  const iso = opts.signed ? checkIsoShape : checkIso;
  const since = readChecked(value, 'since', path, p, false, iso);
  const until = readChecked(value, 'until', path, p, false, iso);
  if (
    !opts.signed &&
    since !== undefined &&
    until !== undefined &&
    (isoTime(since) as number) > (isoTime(until) as number)
  ) {
    p.add(`${path}.until`, `is before since (${since})`);
  }
  const cts = readChecked(value, 'cts', path, p, !opts.ctsOptional, iso);
  const exp = readChecked(value, 'exp', path, p, false, iso);
  if (value.neg !== undefined && value.neg !== true) p.add(`${path}.neg`, 'may only be true (or left out)');
  if (value.server !== undefined) {
    if (value.server !== true) p.add(`${path}.server`, 'may only be true (or left out)');
    else if (target && target.kind !== 'link')
      p.add(`${path}.server`, "goes with a link target: the server's domain");
    else if (target && !opts.signed) {
      const server = normalizeServer(target.value);
      if (!server.ok) p.add(`${path}.link`, server.message);
    }
  }
  const key = opts.signed ? readChecked(value, 'key', path, p, false, checkKeyShape) : undefined;
  if (p.count !== before || id === undefined || target === undefined || val === undefined) return undefined;

  const label: LabelInput = { id, [target.kind]: target.value, val, sources } as LabelInput;
  if (note !== undefined) label.note = note;
  if (since !== undefined) label.since = since;
  if (until !== undefined) label.until = until;
  if (cts !== undefined) label.cts = cts;
  if (exp !== undefined) label.exp = exp;
  if (value.neg === true) label.neg = true;
  if (value.server === true) label.server = true;
  if (key !== undefined) label.key = key;
  return label;
}

/** Validates an array of labels; duplicate ids (within this array) are problems too. */
export function validateLabels(
  list: unknown[],
  path: string,
  definitionIds: ReadonlySet<string> | null,
  p: Problems,
  opts: LabelRules = {},
): Label[] {
  const out: Label[] = [];
  const seen = new Map<string, number>();
  // A signed label with nothing to report takes the quick check; any other gets the full one.
  const quick = opts.signed === true && !opts.ctsOptional;
  const plain = opts.plain === true;
  for (let i = 0; i < list.length && !p.full; i++) {
    // With ctsOptional the caller gets LabelInputs typed as Label and fills cts itself.
    const label =
      (quick ? signedLabel(list[i], definitionIds, plain) : undefined) ??
      (validateLabel(list[i], `${path}[${i}]`, definitionIds, p, opts) as Label | undefined);
    if (!label) continue;
    const first = seen.get(label.id);
    if (first !== undefined) {
      p.add(`${path}[${i}].id`, `duplicate label id "${label.id}" (also ${path}[${first}])`);
      continue;
    }
    seen.set(label.id, i);
    out.push(label);
  }
  return out;
}

// ---- chunk references ----

export function validateChunkRefs(list: unknown[], p: Problems, format: string = FEED_FORMAT): ChunkRef[] {
  const out: ChunkRef[] = [];
  const seen = new Set<string>();
  let changes = false;
  list.forEach((value, i) => {
    const path = `chunks[${i}]`;
    if (!isRecord(value)) {
      p.add(path, 'must be an object like {"path", "sha256", "count", "bytes"}');
      return;
    }
    const before = p.count;
    const sha = readString(value, 'sha256', path, p, { required: true });
    if (sha !== undefined && !SHA256_PATTERN.test(sha))
      p.add(`${path}.sha256`, 'must be 64 lowercase hex digits');
    const v2 = format === FEED_FORMAT_2;
    for (const field of ['encoding', 'layer'] as const) {
      if (value[field] !== undefined && !v2)
        p.add(`${path}.${field}`, `is only in format "${FEED_FORMAT_2}"`);
    }
    if (value.encoding !== undefined && value.encoding !== 'gzip')
      p.add(`${path}.encoding`, 'must be "gzip" (or left out)');
    if (value.layer !== undefined && value.layer !== 'change')
      p.add(`${path}.layer`, 'must be "change" (or left out)');
    const gz = value.encoding === 'gzip';
    const change = value.layer === 'change';
    if (changes && !change && v2) p.add(path, 'a base chunk must come before every change chunk');
    if (change) changes = true;
    const chunkPath = readString(value, 'path', path, p, { required: true });
    const expected = `chunks/${sha}.json${gz ? '.gz' : ''}`;
    if (chunkPath !== undefined && sha && SHA256_PATTERN.test(sha) && chunkPath !== expected) {
      p.add(
        `${path}.path`,
        `must be "chunks/<sha256>.json${gz ? '.gz' : ''}" for its sha256, got ${JSON.stringify(clip(chunkPath))}`,
      );
    }
    const count = readInteger(value, 'count', path, p, 0, FEED_CAPS.labelsPerChunk);
    const bytes = readInteger(value, 'bytes', path, p, 1, FEED_CAPS.chunkBytes);
    if (p.count !== before || !sha || !chunkPath || count === undefined || bytes === undefined) return;
    if (seen.has(chunkPath)) {
      p.add(`${path}.path`, `duplicate chunk "${chunkPath}"`);
      return;
    }
    seen.add(chunkPath);
    const ref: ChunkRef = { path: chunkPath, sha256: sha, count, bytes };
    if (gz) ref.encoding = 'gzip';
    if (change) ref.layer = 'change';
    out.push(ref);
  });
  return out;
}

function readInteger(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  p: Problems,
  min: number,
  max: number,
): number | undefined {
  const value = obj[key];
  const at = joinPath(path, key);
  if (value === undefined) {
    p.add(at, 'is required');
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    p.add(at, 'must be a whole number');
    return undefined;
  }
  if (value < min || value > max) {
    p.add(at, `must be between ${min} and ${max}, got ${value}`);
    return undefined;
  }
  return value;
}

// ---- the manifest ----

/** The manifest fields a source gives and the manifest repeats (everything but labels/chunks). */
export type ManifestHeader = Pick<
  FeedManifest,
  'id' | 'name' | 'publisher' | 'homepage' | 'description' | 'appeals' | 'definitions' | 'nextKey' | 'mirrors'
>;

/** `mirrors`: http(s) feed.json addresses, each once, none the feed's own `id`. */
function validateMirrors(
  obj: Record<string, unknown>,
  id: string | undefined,
  path: string,
  p: Problems,
): string[] | undefined {
  const list = readArray(obj, 'mirrors', path, p, false, FEED_CAPS.mirrors);
  if (!list) return undefined;
  const seen = new Set<string>(id ? [new URL(id).href] : []);
  const out: string[] = [];
  list.forEach((value, i) => {
    const at = `${joinPath(path, 'mirrors')}[${i}]`;
    const problem = typeof value === 'string' ? checkHttpUrl(value) : 'must be a URL string';
    if (problem) {
      p.add(at, problem);
      return;
    }
    const href = new URL(value as string).href;
    if (seen.has(href)) {
      p.add(at, href === (id && new URL(id).href) ? "is the feed's own id" : 'is listed twice');
      return;
    }
    seen.add(href);
    out.push(value as string);
  });
  return out;
}

/**
 * Checks the fields shared by manifests and sources. `issued`/`expires` are checked by the
 * caller, since sources may leave them out.
 */
export function validateHeader(
  obj: Record<string, unknown>,
  p: Problems,
  path = '',
): { header: ManifestHeader | undefined; definitionIds: Set<string> | null } {
  const before = p.count;
  if (obj.format !== undefined && !FEED_FORMATS.includes(obj.format as string)) {
    p.add(
      joinPath(path, 'format'),
      `must be "${FEED_FORMAT}" or "${FEED_FORMAT_2}", got ${JSON.stringify(clip(String(obj.format)))} (a newer format: update Context Lens to read this feed)`,
    );
  }
  const id = readChecked(obj, 'id', path, p, true, checkHttpUrl);
  const name = readString(obj, 'name', path, p, {
    required: true,
    nonEmpty: true,
    max: FEED_CAPS.titleLength,
  });
  const publisher = readString(obj, 'publisher', path, p, {
    required: true,
    nonEmpty: true,
    max: FEED_CAPS.titleLength,
  });
  const homepage = readChecked(obj, 'homepage', path, p, true, checkHttpUrl);
  const description = readString(obj, 'description', path, p, { required: true, max: FEED_CAPS.textLength });
  const appeals = readChecked(obj, 'appeals', path, p, true, checkAppealsUrl);
  const nextKey = readChecked(obj, 'nextKey', path, p, false, checkPublicKeyText);
  const mirrors = validateMirrors(obj, id, path, p);
  const { definitions, ids } = validateDefinitions(obj.definitions, path, p);
  if (
    p.count !== before ||
    id === undefined ||
    name === undefined ||
    publisher === undefined ||
    homepage === undefined ||
    description === undefined ||
    appeals === undefined ||
    definitions === undefined
  ) {
    return { header: undefined, definitionIds: ids };
  }
  const header: ManifestHeader = { id, name, publisher, homepage, description, appeals, definitions };
  if (nextKey !== undefined) header.nextKey = nextKey;
  if (mirrors !== undefined) header.mirrors = mirrors;
  return { header, definitionIds: ids };
}

export function checkPublicKeyText(text: string): string | null {
  const bytes = base64DecodeStrict(text);
  return bytes?.length === 32 ? null : 'must be the base64 of a raw 32-byte Ed25519 public key';
}

/** Reads `issued` and `expires` and checks that the feed expires after it was issued. */
export function validateTimes(
  obj: Record<string, unknown>,
  p: Problems,
  required: boolean,
  path = '',
): { issued?: string; expires?: string } {
  const issued = readChecked(obj, 'issued', path, p, required, checkIso);
  const expires = readChecked(obj, 'expires', path, p, required, checkIso);
  if (
    issued !== undefined &&
    expires !== undefined &&
    (isoTime(expires) as number) <= (isoTime(issued) as number)
  ) {
    p.add(joinPath(path, 'expires'), `must be after issued (${issued})`);
  }
  return { issued, expires };
}

/** Parses JSON text, reporting a problem instead of throwing. */
export function parseJson(text: string, path: string, p: Problems): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    p.add(path, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

/** Size cap (before anything is decoded), strict UTF-8, then JSON. */
export function parseJsonBytes(bytes: Uint8Array, path: string, maxBytes: number, p: Problems): unknown {
  const text = decodeJsonBytes(bytes, path, maxBytes, p);
  return text === undefined ? undefined : parseJson(text, path, p);
}

/** parseJsonBytes's first two steps: the size cap, then strict UTF-8. */
export function decodeJsonBytes(
  bytes: Uint8Array,
  path: string,
  maxBytes: number,
  p: Problems,
): string | undefined {
  if (bytes.length > maxBytes) {
    p.add(path, `is ${bytes.length} bytes; at most ${maxBytes} are allowed`);
    return undefined;
  }
  const text = utf8Decode(bytes);
  if (text === null) {
    p.add(path, 'is not valid UTF-8');
    return undefined;
  }
  return text;
}

/**
 * Parses and fully validates a manifest payload (the bytes inside the envelope), including its
 * inline labels. Problems are named from the manifest's root: `labels[3].val: …`.
 */
export function parseManifest(payload: Uint8Array): Result<FeedManifest> {
  const p = new Problems();
  const value = parseJsonBytes(payload, 'manifest', FEED_CAPS.manifestBytes, p);
  if (p.count) return p.failure();
  if (!isRecord(value)) {
    p.add('manifest', 'must be a JSON object');
    return p.failure();
  }
  if (value.format === undefined) p.add('format', `is required ("${FEED_FORMAT}")`);
  const { header, definitionIds } = validateHeader(value, p);
  const sequence = value.sequence;
  if (sequence === undefined) p.add('sequence', 'is required');
  else if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) {
    p.add('sequence', 'must be a whole number of at least 1');
  }
  const { issued, expires } = validateTimes(value, p, true);
  const publicKey = readChecked(value, 'publicKey', '', p, true, checkPublicKeyText);
  const keyRules = value.keyRules;
  if (keyRules !== undefined) {
    if (value.format !== FEED_FORMAT_2) p.add('keyRules', `is only in format "${FEED_FORMAT_2}"`);
    else if (typeof keyRules !== 'number' || !Number.isSafeInteger(keyRules) || keyRules < 1)
      p.add('keyRules', 'must be a whole number of at least 1');
  }
  if (value.labels === undefined && value.chunks === undefined) {
    p.add('', 'a manifest needs labels, chunks or both');
  }
  const labelsIn = readArray(value, 'labels', '', p, false, FEED_CAPS.inlineLabels);
  const chunksIn = readArray(value, 'chunks', '', p, false, FEED_CAPS.chunks);
  const labels = labelsIn ? validateLabels(labelsIn, 'labels', definitionIds, p) : undefined;
  const format = FEED_FORMATS.includes(value.format as string) ? (value.format as FeedFormat) : FEED_FORMAT;
  const chunks = chunksIn ? validateChunkRefs(chunksIn, p, format) : undefined;
  if (chunks) {
    const total = chunks.reduce((n, c) => n + c.count, labels?.length ?? 0);
    if (total > FEED_CAPS.totalLabels) {
      p.add('chunks', `hold ${total} labels; at most ${FEED_CAPS.totalLabels} are allowed in one feed`);
    }
  }
  if (p.count || !header || issued === undefined || expires === undefined || publicKey === undefined) {
    return p.failure();
  }
  const manifest: FeedManifest = {
    format,
    id: header.id,
    name: header.name,
    publisher: header.publisher,
    homepage: header.homepage,
    description: header.description,
    appeals: header.appeals,
    sequence: sequence as number,
    issued,
    expires,
    definitions: header.definitions,
    publicKey,
  };
  if (labels) manifest.labels = labels;
  if (chunks) manifest.chunks = chunks;
  if (header.nextKey !== undefined) manifest.nextKey = header.nextKey;
  if (header.mirrors !== undefined) manifest.mirrors = header.mirrors;
  if (keyRules !== undefined) manifest.keyRules = keyRules as number;
  return { ok: true, value: manifest };
}
