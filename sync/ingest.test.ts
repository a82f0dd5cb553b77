import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChunkRef, FeedManifest, Label } from '../feed';
import { accountKeys, linkLookupKeys } from '../feed/targets';
import { type CacheDb, cacheDb, type FeedRecord } from '../storage/db';
import { collectGarbage, commitVersion, type Outcome, writeVersion } from './ingest';
import { clearLookupCache, holdsWholeIndex, lookupLabels, MAX_LOOKUP_KEYS, wholeIndexReads } from './lookup';
import { DEFINITIONS, xKey } from './testing';

// Two label ids that share a 64-bit hash, as two distinct ids of one feed could (odds about 1 in
// 10^8 at two million labels, or on purpose): everything else hashes as always.
vi.mock('../feed/hash', async (importOriginal) => {
  const real = await importOriginal<typeof import('../feed/hash')>();
  return {
    ...real,
    hashKey: (key: string) => real.hashKey(key === 'collides-2' ? 'collides-1' : key),
  };
});

const FEED = 'https://feeds.example/f/feed.json';
let db: CacheDb;

function label(id: string, handle: string, extra: Partial<Label> = {}): Label {
  return {
    id,
    account: `https://x.com/${handle}`,
    val: 'suspended',
    sources: [{ url: 'https://news.example/1' }],
    cts: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

/** A manifest whose chunks are given directly (the fetching and checking are service.ts's). */
function manifest(sequence: number, chunks: Label[][], inline?: Label[]): FeedManifest {
  return {
    format: 'context-lens/1',
    id: FEED,
    name: 'Feed',
    publisher: 'Pub',
    homepage: 'https://pub.example/',
    description: '',
    appeals: 'https://pub.example/appeals',
    sequence,
    issued: '2026-01-01T00:00:00Z',
    expires: '2099-01-01T00:00:00Z',
    publicKey: 'AAAA',
    definitions: DEFINITIONS,
    ...(inline ? { labels: inline } : {}),
    chunks: chunks.map((labels, i) => ({
      path: `chunks/${sequence}-${i}.json`,
      sha256: `${JSON.stringify(labels).length}-${labels.map((l) => l.id).join(',')}`,
      count: labels.length,
      bytes: 1,
    })),
  };
}

async function store(
  m: FeedManifest,
  chunks: Label[][],
  loadChunk?: (ref: ChunkRef, i: number) => Promise<Outcome<Label[]>>,
) {
  const written = await writeVersion(db, {
    feedId: FEED,
    manifest: m,
    loadChunk: loadChunk ?? (async (_ref, i) => ({ ok: true, value: chunks[i] as Label[] })),
  });
  if (!written.ok) throw new Error(written.message);
  expect(await commitVersion(db, FEED, written.value.versionId, { sequence: m.sequence })).toBe(true);
  return written.value;
}

async function ids(handles: string[], now?: Date): Promise<string[]> {
  return (await lookupLabels(db, handles.map(xKey), now)).map((m) => m.labelId).sort();
}

beforeEach(async () => {
  db = cacheDb();
  await db.delete({ disableAutoOpen: false });
  clearLookupCache();
  const feed: FeedRecord = {
    id: FEED,
    url: FEED,
    bundled: false,
    enabled: true,
    publicKey: 'AAAA',
    keyFingerprint: '00',
    sequence: 0,
    name: 'Feed',
    publisher: 'Pub',
    homepage: 'https://pub.example/',
    appeals: 'https://pub.example/appeals',
    description: '',
    labelCount: 0,
    addedAt: '2026-01-01T00:00:00Z',
    failures: 0,
  };
  await db.feeds.put(feed);
});

describe('ingest and lookup', () => {
  it('a retraction in a later chunk removes the label from lookups; expired labels never match', async () => {
    const chunks = [
      [label('a', 'alice'), label('b', 'bob'), label('e', 'eve', { exp: '2026-03-01T00:00:00Z' })],
      [label('a', 'alice', { neg: true }), label('c', 'carol')],
    ];
    const stored = await store(manifest(1, chunks, [label('i', 'ivan')]), chunks);
    expect(stored.labelCount).toBe(4);
    const before = new Date('2026-02-01T00:00:00Z');
    expect(await ids(['alice', 'bob', 'carol', 'eve', 'ivan'], before)).toEqual(['b', 'c', 'e', 'i']);
    expect(await ids(['eve'], new Date('2026-04-01T00:00:00Z'))).toEqual([]);
  });

  it('stores a server label under its server key: authors on the server and links to it find it', async () => {
    const server: Label = {
      id: 's',
      link: 'blocked.example',
      server: true,
      val: 'suspended',
      sources: [{ url: 'https://lists.example/blocklist.csv' }],
      cts: '2026-01-01T00:00:00Z',
    };
    const domain: Label = { ...server, id: 'd', link: 'other.example', server: undefined };
    delete domain.server;
    await store(manifest(1, [[server, domain]]), [[server, domain]]);
    const found = async (keys: string[]) => (await lookupLabels(db, keys)).map((m) => m.labelId).sort();
    expect(await found(accountKeys('https://mastodon.social/@someone@blocked.example'))).toEqual(['s']);
    expect(await found(accountKeys('https://bsky.app/profile/someone.blocked.example.ap.brid.gy'))).toEqual([
      's',
    ]);
    expect(await found(linkLookupKeys('https://blocked.example/about'))).toEqual(['s']);
    // A plain domain label stays a link label: it does not show beside the server's accounts.
    expect(await found(accountKeys('https://other.example/@someone'))).toEqual([]);
    expect(await found(linkLookupKeys('https://other.example/x'))).toEqual(['d']);
  });

  it('answers keys of several labels, and ignores keys past the per-request cap', async () => {
    const chunk = [label('a', 'alice'), label('a2', 'alice', { val: 'state-media' }), label('z', 'zed')];
    await store(manifest(1, [chunk]), [chunk]);
    expect(await ids(['alice'])).toEqual(['a', 'a2']);
    const many = Array.from({ length: MAX_LOOKUP_KEYS }, (_, i) => xKey(`nobody${i}`));
    expect(await lookupLabels(db, [...many, xKey('zed')])).toEqual([]);
    expect(await lookupLabels(db, [xKey('zed'), ...many])).toHaveLength(1);
  });

  it('a worker killed mid-ingest leaves lookups on the old set; the next start collects the pieces', async () => {
    const old = [[label('a', 'alice')]];
    await store(manifest(1, old), old);
    const next = [[label('b', 'bob')], [label('c', 'carol')]];
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The second chunk never arrives: the worker "dies" with the first chunk already written.
    void writeVersion(db, {
      feedId: FEED,
      manifest: manifest(2, next),
      flushLabels: 1,
      loadChunk: async (_ref, i) => {
        if (i === 1) await hung;
        return { ok: true, value: next[i] as Label[] };
      },
    });
    await vi.waitFor(async () => expect(await db.chunks.count()).toBe(2));
    expect(await ids(['alice', 'bob', 'carol'])).toEqual(['a']);
    await collectGarbage(db);
    expect(await db.chunks.count()).toBe(1);
    expect(await db.blocks.count()).toBe(1);
    expect(await ids(['alice', 'bob'])).toEqual(['a']);
    release();
  });

  it('a flip interrupted half-way is rolled back: the old version stays current and whole', async () => {
    const old = [[label('a', 'alice')]];
    await store(manifest(1, old), old);
    const next = [[label('b', 'bob')]];
    const written = await writeVersion(db, {
      feedId: FEED,
      manifest: manifest(2, next),
      loadChunk: async () => ({ ok: true, value: next[0] as Label[] }),
    });
    if (!written.ok) throw new Error(written.message);
    vi.spyOn(db.feeds, 'put').mockRejectedValueOnce(new Error('worker stopped'));
    await expect(commitVersion(db, FEED, written.value.versionId, { sequence: 2 })).rejects.toThrow();
    expect((await db.versions.get(written.value.versionId))?.complete).toBe(false);
    expect(await ids(['alice', 'bob'])).toEqual(['a']);
    await collectGarbage(db);
    expect(await db.versions.count()).toBe(1);
    expect(await ids(['alice', 'bob'])).toEqual(['a']);
    vi.restoreAllMocks();
  });

  it('a failed chunk removes what the attempt wrote and keeps the held chunks', async () => {
    const old = [[label('a', 'alice')]];
    await store(manifest(1, old), old);
    const next = [[label('a', 'alice')], [label('b', 'bob')], [label('c', 'carol')]];
    const m = manifest(2, next);
    (m.chunks as ChunkRef[])[0] = (manifest(1, old).chunks as ChunkRef[])[0] as ChunkRef;
    const loaded: number[] = [];
    const outcome = await writeVersion(db, {
      feedId: FEED,
      manifest: m,
      loadChunk: async (_ref, i) => {
        loaded.push(i);
        return i === 2 ? { ok: false, message: 'part 3 failed' } : { ok: true, value: next[i] as Label[] };
      },
    });
    expect(outcome).toEqual({ ok: false, message: 'part 3 failed' });
    expect(loaded).toEqual([1, 2]);
    expect(await db.chunks.count()).toBe(1);
    expect(await db.versions.count()).toBe(1);
    expect(await ids(['alice', 'bob'])).toEqual(['a']);
  });

  it('finds labels straight after a wake (empty in-memory cache), from a large feed', async () => {
    const chunks = Array.from({ length: 4 }, (_, c) =>
      Array.from({ length: 5000 }, (_, i) => label(`l${c}-${i}`, `user${c}x${i}`)),
    );
    await store(manifest(1, chunks), chunks);
    clearLookupCache();
    expect(await ids(['user3x4999', 'user0x0', 'nobody'])).toEqual(['l0-0', 'l3-4999']);
    expect(await db.pages.count()).toBeGreaterThan(8);
  });

  it('a change chunk replaces the earlier label with the same id text, never one that only shares its hash', async () => {
    const base = [label('collides-1', 'alice'), label('same', 'carol')];
    const change = [label('collides-2', 'bob'), label('same', 'carol', { note: 'revised' })];
    const m = manifest(1, [base, change]);
    m.format = 'context-lens/2';
    (m.chunks?.[1] as ChunkRef).layer = 'change';
    await store(m, [base, change]);
    // alice's label stays: collides-2 hashes like collides-1 but is another id.
    expect(await ids(['alice', 'bob', 'carol'])).toEqual(['collides-1', 'collides-2', 'same']);
    const carol = await lookupLabels(db, [xKey('carol')]);
    expect(carol.map((m) => m.note)).toEqual(['revised']);
  });
});

describe('what a lookup keeps in memory', () => {
  it('sees every committed change to the feeds at once: a new version, a disabled or removed feed', async () => {
    const one = [[label('a', 'alice')]];
    await store(manifest(1, one), one);
    expect(await ids(['alice', 'bob'])).toEqual(['a']);
    // Let the whole index of the version be read into memory, then change everything.
    for (let i = 0; i < 20; i++) await ids(['alice']);
    await wholeIndexReads();
    const two = [[label('b', 'bob')]];
    await store(manifest(2, two), two);
    expect(await ids(['alice', 'bob'])).toEqual(['b']);
    await db.feeds.update(FEED, { enabled: false });
    expect(await ids(['alice', 'bob'])).toEqual([]);
    await db.feeds.update(FEED, { enabled: true });
    expect(await ids(['alice', 'bob'])).toEqual(['b']);
    await db.feeds.delete(FEED);
    expect(await ids(['alice', 'bob'])).toEqual([]);
  });

  it('reads the whole index only once lookups pause, never between lookups that follow each other', async () => {
    const chunks = [Array.from({ length: 300 }, (_, i) => label(`l${i}`, `user${i}`))];
    await store(manifest(1, chunks), chunks);
    const version = (await db.feeds.get(FEED))?.currentVersion as string;
    for (let i = 0; i < 4; i++) await ids(['user1']);
    // Lookups a few milliseconds apart (a page opening): no slice is read between them.
    for (let i = 0; i < 10; i++) {
      expect(await ids([`user${i}`])).toEqual([`l${i}`]);
      await new Promise((r) => setTimeout(r, 3));
    }
    expect(holdsWholeIndex(version)).toBe(false);
    await wholeIndexReads();
    expect(holdsWholeIndex(version)).toBe(true);
  });

  it('answers from the whole index read into memory exactly as from the stored pages', async () => {
    const chunks = [Array.from({ length: 300 }, (_, i) => label(`l${i}`, `user${i}`))];
    await store(manifest(1, chunks), chunks);
    const handles = Array.from({ length: 320 }, (_, i) => `user${i}`);
    const first = await ids(handles);
    for (let i = 0; i < 20; i++) await ids(['user1']);
    await wholeIndexReads();
    // The stored pages are no longer read: the answer comes from the index in memory.
    await db.pages.clear();
    expect(await ids(handles)).toEqual(first);
    expect(first).toHaveLength(300);
  });
});
