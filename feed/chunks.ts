/**
 * Chunk files `chunks/<sha256>.json` (body `{"labels":[...]}`): their deterministic bytes and
 * their parsing against the ChunkRef that the signed manifest lists. Owns chunk bytes and chunk
 * checks; never fetches anything (callers hand in bytes).
 */
import { FEED_CAPS } from './caps';
import { sha256Hex, utf8Encode } from './encoding';
import { gunzip, gzip } from './gzip';
import { Problems } from './problems';
import type { ChunkRef, FeedManifest, Label, Result, Source } from './types';
import { isRecord, parseJsonBytes, validateLabels } from './validate';

/** A label with its fields in the one order the builder writes them. */
export function canonicalLabel(label: Label): Label {
  const out: Record<string, unknown> = { id: label.id };
  if (label.account !== undefined) out.account = label.account;
  if (label.post !== undefined) out.post = label.post;
  if (label.link !== undefined) out.link = label.link;
  if (label.server === true) out.server = true;
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
  const lines = labels.map((l) => JSON.stringify(canonicalLabel(l)));
  return utf8Encode(`{"labels":[\n${lines.join(',\n')}\n]}\n`);
}

/** The chunk file and the manifest entry that covers it. */
export function makeChunk(labels: readonly Label[]): { ref: ChunkRef; bytes: Uint8Array } {
  const bytes = serializeChunk(labels);
  const sha256 = sha256Hex(bytes);
  return { ref: { path: `chunks/${sha256}.json`, sha256, count: labels.length, bytes: bytes.length }, bytes };
}

/** A format-2 chunk file: gzip-compressed, named and hashed by its stored bytes. */
export async function makeChunkGz(
  labels: readonly Label[],
  layer?: 'change',
): Promise<{ ref: ChunkRef; bytes: Uint8Array }> {
  const bytes = await gzip(serializeChunk(labels));
  const sha256 = sha256Hex(bytes);
  const ref: ChunkRef = {
    path: `chunks/${sha256}.json.gz`,
    sha256,
    count: labels.length,
    bytes: bytes.length,
    encoding: 'gzip',
  };
  if (layer) ref.layer = layer;
  return { ref, bytes };
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
  if (ref.encoding !== 'gzip') return parseChunk(bytes, ref, manifest, pathPrefix);
  const p = new Problems();
  const stored = storedProblem(bytes, ref);
  if (stored) {
    p.add(pathPrefix, stored);
    return p.failure();
  }
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
  return parseLabels(decoded.value, ref, manifest, pathPrefix, p);
}

/** Why stored chunk bytes do not match their manifest entry, or null. */
function storedProblem(bytes: Uint8Array, ref: ChunkRef): string | null {
  if (bytes.length !== ref.bytes) return `is ${bytes.length} bytes; the manifest says ${ref.bytes}`;
  if (bytes.length > FEED_CAPS.chunkBytes)
    return `is ${bytes.length} bytes; at most ${FEED_CAPS.chunkBytes} are allowed`;
  const sha = sha256Hex(bytes);
  if (sha !== ref.sha256) return `does not match the sha256 in the manifest (its bytes hash to ${sha})`;
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
  return parseLabels(bytes, ref, manifest, pathPrefix, p);
}

function parseLabels(
  bytes: Uint8Array,
  ref: ChunkRef,
  manifest: FeedManifest,
  pathPrefix: string,
  p: Problems,
): Result<Label[]> {
  const value = parseJsonBytes(bytes, pathPrefix, FEED_CAPS.chunkBytes, p);
  if (p.count) return p.failure();
  if (!isRecord(value) || !Array.isArray(value.labels)) {
    p.add(pathPrefix, 'must be a JSON object {"labels": [...]}');
    return p.failure();
  }
  const list = value.labels as unknown[];
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
  const labels = validateLabels(list, `${pathPrefix}.labels`, ids, p);
  return p.count ? p.failure() : { ok: true, value: labels };
}
