/**
 * The one verification path of a published feed. The curator CLI (`verify`, `inspect`) and the
 * extension's sync both run these functions on the same inputs, so they accept and refuse the same
 * feeds with the same problems:
 *
 *   feed.json bytes ─openPublication(trust)─▶ envelope ─▶ signature of a trusted key (or, with no
 *                    key given, of the key the payload names) ─▶ only then the manifest is parsed
 *                    ─▶ the manifest's own publicKey must have signed it ─▶ Publication
 *   expiryProblem(manifest, now)
 *   new PublicationCheck(manifest) ─▶ .chunk(i, bytes) for a downloaded chunk (size, SHA-256, then
 *                    labels), .held(i, idHashes) for one a reader already holds (.recheck(i, bytes)
 *                    when the manifest lists or frames it otherwise) ─▶ .duplicates()
 *                    label ids unique across inline labels and every base chunk (a format-2
 *                    change chunk replaces earlier labels with its ids)
 *
 * A refusal carries its kind and its problems (`path: message`); the CLI prints the problems, the
 * sync puts them after one sentence per kind. Unsigned bytes are never parsed or quoted before a
 * signature vouched for them (a forgery is reported as a forgery, never as the publisher's error).
 * Reads files only through what callers hand in; never throws for bad data.
 */
import { FEED_CAPS } from './caps';
import { type CheckedChunk, checkChunk, checkChunkText } from './chunks';
import { openEnvelope, verifyEnvelope } from './dsse';
import { base64DecodeStrict, sha256Hex, utf8Encode } from './encoding';
import { hashKey } from './hash';
import { keyFingerprint } from './keys';
import type { ChunkRef, Envelope, FeedManifest, FeedProblem, Label, Result } from './types';
import { formatProblem } from './types';
import { isoTime, isRecord, parseManifest } from './validate';

/** Why a publication was refused; the sync words one sentence per kind. */
export type RefusalKind =
  /** feed.json is not a well-formed signed envelope (or could not be read). */
  | 'envelope'
  /** No signature by a trusted key. */
  | 'wrong-key'
  /** A trusted key's signature is there but does not verify: altered or forged. */
  | 'forged'
  /** Signed, but the manifest breaks the format. */
  | 'manifest'
  /** The manifest names a publicKey that did not sign it. */
  | 'own-key'
  /** A chunk is missing, the wrong size or hash, or holds invalid labels. */
  | 'chunk'
  /** A label id appears twice in the publication. */
  | 'duplicate-id'
  | 'expired';

export interface Refusal {
  kind: RefusalKind;
  /** `path: message`, at most FEED_CAPS.problems (+ one "more problems" line). */
  problems: string[];
}

/** Whom to trust. Without keys or fingerprint the feed is checked against the key it names. */
export interface Trust {
  /** The reader's pinned key (and any key it also accepts); a signature by one of them must verify. */
  keys?: readonly Uint8Array[];
  /** The fingerprint the feed's own publicKey must have (when only the fingerprint is known). */
  fingerprint?: string;
}

/** An opened, signature-checked, parsed publication. */
export interface Publication {
  envelope: Envelope;
  keyids: string[];
  manifest: FeedManifest;
  /** Fingerprint of the key whose signature verified. */
  keyid: string;
  /** The trusted key that verified (from Trust.keys, or the feed's own). */
  key: Uint8Array;
  /** Identifies the exact publication: hex SHA-256 of the envelope's payload text. */
  digest: string;
  warnings: string[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

/** Collects problems up to the cap, then one line saying more were left out. */
export class ProblemList {
  readonly lines: string[] = [];
  add(problem: FeedProblem | string): void {
    const line = typeof problem === 'string' ? problem : formatProblem(problem);
    if (this.lines.length < FEED_CAPS.problems) this.lines.push(line);
    else if (this.lines.length === FEED_CAPS.problems)
      this.lines.push(`more problems not shown (stopped after ${FEED_CAPS.problems})`);
  }
  get full(): boolean {
    return this.lines.length > FEED_CAPS.problems;
  }
}

function refuse<T>(kind: RefusalKind, problems: readonly (FeedProblem | string)[]): Checked<T> {
  const list = new ProblemList();
  for (const p of problems) list.add(p);
  return { ok: false, refusal: { kind, problems: list.lines } };
}

/** The hex SHA-256 that identifies a publication's exact bytes. */
export function publicationDigest(envelope: Envelope): string {
  return sha256Hex(utf8Encode(envelope.payload));
}

/**
 * The key the payload names, read before the payload is trusted: only `publicKey` is looked at,
 * so its signature can be checked before anything else of the unsigned bytes is parsed or shown.
 */
function namedKey(payload: Uint8Array): Uint8Array | null {
  if (payload.length > FEED_CAPS.manifestBytes) return null;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.publicKey !== 'string') return null;
  const key = base64DecodeStrict(value.publicKey);
  return key?.length === 32 ? key : null;
}

/**
 * Opens feed.json: the envelope, then the signature of a trusted key, and only then the manifest.
 * With `trust.keys` the first key whose signature verifies is used; with `trust.fingerprint` (or
 * nothing) the key the payload names must have signed it (and have that fingerprint).
 */
export async function openPublication(bytes: Uint8Array, trust: Trust = {}): Promise<Checked<Publication>> {
  const opened = openEnvelope(bytes);
  if (!opened.ok) return refuse('envelope', opened.problems);
  const { envelope, payload, keyids } = opened.value;
  const warnings: string[] = [];

  let key: Uint8Array | undefined;
  if (trust.keys && trust.keys.length > 0) {
    for (const candidate of trust.keys) {
      if (await verifyEnvelope(envelope, candidate)) {
        key = candidate;
        break;
      }
    }
    if (!key) {
      const expected = trust.keys.map(keyFingerprint);
      const signedBy = expected.find((fp) => keyids.includes(fp));
      return signedBy
        ? refuse('forged', [
            `feed.json: the signature by key ${signedBy} does not verify (the feed was altered or forged)`,
          ])
        : refuse('wrong-key', [
            `feed.json: not signed by the expected key ${expected.join(' or ')} (signed by ${keyids.join(', ')})`,
          ]);
    }
  } else {
    const named = namedKey(payload);
    if (!named) {
      return refuse('forged', [
        'feed.json: the payload does not name a valid signing key (publicKey), so its signature cannot be checked',
      ]);
    }
    const fingerprint = keyFingerprint(named);
    if (trust.fingerprint !== undefined && fingerprint !== trust.fingerprint.toLowerCase()) {
      return refuse('wrong-key', [
        `publicKey: the feed is signed by key ${fingerprint}, not by the expected key ${trust.fingerprint.toLowerCase()}`,
      ]);
    }
    if (!(await verifyEnvelope(envelope, named))) {
      return refuse('forged', [
        `publicKey: the feed's own key ${fingerprint} has no valid signature on it (the feed was altered or forged)`,
      ]);
    }
    key = named;
    if (trust.fingerprint === undefined) {
      warnings.push(
        `no key given: the signature was checked only against the key the feed names itself (fingerprint ${fingerprint}); compare that fingerprint with one the publisher gives you`,
      );
    }
  }

  // The signature vouches for these bytes now: what they say is the publisher's.
  const parsed = parseManifest(payload);
  if (!parsed.ok) return refuse('manifest', parsed.problems);
  const manifest = parsed.value;

  // The manifest names its own key; that key must have signed it too, whoever is trusted.
  const own = base64DecodeStrict(manifest.publicKey) as Uint8Array;
  if (!(await verifyEnvelope(envelope, own))) {
    return refuse('own-key', [
      `publicKey: the feed's own key ${keyFingerprint(own)} has no valid signature on it (the feed was altered or forged)`,
    ]);
  }
  return {
    ok: true,
    value: {
      envelope,
      keyids,
      manifest,
      keyid: keyFingerprint(key),
      key,
      digest: publicationDigest(envelope),
      warnings,
    },
  };
}

/** `feed expired on …` once `expires` has passed, else null. */
export function expiryProblem(manifest: FeedManifest, now: Date = new Date()): string | null {
  const expires = isoTime(manifest.expires);
  return expires != null && expires < now.getTime() ? `feed expired on ${manifest.expires}` : null;
}

/** A warning when `issued` lies more than five minutes in the future, else null. */
export function issuedWarning(manifest: FeedManifest, now: Date = new Date()): string | null {
  const issued = isoTime(manifest.issued);
  return issued != null && issued > now.getTime() + 5 * 60_000
    ? `issued ${manifest.issued} is in the future`
    : null;
}

/** `chunks[2] (chunks/ab12….json)`, or `labels` for the inline labels (index -1). */
export function sectionName(manifest: FeedManifest, index: number): string {
  if (index < 0) return 'labels';
  const ref = manifest.chunks?.[index];
  return `chunks[${index}] (${ref?.path ?? '?'})`;
}

/** Reads a label id back for the duplicate check: section (-1 inline, else chunk index) and position. */
export type IdReader = (
  section: number,
  position: number,
) => Promise<string | undefined> | string | undefined;

/**
 * The checks that span a publication's chunks, fed one chunk at a time (in any order): every
 * downloaded chunk against its signed reference, and label ids unique across the publication.
 * Ids are compared by their 64-bit hash (hashKey) in typed arrays, so a million labels cost a few
 * megabytes; a hash match is confirmed on the ids' text before it is reported.
 */
export class PublicationCheck {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private section: Int32Array;
  private position: Uint32Array;
  private count = 0;
  /**
   * Ids of inline labels and of downloaded chunks, for confirming a hash match without a read: one
   * string a section, joined by line feeds (an id has none), split only when a hash repeats. A
   * million id strings kept alive through an ingest made every full garbage collection mark them.
   */
  private readonly known = new Map<number, string>();
  private readonly knownSplit = new Map<number, string[]>();
  labelCount = 0;
  /** Distinct label ids, known after duplicates(): what a reader holds once change chunks apply. */
  distinct = 0;

  constructor(readonly manifest: FeedManifest) {
    const total = (manifest.labels?.length ?? 0) + (manifest.chunks ?? []).reduce((n, c) => n + c.count, 0);
    const size = Math.max(16, Math.min(total, FEED_CAPS.totalLabels));
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.section = new Int32Array(size);
    this.position = new Uint32Array(size);
    if (manifest.labels?.length) this.note(-1, manifest.labels);
  }

  private push(section: number, position: number, hi: number, lo: number): void {
    if (this.count === this.hi.length) {
      const grow = <A extends Uint32Array | Int32Array>(a: A, make: (n: number) => A): A => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.hi = grow(this.hi, (n) => new Uint32Array(n));
      this.lo = grow(this.lo, (n) => new Uint32Array(n));
      this.section = grow(this.section, (n) => new Int32Array(n));
      this.position = grow(this.position, (n) => new Uint32Array(n));
    }
    this.hi[this.count] = hi;
    this.lo[this.count] = lo;
    this.section[this.count] = section;
    this.position[this.count] = position;
    this.count++;
    this.labelCount++;
  }

  /** Notes the labels' ids; their hashes, label i's at [2i] (hi) and [2i + 1] (lo). */
  private note(section: number, labels: readonly Label[]): Uint32Array {
    const ids: string[] = new Array(labels.length);
    const hashes = new Uint32Array(2 * labels.length);
    for (let i = 0; i < labels.length; i++) {
      const id = (labels[i] as Label).id;
      ids[i] = id;
      const h = hashKey(id);
      hashes[2 * i] = h.hi;
      hashes[2 * i + 1] = h.lo;
      this.push(section, i, h.hi, h.lo);
    }
    this.known.set(section, ids.join('\n'));
    return hashes;
  }

  /**
   * Checks a downloaded chunk (size and SHA-256 of the stored bytes before anything else, then
   * gzip decoding within the cap, then every label) and notes its ids.
   */
  async chunk(index: number, bytes: Uint8Array): Promise<Result<Label[]>> {
    const checked = await this.chunkText(index, bytes);
    return checked.ok ? { ok: true, value: checked.value.labels } : checked;
  }

  /** chunk(), also giving the decoded bytes the labels were parsed from and their ids' hashes. */
  async chunkText(index: number, bytes: Uint8Array): Promise<Result<CheckedChunk>> {
    const ref = this.manifest.chunks?.[index] as ChunkRef;
    const parsed = await checkChunkText(bytes, ref, this.manifest, sectionName(this.manifest, index));
    if (parsed.ok) parsed.value.idHashes = this.note(index, parsed.value.labels);
    return parsed;
  }

  /**
   * Checks the file of a chunk the reader already holds again, as `chunk` does, without noting its
   * ids (held() did): for a publication that lists or frames the held chunk otherwise than it was
   * checked under (size, encoding, key rules, definitions), so the reader decides as `verify` does.
   */
  recheck(index: number, bytes: Uint8Array): Promise<Result<Label[]>> {
    const ref = this.manifest.chunks?.[index] as ChunkRef;
    return checkChunk(bytes, ref, this.manifest, sectionName(this.manifest, index));
  }

  /**
   * Notes a chunk the reader already holds (checked when it was downloaded), by its labels' id
   * hashes: `idHashes[stride * i + offset]` and `[… + 1]` are label i's hash (hi, lo).
   */
  held(index: number, idHashes: Uint32Array, count: number, stride = 2, offset = 0): void {
    for (let i = 0; i < count; i++) {
      this.push(
        index,
        i,
        idHashes[stride * i + offset] as number,
        idHashes[stride * i + offset + 1] as number,
      );
    }
  }

  /**
   * Every label id used more than once: `<later place>.id: duplicate label id "x" (also <first
   * place>)`, in publication order. `read` supplies ids of held chunks when their hashes match.
   */
  async duplicates(read?: IdReader): Promise<string[]> {
    const n = this.count;
    // 53 bits of the hash as one double: one native sort finds every repeated hash.
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++)
      packed[i] = (this.hi[i] as number) * 2 ** 21 + ((this.lo[i] as number) >>> 11);
    const sorted = packed.slice().sort();
    let repeats = 0;
    // Hashes held more than once, and one bit per low 20 bits of each, to pass most labels over.
    const repeated = new Set<number>();
    const marks = new Uint32Array(MARK_BITS / 32);
    for (let i = 1; i < n; i++) {
      const value = sorted[i] as number;
      if (value !== sorted[i - 1]) continue;
      repeats++;
      repeated.add(value);
      // The value's low 21 bits are lo >>> 11.
      const bit = (value % 2 ** 21) & (MARK_BITS - 1);
      marks[bit >>> 5] = (marks[bit >>> 5] as number) | (1 << (bit & 31));
    }
    this.distinct = n - repeats;
    if (repeated.size === 0) return [];
    // A change chunk (format 2) replaces earlier labels with its ids: that is what it is for, so
    // only labels outside change chunks can be duplicates, and only they are compared. Their
    // entries are grouped by the full 64-bit hash, in publication order.
    const order = (e: number) => [this.sectionOrder(e), this.position[e] as number] as const;
    const groups = new Map<string, number[]>();
    for (let e = 0; e < n; e++) {
      const bit = ((this.lo[e] as number) >>> 11) & (MARK_BITS - 1);
      if (((marks[bit >>> 5] as number) & (1 << (bit & 31))) === 0) continue;
      if (!repeated.has(packed[e] as number) || this.isChange(e)) continue;
      const key = `${this.hi[e]}:${this.lo[e]}`;
      const group = groups.get(key) ?? [];
      group.push(e);
      groups.set(key, group);
    }
    const found: { at: readonly [number, number]; line: string }[] = [];
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      group.sort((a, b) => {
        const [sa, pa] = order(a);
        const [sb, pb] = order(b);
        return sa - sb || pa - pb;
      });
      const firstById = new Map<string, number>();
      for (const e of group) {
        const id = await this.idOf(e, read);
        if (id === undefined) continue;
        const first = firstById.get(id);
        if (first === undefined) {
          firstById.set(id, e);
          continue;
        }
        found.push({
          at: order(e),
          line: `${this.place(e)}.id: duplicate label id "${id}" (also ${this.place(first)})`,
        });
      }
    }
    found.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1]);
    return found.map((f) => f.line);
  }

  private isChange(e: number): boolean {
    const section = this.section[e] as number;
    return section >= 0 && this.manifest.chunks?.[section]?.layer === 'change';
  }

  /** Inline labels come first, then chunks in manifest order. */
  private sectionOrder(e: number): number {
    return this.section[e] as number;
  }

  private place(e: number): string {
    const section = this.section[e] as number;
    const pos = this.position[e] as number;
    return section < 0 ? `labels[${pos}]` : `${sectionName(this.manifest, section)}.labels[${pos}]`;
  }

  private async idOf(e: number, read?: IdReader): Promise<string | undefined> {
    const section = this.section[e] as number;
    const pos = this.position[e] as number;
    let ids = this.knownSplit.get(section);
    if (!ids) {
      const joined = this.known.get(section);
      if (joined !== undefined) {
        ids = joined.split('\n');
        this.knownSplit.set(section, ids);
      }
    }
    if (ids) return ids[pos];
    return read ? await read(section, pos) : undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// The whole feed at once, as the CLI checks a folder or URL.

export interface VerifyOptions extends Trust {
  /** The key the feed must be signed with (the reader's pinned key). */
  publicKey?: Uint8Array;
  now?: Date;
}

export interface VerifyReport {
  /** No problems (warnings allowed). */
  ok: boolean;
  /** Why the feed was refused, when it was. */
  refusal?: Refusal;
  /** What makes the feed unusable, formatted `path: message` (the refusal's problems). */
  problems: string[];
  /** What a reader should know but does not make the feed invalid (e.g. no key given). */
  warnings: string[];
  manifest?: FeedManifest;
  /** Fingerprint of the key whose signature verified. */
  keyid?: string;
  /** Labels in the publication, inline and in chunks. */
  labelCount?: number;
}

/** Chunks fetched at once while verifying. */
const PARALLEL_READS = 4;
/** Bits of the duplicate check's filter of repeated hashes (a power of two). */
const MARK_BITS = 1 << 20;

export type ReadFile = (path: string) => Promise<Uint8Array | null>;

/** The file's bytes, or a problem saying why there are none. */
async function readFile(read: ReadFile, path: string, name: string = path): Promise<Uint8Array | string> {
  try {
    const bytes = await read(path);
    return bytes ?? `${name}: not found`;
  } catch (error) {
    return `${name}: could not be read (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * Verifies a published feed the way a reader's sync does, reading every file through `read`.
 * Refusal order: envelope, signature, manifest, own key, expiry, chunks, duplicate ids.
 */
export async function verifyFeed(read: ReadFile, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const report = (refusal: Refusal | undefined, extra: Partial<VerifyReport> = {}): VerifyReport => ({
    ok: refusal === undefined,
    ...(refusal ? { refusal } : {}),
    problems: refusal?.problems ?? [],
    warnings: [],
    ...extra,
  });
  const feedBytes = await readFile(read, 'feed.json');
  if (typeof feedBytes === 'string') return report({ kind: 'envelope', problems: [feedBytes] });
  const keys = opts.publicKey ? [opts.publicKey, ...(opts.keys ?? [])] : opts.keys;
  const opened = await openPublication(feedBytes, {
    ...(keys ? { keys } : {}),
    ...(opts.fingerprint !== undefined ? { fingerprint: opts.fingerprint } : {}),
  });
  if (!opened.ok) return report(opened.refusal);
  const { manifest, keyid } = opened.value;
  const now = opts.now ?? new Date();
  const warnings = [...opened.value.warnings];
  const future = issuedWarning(manifest, now);
  if (future) warnings.push(future);
  const base = { manifest, keyid, warnings };

  const expired = expiryProblem(manifest, now);
  if (expired) return report({ kind: 'expired', problems: [expired] }, base);

  // Chunks are read a few at a time but checked in order, so problems come out in a stable order.
  const check = new PublicationCheck(manifest);
  const problems = new ProblemList();
  const refs = manifest.chunks ?? [];
  const reads = new Map<number, Promise<Uint8Array | string>>();
  for (let i = 0; i < refs.length && !problems.full; i++) {
    for (let j = i; j < Math.min(i + PARALLEL_READS, refs.length); j++) {
      if (!reads.has(j)) reads.set(j, readFile(read, (refs[j] as ChunkRef).path, sectionName(manifest, j)));
    }
    const bytes = await (reads.get(i) as Promise<Uint8Array | string>);
    reads.delete(i);
    if (typeof bytes === 'string') {
      problems.add(bytes);
      continue;
    }
    const chunk = await check.chunk(i, bytes);
    if (!chunk.ok) for (const p of chunk.problems) problems.add(p);
  }
  if (problems.lines.length) return report({ kind: 'chunk', problems: problems.lines }, base);
  const duplicates = await check.duplicates();
  if (duplicates.length) {
    for (const d of duplicates) problems.add(d);
    return report({ kind: 'duplicate-id', problems: problems.lines }, base);
  }
  return report(undefined, { ...base, labelCount: check.distinct });
}
