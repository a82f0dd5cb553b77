/**
 * Chunk files `chunks/<sha256>.json` (body `{"labels":[...]}`): their deterministic bytes and
 * their parsing against the ChunkRef that the signed manifest lists. Owns chunk bytes and chunk
 * checks; never fetches anything (callers hand in bytes).
 */
import { FEED_CAPS } from './caps';
import { sha256Hex, sha256HexAsync, utf8Encode } from './encoding';
import { gunzip, gzip } from './gzip';
import { Problems } from './problems';
import { KEY_RULES, labelKey } from './targets';
import type { ChunkRef, FeedManifest, Label, Result, Source } from './types';
import { clip, decodeJsonBytes, isRecord, parseJson, plainJson, validateLabels } from './validate';

/** A label with its fields in the one order the builder writes them. */
export function canonicalLabel(label: Label): Label {
  const out: Record<string, unknown> = { id: label.id };
  if (label.account !== undefined) out.account = label.account;
  if (label.post !== undefined) out.post = label.post;
  if (label.link !== undefined) out.link = label.link;
  if (label.server === true) out.server = true;
  if (label.key !== undefined) out.key = label.key;
  out.val = label.val;
  if (label.note !== undefined) {
    out.note = typeof label.note === 'string' ? label.note : sortedRecord(label.note);
  }
  out.sources = label.sources.map(canonicalSource);
  if (label.since !== undefined) out.since = label.since;
  if (label.until !== undefined) out.until = label.until;
  out.cts = label.cts;
  if (label.exp !== undefined) out.exp = label.exp;
  if (label.neg === true) out.neg = true;
  return out as unknown as Label;
}

function canonicalSource(source: Source): Source {
  const out: Source = { url: source.url };
  if (source.title !== undefined) out.title = source.title;
  if (source.publisher !== undefined) out.publisher = source.publisher;
  if (source.date !== undefined) out.date = source.date;
  return out;
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as string;
  return out;
}

/** One line of JSON per label; the same labels in the same order always give the same bytes. */
export function serializeChunk(labels: readonly Label[]): Uint8Array {
  return serializeLines(labels.map(labelLine));
}

/** A label's line in a chunk file. */
export function labelLine(label: Label): string {
  return JSON.stringify(canonicalLabel(label));
}

/** A chunk file from its labels' lines (labelLine). */
export function serializeLines(lines: readonly string[]): Uint8Array {
  return utf8Encode(`{"labels":[\n${lines.join(',\n')}\n]}\n`);
}

/** UTF-8 length of a line (most lines are ASCII, whose length is their byte count). */
export function lineBytes(line: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: any non-ASCII character
  return /[^\u0000-\u007f]/.test(line) ? utf8Encode(line).length : line.length;
}

/** The chunk file and the manifest entry that covers it. */
export function makeChunk(labels: readonly Label[]): { ref: ChunkRef; bytes: Uint8Array } {
  const bytes = serializeChunk(labels);
  const sha256 = sha256Hex(bytes);
  return { ref: { path: `chunks/${sha256}.json`, sha256, count: labels.length, bytes: bytes.length }, bytes };
}

/**
 * How the builder compresses and names chunk files. WEB_CODEC (CompressionStream and a JS SHA-256)
 * runs anywhere; the CLI passes node:zlib and node:crypto (feed/node-codec.ts), which give the same
 * bytes faster and compress on libuv's threads.
 */
export interface ChunkCodec {
  gzip(bytes: Uint8Array): Promise<Uint8Array>;
  sha256Hex(bytes: Uint8Array): string;
}

export const WEB_CODEC: ChunkCodec = { gzip, sha256Hex };

/** A format-2 chunk file: gzip-compressed, named and hashed by its stored bytes. */
export async function makeChunkGz(
  labels: readonly Label[],
  layer?: 'change',
  lines: readonly string[] = labels.map(labelLine),
): Promise<{ ref: ChunkRef; bytes: Uint8Array }> {
  return gzipChunk(lines, layer, WEB_CODEC);
}

/** A format-2 chunk file from its labels' lines (labelLine), compressed and named by `codec`. */
export async function gzipChunk(
  lines: readonly string[],
  layer: 'change' | undefined,
  codec: ChunkCodec,
): Promise<{ ref: ChunkRef; bytes: Uint8Array }> {
  const bytes = await codec.gzip(serializeLines(lines));
  const sha256 = codec.sha256Hex(bytes);
  const ref: ChunkRef = {
    path: `chunks/${sha256}.json.gz`,
    sha256,
    count: lines.length,
    bytes: bytes.length,
    encoding: 'gzip',
  };
  if (layer) ref.layer = layer;
  return { ref, bytes };
}

/** A checked chunk's labels and the decoded JSON bytes they were parsed from. */
export interface CheckedChunk {
  labels: Label[];
  /** The chunk file's bytes after gzip decoding (the file itself when it is not gzip). */
  text: Uint8Array;
  /**
   * Where label i's JSON starts and ends in `text` (`[spans[2i], spans[2i+1])`), when the file is
   * framed one label a line as the builder writes it (serializeLines).
   */
  spans?: Uint32Array;
  /** The labels' id hashes (feed/hash.ts hashKey), label i's at [2i] (hi) and [2i + 1] (lo), when the check made them. */
  idHashes?: Uint32Array;
}

/**
 * Checks a chunk file as stored (size and SHA-256 before anything else), decodes it when it is
 * gzip (at most FEED_CAPS.chunkBytes decoded), then parses it as parseChunk does.
 */
export async function checkChunk(
  bytes: Uint8Array,
  ref: ChunkRef,
  manifest: FeedManifest,
  pathPrefix: string = chunkPrefix(ref, manifest),
): Promise<Result<Label[]>> {
  const checked = await checkChunkText(bytes, ref, manifest, pathPrefix);
  return checked.ok ? { ok: true, value: checked.value.labels } : checked;
}

/** checkChunk, also giving the decoded bytes the labels were parsed from (the reader stores them). */
export async function checkChunkText(
  bytes: Uint8Array,
  ref: ChunkRef,
  manifest: FeedManifest,
  pathPrefix: string = chunkPrefix(ref, manifest),
): Promise<Result<CheckedChunk>> {
  const decoded = await decodeChunk(bytes, ref, pathPrefix);
  if (!decoded.ok) return decoded;
  const text = decoded.value;
  const parsed = parseLabels(text, ref, manifest, pathPrefix, new Problems());
  if (!parsed.ok) return parsed;
  const { labels, spans } = parsed.value;
  return { ok: true, value: spans ? { labels, text, spans } : { labels, text } };
}

/**
 * The first half of checkChunkText: the stored bytes checked against their manifest entry (size
 * and SHA-256) and decoded when gzip. The labels are not checked yet (parseChunkText does that).
 */
export async function decodeChunk(
  bytes: Uint8Array,
  ref: ChunkRef,
  pathPrefix: string,
): Promise<Result<Uint8Array>> {
  const p = new Problems();
  const stored = storedProblem(bytes, ref, await sha256HexAsync(bytes));
  if (stored) {
    p.add(pathPrefix, stored);
    return p.failure();
  }
  if (ref.encoding !== 'gzip') return { ok: true, value: bytes };
  const decoded = await gunzip(bytes, FEED_CAPS.chunkBytes);
  if (!decoded.ok) {
    p.add(
      pathPrefix,
      decoded.reason === 'too-big'
        ? `decompresses to more than ${FEED_CAPS.chunkBytes} bytes`
        : 'is not valid gzip',
    );
    return p.failure();
  }
  return { ok: true, value: decoded.value };
}

/** The second half of checkChunkText: the decoded chunk's labels, checked as parseChunk checks them. */
export function parseChunkText(
  text: Uint8Array,
  ref: ChunkRef,
  manifest: FeedManifest,
  pathPrefix: string,
): Result<Label[]> {
  const parsed = parseLabels(text, ref, manifest, pathPrefix, new Problems());
  return parsed.ok ? { ok: true, value: parsed.value.labels } : parsed;
}

/** Why stored chunk bytes do not match their manifest entry, or null (`sha`: the bytes' SHA-256). */
function storedProblem(bytes: Uint8Array, ref: ChunkRef, sha?: string): string | null {
  if (bytes.length !== ref.bytes) return `is ${bytes.length} bytes; the manifest says ${ref.bytes}`;
  if (bytes.length > FEED_CAPS.chunkBytes)
    return `is ${bytes.length} bytes; at most ${FEED_CAPS.chunkBytes} are allowed`;
  const hex = sha ?? sha256Hex(bytes);
  if (hex !== ref.sha256) return `does not match the sha256 in the manifest (its bytes hash to ${hex})`;
  return null;
}

/** `chunks[2] (chunks/ab12….json)`: how problems in a chunk are named. */
export function chunkPrefix(ref: ChunkRef, manifest: FeedManifest): string {
  const index = manifest.chunks?.findIndex((c) => c.path === ref.path) ?? -1;
  return index >= 0 ? `chunks[${index}] (${ref.path})` : ref.path;
}

/**
 * Checks chunk bytes against their manifest entry (size, then SHA-256, before parsing), then
 * every label: valid, `val` a definition of the manifest, ids unique within the chunk, and as
 * many labels as the manifest says.
 */
export function parseChunk(
  bytes: Uint8Array,
  ref: ChunkRef,
  manifest: FeedManifest,
  pathPrefix: string = chunkPrefix(ref, manifest),
): Result<Label[]> {
  const p = new Problems();
  const stored = storedProblem(bytes, ref);
  if (stored) {
    p.add(pathPrefix, stored);
    return p.failure();
  }
  const parsed = parseLabels(bytes, ref, manifest, pathPrefix, p);
  return parsed.ok ? { ok: true, value: parsed.value.labels } : parsed;
}

const FRAME_HEAD = '{"labels":[\n';
const FRAME_TAIL = '\n]}\n';
const NEWLINE = 0x0a;

/**
 * A chunk text framed as serializeLines writes it (`{"labels":[`, one JSON object a line, lines
 * joined by `,`, `]}`), read a line at a time: each element, and where it lies in the bytes. Every
 * line must parse as JSON on its own, so the text is that array and nothing else: a JSON string
 * holds no raw line feed, and one is whitespace between any two tokens. Null for any other text
 * (then the whole text is parsed, with that parse's messages).
 */
function framedLines(
  text: string,
  bytes: Uint8Array,
  count: number,
): { list: unknown[]; spans: Uint32Array } | null {
  if (count === 0 || !text.startsWith(FRAME_HEAD) || !text.endsWith(FRAME_TAIL)) return null;
  const list: unknown[] = new Array(count);
  const spans = new Uint32Array(2 * count);
  const last = text.length - FRAME_TAIL.length;
  // A line feed is one byte and one UTF-16 unit, and no other character's UTF-8 holds its byte.
  // Text as long as its bytes is all ASCII: its offsets are the bytes' (no second search).
  const ascii = text.length === bytes.length;
  let at = FRAME_HEAD.length;
  let byteAt = at;
  for (let i = 0; i < count; i++) {
    const end = i === count - 1 ? last : text.indexOf('\n', at);
    const byteEnd =
      i === count - 1 ? bytes.length - FRAME_TAIL.length : ascii ? end : bytes.indexOf(NEWLINE, byteAt);
    if (end < 0 || end > last || byteEnd < 0) return null;
    const comma = i < count - 1;
    const close = comma ? end - 1 : end;
    if (text.charCodeAt(at) !== 0x7b || text.charCodeAt(close - 1) !== 0x7d) return null;
    if (comma && text.charCodeAt(end - 1) !== 0x2c) return null;
    try {
      list[i] = JSON.parse(text.slice(at, close));
    } catch {
      return null;
    }
    spans[2 * i] = byteAt;
    spans[2 * i + 1] = comma ? byteEnd - 1 : byteEnd;
    at = end + 1;
    byteAt = byteEnd + 1;
  }
  return at === last + 1 ? { list, spans } : null;
}

function parseLabels(
  bytes: Uint8Array,
  ref: ChunkRef,
  manifest: FeedManifest,
  pathPrefix: string,
  p: Problems,
): Result<{ labels: Label[]; spans?: Uint32Array }> {
  const text = decodeJsonBytes(bytes, pathPrefix, FEED_CAPS.chunkBytes, p);
  if (text === undefined) return p.failure();
  const framed = framedLines(text, bytes, ref.count);
  let list: unknown[];
  if (framed) list = framed.list;
  else {
    const value = parseJson(text, pathPrefix, p);
    if (p.count) return p.failure();
    if (!isRecord(value) || !Array.isArray(value.labels)) {
      p.add(pathPrefix, 'must be a JSON object {"labels": [...]}');
      return p.failure();
    }
    list = value.labels as unknown[];
  }
  if (list.length !== ref.count) {
    p.add(`${pathPrefix}.labels`, `has ${list.length} labels; the manifest says ${ref.count}`);
  }
  if (list.length > FEED_CAPS.labelsPerChunk) {
    p.add(
      `${pathPrefix}.labels`,
      `has ${list.length} labels; at most ${FEED_CAPS.labelsPerChunk} are allowed`,
    );
    return p.failure();
  }
  const ids = new Set(manifest.definitions.map((d) => d.id));
  const labels = validateLabels(list, `${pathPrefix}.labels`, ids, p, {
    signed: true,
    plain: plainJson(text, bytes.length),
  });
  if (p.count) return p.failure();
  assignKeys(labels, manifest, ref, `${pathPrefix}.labels`, p);
  if (p.count) return p.failure();
  return { ok: true, value: framed ? { labels, spans: framed.spans } : { labels } };
}

/** One label in this many (at least one a chunk) is normalised again to check a carried key. */
export const KEY_SAMPLE_STRIDE = 32;

/** The first of a chunk's labels whose carried key is checked (then every KEY_SAMPLE_STRIDE-th). */
export function keySampleStart(ref: ChunkRef, count: number): number {
  return Number.parseInt(ref.sha256.slice(0, 8), 16) % Math.min(KEY_SAMPLE_STRIDE, count);
}

/**
 * Gives every label its lookup key. A manifest whose `keyRules` is this reader's KEY_RULES carries
 * the keys: each label must have one, and a sample (one in KEY_SAMPLE_STRIDE, the first picked by
 * the chunk's hash, so every reader and the CLI check the same labels) must be what its target
 * normalises to — else the chunk is refused, never shown under keys this reader would not make.
 * Any other manifest: every target is normalised here (a target that does not normalise is refused).
 */
function assignKeys(labels: Label[], manifest: FeedManifest, ref: ChunkRef, path: string, p: Problems): void {
  const carried = manifest.keyRules === KEY_RULES;
  if (!carried) {
    for (let i = 0; i < labels.length && !p.full; i++) {
      const label = labels[i] as Label;
      const made = labelKey(label);
      if (made.ok) label.key = made.key;
      else p.add(`${path}[${i}].${targetField(label)}`, made.message);
    }
    return;
  }
  for (let i = 0; i < labels.length && !p.full; i++) {
    if ((labels[i] as Label).key === undefined)
      p.add(
        `${path}[${i}].key`,
        `is required: the manifest says the keys were made under target rules ${KEY_RULES}`,
      );
  }
  if (p.count || labels.length === 0) return;
  const first = keySampleStart(ref, labels.length);
  for (let i = first; i < labels.length && !p.full; i += KEY_SAMPLE_STRIDE) {
    const label = labels[i] as Label;
    const made = labelKey(label);
    if (!made.ok) p.add(`${path}[${i}].${targetField(label)}`, made.message);
    else if (made.key !== label.key) {
      p.add(
        `${path}[${i}].key`,
        `${JSON.stringify(clip(label.key as string))} is not the key its target has under target rules ${KEY_RULES} (${JSON.stringify(clip(made.key))}): the feed's keys were made by rules other than it says, so the feed is refused rather than shown beside the wrong accounts, posts or links; its publisher should rebuild it with the current context-lens-feed`,
      );
    }
  }
}

function targetField(label: Label): string {
  return label.account !== undefined ? 'account' : label.post !== undefined ? 'post' : 'link';
}
