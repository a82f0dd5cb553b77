/**
 * Verifying a whole published feed the way a reader would: envelope, signature, manifest, every
 * chunk, label ids unique across the feed, expiry. Used by the curator CLI (`verify`) and by the
 * extension's subscribe preview. Reads files only through the `read` function it is given and
 * never throws for bad data: everything wrong comes back as a problem string.
 */
import { FEED_CAPS } from './caps';
import { parseChunk } from './chunks';
import { openEnvelope, verifyEnvelope } from './dsse';
import { base64Decode } from './encoding';
import { keyFingerprint } from './keys';
import { type ChunkRef, type FeedManifest, type FeedProblem, formatProblem } from './types';
import { isoTime, parseManifest } from './validate';

export interface VerifyOptions {
  /** The key the feed must be signed with (the reader's pinned key). */
  publicKey?: Uint8Array;
  /** The fingerprint the feed's own publicKey must have (when only the fingerprint is known). */
  fingerprint?: string;
  now?: Date;
}

export interface VerifyReport {
  /** No problems (warnings allowed). */
  ok: boolean;
  /** What makes the feed unusable, formatted `path: message`. */
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

export type ReadFile = (path: string) => Promise<Uint8Array | null>;

export async function verifyFeed(read: ReadFile, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const add = (p: FeedProblem | string) => {
    if (problems.length < FEED_CAPS.problems) problems.push(typeof p === 'string' ? p : formatProblem(p));
    else if (problems.length === FEED_CAPS.problems)
      problems.push(`more problems not shown (stopped after ${FEED_CAPS.problems})`);
  };
  const done = (extra: Partial<VerifyReport> = {}): VerifyReport => ({
    ok: problems.length === 0,
    problems,
    warnings,
    ...extra,
  });

  const feedBytes = await readFile(read, 'feed.json');
  if (typeof feedBytes === 'string') {
    add(feedBytes);
    return done();
  }
  const opened = openEnvelope(feedBytes);
  if (!opened.ok) {
    for (const p of opened.problems) add(p);
    return done();
  }
  const { envelope, payload, keyids } = opened.value;

  // A given key is checked before the manifest is even parsed: a forged feed says so first.
  let keyid: string | undefined;
  if (opts.publicKey) {
    const fingerprint = keyFingerprint(opts.publicKey);
    if (!keyids.includes(fingerprint)) {
      add(`feed.json: not signed by the expected key ${fingerprint} (signed by ${keyids.join(', ')})`);
    } else if (!(await verifyEnvelope(envelope, opts.publicKey))) {
      add(`feed.json: the signature by key ${fingerprint} does not verify (the feed was altered or forged)`);
    } else keyid = fingerprint;
  }

  const parsed = parseManifest(payload);
  if (!parsed.ok) {
    for (const p of parsed.problems) add(p);
    return done({ keyid });
  }
  const manifest = parsed.value;

  // The feed names its own key; its signature must be there and verify, whoever is trusted.
  const ownKey = base64Decode(manifest.publicKey) as Uint8Array;
  const ownFingerprint = keyFingerprint(ownKey);
  const ownValid = await verifyEnvelope(envelope, ownKey);
  if (!ownValid) {
    add(
      `publicKey: the feed's own key ${ownFingerprint} has no valid signature on it (the feed was altered or forged)`,
    );
  }
  if (opts.fingerprint !== undefined && !opts.publicKey) {
    const expected = opts.fingerprint.toLowerCase();
    if (ownFingerprint !== expected)
      add(`publicKey: the feed is signed by key ${ownFingerprint}, not by the expected key ${expected}`);
    else if (ownValid) keyid = ownFingerprint;
  }
  if (!opts.publicKey && opts.fingerprint === undefined) {
    if (ownValid) keyid = ownFingerprint;
    warnings.push(
      `no key given: the signature was checked only against the key the feed names itself (fingerprint ${ownFingerprint}); compare that fingerprint with one the publisher gives you`,
    );
  }

  const now = opts.now ?? new Date();
  const expires = isoTime(manifest.expires) as number;
  if (expires < now.getTime()) add(`feed expired on ${manifest.expires}`);
  if ((isoTime(manifest.issued) as number) > now.getTime() + 5 * 60_000) {
    warnings.push(`issued ${manifest.issued} is in the future`);
  }

  // Label ids are unique across the whole publication.
  const seen = new Map<string, string>();
  let labelCount = 0;
  const note = (id: string, place: string) => {
    const first = seen.get(id);
    if (first !== undefined) add(`${place}.id: duplicate label id "${id}" (also ${first})`);
    else seen.set(id, place);
  };
  (manifest.labels ?? []).forEach((l, i) => {
    note(l.id, `labels[${i}]`);
    labelCount++;
  });
  // Chunks are read a few at a time but checked in order, so problems come out in a stable order.
  const refs = manifest.chunks ?? [];
  const prefixOf = (i: number) => `chunks[${i}] (${(refs[i] as ChunkRef).path})`;
  const reads = new Map<number, Promise<Uint8Array | string>>();
  for (let i = 0; i < refs.length && problems.length <= FEED_CAPS.problems; i++) {
    for (let j = i; j < Math.min(i + PARALLEL_READS, refs.length); j++) {
      if (!reads.has(j)) reads.set(j, readFile(read, (refs[j] as ChunkRef).path, prefixOf(j)));
    }
    const ref = refs[i] as ChunkRef;
    const prefix = prefixOf(i);
    const bytes = await (reads.get(i) as Promise<Uint8Array | string>);
    reads.delete(i);
    if (typeof bytes === 'string') {
      add(bytes);
      continue;
    }
    const chunk = parseChunk(bytes, ref, manifest, prefix);
    if (!chunk.ok) {
      for (const p of chunk.problems) add(p);
      continue;
    }
    chunk.value.forEach((l, idx) => {
      note(l.id, `${prefix}.labels[${idx}]`);
      labelCount++;
    });
  }
  return done({ manifest, keyid, labelCount });
}

/** The file's bytes, or a problem saying why there are none. */
async function readFile(read: ReadFile, path: string, name: string = path): Promise<Uint8Array | string> {
  try {
    const bytes = await read(path);
    return bytes ?? `${name}: not found`;
  } catch (error) {
    return `${name}: could not be read (${error instanceof Error ? error.message : String(error)})`;
  }
}
