/**
 * Building a publication from a source: fills defaults, lays labels out inline or in
 * content-addressed chunks (reusing unchanged chunks of the previous publication, so readers only
 * download what changed), writes the manifest and signs it. Deterministic for a given source,
 * previous publication, key and time. Throws FeedError (problems naming their place) for an
 * invalid source; never writes files (returns them).
 */
import { FEED_CAPS } from './caps';
import {
  canonicalLabel,
  checkChunk,
  labelLine,
  lineBytes,
  makeChunk,
  makeChunkGz,
  serializeChunk,
} from './chunks';
import { signManifest } from './dsse';
import { base64Encode, sha256Hex, utf8Encode } from './encoding';
import { gzip } from './gzip';
import { publicKeyFromPrivate } from './keys';
import { FeedError } from './problems';
import { type FeedSource, validateSource } from './source';
import { KEY_RULES, labelKey } from './targets';
import {
  type ChunkRef,
  FEED_FORMAT,
  FEED_FORMAT_2,
  type FeedManifest,
  type FeedProblem,
  type Label,
} from './types';
import { isoTime, parseManifest } from './validate';

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
  previous?: PreviousPublication;
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

  const labels = sortById(fillCts(src, previous, issued));
  const v2 = (opts.format ?? 2) === 2;
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
  if (!previousHasChunks && labels.length <= Math.min(chunkSize, FEED_CAPS.inlineLabels)) {
    manifestBytes = serializeManifest({
      ...manifest,
      labels: labels.map((l) => canonicalLabel(withoutKey(l))),
    });
    if (manifestBytes.length > INLINE_BYTES) manifestBytes = undefined; // too big to inline: use chunks
  }
  if (!manifestBytes) {
    const chunks = v2
      ? await layoutV2(
          withKeys(labels),
          chunkSize,
          previous,
          issued,
          new Set(src.definitions.map((d) => d.id)),
        )
      : layoutChunks(labels.map(withoutKey), chunkSize, previous && withoutKeys(previous));
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

/**
 * Labels in id order. Sorting `id NUL index` strings with the built-in comparison (ids never hold
 * NUL, which sorts first) is several times faster than a JS comparator over a million labels.
 */
function sortById(labels: Label[]): Label[] {
  const keys = labels.map((l, i) => `${l.id}\u0000${i}`);
  keys.sort();
  return keys.map((k) => labels[Number(k.slice(k.lastIndexOf('\u0000') + 1))] as Label);
}

function serializeManifest(manifest: FeedManifest): Uint8Array {
  return utf8Encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

function sameLabel(a: Label, b: Label): boolean {
  return JSON.stringify(canonicalLabel(a)) === JSON.stringify(canonicalLabel(b));
}

function withoutKey<T extends { key?: string }>(label: T): T {
  if (label.key === undefined) return label;
  const { key: _, ...rest } = label;
  return rest as T;
}

/** Every label with its lookup key (format 2 chunks carry them under KEY_RULES). */
function withKeys(labels: Label[]): Label[] {
  const problems: FeedProblem[] = [];
  const out = labels.map((label, i) => {
    if (label.key !== undefined) return label;
    const made = labelKey(label);
    if (!made.ok) {
      problems.push({ path: `labels[${i}]`, message: made.message });
      return label;
    }
    return { ...label, key: made.key };
  });
  if (problems.length) throw new FeedError(problems.slice(0, FEED_CAPS.problems));
  return out;
}

/** The previous publication's labels without keys, as a format-1 layout compares them. */
function withoutKeys(previous: PreviousPublication): PreviousPublication {
  const chunkLabels = new Map<string, Label[]>();
  for (const [path, labels] of previous.chunkLabels) chunkLabels.set(path, labels.map(withoutKey));
  return { ...previous, chunkLabels };
}

/** Labels without cts keep the cts of the same, unchanged label in the previous publication, else issued. */
function fillCts(src: FeedSource, previous: PreviousPublication | undefined, issued: string): Label[] {
  const before = previous ? effectiveLabels(previous) : new Map<string, Label>();
  return src.labels.map((input) => {
    if (input.cts !== undefined) return input as Label;
    const old = before.get(input.id);
    // Keys aside: a label whose content is unchanged keeps its cts when only the key rules moved.
    if (old && sameLabel(withoutKey({ ...input, cts: old.cts }), withoutKey(old)))
      return { ...input, cts: old.cts };
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

/**
 * Format 2: a first publication (or a compaction) is gzip base chunks of chunkSize labels, sorted by
 * id. An update keeps every previous chunk as it is and appends one change chunk (split at
 * chunkSize) with the labels that are new or changed and a retraction (`neg`) for each label that
 * was dropped; a reader downloads only that. When change chunks pass COMPACT_SHARE of the feed or
 * MAX_CHANGE_CHUNKS, or when a kept chunk would hold a label of a definition this publication
 * removed, everything is laid out afresh (unchanged base chunks still keep their names).
 */
async function layoutV2(
  labels: readonly Label[],
  chunkSize: number,
  previous: PreviousPublication | undefined,
  issued: string,
  definitionIds: ReadonlySet<string>,
): Promise<{ ref: ChunkRef; bytes: Uint8Array }[]> {
  // Chunks made under other key rules (or none) carry no keys a reader may trust: none is reused.
  const refs = previous?.manifest.keyRules === KEY_RULES ? (previous?.manifest.chunks ?? []) : [];
  if (previous && refs.length > 0) {
    const before = effectiveLabels(previous);
    const changes: Label[] = [];
    const ids = new Set<string>();
    for (const label of labels) {
      ids.add(label.id);
      const old = before.get(label.id);
      if (!old || !sameLabel(old, label)) changes.push(label);
    }
    for (const [id, old] of before) {
      if (ids.has(id) || old.neg === true) continue;
      changes.push({ ...old, cts: issued, neg: true });
    }
    changes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const changeRefs = refs.filter((r) => r.layer === 'change');
    const held = changeRefs.reduce((n, r) => n + r.count, 0);
    // A kept chunk must not hold a label whose definition this publication removed: a reader
    // checks every label's val against the definitions it is published with.
    const orphaned = refs.some((ref) =>
      (previous.chunkLabels.get(ref.path) ?? []).some((l) => !definitionIds.has(l.val)),
    );
    const compact =
      orphaned ||
      held + changes.length > COMPACT_SHARE * Math.max(1, labels.length) ||
      changeRefs.length + Math.ceil(changes.length / chunkSize) > MAX_CHANGE_CHUNKS;
    const kept = compact ? null : await keepAll(previous);
    if (kept) {
      const out = [...kept];
      for (let i = 0; i < changes.length; i += chunkSize)
        out.push(await makeChunkGz(changes.slice(i, i + chunkSize), 'change'));
      return out;
    }
  }
  // A fresh layout: previous base chunks whose labels are all unchanged keep their names.
  const out: { ref: ChunkRef; bytes: Uint8Array }[] = [];
  const byId = new Map(labels.map((l) => [l.id, l]));
  const placed = new Set<string>();
  for (const ref of refs) {
    if (ref.layer === 'change' || !previous) continue;
    const old = previous.chunkLabels.get(ref.path);
    const bytes = previous.chunkFiles?.get(ref.path);
    if (!old || !bytes || old.length < Math.max(1, Math.floor(chunkSize / 4))) continue;
    if (!old.every((l) => !placed.has(l.id) && byId.has(l.id) && sameLabel(byId.get(l.id) as Label, l)))
      continue;
    for (const l of old) placed.add(l.id);
    out.push({ ref: { ...ref }, bytes });
  }
  let group: Label[] = [];
  let lines: string[] = [];
  let size = 0;
  // Chunks are cut at chunkSize labels, or earlier where the decoded chunk would pass its cap.
  const budget = FEED_CAPS.chunkBytes - 64;
  for (const label of labels) {
    if (placed.has(label.id)) continue;
    const line = labelLine(label);
    const bytes = lineBytes(line) + 2;
    if (group.length > 0 && (group.length >= chunkSize || size + bytes > budget)) {
      out.push(await makeChunkGz(group, undefined, lines));
      group = [];
      lines = [];
      size = 0;
    }
    group.push(label);
    lines.push(line);
    size += bytes;
  }
  if (group.length > 0) out.push(await makeChunkGz(group, undefined, lines));
  return out;
}

/** Every previous chunk as stored, or null when one cannot be reproduced byte for byte. */
async function keepAll(
  previous: PreviousPublication,
): Promise<{ ref: ChunkRef; bytes: Uint8Array }[] | null> {
  const out: { ref: ChunkRef; bytes: Uint8Array }[] = [];
  for (const ref of previous.manifest.chunks ?? []) {
    let bytes = previous.chunkFiles?.get(ref.path);
    if (!bytes) {
      const labels = previous.chunkLabels.get(ref.path);
      if (!labels) return null;
      bytes = serializeChunk(labels);
      if (ref.encoding === 'gzip') bytes = await gzip(bytes);
      if (sha256Hex(bytes) !== ref.sha256) return null;
    }
    out.push({ ref: { ...ref }, bytes });
  }
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
