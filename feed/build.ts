/**
 * Building a publication from a source: fills defaults, lays labels out inline or in
 * content-addressed chunks (reusing unchanged chunks of the previous publication, so readers only
 * download what changed), writes the manifest and signs it. Deterministic for a given source,
 * previous publication, key and time. Throws FeedError (problems naming their place) for an
 * invalid source; never writes files (returns them).
 */
import { FEED_CAPS } from './caps';
import { canonicalLabel, makeChunk, serializeChunk } from './chunks';
import { signManifest } from './dsse';
import { base64Encode, sha256Hex, utf8Encode } from './encoding';
import { publicKeyFromPrivate } from './keys';
import { FeedError } from './problems';
import { type FeedSource, validateSource } from './source';
import { type ChunkRef, FEED_FORMAT, type FeedManifest, type FeedProblem, type Label } from './types';
import { isoTime, parseManifest } from './validate';

export const DEFAULT_CHUNK_SIZE = 5_000;
export const DEFAULT_LIFETIME_DAYS = 30;
/** Labels are inlined only while the manifest stays well inside its cap. */
const INLINE_BYTES = FEED_CAPS.manifestBytes / 2;

export interface PreviousPublication {
  manifest: FeedManifest;
  /** The labels of each previous chunk, by chunk path (`chunks/<sha256>.json`). */
  chunkLabels: Map<string, Label[]>;
}

export interface BuildOptions {
  privateKey: Uint8Array;
  /** Labels per chunk (default 5000). */
  chunkSize?: number;
  previous?: PreviousPublication;
  /** Default: previous.sequence + 1, or 1 for a first publication. */
  sequence?: number;
  now?: Date;
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
  const checked = validateSource(source);
  if (!checked.ok) throw new FeedError(checked.problems);
  const src = checked.value;
  const problems: FeedProblem[] = [];
  const now = opts.now ?? new Date();

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
  if (problems.length) throw new FeedError(problems);

  const labels = fillCts(src, previous, issued).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
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
    definitions: src.definitions,
  };
  const previousHasChunks = (previous?.manifest.chunks?.length ?? 0) > 0;
  let manifestBytes: Uint8Array | undefined;
  if (!previousHasChunks && labels.length <= Math.min(chunkSize, FEED_CAPS.inlineLabels)) {
    manifestBytes = serializeManifest({ ...manifest, labels: labels.map(canonicalLabel) });
    if (manifestBytes.length > INLINE_BYTES) manifestBytes = undefined; // too big to inline: use chunks
  }
  if (!manifestBytes) {
    const chunks = layoutChunks(labels, chunkSize, previous);
    if (chunks.length > FEED_CAPS.chunks) {
      throw new FeedError([
        {
          path: 'chunks',
          message: `would be ${chunks.length}; at most ${FEED_CAPS.chunks} (raise chunkSize)`,
        },
      ]);
    }
    for (const c of chunks) files.set(c.ref.path, c.bytes);
    manifestBytes = serializeManifest({ ...manifest, chunks: chunks.map((c) => c.ref) });
  }

  // The builder must never publish what a reader would refuse.
  const reparsed = parseManifest(manifestBytes);
  if (!reparsed.ok) throw new FeedError(reparsed.problems);
  files.set('feed.json', await signManifest(manifestBytes, opts.privateKey));
  return { files, manifest: reparsed.value };
}

function serializeManifest(manifest: FeedManifest): Uint8Array {
  return utf8Encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

function sameLabel(a: Label, b: Label): boolean {
  return JSON.stringify(canonicalLabel(a)) === JSON.stringify(canonicalLabel(b));
}

/** Labels without cts keep the cts of the same, unchanged label in the previous publication, else issued. */
function fillCts(src: FeedSource, previous: PreviousPublication | undefined, issued: string): Label[] {
  const before = new Map<string, Label>();
  if (previous) {
    for (const l of previous.manifest.labels ?? []) before.set(l.id, l);
    for (const list of previous.chunkLabels.values()) for (const l of list) before.set(l.id, l);
  }
  return src.labels.map((input) => {
    if (input.cts !== undefined) return input as Label;
    const old = before.get(input.id);
    if (old && sameLabel({ ...input, cts: old.cts }, old)) return { ...input, cts: old.cts };
    return { ...input, cts: issued };
  });
}

/**
 * Keeps every previous chunk whose labels are all still present and unchanged (same name, same
 * bytes), unless it has shrunk below a quarter of chunkSize (tiny chunks are merged instead);
 * the other labels, sorted by id, fill new chunks of chunkSize.
 */
function layoutChunks(
  labels: readonly Label[],
  chunkSize: number,
  previous: PreviousPublication | undefined,
): { ref: ChunkRef; bytes: Uint8Array }[] {
  const byId = new Map(labels.map((l) => [l.id, l]));
  const placed = new Set<string>();
  const out: { ref: ChunkRef; bytes: Uint8Array }[] = [];
  const minKept = Math.max(1, Math.floor(chunkSize / 4));
  for (const ref of previous?.manifest.chunks ?? []) {
    const old = previous?.chunkLabels.get(ref.path);
    if (!old || old.length < minKept || old.length > FEED_CAPS.labelsPerChunk) continue;
    const unchanged = old.every((l) => {
      const now = byId.get(l.id);
      return now !== undefined && !placed.has(l.id) && sameLabel(now, l);
    });
    if (!unchanged) continue;
    const bytes = serializeChunk(old);
    if (sha256Hex(bytes) !== ref.sha256) continue; // not reproducible: rebuild its labels instead
    for (const l of old) placed.add(l.id);
    out.push({ ref: { path: ref.path, sha256: ref.sha256, count: old.length, bytes: bytes.length }, bytes });
  }
  // The rest fill new chunks of chunkSize labels, cut earlier where a chunk would pass its byte cap.
  const budget = FEED_CAPS.chunkBytes - 64;
  let group: Label[] = [];
  let bytes = 0;
  for (const label of labels) {
    if (placed.has(label.id)) continue;
    const size = utf8Encode(JSON.stringify(canonicalLabel(label))).length + 2;
    if (group.length > 0 && (group.length >= chunkSize || bytes + size > budget)) {
      out.push(makeChunk(group));
      group = [];
      bytes = 0;
    }
    group.push(label);
    bytes += size;
  }
  if (group.length > 0) out.push(makeChunk(group));
  return out;
}
