/**
 * Building a publication from a source: fills defaults, lays labels out inline or in
 * content-addressed chunks (reusing unchanged chunks of the previous publication, so readers only
 * download what changed), writes the manifest and signs it. Deterministic for a given source,
 * previous publication, key and time. Throws FeedError (problems naming their place) for an
 * invalid source; never writes files (returns them).
 *
 * Memory: labels are held as rows (LabelRow: the id and the label's chunk line cut where `cts`
 * goes), not as objects, and a previous publication is read one chunk at a time (PreviousReader)
 * and compared line by line, so building a million labels holds about their JSON text once.
 */
import { FEED_CAPS } from './caps';
import {
  type ChunkCodec,
  canonicalLabel,
  checkChunk,
  gzipChunk,
  KEY_SAMPLE_STRIDE,
  keySampleStart,
  labelLine,
  lineBytes,
  serializeChunk,
  serializeLines,
  WEB_CODEC,
} from './chunks';
import { signManifest } from './dsse';
import { base64Encode, utf8Decode, utf8Encode } from './encoding';
import { publicKeyFromPrivate } from './keys';
import { FeedError, Problems } from './problems';
import { type FeedSource, validateSource } from './source';
import { KEY_RULES, labelKey } from './targets';
import {
  type ChunkRef,
  FEED_FORMAT,
  FEED_FORMAT_2,
  type FeedManifest,
  type FeedProblem,
  type Label,
  type Result,
} from './types';
import { checkIso, isoTime, isRecord, type LabelInput, parseManifest, validateLabels } from './validate';

export const DEFAULT_CHUNK_SIZE = 5_000;
export const DEFAULT_LIFETIME_DAYS = 30;
/** Labels are inlined only while the manifest stays well inside its cap. */
const INLINE_BYTES = FEED_CAPS.manifestBytes / 2;

export interface PreviousPublication {
  manifest: FeedManifest;
  /** The labels of each previous chunk, by chunk path (`chunks/<sha256>.json`). */
  chunkLabels: Map<string, Label[]>;
  /** The previous chunk files as stored, by path (needed to keep gzip chunks byte for byte). */
  chunkFiles?: Map<string, Uint8Array>;
}

/** One chunk of a previous publication: its checked labels (none when not at hand) and stored bytes. */
export interface PreviousChunk {
  labels?: Label[];
  bytes?: Uint8Array;
  /**
   * Instead of `labels`: the chunk decoded, its stored bytes matched to the manifest by size and
   * SHA-256 (feed/chunks.ts decodeChunk), its labels not checked yet; `check` checks them as
   * checkChunk does. The builder checks only the lines that are not exactly one of its own rows'
   * lines (those are valid by construction), and calls `check` when anything is unusual.
   */
  text?: Uint8Array;
  check?: () => Result<Label[]>;
}

/**
 * A previous publication read one chunk at a time (`build --previous` of a large feed): the builder
 * asks for every chunk once, last to first, and keeps only the stored bytes of each.
 */
export interface PreviousReader {
  manifest: FeedManifest;
  /** manifest.chunks[index] read and checked, or its problems. */
  chunk(index: number): Promise<Result<PreviousChunk>>;
}

/** The previous publication's chunks could not be read: the problems are the reader's, in chunk order. */
export class PreviousError extends FeedError {}

/**
 * A label as the builder holds it: its id and its chunk line (labelLine, with `key` when it has
 * one) without `cts`, which the builder fills: `head` + `,"cts":"…"` + `tail`.
 */
export interface LabelRow {
  id: string;
  /** The line up to where `,"cts":…` goes (no closing brace). */
  head: string;
  /** The rest of the line: `}`, or `,"exp":…` and `,"neg":true` then `}`. */
  tail: string;
  /** Whether the label carries its lookup key (in head; kept there only, to save memory). */
  keyed: boolean;
  /** The source's cts; left out, the builder fills it. */
  cts: string | undefined;
}

/** A source whose labels are rows (the CLI reads a CSV straight into rows). */
export interface RowSource extends Omit<FeedSource, 'labels'> {
  rows: LabelRow[];
}
/**
 * Change chunks (format 2) are compacted into new base chunks once the labels they hold pass this
 * share of the feed, or once there are this many of them. A compaction costs every reader a full
 * download (spread edits touch every base chunk), so it waits until a reader would hold half as
 * many labels again: a month of daily 1 % edits costs a reader about 0.3–0.4 of one full download,
 * and at worst a reader stores and indexes 1.5 × the feed's labels.
 */
export const COMPACT_SHARE = 0.5;
export const MAX_CHANGE_CHUNKS = 200;

export interface BuildOptions {
  privateKey: Uint8Array;
  /** Labels per chunk (default 5000). */
  chunkSize?: number;
  previous?: PreviousPublication | PreviousReader;
  /**
   * 2 (the default): chunks are gzip and an update appends a change chunk; 1: the format-1 layout
   * (uncompressed chunks, rebuilt by label id), for readers that only know format 1. Inline feeds
   * are always written as format 1, which every reader knows.
   */
  format?: 1 | 2;
  /** Default: previous.sequence + 1, or 1 for a first publication. */
  sequence?: number;
  now?: Date;
  /**
   * The source was just made by parseCsvSource / parseJsonSource / validateSource and is not
   * checked again (a million labels' checks cost seconds). A label's `key`, if set, must be what
   * labelKey gives (parseCsvSource keeps the key its check made); otherwise it is made here.
   */
  checked?: boolean;
  /** How chunks are compressed and hashed (default WEB_CODEC; the CLI passes node:zlib's). */
  codec?: ChunkCodec;
}

export interface BuiltFeed {
  /** `feed.json` and every `chunks/<sha256>.json` the manifest lists (kept ones included). */
  files: Map<string, Uint8Array>;
  manifest: FeedManifest;
}

/** ISO date-time in whole seconds, UTC: `2026-01-31T12:00:00Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function buildFeed(source: FeedSource, opts: BuildOptions): Promise<BuiltFeed> {
  let src = source;
  if (!opts.checked) {
    const checked = validateSource(source);
    if (!checked.ok) throw new FeedError(checked.problems);
    src = checked.value;
  }
  const { labels, ...header } = src;
  const sorted = sortById(labels);
  // Format 2 chunks carry every label's key; a key that cannot be made fails only a chunked build.
  const keyProblems: FeedProblem[] = [];
  const rows = sorted.map((label, i) => {
    if (label.key !== undefined || (opts.format ?? 2) !== 2) return labelRow(label);
    const made = labelKey(label);
    if (made.ok) return labelRow({ ...label, key: made.key });
    keyProblems.push({ path: `labels[${i}]`, message: made.message });
    return labelRow(label);
  });
  return buildRows({ ...header, rows }, opts, keyProblems);
}

/**
 * buildFeed for a source already checked and held as rows (readCsvRows). A format-2 build needs
 * every row's key; `keyProblems` are why some could not be made (thrown if the feed is chunked).
 */
export async function buildRows(
  src: RowSource,
  opts: BuildOptions,
  keyProblems: readonly FeedProblem[] = [],
): Promise<BuiltFeed> {
  const problems: FeedProblem[] = [];
  const now = opts.now ?? new Date();
  const codec = opts.codec ?? WEB_CODEC;

  const issued = src.issued ?? isoSeconds(now);
  const expires =
    src.expires ?? isoSeconds(new Date((isoTime(issued) as number) + DEFAULT_LIFETIME_DAYS * 86_400_000));
  if ((isoTime(expires) as number) <= (isoTime(issued) as number)) {
    problems.push({ path: 'expires', message: `must be after issued (${issued})` });
  }
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > FEED_CAPS.labelsPerChunk) {
    problems.push({
      path: 'chunkSize',
      message: `must be a whole number from 1 to ${FEED_CAPS.labelsPerChunk}`,
    });
  }
  const previous = opts.previous;
  const sequence = opts.sequence ?? (previous ? previous.manifest.sequence + 1 : 1);
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    problems.push({ path: 'sequence', message: 'must be a whole number of at least 1' });
  } else if (previous && sequence <= previous.manifest.sequence) {
    problems.push({
      path: 'sequence',
      message: `must be greater than the previous publication's ${previous.manifest.sequence}`,
    });
  }

  const v2 = (opts.format ?? 2) === 2;
  const rows = sortRows(src.rows);
  const cts: string[] = new Array(rows.length);
  // The previous publication is read before the options are judged, as the CLI always did.
  const scan = previous
    ? await scanPrevious(readerOf(previous), rows, cts, {
        issued,
        v2,
        definitionIds: new Set(src.definitions.map((d) => d.id)),
        codec,
      })
    : undefined;
  if (problems.length) throw new FeedError(problems);
  // Labels without cts keep the cts of the same, unchanged label in the previous publication
  // (decided by the scan), else issued.
  for (let i = 0; i < rows.length; i++) cts[i] ??= (rows[i] as LabelRow).cts ?? issued;

  const publicKey = base64Encode(await publicKeyFromPrivate(opts.privateKey));
  const files = new Map<string, Uint8Array>();
  const manifest: FeedManifest = {
    format: FEED_FORMAT,
    id: src.id,
    name: src.name,
    publisher: src.publisher,
    homepage: src.homepage,
    description: src.description,
    appeals: src.appeals,
    sequence,
    issued,
    expires,
    publicKey,
    ...(src.nextKey !== undefined ? { nextKey: src.nextKey } : {}),
    ...(src.mirrors !== undefined ? { mirrors: src.mirrors } : {}),
    definitions: src.definitions,
  };
  const previousHasChunks = (previous?.manifest.chunks?.length ?? 0) > 0;
  let manifestBytes: Uint8Array | undefined;
  if (!previousHasChunks && rows.length <= Math.min(chunkSize, FEED_CAPS.inlineLabels)) {
    manifestBytes = serializeManifest({
      ...manifest,
      labels: rows.map((row, i) => JSON.parse(keylessLine(row, cts[i] as string)) as Label),
    });
    if (manifestBytes.length > INLINE_BYTES) manifestBytes = undefined; // too big to inline: use chunks
  }
  if (!manifestBytes) {
    let chunks: { ref: ChunkRef; bytes: Uint8Array }[];
    if (v2) {
      if (keyProblems.length) throw new FeedError(keyProblems.slice(0, FEED_CAPS.problems));
      if (rows.some((row) => !row.keyed))
        throw new Error('buildRows: a format-2 build needs the key of every row');
      chunks = await layoutV2({ rows, cts, chunkSize, scan, codec });
    } else chunks = await layoutChunks({ rows, cts, chunkSize, scan, codec });
    if (chunks.length > FEED_CAPS.chunks) {
      throw new FeedError([
        {
          path: 'chunks',
          message: `would be ${chunks.length}; at most ${FEED_CAPS.chunks} (raise chunkSize)`,
        },
      ]);
    }
    for (const c of chunks) files.set(c.ref.path, c.bytes);
    manifestBytes = serializeManifest({
      ...manifest,
      ...(v2 ? { format: FEED_FORMAT_2, keyRules: KEY_RULES } : {}),
      chunks: chunks.map((c) => c.ref),
    });
  }

  // The builder must never publish what a reader would refuse.
  const reparsed = parseManifest(manifestBytes);
  if (!reparsed.ok) throw new FeedError(reparsed.problems);
  files.set('feed.json', await signManifest(manifestBytes, opts.privateKey));
  return { files, manifest: reparsed.value };
}

// ---- rows ----

/** A label as a row (its line without cts; its key only if it has one). */
export function labelRow(label: LabelInput): LabelRow {
  if (label.exp === undefined && label.neg === undefined) {
    const head = plainHead(label);
    if (head !== undefined)
      return { id: label.id, head, tail: '}', keyed: label.key !== undefined, cts: label.cts };
  }
  const canon = canonicalLabel(label as Label) as Partial<Label>;
  let tail = '}';
  if (canon.exp !== undefined || canon.neg === true) {
    const after: Partial<Label> = {};
    if (canon.exp !== undefined) after.exp = canon.exp;
    if (canon.neg === true) after.neg = true;
    tail = `,${JSON.stringify(after).slice(1)}`;
  }
  // JSON.stringify leaves out undefined fields: the head stops where cts goes.
  canon.cts = undefined;
  canon.exp = undefined;
  canon.neg = undefined;
  return {
    id: label.id,
    head: JSON.stringify(canon).slice(0, -1),
    tail,
    keyed: label.key !== undefined,
    cts: label.cts,
  };
}

/** `,"name":"value"` when the value is a string, '' when it is undefined, undefined otherwise. */
function stringMember(name: string, value: unknown): string | undefined {
  if (value === undefined) return '';
  return typeof value === 'string' ? `,"${name}":${JSON.stringify(value)}` : undefined;
}

/**
 * labelRow's head of a label whose fields are all strings (a note in one language, sources of
 * strings, as every CSV row and most JSON labels are), written field by field in canonicalLabel's
 * order, which is what JSON.stringify of canonicalLabel gives, at a third of its cost (no object
 * per label). Undefined for anything else (labelRow then stringifies canonicalLabel).
 */
function plainHead(label: LabelInput): string | undefined {
  if (typeof label.id !== 'string' || typeof label.val !== 'string' || !Array.isArray(label.sources))
    return undefined;
  const account = stringMember('account', label.account);
  const post = stringMember('post', label.post);
  const link = stringMember('link', label.link);
  const key = stringMember('key', label.key);
  const note = stringMember('note', label.note);
  const since = stringMember('since', label.since);
  const until = stringMember('until', label.until);
  if (
    account === undefined ||
    post === undefined ||
    link === undefined ||
    key === undefined ||
    note === undefined ||
    since === undefined ||
    until === undefined
  )
    return undefined;
  let sources = '';
  for (const source of label.sources as unknown[]) {
    if (source === null || typeof source !== 'object') return undefined;
    const { url, title, publisher, date } = source as Record<string, unknown>;
    if (typeof url !== 'string') return undefined;
    let more = '';
    if (title !== undefined || publisher !== undefined || date !== undefined) {
      const rest = [
        stringMember('title', title),
        stringMember('publisher', publisher),
        stringMember('date', date),
      ];
      if (rest.includes(undefined)) return undefined;
      more = rest.join('');
    }
    sources += `${sources ? ',' : ''}{"url":${JSON.stringify(url)}${more}}`;
  }
  const server = label.server === true ? ',"server":true' : '';
  return `{"id":${JSON.stringify(label.id)}${account}${post}${link}${server}${key},"val":${JSON.stringify(label.val)}${note},"sources":[${sources}]${since}${until}`;
}

const ctsParts = new Map<string, string>();

/** `,"cts":"…"` (a feed's labels share a few cts values). */
function ctsPart(cts: string): string {
  let part = ctsParts.get(cts);
  if (part === undefined) {
    part = `,"cts":${JSON.stringify(cts)}`;
    if (ctsParts.size > 1000) ctsParts.clear();
    ctsParts.set(cts, part);
  }
  return part;
}

/** The row's line in a chunk (labelLine of the label with this cts). */
export function rowLine(row: LabelRow, cts: string): string {
  return row.head + ctsPart(cts) + row.tail;
}

const KEY_FIELD = /,"key":"(?:[^"\\]|\\.)*"/;
/** How serializeLines frames a chunk's lines, and where a line's cts starts. */
const CHUNK_START = '{"labels":[\n';
const CHUNK_END = '\n]}\n';
const CTS_START = ',"cts":"';

/** The row's line without its key (format 1, and inline labels, carry none). */
function keylessLine(row: LabelRow, cts: string): string {
  // The key follows only id, target and server, whose JSON strings cannot hold `,"key":"`.
  const head = row.keyed ? row.head.replace(KEY_FIELD, '') : row.head;
  return head + ctsPart(cts) + row.tail;
}

/**
 * Whether `text` starts with `prefix`. For a row's head (~200 characters) against a line cut from
 * a chunk's text, comparing a slice is about 20 times faster than String.prototype.startsWith,
 * which V8 runs character by character on such sliced strings (at 1M labels, ~9 of the 11 s the
 * comparison with a previous publication took).
 */
function hasPrefix(text: string, prefix: string): boolean {
  return text.length >= prefix.length && text.slice(0, prefix.length) === prefix;
}

/** Whether `line` is rowLine(row, cts), without building that line. */
function isRowLine(line: string, row: LabelRow, cts: string): boolean {
  const part = ctsPart(cts);
  return (
    line.length === row.head.length + part.length + row.tail.length &&
    hasPrefix(line, row.head) &&
    line.startsWith(part, row.head.length) &&
    line.endsWith(row.tail)
  );
}

/**
 * Labels (or rows) in id order. Sorting `id NUL index` strings with the built-in comparison (ids
 * never hold NUL, which sorts first) is several times faster than a JS comparator.
 */
function sortById<T extends { id: string }>(items: T[]): T[] {
  const keys = items.map((l, i) => `${l.id}\u0000${i}`);
  keys.sort();
  return keys.map((k) => items[Number(k.slice(k.lastIndexOf('\u0000') + 1))] as T);
}

const HEX_ID = /^[0-9a-f]{16}$/;
const INDEX_BITS = 2 ** 21;

/**
 * Rows in the order sortById gives. CSV ids are 16 hex digits: their first 32 bits and the row
 * index, packed in one float, sort natively; rows that share those bits are put in order by their
 * whole id (and, for equal ids, as sortById orders them).
 */
function sortRows(rows: LabelRow[]): LabelRow[] {
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++)
    if ((rows[i - 1] as LabelRow).id >= (rows[i] as LabelRow).id) sorted = false;
  if (sorted) return rows;
  if (rows.length > INDEX_BITS || !rows.every((row) => HEX_ID.test(row.id))) return sortById(rows);
  const keys = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++)
    keys[i] = Number.parseInt((rows[i] as LabelRow).id.slice(0, 8), 16) * INDEX_BITS + i;
  keys.sort();
  const order = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) order[i] = (keys[i] as number) % INDEX_BITS;
  for (let i = 0; i < rows.length; ) {
    const high = Math.floor((keys[i] as number) / INDEX_BITS);
    let j = i + 1;
    while (j < rows.length && Math.floor((keys[j] as number) / INDEX_BITS) === high) j++;
    if (j - i > 1) {
      const run = Array.from(order.subarray(i, j)).sort((a, b) => {
        const x = (rows[a] as LabelRow).id;
        const y = (rows[b] as LabelRow).id;
        return x < y ? -1 : x > y ? 1 : String(a) < String(b) ? -1 : 1;
      });
      order.set(run, i);
    }
    i = j;
  }
  return Array.from(order, (i) => rows[i] as LabelRow);
}

function serializeManifest(manifest: FeedManifest): Uint8Array {
  return utf8Encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

function withoutKey<T extends { key?: string }>(label: T): T {
  if (label.key === undefined) return label;
  const { key: _, ...rest } = label;
  return rest as T;
}

/**
 * The number an id's 8 hex digits from `at` spell (lowercase, as HEX_ID), or -1 when they are not
 * 8 such digits.
 */
function hexWord(id: string, at: number): number {
  let word = 0;
  for (let k = at; k < at + 8; k++) {
    const c = id.charCodeAt(k);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) return -1;
    word = word * 16 + digit;
  }
  return word;
}

/**
 * A number (a row) by label id. Ids of 16 lowercase hex digits (every CSV id) are kept as their two
 * 32-bit halves in typed arrays, open addressing on the low half: a probe compares numbers, never
 * reads the id strings (a million rows' strings, scattered over the heap); other ids go to a Map.
 * 12 bytes a slot, 24 MB for a million ids; a Map of them costs about 60 MB more.
 */
export class IdIndex {
  private values: Int32Array;
  private highs: Uint32Array;
  private lows: Uint32Array;
  private size = 0;
  private readonly other = new Map<string, number>();

  /** `expected`: how many ids it will hold, if known (sized once, no growing: no garbage tables). */
  constructor(expected = 0) {
    let slots = 1 << 12;
    while (slots < 2 * (expected + 1)) slots *= 2;
    this.values = new Int32Array(slots).fill(-1);
    this.highs = new Uint32Array(slots);
    this.lows = new Uint32Array(slots);
  }

  get(id: string): number | undefined {
    const high = id.length === 16 ? hexWord(id, 0) : -1;
    const low = high < 0 ? -1 : hexWord(id, 8);
    if (low < 0) return this.other.get(id);
    const mask = this.values.length - 1;
    for (let at = low & mask; ; at = (at + 1) & mask) {
      const value = this.values[at] as number;
      if (value < 0) return undefined;
      if (this.lows[at] === low && this.highs[at] === high) return value;
    }
  }

  /** Sets the id's number (a later set of the same id replaces it, as Map.set does). */
  set(id: string, value: number): void {
    const high = id.length === 16 ? hexWord(id, 0) : -1;
    const low = high < 0 ? -1 : hexWord(id, 8);
    if (low < 0) {
      this.other.set(id, value);
      return;
    }
    if (2 * (this.size + 1) > this.values.length) this.grow();
    const mask = this.values.length - 1;
    for (let at = low & mask; ; at = (at + 1) & mask) {
      if ((this.values[at] as number) < 0) {
        this.values[at] = value;
        this.highs[at] = high;
        this.lows[at] = low;
        this.size++;
        return;
      }
      if (this.lows[at] === low && this.highs[at] === high) {
        this.values[at] = value;
        return;
      }
    }
  }

  private grow(): void {
    const { values, highs, lows } = this;
    this.values = new Int32Array(values.length * 2).fill(-1);
    this.highs = new Uint32Array(values.length * 2);
    this.lows = new Uint32Array(values.length * 2);
    const mask = this.values.length - 1;
    for (let from = 0; from < values.length; from++) {
      if ((values[from] as number) < 0) continue;
      const low = lows[from] as number;
      let at = low & mask;
      while ((this.values[at] as number) >= 0) at = (at + 1) & mask;
      this.values[at] = values[from] as number;
      this.highs[at] = highs[from] as number;
      this.lows[at] = low;
    }
  }
}

// ---- the previous publication ----

function readerOf(previous: PreviousPublication | PreviousReader): PreviousReader {
  if ('chunk' in previous) return previous;
  return {
    manifest: previous.manifest,
    chunk: async (index) => {
      const path = previous.manifest.chunks?.[index]?.path ?? '';
      return {
        ok: true,
        value: { labels: previous.chunkLabels.get(path), bytes: previous.chunkFiles?.get(path) },
      };
    },
  };
}

/** What the builder keeps of one previous chunk. */
interface ScannedChunk {
  ref: ChunkRef;
  /** How many labels it holds; -1 when the previous publication gave none for it. */
  count: number;
  /** The file as stored, when given. */
  stored: Uint8Array | undefined;
  /** Format 2, no stored file: the file made again from its labels, or null when that differs. */
  remade: Uint8Array | null | undefined;
  /**
   * The row of each of its labels, in order, when every one is unchanged as the layout compares
   * them (format 2: with keys; format 1: without); else null.
   */
  rows: Int32Array | null;
}

interface PreviousScan {
  manifest: FeedManifest;
  chunks: ScannedChunk[];
  /** Format 2 and the previous chunks' keys were made under KEY_RULES: its chunks may be kept. */
  reusable: boolean;
  /** A previous chunk holds a label whose definition this publication removed. */
  orphaned: boolean;
  /** A retraction line for each label a reader holds that the source no longer has. */
  retractions: { id: string; line: string }[];
  /** Per row: 0 new, 1 the same as the label a reader holds, 2 changed. */
  state: Uint8Array;
}

/**
 * Reads the previous publication one chunk at a time, last to first (so the first sighting of an
 * id is what a reader holds: a change chunk's label replaces an earlier one), and compares each
 * label's line with its row's. Decides the cts of rows without one (an unchanged label keeps its
 * cts, keys aside, since only the key rules may have moved) and keeps per chunk only its stored
 * bytes and the rows it matches. Throws PreviousError with every chunk's problems.
 */
async function scanPrevious(
  reader: PreviousReader,
  rows: readonly LabelRow[],
  cts: string[],
  opts: { issued: string; v2: boolean; definitionIds: ReadonlySet<string>; codec: ChunkCodec },
): Promise<PreviousScan> {
  const { manifest } = reader;
  const refs = manifest.chunks ?? [];
  // Chunks made under other key rules (or none) carry no keys a reader may trust: none is reused.
  const reusable = opts.v2 && manifest.keyRules === KEY_RULES && refs.length > 0;
  const byId = new IdIndex(rows.length);
  for (let i = 0; i < rows.length; i++) byId.set((rows[i] as LabelRow).id, i);
  const held = new Uint8Array(rows.length);
  const heldElsewhere = new Set<string>();
  const state = new Uint8Array(rows.length);
  const retractions: { id: string; line: string }[] = [];
  const problems: FeedProblem[][] = [];
  let orphaned = false;
  // Lines read straight from chunk text (matchLines) when the previous keys were made under these
  // rules and every definition a row may use is one of the previous manifest's.
  const previousDefinitions = new Set(manifest.definitions.map((d) => d.id));
  const matchable =
    manifest.keyRules === KEY_RULES && [...opts.definitionIds].every((id) => previousDefinitions.has(id));
  /** Per row: 1 + the chunk its id was last seen in (a chunk must not hold an id twice). */
  const seenIn = matchable ? new Int32Array(rows.length) : undefined;
  const validCts = new Map<string, boolean>();

  /** One previous label; returns its row when it is unchanged as the layout compares, else -1. */
  const visit = (label: Label): number => {
    const line = labelLine(label);
    const r = byId.get(label.id);
    if (r === undefined) {
      if (!heldElsewhere.has(label.id)) {
        heldElsewhere.add(label.id);
        if (reusable && label.neg !== true)
          retractions.push({ id: label.id, line: labelLine({ ...label, cts: opts.issued, neg: true }) });
      }
    } else if (held[r] === 0) {
      held[r] = 1;
      const row = rows[r] as LabelRow;
      if (row.cts !== undefined) cts[r] = row.cts;
      else if (
        isRowLine(line, row, label.cts) ||
        keylessLine(row, label.cts) === labelLine(withoutKey(label))
      )
        cts[r] = label.cts;
      else cts[r] = opts.issued;
      state[r] = isRowLine(line, row, cts[r] as string) ? 1 : 2;
    }
    if (reusable && !opts.definitionIds.has(label.val)) orphaned = true;
    if (r === undefined) return -1;
    const row = rows[r] as LabelRow;
    const rowCts = cts[r] as string;
    if (opts.v2) return isRowLine(line, row, rowCts) ? r : -1;
    return keylessLine(row, rowCts) === labelLine(withoutKey(label)) ? r : -1;
  };

  /** A previous label whose line is row r's line with cts `c`: visit without the label. */
  const visitRowLine = (r: number, c: string): number => {
    if (held[r] === 0) {
      held[r] = 1;
      // The row's own cts, else the label's (the line is the row's with it); unchanged when equal.
      cts[r] = (rows[r] as LabelRow).cts ?? c;
      state[r] = cts[r] === c ? 1 : 2;
    }
    // Its val is the row's, a definition of this publication: it orphans nothing.
    return cts[r] === c ? r : -1;
  };

  /**
   * The labels of a decoded chunk compared without checking or parsing those whose line is exactly
   * one of the rows' lines (valid by construction: the row passed the source's checks, its key is
   * this builder's, its val a definition of both publications; only its cts is checked). The other
   * lines are parsed and checked as checkChunk checks labels, their keys sampled as it samples
   * them. Visits and returns the chunk's rows (null when a label is not unchanged) and count, or
   * undefined, visiting nothing, when anything is unusual: `check` then says what, in its words.
   */
  const matchLines = (c: number, ref: ChunkRef, text: Uint8Array) => {
    if (!seenIn) return undefined;
    const json = utf8Decode(text);
    if (json === null || !json.startsWith(CHUNK_START) || !json.endsWith(CHUNK_END)) return undefined;
    const body = json.slice(CHUNK_START.length, json.length - CHUNK_END.length);
    // A line is JSON on one line, so `,\n` only ever separates two.
    const lines = body === '' ? [] : body.split(',\n');
    if (lines.length === 0 || lines.length !== ref.count || lines.length > FEED_CAPS.labelsPerChunk)
      return undefined;
    const rowOf = new Int32Array(lines.length).fill(-1);
    const lineCts: string[] = new Array(lines.length);
    const others: unknown[] = [];
    const otherAt: number[] = [];
    const otherIds = new Set<string>();
    for (let j = 0; j < lines.length; j++) {
      const line = lines[j] as string;
      const idEnd = line.startsWith('{"id":"') ? line.indexOf('"', 7) : -1;
      const id = idEnd > 0 ? line.slice(7, idEnd) : '';
      const r = id && !id.includes('\\') ? byId.get(id) : undefined;
      if (r !== undefined) {
        const row = rows[r] as LabelRow;
        const at = row.head.length + CTS_START.length;
        const end =
          row.tail === '}' && hasPrefix(line, row.head) && line.startsWith(CTS_START, row.head.length)
            ? line.indexOf('"', at)
            : -1;
        if (end > 0 && line.length === end + 2 && line.endsWith('"}')) {
          const value = line.slice(at, end);
          let valid = validCts.get(value);
          if (valid === undefined) {
            valid = checkIso(value) === null;
            if (validCts.size < 1000) validCts.set(value, valid);
          }
          if (!valid || seenIn[r] === c + 1) return undefined;
          seenIn[r] = c + 1;
          rowOf[j] = r;
          lineCts[j] = value;
          continue;
        }
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return undefined;
      }
      if (!isRecord(value) || typeof value.id !== 'string') return undefined;
      const otherRow = byId.get(value.id);
      if (otherRow !== undefined) {
        if (seenIn[otherRow] === c + 1) return undefined;
        seenIn[otherRow] = c + 1;
      } else if (otherIds.has(value.id)) return undefined;
      else otherIds.add(value.id);
      others.push(value);
      otherAt.push(j);
    }
    const p = new Problems(1);
    const checked = validateLabels(others, 'labels', previousDefinitions, p, { signed: true });
    if (p.count || checked.length !== others.length) return undefined;
    const first = keySampleStart(ref, lines.length);
    for (let k = 0; k < checked.length; k++) {
      const label = checked[k] as Label;
      const j = otherAt[k] as number;
      if (label.key === undefined) return undefined;
      if (j >= first && (j - first) % KEY_SAMPLE_STRIDE === 0) {
        const made = labelKey(label);
        if (!made.ok || made.key !== label.key) return undefined;
      }
    }
    let same: Int32Array | null = new Int32Array(lines.length);
    for (let j = lines.length - 1, k = checked.length - 1; j >= 0; j--) {
      const row = rowOf[j] as number;
      const r = row >= 0 ? visitRowLine(row, lineCts[j] as string) : visit(checked[k--] as Label);
      if (r < 0) same = null;
      else if (same) same[j] = r;
    }
    return { count: lines.length, rows: same };
  };

  const chunks: ScannedChunk[] = new Array(refs.length);
  for (let c = refs.length - 1; c >= 0; c--) {
    const ref = refs[c] as ChunkRef;
    const read = await reader.chunk(c);
    let checked: Result<Label[]> | undefined;
    if (read.ok && !read.value.labels && read.value.check) {
      const { bytes, text } = read.value;
      const matched = problems.length === 0 && bytes && text && matchLines(c, ref, text);
      if (matched) {
        chunks[c] = { ref, stored: bytes, remade: undefined, ...matched };
        continue;
      }
      checked = read.value.check();
    }
    if (!read.ok || (checked && !checked.ok)) {
      problems[c] = !read.ok ? read.problems : checked && !checked.ok ? checked.problems : [];
      chunks[c] = { ref, count: -1, stored: undefined, remade: null, rows: null };
      continue;
    }
    const { bytes } = read.value;
    const labels = checked?.ok ? checked.value : read.value.labels;
    const chunk: ScannedChunk = { ref, count: -1, stored: bytes, remade: undefined, rows: null };
    chunks[c] = chunk;
    if (!labels || problems.length > 0) continue;
    chunk.count = labels.length;
    let same: Int32Array | null = new Int32Array(labels.length);
    for (let j = labels.length - 1; j >= 0; j--) {
      const r = visit(labels[j] as Label);
      if (r < 0) same = null;
      else if (same) same[j] = r;
    }
    chunk.rows = same;
    if (reusable && !bytes) {
      let remade = serializeChunk(labels);
      if (ref.encoding === 'gzip') remade = await opts.codec.gzip(remade);
      chunk.remade = opts.codec.sha256Hex(remade) === ref.sha256 ? remade : null;
    }
  }
  if (problems.length > 0) throw new PreviousError(problems.flat());
  const inline = manifest.labels ?? [];
  for (let j = inline.length - 1; j >= 0; j--) visit(inline[j] as Label);
  return { manifest, chunks, reusable, orphaned, retractions, state };
}

// ---- layouts ----

/**
 * Chunk files made in order, gzip running on the codec's threads while the next chunk's lines are
 * put together; at most a few chunks wait at a time.
 */
class ChunkMaker {
  private readonly made: Promise<{ ref: ChunkRef; bytes: Uint8Array }>[] = [];
  private readonly out: { ref: ChunkRef; bytes: Uint8Array }[] = [];

  constructor(private readonly codec: ChunkCodec) {}

  async add(lines: string[], layer?: 'change'): Promise<void> {
    this.made.push(gzipChunk(lines, layer, this.codec));
    if (this.made.length >= 4)
      this.out.push(await (this.made.shift() as Promise<{ ref: ChunkRef; bytes: Uint8Array }>));
  }

  keep(chunk: { ref: ChunkRef; bytes: Uint8Array }): void {
    this.made.push(Promise.resolve(chunk));
  }

  async done(): Promise<{ ref: ChunkRef; bytes: Uint8Array }[]> {
    for (const chunk of this.made) this.out.push(await chunk);
    this.made.length = 0;
    return this.out;
  }
}

/** Rows not yet placed fill new chunks of chunkSize, cut earlier where a chunk would pass its byte cap. */
async function fillChunks(
  rows: readonly LabelRow[],
  placed: Uint8Array,
  chunkSize: number,
  line: (i: number) => string,
  add: (lines: string[]) => Promise<void> | undefined,
): Promise<void> {
  const budget = FEED_CAPS.chunkBytes - 64;
  let lines: string[] = [];
  // A line's UTF-8 bytes are at most 3 × its length: its bytes are counted (`size`, -1 until then)
  // only once the chunk's length (`chars`, each line's + 2 for `,\n`) could pass the budget.
  let chars = 0;
  let size = -1;
  for (let i = 0; i < rows.length; i++) {
    if (placed[i]) continue;
    const text = line(i);
    let bytes = -1;
    if (lines.length > 0 && size < 0 && 3 * (chars + text.length + 2) > budget)
      size = lines.reduce((n, l) => n + lineBytes(l) + 2, 0);
    if (size >= 0) bytes = lineBytes(text) + 2;
    if (lines.length > 0 && (lines.length >= chunkSize || (size >= 0 && size + bytes > budget))) {
      await add(lines);
      lines = [];
      chars = 0;
      size = -1;
    }
    lines.push(text);
    chars += text.length + 2;
    if (size >= 0) size += bytes;
  }
  if (lines.length > 0) await add(lines);
}

/** What a layout lays out: the rows in id order with their cts, and what the scan kept. */
interface Layout {
  rows: readonly LabelRow[];
  cts: readonly string[];
  chunkSize: number;
  scan: PreviousScan | undefined;
  codec: ChunkCodec;
}

/**
 * Format 1: keeps every previous chunk whose labels are all still present and unchanged (same
 * name, same bytes), unless it has shrunk below a quarter of chunkSize (tiny chunks are merged
 * instead); the other labels, sorted by id, fill new chunks of chunkSize.
 */
async function layoutChunks(layout: Layout): Promise<{ ref: ChunkRef; bytes: Uint8Array }[]> {
  const { rows, cts, chunkSize, scan, codec } = layout;
  const placed = new Uint8Array(rows.length);
  const out: { ref: ChunkRef; bytes: Uint8Array }[] = [];
  const minKept = Math.max(1, Math.floor(chunkSize / 4));
  const line = (i: number) => keylessLine(rows[i] as LabelRow, cts[i] as string);
  for (const chunk of scan?.chunks ?? []) {
    const { ref, count } = chunk;
    if (count < 0 || count < minKept || count > FEED_CAPS.labelsPerChunk || !chunk.rows) continue;
    if (chunk.rows.some((r) => placed[r] === 1)) continue;
    // The labels are unchanged, so the chunk made again from the rows is the old chunk made again.
    const bytes = serializeLines(Array.from(chunk.rows, line));
    if (codec.sha256Hex(bytes) !== ref.sha256) continue; // not reproducible: rebuild its labels instead
    for (const r of chunk.rows) placed[r] = 1;
    out.push({ ref: { path: ref.path, sha256: ref.sha256, count, bytes: bytes.length }, bytes });
  }
  await fillChunks(rows, placed, chunkSize, line, async (lines) => {
    const bytes = serializeLines(lines);
    const sha256 = codec.sha256Hex(bytes);
    out.push({
      ref: { path: `chunks/${sha256}.json`, sha256, count: lines.length, bytes: bytes.length },
      bytes,
    });
  });
  return out;
}

/**
 * Format 2: a first publication (or a compaction) is gzip base chunks of chunkSize labels, sorted by
 * id. An update keeps every previous chunk as it is and appends one change chunk (split at
 * chunkSize) with the labels that are new or changed and a retraction (`neg`) for each label that
 * was dropped; a reader downloads only that. When change chunks pass COMPACT_SHARE of the feed or
 * MAX_CHANGE_CHUNKS, or when a kept chunk would hold a label of a definition this publication
 * removed, everything is laid out afresh (unchanged base chunks still keep their names).
 */
async function layoutV2(layout: Layout): Promise<{ ref: ChunkRef; bytes: Uint8Array }[]> {
  const { rows, cts, chunkSize, scan, codec } = layout;
  const line = (i: number) => rowLine(rows[i] as LabelRow, cts[i] as string);
  const maker = new ChunkMaker(codec);
  if (scan?.reusable) {
    const changes: { id: string; line: string }[] = [];
    for (let i = 0; i < rows.length; i++)
      if (scan.state[i] !== 1) changes.push({ id: (rows[i] as LabelRow).id, line: line(i) });
    changes.push(...scan.retractions);
    changes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const changeRefs = scan.chunks.filter((c) => c.ref.layer === 'change');
    const held = changeRefs.reduce((n, c) => n + c.ref.count, 0);
    // A kept chunk must not hold a label whose definition this publication removed: a reader
    // checks every label's val against the definitions it is published with.
    const compact =
      scan.orphaned ||
      held + changes.length > COMPACT_SHARE * Math.max(1, rows.length) ||
      changeRefs.length + Math.ceil(changes.length / chunkSize) > MAX_CHANGE_CHUNKS;
    // Every previous chunk as stored, unless one cannot be reproduced byte for byte.
    if (!compact && scan.chunks.every((c) => c.stored ?? c.remade)) {
      for (const c of scan.chunks)
        maker.keep({ ref: { ...c.ref }, bytes: (c.stored ?? c.remade) as Uint8Array });
      for (let i = 0; i < changes.length; i += chunkSize)
        await maker.add(
          changes.slice(i, i + chunkSize).map((c) => c.line),
          'change',
        );
      return maker.done();
    }
  }
  // A fresh layout: previous base chunks whose labels are all unchanged keep their names.
  const placed = new Uint8Array(rows.length);
  const minKept = Math.max(1, Math.floor(chunkSize / 4));
  for (const chunk of scan?.reusable ? scan.chunks : []) {
    if (chunk.ref.layer === 'change' || chunk.count < 0 || !chunk.stored || chunk.count < minKept) continue;
    if (!chunk.rows || chunk.rows.some((r) => placed[r] === 1)) continue;
    for (const r of chunk.rows) placed[r] = 1;
    maker.keep({ ref: { ...chunk.ref }, bytes: chunk.stored });
  }
  await fillChunks(rows, placed, chunkSize, line, (lines) => maker.add(lines));
  return maker.done();
}

/**
 * What a reader holding `previous` holds, by id: inline labels, then every chunk in order, a change
 * chunk's label replacing an earlier one with its id (retractions included, as `neg` labels).
 */
export function effectiveLabels(previous: PreviousPublication): Map<string, Label> {
  const out = new Map<string, Label>();
  for (const l of previous.manifest.labels ?? []) out.set(l.id, l);
  for (const ref of previous.manifest.chunks ?? [])
    for (const l of previous.chunkLabels.get(ref.path) ?? []) out.set(l.id, l);
  return out;
}

/** A built publication as the `previous` of the next one (its chunks decoded and checked). */
export async function previousOf(built: BuiltFeed): Promise<PreviousPublication> {
  const chunkLabels = new Map<string, Label[]>();
  const chunkFiles = new Map<string, Uint8Array>();
  for (const ref of built.manifest.chunks ?? []) {
    const bytes = built.files.get(ref.path);
    if (!bytes) continue;
    const labels = await checkChunk(bytes, ref, built.manifest);
    if (!labels.ok) throw new FeedError(labels.problems);
    chunkLabels.set(ref.path, labels.value);
    chunkFiles.set(ref.path, bytes);
  }
  return { manifest: built.manifest, chunkLabels, chunkFiles };
}
