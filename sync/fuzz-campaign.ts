/**
 * The fast-check campaign (issue 11): generated and mutated feeds through the real sync path. Each
 * run subscribes to a feed built and signed with the real builder (feed/build.ts), then serves one
 * case after another at its address and syncs it with `syncFeed`, exactly as the background does:
 * valid next publications, and mutations of them — flipped, cut and appended bytes of feed.json and
 * of chunks, random JSON and envelopes, manifest fields and label fields changed and re-signed (by
 * the publisher, a stranger, both, or left with the old signature), chunk lists edited (dropped,
 * repeated, swapped, foreign, wrong count, size, hash, path or encoding), sequences moved,
 * signatures removed or swapped, old publications replayed, other feeds of the same key swapped in.
 *
 * Asserted for every case: `syncFeed` never throws; its answer is what the one verification path
 * (feed/verify.ts's openPublication and verifyFeed, with the reader's pinned key, plus the
 * address, rollback and replay rules of docs/feed-format.md) says — a new publication is taken, the
 * same one is "no change", anything else is refused with a reason; after a refusal or "no change"
 * the cache (every table of it) is identical to before; after a new builder publication, lookups
 * answer exactly its labels.
 *
 * In-memory fetch (sync/testing.ts's FeedServer), fake-indexeddb, one database cleared between
 * runs. Default size in `npm test`: 10,000 cases, in two shard files (sync.fuzz-1/-2.test.ts) that
 * the two test workers run side by side. `npm run fuzz` runs 200,000 (or FUZZ_CASES);
 * FUZZ_SEED replays a run fast-check reported. `npm test` uses fixed seeds; `npm run fuzz` fresh ones.
 */
import fc from 'fast-check';
import { expect, vi } from 'vitest';
import {
  type BuiltFeed,
  base64Decode,
  base64Encode,
  type ChunkRef,
  checkFeedAddress,
  type FeedManifest,
  generateKeyPair,
  type KeyPair,
  keyFingerprint,
  openEnvelope,
  publicationDigest,
  signManifest,
  utf8Decode,
  utf8Encode,
  verifyFeed,
} from '../feed';
import { type CacheDb, cacheDb, type FeedRecord } from '../storage/db';
import { clearLookupCache, lookupLabels } from './lookup';
import { previewFeed, subscribe, syncFeed } from './service';
import { build, FeedServer, feedSource, xKey, xLabel } from './testing';

/** All shards together (sync.fuzz-1.test.ts, sync.fuzz-2.test.ts split it so two workers share it). */
const TOTAL_CASES = Number(process.env.FUZZ_CASES) || 10_000;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
/**
 * `npm test` runs fixed seeds (this plus the shard's number), so its 10,000 cases are the same on
 * every machine and a red CI is a regression, not a lucky draw; `npm run fuzz` (FUZZ_CASES set)
 * draws fresh seeds every run to look further.
 */
const FIXED_SEED = 20_261_203;
/** Cases per run (one subscription, one cleared cache). */
const STEPS = 100;

const DIR = 'https://feeds.example/f/';
const FEED = `${DIR}feed.json`;
const OTHER_FEED = 'https://feeds.example/other/feed.json';
const HANDLES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const VOLATILE: (keyof FeedRecord)[] = [
  'lastError',
  'failures',
  'nextRetryAt',
  'lastUpdated',
  'etag',
  'lastModified',
];

// ---------------------------------------------------------------------------------------------------
// What is generated

const labelSpec = fc.record({
  n: fc.integer({ min: 0, max: 11 }),
  handle: fc.constantFrom(...HANDLES),
  val: fc.constantFrom('suspended', 'state-media'),
});
const publicationSpec = fc.record({
  labels: fc.uniqueArray(labelSpec, { selector: (l) => l.n, maxLength: 10 }),
  chunkSize: fc.integer({ min: 1, max: 6 }),
  previous: fc.boolean(),
});
type PublicationSpec = typeof publicationSpec extends fc.Arbitrary<infer T> ? T : never;

const base = fc.constantFrom('next' as const, 'held' as const);
const signer = fc.constantFrom(
  'publisher' as const,
  'stranger' as const,
  'both' as const,
  'unsigned' as const,
);
const file = fc.constantFrom('feed' as const, 'chunk' as const);
/** Values a field is set to: anything JSON, and near misses of what the format wants. */
const fieldValue = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    'x'.repeat(301),
    'ok\u202etxet',
    'bell\u0007',
    'https://feeds.example/f/feed.json',
    OTHER_FEED,
    'http://feeds.example/f/feed.json',
    'javascript:alert(1)',
    'mailto:x@example.org',
    '2026-02-30',
    '2020-01-01T00:00:00Z',
    '2999-01-01T00:00:00Z',
    'context-lens/2',
    'context-lens/3',
    'AAAA',
    0,
    -1,
    1.5,
    2 ** 53,
    true,
    null,
    [],
    {},
  ),
);
const MANIFEST_FIELDS = [
  'format',
  'id',
  'name',
  'publisher',
  'homepage',
  'description',
  'appeals',
  'sequence',
  'issued',
  'expires',
  'publicKey',
  'nextKey',
  'mirrors',
  'definitions',
  'labels',
  'chunks',
  'unknownField',
] as const;
const LABEL_FIELDS = [
  'id',
  'account',
  'post',
  'link',
  'val',
  'note',
  'sources',
  'cts',
  'exp',
  'neg',
  'server',
  'since',
  'until',
] as const;
const CHUNK_OPS = [
  'drop',
  'repeat',
  'swap',
  'count',
  'bytes',
  'sha256',
  'path',
  'encoding',
  'layer',
  'foreign',
  'none',
] as const;
const SIGNATURE_OPS = ['stranger', 'both', 'none', 'keyid', 'old-sig', 'twice', 'stranger-first'] as const;

const mutation = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('publish' as const), spec: publicationSpec }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      file,
      base,
      at: fc.nat(),
      xor: fc.integer({ min: 1, max: 255 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), file, base, at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('extend' as const),
      file,
      base,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 200 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('envelope' as const),
      payload: fc.jsonValue({ maxDepth: 2 }),
      sig: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('field' as const),
      field: fc.constantFrom(...MANIFEST_FIELDS),
      value: fieldValue,
      signer,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('label' as const),
      index: fc.nat(),
      field: fc.constantFrom(...LABEL_FIELDS),
      value: fieldValue,
      signer,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('chunks' as const),
      op: fc.constantFrom(...CHUNK_OPS),
      index: fc.nat(),
      other: fc.nat(),
      delta: fc.integer({ min: -3, max: 3 }),
      signer,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('sequence' as const),
      delta: fc.integer({ min: -2, max: 2 }),
      signer,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('signatures' as const), op: fc.constantFrom(...SIGNATURE_OPS) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), which: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('address' as const),
      op: fc.constantFrom(
        'other-id' as const,
        'other-id-listing-this' as const,
        'add-mirror' as const,
        'other-feed' as const,
      ),
    }),
  },
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------------
// The run's model: what was published, what the reader holds

let publisher: KeyPair;
let stranger: KeyPair;
let server: FeedServer;
let db: CacheDb;

interface Held {
  feedJson: Uint8Array;
  manifest: FeedManifest;
}

class Run {
  /** Every builder publication of the run (their chunks stay on the server, as on a real host). */
  readonly built: BuiltFeed[] = [];
  /** Every chunk ever published, by path, as published. */
  readonly pristine = new Map<string, Uint8Array>();
  /** Chunk references as published, by SHA-256. */
  readonly refs = new Map<string, ChunkRef>();
  /** The last builder publication (the builder's `previous`). */
  last!: BuiltFeed;
  /** A valid publication not served yet, one sequence past everything. */
  next!: BuiltFeed;
  nextLabels: string[] = [];
  held!: Held;
  otherFeed?: BuiltFeed;

  async publish(spec: PublicationSpec, sequence: number): Promise<BuiltFeed> {
    const labels = spec.labels.map((l) => xLabel(`l${l.n}`, l.handle, { val: l.val }));
    const built = await build(feedSource(FEED, labels), publisher, {
      sequence,
      chunkSize: spec.chunkSize,
      ...(spec.previous && this.built.length ? { previous: this.last } : {}),
    });
    this.built.push(built);
    this.last = built;
    for (const [path, bytes] of built.files) {
      if (path === 'feed.json') continue;
      this.pristine.set(path, bytes);
      server.files.set(DIR + path, bytes);
    }
    for (const ref of built.manifest.chunks ?? []) this.refs.set(ref.sha256, ref);
    return built;
  }

  async prepareNext(spec: PublicationSpec): Promise<void> {
    const sequence = Math.max(this.held.manifest.sequence, this.last.manifest.sequence) + 1;
    this.next = await this.publish(spec, sequence);
    this.nextLabels = spec.labels.map((l) => `l${l.n}`).sort();
  }

  /** The pending publication again under a sequence past the held one: re-signed, not rebuilt. */
  async bumpNext(): Promise<void> {
    const manifest = manifestOf(this.next.files.get('feed.json') as Uint8Array);
    manifest.sequence = this.held.manifest.sequence + 1;
    const feedJson = await signManifest(utf8Encode(JSON.stringify(manifest, null, 2)), publisher.privateKey);
    this.next = {
      files: new Map(this.next.files).set('feed.json', feedJson),
      manifest: { ...this.next.manifest, sequence: manifest.sequence as number },
    };
  }

  baseOf(which: 'next' | 'held'): Held {
    return which === 'next'
      ? { feedJson: this.next.files.get('feed.json') as Uint8Array, manifest: this.next.manifest }
      : this.held;
  }
}

function manifestOf(feedJson: Uint8Array): Record<string, unknown> {
  const opened = openEnvelope(feedJson);
  if (!opened.ok) throw new Error('a base publication does not open');
  return JSON.parse(utf8Decode(opened.value.payload) as string) as Record<string, unknown>;
}

async function sign(
  manifest: Record<string, unknown>,
  who: 'publisher' | 'stranger' | 'both' | 'unsigned',
  old: Uint8Array,
) {
  const payload = utf8Encode(JSON.stringify(manifest, null, 2));
  if (who === 'unsigned') {
    // The new payload under the old signature: altered after signing.
    const envelope = JSON.parse(utf8Decode(old) as string) as { payload: string };
    envelope.payload = base64Encode(payload);
    return utf8Encode(JSON.stringify(envelope));
  }
  const keys =
    who === 'publisher'
      ? [publisher.privateKey]
      : who === 'stranger'
        ? [stranger.privateKey]
        : [publisher.privateKey, stranger.privateKey];
  return signManifest(payload, keys);
}

function flip(bytes: Uint8Array, at: number, xor: number): Uint8Array {
  const out = bytes.slice();
  if (out.length) out[at % out.length] = (out[at % out.length] as number) ^ xor;
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The case's feed.json, and chunk files served differently from how they were published. */
interface Case {
  feedJson: Uint8Array;
  chunks: Map<string, Uint8Array>;
  /** A valid builder publication: lookups must answer exactly these label ids after it. */
  labels?: string[];
}

async function makeCase(run: Run, m: Mutation): Promise<Case> {
  const chunks = new Map<string, Uint8Array>();
  const alterFile = (
    which: 'next' | 'held',
    kind: 'feed' | 'chunk',
    pick: number,
    change: (b: Uint8Array) => Uint8Array,
  ): Case => {
    const b = run.baseOf(which);
    const paths = (b.manifest.chunks ?? []).map((c) => c.path);
    if (kind === 'chunk' && paths.length) {
      const path = paths[pick % paths.length] as string;
      chunks.set(path, change(run.pristine.get(path) as Uint8Array));
      return { feedJson: b.feedJson, chunks };
    }
    return { feedJson: change(b.feedJson), chunks };
  };
  const next = run.baseOf('next');
  switch (m.kind) {
    case 'publish':
      return { feedJson: next.feedJson, chunks, labels: run.nextLabels };
    case 'flip':
      return alterFile(m.base, m.file, m.at, (b) => flip(b, m.at, m.xor));
    case 'truncate':
      return alterFile(m.base, m.file, m.at, (b) => b.slice(0, b.length ? m.at % b.length : 0));
    case 'extend':
      return alterFile(m.base, m.file, m.bytes.length, (b) => concat(b, m.bytes));
    case 'garbage':
      return { feedJson: m.bytes, chunks };
    case 'json':
      return { feedJson: utf8Encode(JSON.stringify(m.value) ?? 'null'), chunks };
    case 'envelope': {
      const envelope = {
        payloadType: 'application/vnd.context-lens.feed+json',
        payload: base64Encode(utf8Encode(JSON.stringify(m.payload) ?? 'null')),
        signatures: [{ keyid: keyFingerprint(publisher.publicKey), sig: base64Encode(m.sig) }],
      };
      return { feedJson: utf8Encode(JSON.stringify(envelope)), chunks };
    }
    case 'field': {
      const manifest = manifestOf(next.feedJson);
      manifest[m.field] = m.value;
      return { feedJson: await sign(manifest, m.signer, next.feedJson), chunks };
    }
    case 'label': {
      const manifest = manifestOf(next.feedJson);
      const labels = manifest.labels as Record<string, unknown>[] | undefined;
      if (labels?.length) (labels[m.index % labels.length] as Record<string, unknown>)[m.field] = m.value;
      else manifest.labels = [{ ...xLabel('l99', 'zoe'), [m.field]: m.value }];
      return { feedJson: await sign(manifest, m.signer, next.feedJson), chunks };
    }
    case 'chunks': {
      const manifest = manifestOf(next.feedJson);
      const list = (manifest.chunks as Record<string, unknown>[] | undefined) ?? [];
      const i = list.length ? m.index % list.length : 0;
      const j = list.length ? m.other % list.length : 0;
      const item = list[i];
      const foreign = [...run.refs.values()];
      switch (m.op) {
        case 'drop':
          list.splice(i, 1);
          break;
        case 'repeat':
          if (item) list.push({ ...item });
          break;
        case 'swap':
          if (item && list[j]) [list[i], list[j]] = [list[j] as Record<string, unknown>, item];
          break;
        case 'count':
          if (item) item.count = (item.count as number) + m.delta;
          break;
        case 'bytes':
          if (item) item.bytes = (item.bytes as number) + m.delta;
          break;
        case 'sha256':
          if (item && foreign.length) item.sha256 = (foreign[m.other % foreign.length] as ChunkRef).sha256;
          break;
        case 'path':
          if (item && foreign.length) item.path = (foreign[m.other % foreign.length] as ChunkRef).path;
          break;
        case 'encoding':
          if (item) item.encoding = item.encoding ? undefined : 'gzip';
          break;
        case 'layer':
          if (item) item.layer = item.layer ? undefined : 'change';
          break;
        case 'foreign':
          if (foreign.length) list.splice(i, 0, { ...(foreign[m.other % foreign.length] as ChunkRef) });
          break;
        case 'none':
          manifest.chunks = [];
          break;
      }
      if (m.op !== 'none' && manifest.chunks !== undefined) manifest.chunks = list;
      return { feedJson: await sign(manifest, m.signer, next.feedJson), chunks };
    }
    case 'sequence': {
      const manifest = manifestOf(next.feedJson);
      manifest.sequence = run.held.manifest.sequence + m.delta;
      return { feedJson: await sign(manifest, m.signer, next.feedJson), chunks };
    }
    case 'signatures': {
      const envelope = JSON.parse(utf8Decode(next.feedJson) as string) as {
        signatures: { keyid: string; sig: string }[];
        payload: string;
      };
      const payload = base64Decode(envelope.payload) as Uint8Array;
      const strangers = JSON.parse(utf8Decode(await signManifest(payload, stranger.privateKey)) as string)
        .signatures as { keyid: string; sig: string }[];
      const mine = envelope.signatures[0] as { keyid: string; sig: string };
      const held = JSON.parse(utf8Decode(run.held.feedJson) as string).signatures[0] as {
        keyid: string;
        sig: string;
      };
      envelope.signatures = {
        stranger: strangers,
        both: [mine, ...strangers],
        none: [],
        keyid: [{ ...mine, keyid: `${mine.keyid.slice(0, -1)}${mine.keyid.endsWith('0') ? '1' : '0'}` }],
        'old-sig': [held],
        twice: [mine, mine],
        'stranger-first': [...strangers, mine],
      }[m.op];
      return { feedJson: utf8Encode(JSON.stringify(envelope)), chunks };
    }
    case 'replay': {
      const older = run.built[m.which % run.built.length] as BuiltFeed;
      return { feedJson: older.files.get('feed.json') as Uint8Array, chunks };
    }
    case 'address': {
      if (m.op === 'other-feed') {
        // Another feed signed by the same key, at this address (a mirror's or a redirect's choice).
        run.otherFeed ??= await build(feedSource(OTHER_FEED, [xLabel('o1', 'zoe')]), publisher, {
          sequence: 1_000,
        });
        return { feedJson: run.otherFeed.files.get('feed.json') as Uint8Array, chunks };
      }
      const manifest = manifestOf(next.feedJson);
      if (m.op === 'other-id') manifest.id = OTHER_FEED;
      if (m.op === 'other-id-listing-this') {
        manifest.id = OTHER_FEED;
        manifest.mirrors = [FEED];
      }
      if (m.op === 'add-mirror') manifest.mirrors = ['https://mirror.example/f/feed.json'];
      return { feedJson: await sign(manifest, 'publisher', next.feedJson), chunks };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The oracle: the one verification path and the reader's rules, decided apart from the sync

type Verdict = 'new' | 'unchanged' | 'refused';

async function expectedVerdict(
  run: Run,
  c: Case,
  feed: FeedRecord,
): Promise<{ verdict: Verdict; manifest?: FeedManifest }> {
  const keys = [feed.publicKey, feed.nextKey]
    .filter((k): k is string => !!k)
    .map((k) => base64Decode(k) as Uint8Array);
  // Chunks the reader holds are not fetched again (docs/feed-format.md, step 8): read as published.
  const held = new Set((run.held.manifest.chunks ?? []).map((r) => r.sha256));
  const report = await verifyFeed(
    async (path) => {
      if (path === 'feed.json') return c.feedJson;
      const sha = /([0-9a-f]{64})/.exec(path)?.[1];
      if (sha && held.has(sha)) return run.pristine.get(run.refs.get(sha)?.path ?? '') ?? null;
      return c.chunks.get(path) ?? run.pristine.get(path) ?? null;
    },
    { keys },
  );
  // No manifest: the envelope, the signature or the manifest itself was refused.
  const { manifest } = report;
  if (!manifest) return { verdict: 'refused' };
  const opened = openEnvelope(c.feedJson);
  const digest = opened.ok ? publicationDigest(opened.value.envelope) : '';
  if (feed.manifestId !== undefined && manifest.id !== feed.manifestId) return { verdict: 'refused' };
  if (!checkFeedAddress(manifest, feed.url).ok) return { verdict: 'refused' };
  if (manifest.sequence < feed.sequence) return { verdict: 'refused' };
  if (manifest.sequence === feed.sequence)
    return { verdict: digest === feed.payloadSha256 ? 'unchanged' : 'refused' };
  return report.ok ? { verdict: 'new', manifest } : { verdict: 'refused', manifest };
}

async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of db.tables) {
    const rows = (await table.toArray()) as Record<string, unknown>[];
    out[table.name] =
      table.name === 'feeds'
        ? rows.map((row) =>
            Object.fromEntries(
              Object.entries(row).filter(([k]) => !VOLATILE.includes(k as keyof FeedRecord)),
            ),
          )
        : rows;
  }
  return out;
}

async function clearCache(): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    for (const table of db.tables) await table.clear();
  });
  clearLookupCache();
}

// ---------------------------------------------------------------------------------------------------

/** The shard files' describe title. */
export const CAMPAIGN_NAME = 'the sync under generated and mutated feeds';

/**
 * A shard's time limit: a guard against a hang, not a speed target (the shard logs its wall and CPU
 * time). Generous, since shrinking a failure re-runs many cases, and a machine busy with other test
 * files gives a shard a fraction of a core: 5,000 cases take about 35 s of CPU.
 */
export function shardTimeout(shards: number): number {
  return Math.max(600_000, Math.ceil(TOTAL_CASES / shards) * 120);
}

/** Opens the cache and makes the keys; call in the shard file's beforeAll. */
export async function setUpCampaign(): Promise<void> {
  publisher = await generateKeyPair();
  stranger = await generateKeyPair();
  db = cacheDb();
  await db.open();
}

/**
 * Runs shard `shard` of `shards`: its share of the cases, with its own seed (fixed in `npm test`,
 * fresh under `npm run fuzz`, or FUZZ_SEED to replay the run fast-check reported for that shard's file).
 */
export async function runShard(shard: number, shards: number): Promise<void> {
  const CASES = Math.ceil(TOTAL_CASES / shards);
  const RUNS = Math.ceil(CASES / STEPS);
  const seed = SEED ?? (process.env.FUZZ_CASES ? undefined : FIXED_SEED + shard);
  const tally: Record<string, number> = { new: 0, unchanged: 0, refused: 0 };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  await fc.assert(
    fc.asyncProperty(
      publicationSpec,
      publicationSpec,
      fc.array(mutation, { minLength: STEPS, maxLength: STEPS }),
      async (first, second, steps) => {
        server = new FeedServer();
        vi.stubGlobal('fetch', server.fetch);
        await clearCache();
        const run = new Run();
        const v1 = await run.publish(first, 1);
        server.files.set(FEED, v1.files.get('feed.json') as Uint8Array);
        const preview = await previewFeed(FEED);
        if (!preview.ok) throw new Error(preview.error);
        const subscribed = await subscribe({ url: FEED, keyFingerprint: preview.value.keyFingerprint }, db);
        if (!subscribed.ok) throw new Error(subscribed.error);
        run.held = { feedJson: v1.files.get('feed.json') as Uint8Array, manifest: v1.manifest };
        await run.prepareNext(second);
        // The cache as the last case left it: the next case's "before", read again only after a
        // publication was taken (nothing else writes to it between cases).
        let unchangedSince: Record<string, unknown[]> | undefined;

        for (const step of steps) {
          const c = await makeCase(run, step);
          const feed = (await db.feeds.get(FEED)) as FeedRecord;
          const { verdict, manifest } = await expectedVerdict(run, c, feed);
          const before = unchangedSince ?? (await snapshot());
          server.files.set(FEED, c.feedJson);
          for (const [path, bytes] of c.chunks) server.files.set(DIR + path, bytes);
          let outcome: Awaited<ReturnType<typeof syncFeed>>;
          try {
            outcome = await syncFeed(FEED, db);
          } catch (error) {
            throw new Error(`syncFeed threw on ${JSON.stringify(step)}: ${String(error)}`);
          } finally {
            for (const path of c.chunks.keys())
              server.files.set(DIR + path, run.pristine.get(path) as Uint8Array);
          }
          const what = `${step.kind} ${JSON.stringify(step).slice(0, 300)} → ${verdict}: ${outcome.ok ? 'ok' : outcome.message}`;
          tally[verdict] = (tally[verdict] ?? 0) + 1;
          const after = (await db.feeds.get(FEED)) as FeedRecord;
          if (verdict !== 'new') {
            if (verdict === 'refused') {
              expect(outcome.ok, what).toBe(false);
              if (!outcome.ok) expect(outcome.message.length, what).toBeGreaterThan(20);
            }
            if (verdict === 'unchanged') expect(outcome, what).toEqual({ ok: true, value: null });
            const now = await snapshot();
            expect(now, what).toEqual(before);
            unchangedSince = now;
          } else {
            unchangedSince = undefined;
            expect(outcome, what).toEqual({ ok: true, value: null });
            const opened = openEnvelope(c.feedJson);
            expect(after, what).toMatchObject({
              sequence: manifest?.sequence,
              payloadSha256: opened.ok ? publicationDigest(opened.value.envelope) : 'unopened',
            });
            run.held = { feedJson: c.feedJson, manifest: manifest as FeedManifest };
            if (c.labels) {
              const found = await lookupLabels(db, HANDLES.map(xKey));
              expect([...new Set(found.map((f) => f.labelId))].sort(), what).toEqual(c.labels);
            }
            // The pending publication is now at or below the held sequence: publish a fresh one.
            if (step.kind === 'publish') await run.prepareNext(step.spec);
            else if (run.next.manifest.sequence <= after.sequence) await run.bumpNext();
          }
        }
      },
    ),
    { numRuns: RUNS, ...(seed !== undefined ? { seed } : {}), endOnFailure: CASES > 20_000 },
  );
  warn.mockRestore();
  vi.unstubAllGlobals();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const used = process.cpuUsage(cpu);
  const cpuSeconds = ((used.user + used.system) / 1e6).toFixed(1);
  console.log(
    `sync fuzz, shard ${shard} of ${shards}: ${RUNS * STEPS} cases in ${seconds} s (CPU ${cpuSeconds} s)`,
    tally,
  );
  // The campaign reaches every outcome, not just refusals.
  expect(tally.new).toBeGreaterThan(RUNS);
  expect(tally.unchanged).toBeGreaterThan(0);
  expect(tally.refused).toBeGreaterThan(RUNS * STEPS * 0.5);
  void shard;
}
