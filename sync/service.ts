/**
 * Subscriptions and sync: previewing a feed (trust on first use), subscribing, syncing with every
 * check a reader is owed, the bundled seed feed, retries with backoff, and the operations the popup
 * and options page ask for. Owns feed lifecycle; the cache layout is ingest.ts/lookup.ts's, the
 * feed format is feed/'s (never re-implemented here).
 * Must never throw to its callers (every failure is recorded on the feed in words and returned as
 * a value), never replace a feed's labels except through the versioned swap, and never fetch for
 * the bundled feed anywhere but the extension package.
 *
 *   syncFeed ─▶ download feed.json (conditional) ─▶ 304: unchanged
 *            ─▶ openPublication(pinned key): envelope, signature, only then the manifest, own key
 *            ─▶ sequence > held? expiryProblem? ─▶ writeVersion (new chunks only, each through
 *               PublicationCheck.chunk: size, SHA-256, count, labels; held ones by id hash, and
 *               their files checked again (.recheck) unless listed with the size, encoding, key
 *               rules and definitions they were checked under)
 *            ─▶ PublicationCheck.duplicates ─▶ commitVersion (pin nextKey)
 *            ─▶ on any failure: last good copy kept, reason + time recorded, retry alarm backed off
 *   The checks are feed/verify.ts's, the same `context-lens-feed verify` runs (one path).
 *
 * Host access: before previewFeed/subscribe the options page requests the optional host permission
 * `${origin}/*` of the feed's URL; feed.json and its chunks (same origin, enforced) are all that is
 * fetched. Without the grant a fetch works only when the host sends CORS headers (and exposes ETag
 * and Last-Modified, or every sync downloads feed.json in full).
 */
import { browser } from 'wxt/browser';
import {
  base64Decode,
  base64Encode,
  type ChunkRef,
  checkFeedAddress,
  comparableUrl,
  expiryProblem,
  FEED_CAPS,
  type FeedManifest,
  formatProblem,
  keyFingerprint,
  type Label,
  type LabelDefinition,
  openEnvelope,
  openPublication,
  ProblemList,
  type Publication,
  PublicationCheck,
  parsePublicKey,
  type Refusal,
} from '../feed';
import type { FeedPreview, FeedStatus, Reply } from '../messaging/protocol';
import { download } from '../net/download';
import { type CacheDb, type ChunkChecked, cacheDb, type FeedRecord, type VersionRecord } from '../storage/db';
import { commitVersion, deleteFeedData, discardVersion, type Outcome, writeVersion } from './ingest';
import { clearLookupCache } from './lookup';
import { publishStatus, setProgress, toFeedStatus } from './status';

export const SYNC_ALARM = 'sync-all';
export const SYNC_PERIOD_MINUTES = 6 * 60;
export const RETRY_ALARM_PREFIX = 'retry:';
/** First retry after a failure; doubles per failure in a row up to RETRY_CAP_MS. */
export const RETRY_BASE_MS = 5 * 60_000;
export const RETRY_CAP_MS = SYNC_PERIOD_MINUTES * 60_000;
export const MANIFEST_TIMEOUT_MS = 30_000;
export const CHUNK_TIMEOUT_MS = 60_000;

export const SEED_FEED_PATH = '/seed/feed.json';
export const SEED_KEY_PATH = '/seed/public-key.txt';

// ---------------------------------------------------------------------------------------------------
// One writer at a time: syncs, subscriptions, clean-up. Lookups never wait for this.

let queue: Promise<unknown> = Promise.resolve();

export function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

// ---------------------------------------------------------------------------------------------------
// Cancelling a feed's sync: unsubscribe and disable stop it at once instead of waiting behind it.
// In memory only: a sync never outlives the worker that runs it.

const syncsOf = new Map<string, Set<AbortController>>();

function startSync(feedId: string): AbortController {
  const controller = new AbortController();
  const set = syncsOf.get(feedId) ?? new Set<AbortController>();
  set.add(controller);
  syncsOf.set(feedId, set);
  return controller;
}

function endSync(feedId: string, controller: AbortController): void {
  const set = syncsOf.get(feedId);
  set?.delete(controller);
  if (set?.size === 0) syncsOf.delete(feedId);
}

/**
 * Stops the feed's running sync and any queued behind others: downloads are aborted, the version
 * being written is discarded (the cache keeps the copy it had) and nothing is recorded as a failure.
 */
export function cancelSync(feedId: string): void {
  for (const controller of syncsOf.get(feedId) ?? []) controller.abort();
}

const CANCELLED = 'The sync was stopped: the feed was turned off or removed.';

function nowIso(): string {
  return new Date().toISOString();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------------
// Addresses

/** https anywhere; http only on this computer (localhost, 127.0.0.1), for testing a feed locally. */
export function checkFeedUrl(input: string): Outcome<string> {
  let url: URL;
  try {
    url = new URL(String(input).trim());
  } catch {
    return {
      ok: false,
      message: `"${input}" is not a web address. Paste the address of the feed's feed.json.`,
    };
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    return {
      ok: false,
      message: 'A feed address must start with https:// (http:// only for localhost or 127.0.0.1).',
    };
  }
  if (url.username || url.password) {
    return { ok: false, message: 'A feed address must not contain a user name or password.' };
  }
  url.hash = '';
  return { ok: true, value: url.href };
}

// ---------------------------------------------------------------------------------------------------
// Reading and checking feed.json

function firstProblems(problems: readonly string[]): string {
  const shown = problems.slice(0, 3).join('; ');
  return problems.length > 3 ? `${shown} (and ${problems.length - 3} more)` : shown;
}

function shortFingerprint(fingerprint: string): string {
  return `${fingerprint.slice(0, 16)}…`;
}

const KEPT = 'It was refused; the copy you had is kept.';

/**
 * A verifier's refusal (feed/verify.ts) in a sentence a reader understands, with its problems.
 * `pinned` is the fingerprint the reader trusts (absent before subscribing).
 */
export function refusalMessage(
  refusal: Refusal,
  context: { pinned?: string; keyids?: string[] } = {},
): string {
  const detail = firstProblems(refusal.problems);
  switch (refusal.kind) {
    case 'envelope':
      return `The feed file is not a valid signed feed: ${detail}.`;
    case 'wrong-key':
      return context.pinned
        ? `The feed is signed by a different key (${shortFingerprint(context.keyids?.[0] ?? '')}) than the one you trusted (${shortFingerprint(context.pinned)}). ${KEPT}`
        : `The feed is not signed by the key expected: ${detail}.`;
    case 'forged':
      return context.pinned
        ? `The feed's signature does not match its contents: it was altered after signing or forged. ${KEPT}`
        : `The feed's signature does not verify against the key it names; it may have been altered or forged (${detail}).`;
    case 'manifest':
      return `The feed's contents are invalid: ${detail}.`;
    case 'own-key':
      return `The feed names a signing key that did not sign it, so it cannot be trusted (${detail}). ${context.pinned ? KEPT : ''}`.trim();
    case 'chunk':
      return `A part of the feed failed its check against the signed manifest: ${detail}.`;
    case 'duplicate-id':
      return `The feed lists the same label more than once, which a publication never does: ${detail}. ${context.pinned ? KEPT : ''}`.trim();
    case 'expired':
      return `The feed has expired: ${detail}.`;
  }
}

function refused(refusal: Refusal, context: { pinned?: string; keyids?: string[] } = {}): Outcome<never> {
  return { ok: false, message: refusalMessage(refusal, context), refusal };
}

/** Downloads a feed a reader has not trusted yet, and checks it against the key it names. */
async function fetchSelfSigned(url: string): Promise<Outcome<Publication>> {
  const fetched = await fetchFeedFile(url);
  if (!fetched.ok) return fetched;
  const opened = await openPublication(fetched.value.bytes);
  return opened.ok ? opened : refused(opened.refusal);
}

/**
 * Why this publication may not be read at `url` (docs/feed-format.md, "The feed's address"), in a
 * sentence for the reader, or null: the URL must be the feed's `id`, a mirror it lists, or this
 * computer. For a feed already subscribed to (`held`), a publication must also carry the id pinned
 * at subscription (`held.manifestId`; older subscriptions did not keep it).
 */
function addressRefusal(manifest: FeedManifest, url: string, held?: FeedRecord): string | null {
  const subscribed = held?.manifestId;
  if (subscribed !== undefined && comparableUrl(manifest.id) !== comparableUrl(subscribed)) {
    return `The server at ${url} offered another feed (${manifest.id}) than the one you subscribed to (${subscribed}), though signed by the same key. ${KEPT}`;
  }
  const address = checkFeedAddress(manifest, url);
  if (address.ok) return null;
  return held === undefined
    ? `This address does not publish the feed it serves: ${address.problem}, and does not list this address as a mirror. A copy elsewhere could hold back its updates; subscribe at ${manifest.id} instead.`
    : `The feed no longer lists ${url} as one of its addresses (${address.problem}). ${KEPT} Subscribe at ${manifest.id} to keep receiving it.`;
}

function labelCountOf(manifest: FeedManifest): number {
  return (manifest.labels?.length ?? 0) + (manifest.chunks ?? []).reduce((n, c) => n + c.count, 0);
}

function expiredMessage(manifest: FeedManifest): string {
  return `The server offered a copy of this feed that expired on ${manifest.expires} (version ${manifest.sequence}); it was not used. The publisher has not published a newer one.`;
}

async function fetchFeedFile(
  url: string,
  headers?: Record<string, string>,
  signal?: AbortSignal,
): Promise<Outcome<{ status: number; bytes: Uint8Array; etag?: string; lastModified?: string }>> {
  return download(url, {
    maxBytes: FEED_CAPS.envelopeBytes,
    timeoutMs: MANIFEST_TIMEOUT_MS,
    what: 'the feed file',
    headers,
    ...(signal ? { signal } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------
// Preview and subscribe

export async function previewFeed(input: string): Promise<Reply<FeedPreview>> {
  const checked = checkFeedUrl(input);
  if (!checked.ok) return { ok: false, error: checked.message };
  const url = checked.value;
  const fetched = await fetchSelfSigned(url);
  if (!fetched.ok) return { ok: false, error: fetched.message };
  const { manifest, key } = fetched.value;
  const address = checkFeedAddress(manifest, url);
  if (!address.ok) return { ok: false, error: addressRefusal(manifest, url) as string };
  if (expiryProblem(manifest)) return { ok: false, error: expiredMessage(manifest) };
  return {
    ok: true,
    value: {
      url,
      id: manifest.id,
      address: address.role,
      name: manifest.name,
      publisher: manifest.publisher,
      description: manifest.description,
      homepage: manifest.homepage,
      labelCount: labelCountOf(manifest),
      definitions: manifest.definitions,
      keyFingerprint: keyFingerprint(key),
      sequence: manifest.sequence,
      expires: manifest.expires,
    },
  };
}

/**
 * Subscribes after the reader confirmed the preview: pins the key the reader saw (its fingerprint
 * must still match), stores the feed, and syncs it once. A failed first sync still subscribes; the
 * reason shows on the feed and it is retried.
 */
export async function subscribe(
  data: { url: string; keyFingerprint: string },
  db: CacheDb = cacheDb(),
): Promise<Reply<FeedStatus>> {
  const checked = checkFeedUrl(data.url);
  if (!checked.ok) return { ok: false, error: checked.message };
  const url = checked.value;
  const created = await exclusive(async (): Promise<Reply<null>> => {
    if (await db.feeds.get(url)) return { ok: false, error: 'You are already subscribed to this feed.' };
    const fetched = await fetchSelfSigned(url);
    if (!fetched.ok) return { ok: false, error: fetched.message };
    const { manifest, key } = fetched.value;
    const fingerprint = keyFingerprint(key);
    if (fingerprint !== String(data.keyFingerprint).toLowerCase()) {
      return {
        ok: false,
        error: `The feed's key changed since you previewed it (now ${shortFingerprint(fingerprint)}). Preview it again before subscribing.`,
      };
    }
    const wrongPlace = addressRefusal(manifest, url);
    if (wrongPlace) return { ok: false, error: wrongPlace };
    const same = (await db.feeds.toArray()).find(
      (f) => comparableUrl(f.manifestId ?? f.id) === comparableUrl(manifest.id),
    );
    if (same) return { ok: false, error: `You already follow this feed (at ${same.url}).` };
    const record: FeedRecord = {
      id: url,
      url,
      manifestId: manifest.id,
      bundled: false,
      enabled: true,
      publicKey: manifest.publicKey,
      keyFingerprint: fingerprint,
      sequence: 0,
      name: manifest.name,
      publisher: manifest.publisher,
      homepage: manifest.homepage,
      appeals: manifest.appeals,
      description: manifest.description,
      labelCount: 0,
      addedAt: nowIso(),
      failures: 0,
    };
    await db.feeds.add(record);
    return { ok: true, value: null };
  }).catch(
    (error): Reply<null> => ({ ok: false, error: `The feed could not be stored (${errorText(error)}).` }),
  );
  if (!created.ok) return created;
  await publishStatus(db).catch(() => undefined);
  await syncFeed(url, db);
  const feed = await db.feeds.get(url);
  return feed
    ? { ok: true, value: toFeedStatus(feed) }
    : { ok: false, error: 'The feed was removed meanwhile.' };
}

export async function unsubscribe(feedId: string, db: CacheDb = cacheDb()): Promise<Reply<null>> {
  // Not the bundled feed's (it cannot be removed, and its install is quick and local).
  if (!(await db.feeds.get(feedId).catch(() => undefined))?.bundled) cancelSync(feedId);
  return exclusive(async (): Promise<Reply<null>> => {
    const feed = await db.feeds.get(feedId);
    if (!feed) return { ok: false, error: 'There is no such feed.' };
    if (feed.bundled)
      return {
        ok: false,
        error: 'The feed that comes with Context Lens cannot be removed; turn it off instead.',
      };
    await deleteFeedData(db, feedId);
    await browser.alarms.clear(RETRY_ALARM_PREFIX + feedId);
    await publishStatus(db);
    return { ok: true, value: null };
  }).catch((error) => ({ ok: false, error: `The feed could not be removed (${errorText(error)}).` }));
}

export async function setFeedEnabled(
  data: { feedId: string; enabled: boolean },
  db: CacheDb = cacheDb(),
): Promise<Reply<null>> {
  try {
    const changed = await db.feeds.update(data.feedId, { enabled: data.enabled === true });
    if (data.enabled !== true) cancelSync(data.feedId);
    if (!changed && !(await db.feeds.get(data.feedId))) return { ok: false, error: 'There is no such feed.' };
    await publishStatus(db);
    return { ok: true, value: null };
  } catch (error) {
    return { ok: false, error: `The feed could not be changed (${errorText(error)}).` };
  }
}

/** Drops every feed and label, then installs the bundled feed again. */
export async function clearCache(db: CacheDb = cacheDb()): Promise<Reply<null>> {
  try {
    await exclusive(async () => {
      const feeds = await db.feeds.toArray();
      await db.transaction(
        'rw',
        [db.feeds, db.versions, db.pages, db.filters, db.chunks, db.blocks],
        async () => {
          await Promise.all(
            [db.feeds, db.versions, db.pages, db.filters, db.chunks, db.blocks].map((t) => t.clear()),
          );
        },
      );
      for (const feed of feeds) await browser.alarms.clear(RETRY_ALARM_PREFIX + feed.id);
      clearLookupCache();
    });
    await installBundledFeed(db);
    await publishStatus(db);
    return { ok: true, value: null };
  } catch (error) {
    return { ok: false, error: `The cache could not be cleared (${errorText(error)}).` };
  }
}

export async function listDefinitions(
  db: CacheDb = cacheDb(),
): Promise<{ feedId: string; feedName: string; definition: LabelDefinition }[]> {
  const feeds = await db.feeds.toArray();
  const out: { feedId: string; feedName: string; definition: LabelDefinition }[] = [];
  for (const feed of feeds) {
    if (!feed.currentVersion) continue;
    const version = await db.versions.get(feed.currentVersion);
    for (const definition of version?.definitions ?? [])
      out.push({ feedId: feed.id, feedName: feed.name, definition });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Sync

async function recordFailure(db: CacheDb, feedId: string, message: string): Promise<void> {
  const feed = await db.feeds.get(feedId);
  if (!feed) return;
  const failures = feed.failures + 1;
  const delay = Math.min(RETRY_BASE_MS * 2 ** (failures - 1), RETRY_CAP_MS);
  const nextRetryAt = Date.now() + delay;
  await db.feeds.update(feedId, { lastError: { message, at: nowIso() }, failures, nextRetryAt });
  if (!feed.bundled) await browser.alarms.create(RETRY_ALARM_PREFIX + feedId, { when: nextRetryAt });
}

const NO_FAILURE = { lastError: undefined, nextRetryAt: undefined, failures: 0 } as const;

async function recordUnchanged(
  db: CacheDb,
  feed: FeedRecord,
  meta: { etag?: string; lastModified?: string },
) {
  await db.feeds.update(feed.id, {
    ...NO_FAILURE,
    lastUpdated: nowIso(),
    ...(meta.etag ? { etag: meta.etag } : {}),
    ...(meta.lastModified ? { lastModified: meta.lastModified } : {}),
  });
  await browser.alarms.clear(RETRY_ALARM_PREFIX + feed.id);
}

/**
 * Opens a fetched feed.json against what the reader holds: the pinned key's signature first (a
 * forgery is reported as one, before anything unsigned is read), then rollback and expiry.
 */
async function openAgainstPinned(
  feed: FeedRecord,
  bytes: Uint8Array,
): Promise<
  | { kind: 'new'; publication: Publication }
  | { kind: 'unchanged' }
  | { kind: 'refused'; outcome: Outcome<never> }
> {
  // The pinned key, and during a rotation the key it announced: either is accepted until the new
  // one is used (docs/feed-format.md, "Keys and key rotation").
  const trusted = [feed.publicKey, feed.nextKey]
    .map((text) => (text ? base64Decode(text) : null))
    .filter((key): key is Uint8Array => key !== null);
  const opened = await openPublication(bytes, { keys: trusted });
  if (!opened.ok) {
    // After a rotation the server keeps serving the publication that announced the new key until the
    // next one: signed by the retired key, it is the copy already held, not an attack.
    const retired = feed.retiredKey ? base64Decode(feed.retiredKey) : null;
    if (retired && feed.currentVersion && opened.refusal.kind !== 'envelope') {
      const old = await openPublication(bytes, { keys: [retired] });
      if (old.ok && old.value.manifest.sequence === feed.sequence) return { kind: 'unchanged' };
    }
    const keyids = openEnvelope(bytes);
    return {
      kind: 'refused',
      outcome: refused(opened.refusal, {
        pinned: feed.keyFingerprint,
        keyids: keyids.ok ? keyids.value.keyids : [],
      }),
    };
  }
  const { manifest } = opened.value;
  // Signed, so the publisher's word: this is still the feed subscribed to, and this URL serves it.
  const wrongPlace = addressRefusal(manifest, feed.url, feed);
  if (wrongPlace) return { kind: 'refused', outcome: { ok: false, message: wrongPlace } };
  if (feed.currentVersion && manifest.sequence < feed.sequence) {
    return {
      kind: 'refused',
      outcome: {
        ok: false,
        message: `The server offered version ${manifest.sequence} of the feed, older than version ${feed.sequence} you have; an older copy is never taken back.`,
      },
    };
  }
  if (feed.currentVersion && manifest.sequence === feed.sequence) {
    if (feed.payloadSha256 && feed.payloadSha256 !== opened.value.digest) {
      return {
        kind: 'refused',
        outcome: {
          ok: false,
          message: `The server offered a different copy of version ${manifest.sequence} of the feed than the one you have; a published version never changes, so it was refused and your copy is kept.`,
        },
      };
    }
    return { kind: 'unchanged' };
  }
  const expired = expiryProblem(manifest);
  if (expired) {
    return {
      kind: 'refused',
      outcome: {
        ok: false,
        message: expiredMessage(manifest),
        refusal: { kind: 'expired', problems: [expired] },
      },
    };
  }
  return { kind: 'new', publication: opened.value };
}

/**
 * The feed's keys after accepting a publication signed by `signer`: signed by the announced next
 * key, that key becomes the pinned one (the old one retired); signed by the pinned key, its
 * `nextKey` (if any) is the key to accept beside it from now on.
 */
function keysAfter(feed: FeedRecord, manifest: FeedManifest, signer: Uint8Array): Partial<FeedRecord> {
  const signedBy = base64Encode(signer);
  const announced = (pinned: string) =>
    manifest.nextKey && manifest.nextKey !== pinned ? manifest.nextKey : undefined;
  if (feed.nextKey && signedBy === feed.nextKey && signedBy !== feed.publicKey) {
    return {
      publicKey: signedBy,
      keyFingerprint: keyFingerprint(signer),
      retiredKey: feed.publicKey,
      nextKey: announced(signedBy),
    };
  }
  return { nextKey: announced(feed.publicKey) };
}

async function ingest(
  db: CacheDb,
  feed: FeedRecord,
  manifest: FeedManifest,
  signer: Uint8Array,
  baseUrl: string,
  extra: Partial<FeedRecord>,
  signal?: AbortSignal,
): Promise<Outcome<null>> {
  const base = new URL(baseUrl);
  // The same checks as `context-lens-feed verify`: every chunk against the signed manifest, and
  // label ids unique across the publication (chunks already held count too).
  const check = new PublicationCheck(manifest);
  const context = { pinned: feed.keyFingerprint };
  const refs = manifest.chunks ?? [];
  const fetchChunk = async (index: number): Promise<Outcome<Uint8Array>> => {
    const ref = refs[index] as ChunkRef;
    const url = new URL(ref.path, base);
    if (url.origin !== base.origin)
      return { ok: false, message: `Part ${index + 1} of the feed points outside the feed's site.` };
    const what = partName(index, refs.length);
    const fetched = await download(url.href, {
      maxBytes: Math.min(ref.bytes, FEED_CAPS.chunkBytes),
      timeoutMs: CHUNK_TIMEOUT_MS,
      what,
      tooBig: `${capitalize(what)} is larger than the signed manifest says (${ref.bytes} bytes); it does not belong to this publication and was refused.`,
      ...(signal ? { signal } : {}),
    });
    return fetched.ok ? { ok: true, value: fetched.value.bytes } : fetched;
  };
  // Held chunks this manifest lists or frames otherwise than they were checked under (size,
  // encoding, key rules, a definition gone; or rows stored before that was kept): their files are
  // checked again before the publication is taken, so the verdict is `verify`'s.
  const recheck: number[] = [];
  const written = await writeVersion(db, {
    feedId: feed.id,
    manifest,
    loadChunk: async (_ref: ChunkRef, index: number) => {
      const fetched = await fetchChunk(index);
      if (!fetched.ok) return fetched;
      const parsed = await check.chunkText(index, fetched.value);
      if (!parsed.ok) {
        const refusal: Refusal = { kind: 'chunk', problems: parsed.problems.map(formatProblem) };
        return {
          ok: false,
          message: `${capitalize(partName(index, refs.length))} failed its check against the signed manifest: ${firstProblems(refusal.problems)}.`,
          refusal,
        };
      }
      return { ok: true, value: parsed.value };
    },
    checkedUnder: (index, labels) => checkedUnder(manifest, refs[index] as ChunkRef, labels),
    heldPrefix: (base) => basePasses(manifest, base),
    heldChunk: (index, chunk) => {
      check.held(index, chunk.hashes, chunk.count, 4, 2);
      if (!stillHolds(chunk.checked, manifest, refs[index] as ChunkRef)) recheck.push(index);
    },
    allChunks: async (readId) => {
      const rechecked = await recheckHeld(db, feed.id, check, recheck, fetchChunk, context);
      if (!rechecked.ok) return rechecked;
      const duplicates = await check.duplicates(readId);
      return duplicates.length === 0
        ? { ok: true, value: null }
        : refused({ kind: 'duplicate-id', problems: duplicates }, context);
    },
    onProgress: (done, total) => setProgress(db, feed.id, { done, total }),
  });
  if (!written.ok) return written;
  if (signal?.aborted) {
    // Cancelled after the last chunk: the new version never becomes current.
    await discardVersion(db, written.value.versionId, feed.id);
    return { ok: false, message: CANCELLED };
  }
  const committed = await commitVersion(db, feed.id, written.value.versionId, {
    ...NO_FAILURE,
    ...extra,
    name: manifest.name,
    publisher: manifest.publisher,
    homepage: manifest.homepage,
    appeals: manifest.appeals,
    description: manifest.description,
    sequence: manifest.sequence,
    issued: manifest.issued,
    expires: manifest.expires,
    manifestId: manifest.id,
    labelCount: written.value.labelCount,
    lastUpdated: nowIso(),
    ...keysAfter(feed, manifest, signer),
  });
  if (!committed) return { ok: false, message: 'The feed was removed while it synced.' };
  await browser.alarms.clear(RETRY_ALARM_PREFIX + feed.id);
  return { ok: true, value: null };
}

/** `part 3 of 12 of the feed`: a chunk named for a reader. */
function partName(index: number, total: number): string {
  return `part ${index + 1} of ${total} of the feed`;
}

/** What a chunk's file was just checked against, for its stored row. */
function checkedUnder(manifest: FeedManifest, ref: ChunkRef, labels: readonly Label[]): ChunkChecked {
  return {
    bytes: ref.bytes,
    ...(ref.encoding === 'gzip' ? { encoding: 'gzip' as const } : {}),
    ...(manifest.keyRules !== undefined ? { keyRules: manifest.keyRules } : {}),
    vals: [...new Set(labels.map((l) => l.val))],
  };
}

/**
 * Whether checking a held chunk's file under `manifest` is sure to give what its earlier check gave:
 * the same size and encoding listed, the same key rules, and every `val` of it still a definition.
 * (Its SHA-256 names the row, so the bytes are the same.)
 */
function stillHolds(checked: ChunkChecked | undefined, manifest: FeedManifest, ref: ChunkRef): boolean {
  if (!checked) return false;
  if (checked.bytes !== ref.bytes || checked.encoding !== ref.encoding) return false;
  if (checked.keyRules !== manifest.keyRules) return false;
  const defined = new Set(manifest.definitions.map((d) => d.id));
  return checked.vals.every((val) => defined.has(val));
}

/**
 * Whether the chunks of a stored full version, listed first by `manifest` exactly as the version
 * lists them (same files, sizes and encodings; sync/cache-layout.ts changesOver) and followed by
 * change chunks only, pass `manifest`'s checks without being read again, as `verify` would decide:
 * each passed them under the version's manifest, which had the same key rules and no definition
 * `manifest` lacks (stillHolds, for all of them at once); and only labels outside change chunks are
 * compared for duplicate ids, which for these were compared with each other when they were stored.
 */
function basePasses(manifest: FeedManifest, base: VersionRecord): boolean {
  if (!base.checkedUnder || base.checkedUnder.keyRules !== manifest.keyRules) return false;
  const defined = new Set(manifest.definitions.map((d) => d.id));
  return base.definitions.every((d) => defined.has(d.id));
}

/**
 * Checks again the files of held chunks (manifest indexes, in order) whose listing differs from the
 * one they were checked under: the problems are the verifier's, all of them, as `verify` lists
 * them. A file that passes is the chunk held (its SHA-256 matched); its row learns the listing.
 */
async function recheckHeld(
  db: CacheDb,
  feedId: string,
  check: PublicationCheck,
  indexes: readonly number[],
  fetchChunk: (index: number) => Promise<Outcome<Uint8Array>>,
  context: { pinned?: string },
): Promise<Outcome<null>> {
  const problems = new ProblemList();
  const passed: [string, ChunkChecked][] = [];
  const { manifest } = check;
  for (const index of [...new Set(indexes)].sort((a, b) => a - b)) {
    if (problems.full) break;
    const fetched = await fetchChunk(index);
    if (!fetched.ok) return fetched;
    const parsed = await check.recheck(index, fetched.value);
    const ref = manifest.chunks?.[index] as ChunkRef;
    if (parsed.ok) passed.push([ref.sha256, checkedUnder(manifest, ref, parsed.value)]);
    else for (const problem of parsed.problems) problems.add(problem);
  }
  if (problems.lines.length > 0) return refused({ kind: 'chunk', problems: problems.lines }, context);
  for (const [sha256, checked] of passed) await db.chunks.update([feedId, sha256], { checked });
  return { ok: true, value: null };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function syncRemote(db: CacheDb, feed: FeedRecord, signal: AbortSignal): Promise<Outcome<null>> {
  const headers: Record<string, string> = {};
  if (feed.currentVersion && feed.etag) headers['If-None-Match'] = feed.etag;
  if (feed.currentVersion && feed.lastModified) headers['If-Modified-Since'] = feed.lastModified;
  const fetched = await fetchFeedFile(feed.url, headers, signal);
  if (!fetched.ok) return fetched;
  const meta = { etag: fetched.value.etag, lastModified: fetched.value.lastModified };
  if (fetched.value.status === 304) {
    if (!feed.currentVersion)
      return {
        ok: false,
        message: 'The server said nothing changed, but no copy of the feed is stored yet.',
      };
    await recordUnchanged(db, feed, meta);
    return { ok: true, value: null };
  }
  const checked = await openAgainstPinned(feed, fetched.value.bytes);
  if (checked.kind === 'refused') return checked.outcome;
  if (checked.kind === 'unchanged') {
    await recordUnchanged(db, feed, meta);
    return { ok: true, value: null };
  }
  return ingest(
    db,
    feed,
    checked.publication.manifest,
    checked.publication.key,
    feed.url,
    {
      payloadSha256: checked.publication.digest,
      ...(meta.etag ? { etag: meta.etag } : { etag: undefined }),
      ...(meta.lastModified ? { lastModified: meta.lastModified } : { lastModified: undefined }),
    },
    signal,
  );
}

/**
 * Syncs one feed (enabled or not). Never throws; the outcome is recorded on the feed. Unsubscribing
 * or turning the feed off meanwhile cancels it (cancelSync): it then ends at once, keeps the copy
 * the cache had, and records nothing.
 */
export async function syncFeed(feedId: string, db: CacheDb = cacheDb()): Promise<Outcome<null>> {
  const controller = startSync(feedId);
  const { signal } = controller;
  return exclusive(async (): Promise<Outcome<null>> => {
    if (signal.aborted) return { ok: false, message: CANCELLED };
    const feed = await db.feeds.get(feedId);
    if (!feed) return { ok: false, message: 'There is no such feed.' } as const;
    if (feed.bundled) return installBundledFeedNow(db);
    setProgress(db, feedId, { done: 0, total: 0 });
    // A dead man's switch: if the worker dies mid-sync, this alarm restarts the sync; an ending sync
    // clears it (success) or moves it (failure, with backoff).
    await browser.alarms.create(RETRY_ALARM_PREFIX + feedId, { when: Date.now() + RETRY_BASE_MS });
    let outcome: Outcome<null>;
    try {
      outcome = await syncRemote(db, feed, signal);
    } catch (error) {
      outcome = {
        ok: false,
        message: `The sync failed unexpectedly (${errorText(error)}); the copy you had is kept.`,
      };
    }
    try {
      if (signal.aborted && !outcome.ok) {
        outcome = { ok: false, message: CANCELLED };
        await browser.alarms.clear(RETRY_ALARM_PREFIX + feedId);
      } else if (!outcome.ok) await recordFailure(db, feedId, outcome.message);
    } catch (error) {
      console.warn('Context Lens: could not record a sync failure', error);
    }
    setProgress(db, feedId, null);
    await publishStatus(db).catch(() => undefined);
    return outcome;
  }).finally(() => endSync(feedId, controller));
}

/** Syncs every enabled feed, one after the other. */
export async function syncAll(db: CacheDb = cacheDb()): Promise<void> {
  const feeds = await db.feeds.toArray();
  for (const { id } of feeds) {
    // Read again: a feed turned off or removed while the ones before it synced is skipped.
    if ((await db.feeds.get(id))?.enabled) await syncFeed(id, db);
  }
}

export async function syncNow(feedId: string | undefined, db: CacheDb = cacheDb()): Promise<Reply<null>> {
  if (feedId === undefined || feedId === null) {
    await syncAll(db);
    return { ok: true, value: null };
  }
  const outcome = await syncFeed(feedId, db);
  return outcome.ok ? { ok: true, value: null } : { ok: false, error: outcome.message };
}

// ---------------------------------------------------------------------------------------------------
// The bundled seed feed: read from the extension package, never from the network.

/** A file of the extension package (the seed's paths are not in WXT's generated PublicPath type until it is built). */
function packageUrl(path: string): string {
  return (browser.runtime.getURL as (path: string) => string)(path);
}

async function readPackageText(path: string): Promise<Outcome<string>> {
  const fetched = await download(packageUrl(path), {
    maxBytes: FEED_CAPS.envelopeBytes,
    timeoutMs: MANIFEST_TIMEOUT_MS,
    what: `the bundled ${path}`,
  });
  if (!fetched.ok) return fetched;
  return { ok: true, value: new TextDecoder().decode(fetched.value.bytes) };
}

/**
 * Installs the bundled feed when the cache has none, or replaces the stored one when the package
 * carries a higher sequence (after an extension update). Verified against the package's public key.
 */
export function installBundledFeed(db: CacheDb = cacheDb()): Promise<Outcome<null>> {
  return exclusive(() => installBundledFeedNow(db));
}

async function installBundledFeedNow(db: CacheDb): Promise<Outcome<null>> {
  try {
    const keyText = await readPackageText(SEED_KEY_PATH);
    if (!keyText.ok) return keyText;
    const key = parsePublicKey(keyText.value);
    if (!key.ok)
      return {
        ok: false,
        message: `The bundled feed's key is invalid: ${firstProblems(key.problems.map(formatProblem))}.`,
      };
    const seedUrl = packageUrl(SEED_FEED_PATH);
    const fetched = await download(seedUrl, {
      maxBytes: FEED_CAPS.envelopeBytes,
      timeoutMs: MANIFEST_TIMEOUT_MS,
      what: 'the bundled feed',
    });
    if (!fetched.ok) return fetched;
    const opened = await openPublication(fetched.value.bytes, { keys: [key.value] });
    if (!opened.ok) {
      return {
        ok: false,
        message:
          opened.refusal.kind === 'wrong-key' || opened.refusal.kind === 'forged'
            ? 'The bundled feed is not signed by the bundled key; it was not installed.'
            : `The bundled feed was refused: ${firstProblems(opened.refusal.problems)}.`,
        refusal: opened.refusal,
      };
    }
    const { manifest } = opened.value;
    const held = (await db.feeds.toArray()).find((f) => f.bundled);
    if (held && held.id === manifest.id && held.currentVersion && held.sequence >= manifest.sequence) {
      return { ok: true, value: null };
    }
    if (held && held.id !== manifest.id) await deleteFeedData(db, held.id);
    const keyText64 = keyText.value.trim();
    const existing = await db.feeds.get(manifest.id);
    const record: FeedRecord = {
      ...(existing ?? {
        id: manifest.id,
        enabled: held?.enabled ?? true,
        sequence: 0,
        labelCount: 0,
        addedAt: nowIso(),
        failures: 0,
      }),
      url: manifest.id,
      bundled: true,
      publicKey: keyText64,
      keyFingerprint: keyFingerprint(key.value),
      name: manifest.name,
      publisher: manifest.publisher,
      homepage: manifest.homepage,
      appeals: manifest.appeals,
      description: manifest.description,
    };
    await db.feeds.put(record);
    setProgress(db, record.id, { done: 0, total: labelCountOf(manifest) });
    const outcome = await ingest(db, record, manifest, key.value, seedUrl, {});
    setProgress(db, record.id, null);
    if (!outcome.ok) await recordFailure(db, record.id, outcome.message);
    await publishStatus(db).catch(() => undefined);
    return outcome;
  } catch (error) {
    return { ok: false, message: `The bundled feed could not be installed (${errorText(error)}).` };
  }
}

// ---------------------------------------------------------------------------------------------------
// Schedule

/** The 6-hourly sync alarm; created when missing (call at every worker start). */
export async function ensureSyncAlarm(): Promise<void> {
  const existing = await browser.alarms.get(SYNC_ALARM);
  if (!existing) {
    await browser.alarms.create(SYNC_ALARM, {
      periodInMinutes: SYNC_PERIOD_MINUTES,
      delayInMinutes: SYNC_PERIOD_MINUTES,
    });
  }
}

export async function onAlarm(name: string, db: CacheDb = cacheDb()): Promise<void> {
  if (name === SYNC_ALARM) await syncAll(db);
  else if (name.startsWith(RETRY_ALARM_PREFIX)) {
    const feedId = name.slice(RETRY_ALARM_PREFIX.length);
    const feed = await db.feeds.get(feedId);
    if (feed?.enabled) await syncFeed(feedId, db);
  }
}
