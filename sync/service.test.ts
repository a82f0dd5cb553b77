import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { base64Encode, type KeyPair, keyFingerprint } from '../feed';
import { CacheDb, cacheDb } from '../storage/db';
import { feedStatusItem } from '../storage/settings';
import { collectGarbage, QUOTA_MESSAGE } from './ingest';
import { clearLookupCache, lookupLabels } from './lookup';
import {
  clearCache,
  ensureSyncAlarm,
  installBundledFeed,
  listDefinitions,
  onAlarm,
  previewFeed,
  RETRY_BASE_MS,
  RETRY_CAP_MS,
  SYNC_ALARM,
  setFeedEnabled,
  subscribe,
  syncFeed,
  unsubscribe,
} from './service';
import { build, FeedServer, feedSource, keys, publicKeyText, xKey, xLabel } from './testing';

const DIR = 'https://feeds.example/f/';
const FEED = `${DIR}feed.json`;

let server: FeedServer;
let db: CacheDb;
let key: KeyPair;

beforeEach(async () => {
  server = new FeedServer();
  vi.stubGlobal('fetch', server.fetch);
  db = cacheDb();
  await db.delete({ disableAutoOpen: false });
  clearLookupCache();
  key = await keys();
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function publish(
  labels: ReturnType<typeof xLabel>[],
  sequence: number,
  opts: { chunkSize?: number; pair?: KeyPair; extra?: Parameters<typeof feedSource>[2] } = {},
) {
  const built = await build(feedSource(FEED, labels, opts.extra), opts.pair ?? key, {
    sequence,
    ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
  });
  server.publish(DIR, built);
  return built;
}

async function subscribeToFeed() {
  const preview = await previewFeed(FEED);
  if (!preview.ok) throw new Error(preview.error);
  const reply = await subscribe({ url: FEED, keyFingerprint: preview.value.keyFingerprint }, db);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

async function labelIds(handles: string[]): Promise<string[]> {
  const found = await lookupLabels(db, handles.map(xKey));
  return found.map((m) => m.labelId).sort();
}

async function feed() {
  const record = await db.feeds.get(FEED);
  if (!record) throw new Error('no feed');
  return record;
}

describe('previewing and subscribing', () => {
  it('previews name, publisher, label count and the key fingerprint before anything is stored', async () => {
    await publish([xLabel('a', 'alice'), xLabel('b', 'bob')], 1);
    const preview = await previewFeed(FEED);
    expect(preview).toMatchObject({
      ok: true,
      value: { name: 'Test feed', publisher: 'Test publisher', labelCount: 2, sequence: 1 },
    });
    expect(preview.ok && preview.value.keyFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await db.feeds.count()).toBe(0);
  });

  it('accepts https, and http only on localhost or 127.0.0.1', async () => {
    for (const url of [
      'http://feeds.example/feed.json',
      'ftp://x/feed.json',
      'not a url',
      'https://u:p@x.example/f.json',
    ]) {
      const preview = await previewFeed(url);
      expect(preview.ok, url).toBe(false);
    }
    server.put('http://127.0.0.1:8080/feed.json', '{');
    const local = await previewFeed('http://127.0.0.1:8080/feed.json');
    expect(local).toMatchObject({ ok: false, error: expect.stringContaining('not a valid signed feed') });
  });

  it('subscribes, syncs, and answers lookups; a changed key since the preview is refused', async () => {
    await publish([xLabel('a', 'alice'), xLabel('b', 'bob')], 1);
    const refused = await subscribe({ url: FEED, keyFingerprint: 'f'.repeat(64) }, db);
    expect(refused).toMatchObject({
      ok: false,
      error: expect.stringContaining('changed since you previewed'),
    });
    const status = await subscribeToFeed();
    expect(status).toMatchObject({
      state: 'fresh',
      sequence: 1,
      labelCount: 2,
      enabled: true,
      bundled: false,
    });
    expect(await labelIds(['alice', 'bob', 'carol'])).toEqual(['a', 'b']);
    const [match] = await lookupLabels(db, [xKey('alice')]);
    expect(match).toMatchObject({
      key: 'account:x:alice',
      feedId: FEED,
      feedName: 'Test feed',
      verified: true,
      stale: false,
      definition: { id: 'suspended', severity: 'alert' },
      sources: [{ url: 'https://news.example/a' }],
    });
    expect((await feedStatusItem.getValue()).map((s) => s.state)).toEqual(['fresh']);
    const again = await subscribe({ url: FEED, keyFingerprint: status.keyFingerprint }, db);
    expect(again).toMatchObject({ ok: false, error: expect.stringContaining('already subscribed') });
  });

  it('unsubscribe deletes every label of the feed; disable keeps them but stops matching', async () => {
    await publish([xLabel('a', 'alice')], 1, { chunkSize: 1 });
    await publish([xLabel('a', 'alice'), xLabel('b', 'bob')], 1, { chunkSize: 1 });
    await subscribeToFeed();
    await setFeedEnabled({ feedId: FEED, enabled: false }, db);
    expect(await labelIds(['alice'])).toEqual([]);
    expect((await feedStatusItem.getValue())[0]?.state).toBe('disabled');
    await setFeedEnabled({ feedId: FEED, enabled: true }, db);
    expect(await labelIds(['alice'])).toEqual(['a']);
    expect(await unsubscribe(FEED, db)).toEqual({ ok: true, value: null });
    expect(await labelIds(['alice'])).toEqual([]);
    for (const table of [db.feeds, db.versions, db.chunks, db.blocks, db.pages, db.filters]) {
      expect(await table.count(), table.name).toBe(0);
    }
    expect(await feedStatusItem.getValue()).toEqual([]);
  });

  it('lists the definitions of every stored feed', async () => {
    await publish([xLabel('a', 'alice')], 1);
    await subscribeToFeed();
    const defs = await listDefinitions(db);
    expect(defs.map((d) => d.definition.id)).toEqual(['suspended', 'state-media']);
    expect(defs[0]).toMatchObject({ feedId: FEED, feedName: 'Test feed' });
  });
});

describe("the feed's address: its signed id, a mirror it lists, or this computer", () => {
  const MIRROR = 'https://mirror.example/copy/feed.json';
  const COPY = 'https://copier.example/feed.json';

  async function publishAt(
    url: string,
    labels: ReturnType<typeof xLabel>[],
    sequence: number,
    mirrors?: string[],
  ) {
    const built = await build(feedSource(FEED, labels, mirrors ? { mirrors } : {}), key, { sequence });
    server.publish(url.slice(0, url.lastIndexOf('/') + 1), built);
    return built;
  }

  it("refuses to subscribe where the feed does not say it is published, naming the feed's own address", async () => {
    await publishAt(COPY, [xLabel('a', 'alice')], 1);
    const preview = await previewFeed(COPY);
    expect(preview).toEqual({
      ok: false,
      error: `This address does not publish the feed it serves: the feed says it is published at ${FEED}, not at ${COPY}, and does not list this address as a mirror. A copy elsewhere could hold back its updates; subscribe at ${FEED} instead.`,
    });
    const direct = await subscribe({ url: COPY, keyFingerprint: keyFingerprint(key.publicKey) }, db);
    expect(direct).toEqual(preview);
    expect(await db.feeds.count()).toBe(0);
  });

  it('shows a mirror the signed feed lists as one, subscribes there, and refuses a second subscription to the same feed', async () => {
    await publishAt(FEED, [xLabel('a', 'alice')], 1, [MIRROR]);
    await publishAt(MIRROR, [xLabel('a', 'alice')], 1, [MIRROR]);
    const own = await previewFeed(FEED);
    expect(own).toMatchObject({ ok: true, value: { url: FEED, id: FEED, address: 'publisher' } });
    const mirrored = await previewFeed(MIRROR);
    expect(mirrored).toMatchObject({ ok: true, value: { url: MIRROR, id: FEED, address: 'mirror' } });
    if (!mirrored.ok) return;
    const status = await subscribe({ url: MIRROR, keyFingerprint: mirrored.value.keyFingerprint }, db);
    expect(status).toMatchObject({ ok: true, value: { url: MIRROR, state: 'fresh', labelCount: 1 } });
    expect(await db.feeds.get(MIRROR)).toMatchObject({ manifestId: FEED });
    expect(await labelIds(['alice'])).toEqual(['a']);
    const twice = await subscribe({ url: FEED, keyFingerprint: mirrored.value.keyFingerprint }, db);
    expect(twice).toEqual({ ok: false, error: `You already follow this feed (at ${MIRROR}).` });
  });

  it('takes a copy served on this computer (a curator testing a build), shown as local', async () => {
    const local = 'http://127.0.0.1:8787/feed.json';
    await publishAt(local, [xLabel('a', 'alice')], 1);
    expect(await previewFeed(local)).toMatchObject({
      ok: true,
      value: { url: local, id: FEED, address: 'local' },
    });
  });

  it('at every sync: a mirror the publisher stopped listing, or another feed of the same key swapped in, is refused and the copy kept', async () => {
    await publishAt(MIRROR, [xLabel('a', 'alice')], 1, [MIRROR]);
    const preview = await previewFeed(MIRROR);
    if (!preview.ok) throw new Error(preview.error);
    await subscribe({ url: MIRROR, keyFingerprint: preview.value.keyFingerprint }, db);

    // The publisher drops the mirror; the mirror serves the new publication as it is.
    await publishAt(MIRROR, [xLabel('a', 'alice'), xLabel('b', 'bob')], 2);
    const dropped = await syncFeed(MIRROR, db);
    expect(dropped).toMatchObject({
      ok: false,
      message: `The feed no longer lists ${MIRROR} as one of its addresses (the feed says it is published at ${FEED}, not at ${MIRROR}). It was refused; the copy you had is kept. Subscribe at ${FEED} to keep receiving it.`,
    });
    expect(await labelIds(['alice', 'bob'])).toEqual(['a']);

    // The mirror (or a redirect within its site) serves another feed the same key signs.
    const other = await build(
      feedSource('https://feeds.example/other/feed.json', [xLabel('z', 'zoe')], { mirrors: [MIRROR] }),
      key,
      { sequence: 5 },
    );
    server.publish('https://mirror.example/copy/', other);
    const swapped = await syncFeed(MIRROR, db);
    expect(swapped).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        `offered another feed (https://feeds.example/other/feed.json) than the one you subscribed to (${FEED})`,
      ),
    });
    expect(await labelIds(['alice', 'zoe'])).toEqual(['a']);
    expect((await db.feeds.get(MIRROR))?.sequence).toBe(1);
  });
});

describe('syncing', () => {
  it('sees exactly the change of a new version: a retracted label gone, a new one there', async () => {
    await publish([xLabel('a', 'alice'), xLabel('b', 'bob')], 1);
    await subscribeToFeed();
    await publish([xLabel('b', 'bob'), xLabel('c', 'carol')], 2);
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    expect(await labelIds(['alice', 'bob', 'carol'])).toEqual(['b', 'c']);
    expect((await feed()).sequence).toBe(2);
    expect(await db.versions.count()).toBe(1);
  });

  it('sends conditional requests; a 304 keeps the data and counts as a success', async () => {
    await publish([xLabel('a', 'alice')], 1);
    await subscribeToFeed();
    await syncFeed(FEED, db);
    const last = server.requested(FEED).at(-1);
    expect(last?.headers['if-none-match']).toMatch(/^".+"$/);
    expect(await labelIds(['alice'])).toEqual(['a']);
    expect((await feed()).lastError).toBeUndefined();
  });

  it('downloads only the chunks it does not hold', async () => {
    const labels = Array.from({ length: 6 }, (_, i) => xLabel(`l${i}`, `user${i}`));
    const first = await publish(labels, 1, { chunkSize: 2 });
    await subscribeToFeed();
    expect(server.requested(`${DIR}chunks/`)).toHaveLength(3);
    const second = await build(feedSource(FEED, [...labels, xLabel('l9', 'user9')]), key, {
      chunkSize: 2,
      previous: first,
      sequence: 2,
    });
    server.publish(DIR, second);
    const before = server.requested(`${DIR}chunks/`).length;
    await syncFeed(FEED, db);
    const fetched = server
      .requested(`${DIR}chunks/`)
      .slice(before)
      .map((r) => r.url);
    const held = new Set(first.manifest.chunks?.map((c) => c.path));
    const fresh = (second.manifest.chunks ?? []).filter((c) => !held.has(c.path));
    expect(fresh.length).toBeGreaterThan(0);
    expect(fetched.sort()).toEqual(fresh.map((c) => DIR + c.path).sort());
    expect(await labelIds(['user0', 'user5', 'user9'])).toEqual(['l0', 'l5', 'l9']);
  });

  it('checks a held chunk again once when its row predates the kept listing, then reuses it', async () => {
    const labels = Array.from({ length: 4 }, (_, i) => xLabel(`l${i}`, `user${i}`));
    const first = await publish(labels, 1, { chunkSize: 2 });
    await subscribeToFeed();
    const rows = await db.chunks.toArray();
    expect(rows.map((r) => r.checked?.bytes).sort()).toEqual(
      (first.manifest.chunks ?? []).map((c) => c.bytes).sort(),
    );
    // As stored before rows kept what they were checked under.
    await db.chunks.bulkPut(rows.map(({ checked: _, ...row }) => row));
    for (const sequence of [2, 3]) {
      const next = await build(feedSource(FEED, [...labels, xLabel(`n${sequence}`, `new${sequence}`)]), key, {
        chunkSize: 2,
        previous: first,
        sequence,
      });
      server.publish(DIR, next);
      const before = server.requested(`${DIR}chunks/`).length;
      expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
      const fetched = new Set(
        server
          .requested(`${DIR}chunks/`)
          .slice(before)
          .map((r) => r.url),
      );
      const heldFetched = (first.manifest.chunks ?? []).filter((c) => fetched.has(DIR + c.path));
      expect(heldFetched).toHaveLength(sequence === 2 ? (first.manifest.chunks ?? []).length : 0);
    }
    expect(await labelIds(['user0', 'user3', 'new3'])).toEqual(['l0', 'l3', 'n3']);
  });

  it('applies format-2 change chunks: a changed, a dropped and a re-added label, fetching only the change', async () => {
    const labels = Array.from({ length: 12 }, (_, i) => xLabel(`l${i}`, `user${i}`));
    const first = await publish(labels, 1, { chunkSize: 4 });
    expect(first.manifest.format).toBe('context-lens/2');
    await subscribeToFeed();
    // l1 now labels someone else, l2 is dropped (a retraction), l12 is new.
    const day2 = labels.filter((l) => l.id !== 'l2').map((l) => (l.id === 'l1' ? xLabel('l1', 'other1') : l));
    const second = await build(feedSource(FEED, [...day2, xLabel('l12', 'user12')]), key, {
      chunkSize: 4,
      previous: first,
      sequence: 2,
    });
    expect(second.manifest.chunks?.at(-1)).toMatchObject({ layer: 'change', count: 3 });
    server.publish(DIR, second);
    const before = server.requested(`${DIR}chunks/`).length;
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    expect(server.requested(`${DIR}chunks/`).slice(before)).toHaveLength(1);
    expect(await labelIds(['user1', 'other1', 'user2', 'user3', 'user12'])).toEqual(['l1', 'l12', 'l3']);
    expect((await feed()).labelCount).toBe(12);
    // l2 comes back in a later change chunk: the earlier retraction no longer applies to it.
    const third = await build(
      feedSource(FEED, [...day2, xLabel('l12', 'user12'), xLabel('l2', 'user2')]),
      key,
      {
        chunkSize: 4,
        previous: second,
        sequence: 3,
      },
    );
    server.publish(DIR, third);
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    expect(await labelIds(['user1', 'other1', 'user2', 'user12'])).toEqual(['l1', 'l12', 'l2']);
  });

  it('stores a small update as changes over the version held, answering exactly as a fresh copy of it', async () => {
    const labels = Array.from({ length: 96 }, (_, i) => xLabel(`l${i}`, `user${i}`));
    let built = await publish(labels, 1, { chunkSize: 16 });
    await subscribeToFeed();
    const full = (await feed()).currentVersion as string;
    const handles = [...labels.map((_, i) => `user${i}`), 'other1', 'other5', 'new1', 'new2'];
    // What a reader that subscribes to `built` from scratch sees (a full version), beside ours.
    const answers = async (from: CacheDb) =>
      (await lookupLabels(from, handles.map(xKey)))
        .map((m) => `${m.key} ${m.labelId} ${m.definition.id} ${m.sources[0]?.url}`)
        .sort();
    const same = async () => {
      const fresh = new CacheDb(`fresh-${built.manifest.sequence}`);
      const preview = await previewFeed(FEED);
      if (!preview.ok) throw new Error(preview.error);
      const reply = await subscribe({ url: FEED, keyFingerprint: preview.value.keyFingerprint }, fresh);
      expect(reply.ok).toBe(true);
      clearLookupCache();
      expect(await answers(db)).toEqual(await answers(fresh));
      expect((await feed()).labelCount).toBe((await fresh.feeds.get(FEED))?.labelCount);
      await fresh.delete();
    };
    let day = labels;
    const days: ((l: typeof labels) => typeof labels)[] = [
      // l1 labels someone else, l2 is retracted, new1 is new, l3's source changes.
      (l) => [
        ...l
          .filter((x) => x.id !== 'l2')
          .map((x) =>
            x.id === 'l1'
              ? xLabel('l1', 'other1')
              : x.id === 'l3'
                ? xLabel('l3', 'user3', { sources: [{ url: 'https://news.example/fixed' }] })
                : x,
          ),
        xLabel('new1', 'new1'),
      ],
      // l1 changes again, l2 comes back, l5 moves, new2 is new.
      (l) => [
        ...l.map((x) => (x.id === 'l1' ? xLabel('l1', 'user1') : x.id === 'l5' ? xLabel('l5', 'other5') : x)),
        xLabel('l2', 'user2'),
        xLabel('new2', 'new2'),
      ],
    ];
    for (const [i, edit] of days.entries()) {
      day = edit(day);
      built = await build(feedSource(FEED, day), key, { chunkSize: 16, previous: built, sequence: i + 2 });
      server.publish(DIR, built);
      expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
      const version = await db.versions.get((await feed()).currentVersion as string);
      expect(version?.base).toBe(full);
      await same();
    }
    // The full version it is stored over, and the current one, are all that is kept.
    expect((await db.versions.toArray()).map((v) => v.id).sort()).toEqual(
      [full, (await feed()).currentVersion].sort(),
    );
    // A clean-up (after a worker died) keeps the base too.
    await collectGarbage(db);
    clearLookupCache();
    await same();
    // Changes grown past their share: the next publication is stored whole, and the base dropped.
    day = day.map((x, i) => (i < 20 ? { ...x, note: `changed ${i}` } : x));
    built = await build(feedSource(FEED, day), key, { chunkSize: 16, previous: built, sequence: 9 });
    server.publish(DIR, built);
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    const current = (await feed()).currentVersion as string;
    expect((await db.versions.get(current))?.base).toBeUndefined();
    expect((await db.versions.toArray()).map((v) => v.id)).toEqual([current]);
    expect(new Set((await db.pages.toCollection().primaryKeys()).map(([v]) => v))).toEqual(
      new Set([current]),
    );
    await same();
  });

  it('mirrors progress (labels ingested of the total) while a sync runs', async () => {
    const labels = Array.from({ length: 4 }, (_, i) => xLabel(`l${i}`, `user${i}`));
    const built = await publish(labels, 1, { chunkSize: 1 });
    // The first chunk arrives at once; the rest wait until the test has looked at the running sync,
    // so what it sees does not depend on how fast this machine is.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const [i, ref] of (built.manifest.chunks ?? []).entries()) {
      const bytes = built.files.get(ref.path) as Uint8Array;
      server.fail(DIR + ref.path, async () => {
        if (i > 0) await released;
        return new Response(bytes.slice());
      });
    }
    const seen: unknown[] = [];
    const unwatch = feedStatusItem.watch((value) => {
      for (const s of value) if (s.progress) seen.push({ state: s.state, ...s.progress });
    });
    const subscribing = subscribeToFeed();
    await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0));
    // While it runs, an alarm stands ready to restart the sync should the worker die.
    expect(await fakeBrowser.alarms.get(`retry:${FEED}`)).toBeDefined();
    release();
    await subscribing;
    unwatch();
    expect(await fakeBrowser.alarms.get(`retry:${FEED}`)).toBeUndefined();
    expect(seen).toContainEqual(expect.objectContaining({ state: 'syncing', total: 4 }));
    expect(seen.some((p) => (p as { done: number }).done > 0)).toBe(true);
    expect((await feedStatusItem.getValue())[0]).toMatchObject({ state: 'fresh' });
    expect((await feedStatusItem.getValue())[0]?.progress).toBeUndefined();
  });

  it('key rotation: after nextKey B is announced either A or B is accepted until B is used, then only B', async () => {
    const a = key;
    const b = await keys();
    await publish([xLabel('a', 'alice')], 1, { extra: { nextKey: base64Encode(b.publicKey) } });
    await subscribeToFeed();
    expect((await feed()).publicKey).toBe(publicKeyText(a));
    expect((await feed()).nextKey).toBe(publicKeyText(b));
    // The announcing publication again (no ETags): no change.
    const announcing = server.files.get(FEED) as Uint8Array;
    server.fail(FEED, () => new Response(announcing.slice()));
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    server.faults.delete(FEED);
    // B not used yet: the next publication signed only by A (still announcing B) is accepted.
    await publish([xLabel('b', 'bob')], 2, { pair: a, extra: { nextKey: base64Encode(b.publicKey) } });
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    expect(await labelIds(['alice', 'bob'])).toEqual(['b']);
    expect((await feed()).publicKey).toBe(publicKeyText(a));
    // The first publication signed by B makes B the pinned key.
    await publish([xLabel('c', 'carol')], 3, { pair: b });
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    expect(await labelIds(['bob', 'carol'])).toEqual(['c']);
    expect(await feed()).toMatchObject({ publicKey: publicKeyText(b), nextKey: undefined });
    // From then on A is retired, and a stranger was never trusted.
    for (const pair of [a, await keys()]) {
      await publish([xLabel('d', 'dan')], 4, { pair });
      expect(await syncFeed(FEED, db)).toMatchObject({
        ok: false,
        message: expect.stringContaining('signed by a different key'),
      });
      expect(await labelIds(['carol', 'dan'])).toEqual(['c']);
    }
  });
});

describe('unsubscribing or turning a feed off during its sync', () => {
  /** v1 held (two chunks); v2 published, its first new chunk answering a few bytes and then nothing. */
  async function slowUpdate() {
    const v1Labels = [xLabel('a', 'alice'), xLabel('b', 'bob'), xLabel('c', 'carol')];
    const v1 = await publish(v1Labels, 1, { chunkSize: 2 });
    await subscribeToFeed();
    const v2 = await build(feedSource(FEED, [...v1Labels, xLabel('d', 'dave'), xLabel('e', 'erin')]), key, {
      chunkSize: 2,
      previous: v1,
      sequence: 2,
    });
    server.publish(DIR, v2);
    const fresh = [...v2.files.keys()].filter((path) => path !== 'feed.json' && !v1.files.has(path));
    expect(fresh.length).toBeGreaterThan(0);
    let reached: () => void = () => undefined;
    const slowChunkRequested = new Promise<void>((done) => {
      reached = done;
    });
    for (const path of fresh) {
      server.fail(DIR + path, () => {
        reached();
        // A slow drip: the headers and a first byte, then nothing (the chunk time limit is 60 s).
        const body = new ReadableStream<Uint8Array>({
          start: (controller) => controller.enqueue(new Uint8Array([0x1f])),
        });
        return new Response(body, { status: 200 });
      });
    }
    const sync = syncFeed(FEED, db);
    await slowChunkRequested;
    return { sync };
  }

  /** Resolves with the value, or with 'still waiting' after `ms`. */
  function within<T>(work: Promise<T>, ms = 5_000): Promise<T | 'still waiting'> {
    return Promise.race([
      work,
      new Promise<'still waiting'>((done) => setTimeout(() => done('still waiting'), ms)),
    ]);
  }

  it('unsubscribe cancels the running sync at once; the feed and every label are gone, and nothing comes back', async () => {
    const { sync } = await slowUpdate();
    expect(await within(unsubscribe(FEED, db))).toEqual({ ok: true, value: null });
    const chunkRequest = server.requests.find((r) => r.url.startsWith(`${DIR}chunks/`) && r.signal?.aborted);
    expect(chunkRequest, 'the slow chunk download was aborted').toBeDefined();
    expect(await within(sync)).toMatchObject({ ok: false, message: expect.stringContaining('stopped') });
    // No late write re-created the feed or left a label behind.
    await new Promise((done) => setTimeout(done, 50));
    for (const table of [db.feeds, db.versions, db.chunks, db.blocks, db.pages, db.filters]) {
      expect(await table.count(), table.name).toBe(0);
    }
    expect(await labelIds(['alice', 'dave'])).toEqual([]);
    expect(await feedStatusItem.getValue()).toEqual([]);
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });

  it('turning the feed off cancels the running sync at once; the old copy stays whole and no failure is recorded', async () => {
    const { sync } = await slowUpdate();
    const versionBefore = (await feed()).currentVersion;
    expect(await within(setFeedEnabled({ feedId: FEED, enabled: false }, db))).toEqual({
      ok: true,
      value: null,
    });
    expect(await within(sync)).toMatchObject({ ok: false, message: expect.stringContaining('stopped') });
    const after = await feed();
    expect(after).toMatchObject({ enabled: false, sequence: 1, currentVersion: versionBefore, failures: 0 });
    expect(after.lastError).toBeUndefined();
    expect(await db.versions.count()).toBe(1);
    await setFeedEnabled({ feedId: FEED, enabled: true }, db);
    expect(await labelIds(['alice', 'bob', 'carol', 'dave', 'erin'])).toEqual(['a', 'b', 'c']);
    // The next sync completes the update.
    server.faults.clear();
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    expect(await labelIds(['alice', 'dave', 'erin'])).toEqual(['a', 'd', 'e']);
  });
});

describe('refused updates keep the last good copy and record the reason', () => {
  async function held() {
    await publish([xLabel('a', 'alice'), xLabel('b', 'bob')], 5, { chunkSize: 1 });
    await subscribeToFeed();
    expect(await labelIds(['alice', 'bob'])).toEqual(['a', 'b']);
  }

  async function expectRefused(reason: string | RegExp) {
    const outcome = await syncFeed(FEED, db);
    expect(outcome.ok).toBe(false);
    const record = await feed();
    expect(record.lastError?.message).toMatch(reason);
    expect(Date.parse(record.lastError?.at ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(record.sequence).toBe(5);
    expect(await labelIds(['alice', 'bob', 'carol'])).toEqual(['a', 'b']);
    const status = (await feedStatusItem.getValue())[0];
    expect(status).toMatchObject({ state: 'error', lastError: { message: record.lastError?.message } });
  }

  it('a tampered manifest', async () => {
    await held();
    const built = await build(feedSource(FEED, [xLabel('c', 'carol')]), key, { sequence: 6 });
    const envelope = JSON.parse(new TextDecoder().decode(built.files.get('feed.json')));
    const payload = new TextDecoder().decode(Uint8Array.from(atob(envelope.payload), (c) => c.charCodeAt(0)));
    envelope.payload = btoa(payload.replace('Test feed', 'Evil feed'));
    server.put(FEED, JSON.stringify(envelope));
    await expectRefused(/does not match its contents/);
  });

  it('a publication signed by another key', async () => {
    await held();
    await publish([xLabel('c', 'carol')], 6, { pair: await keys() });
    await expectRefused(/signed by a different key/);
  });

  it('a rollback to an older sequence', async () => {
    await held();
    await publish([xLabel('c', 'carol')], 4);
    await expectRefused(/version 4 of the feed, older than version 5/);
  });

  it('the same publication again is no change, not an error', async () => {
    await held();
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    expect((await feed()).lastError).toBeUndefined();
    expect(await labelIds(['alice', 'bob'])).toEqual(['a', 'b']);
  });

  it('a different publication under the sequence already held (a replay or a forked mirror)', async () => {
    await held();
    await publish([xLabel('c', 'carol')], 5);
    await expectRefused(/different copy of version 5/);
  });

  it('a chunk from another version', async () => {
    await held();
    const other = await build(feedSource(FEED, [xLabel('x', 'xavier'), xLabel('y', 'yvonne')]), key, {
      chunkSize: 1,
    });
    const built = await publish([xLabel('c', 'carol'), xLabel('d', 'dave')], 6, { chunkSize: 1 });
    const ref = built.manifest.chunks?.[0];
    const foreign = other.files.get(other.manifest.chunks?.[0]?.path ?? '') as Uint8Array;
    server.put(DIR + (ref?.path ?? ''), foreign);
    await expectRefused(/signed manifest/);
    // Same size, other bytes: the SHA-256 check names it.
    const forged = (built.files.get(ref?.path ?? '') as Uint8Array).slice();
    forged[forged.length - 3] = 0x20;
    server.put(DIR + (ref?.path ?? ''), forged);
    await expectRefused(/failed its check against the signed manifest: .*does not match the sha256/);
  });

  it('an expired publication', async () => {
    await held();
    const built = await build(
      feedSource(FEED, [xLabel('c', 'carol')], {
        issued: '2020-01-01T00:00:00Z',
        expires: '2020-02-01T00:00:00Z',
      }),
      key,
      { sequence: 6 },
    );
    server.publish(DIR, built);
    await expectRefused(/expired on 2020-02-01/);
  });

  it('bad JSON', async () => {
    await held();
    server.put(FEED, '{"payloadType": ');
    await expectRefused(/not a valid signed feed/);
  });

  it('HTTP 500', async () => {
    await held();
    server.fail(FEED, () => new Response('oops', { status: 500, statusText: 'Internal Server Error' }));
    await expectRefused(/answered HTTP 500/);
  });

  it('a timeout (every request carries a time limit)', async () => {
    await held();
    server.fail(FEED, () => {
      throw new DOMException('The operation timed out.', 'TimeoutError');
    });
    await expectRefused(/took longer than 30 seconds/);
    expect(server.requests.every((r) => r.signal instanceof AbortSignal)).toBe(true);
  });

  it('a connection error', async () => {
    await held();
    server.fail(FEED, () => {
      throw new TypeError('Failed to fetch');
    });
    await expectRefused(/Could not reach feeds\.example/);
  });

  it('an oversized body (declared) and an endless one (streamed, cut at the cap)', async () => {
    await held();
    server.fail(FEED, () => new Response('x', { headers: { 'content-length': String(50 * 1024 * 1024) } }));
    await expectRefused(/larger than the 2,097,152 bytes allowed/);
    let sent = 0;
    server.fail(FEED, () => {
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += 65_536;
          controller.enqueue(new Uint8Array(65_536).fill(32));
        },
      });
      return new Response(stream);
    });
    await expectRefused(/larger than the 2,097,152 bytes allowed/);
    expect(sent).toBeLessThan(3 * 1024 * 1024);
  });

  it('a truncated chunk', async () => {
    await held();
    const built = await publish([xLabel('c', 'carol'), xLabel('d', 'dave')], 6, { chunkSize: 1 });
    const ref = built.manifest.chunks?.[1];
    const bytes = built.files.get(ref?.path ?? '') as Uint8Array;
    server.put(DIR + (ref?.path ?? ''), bytes.slice(0, 20));
    await expectRefused(/part 2 of 2 of the feed failed its check/i);
  });

  it('a full disk: the quota error is reported on the feed', async () => {
    await held();
    await publish([xLabel('c', 'carol')], 6);
    vi.spyOn(db.blocks, 'bulkPut').mockRejectedValueOnce(new DOMException('quota', 'QuotaExceededError'));
    await expectRefused(QUOTA_MESSAGE);
  });
});

describe('staleness', () => {
  it('a held copy past its expiry keeps showing, marked stale since its expiry', async () => {
    const expires = new Date(Date.now() + 3 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await publish([xLabel('a', 'alice')], 1, { extra: { expires } });
    await subscribeToFeed();
    expect((await lookupLabels(db, [xKey('alice')]))[0]).toMatchObject({ stale: false });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 4 * 86_400_000);
    try {
      const [match] = await lookupLabels(db, [xKey('alice')]);
      expect(match).toMatchObject({ labelId: 'a', stale: true, staleSince: expires });
      await setFeedEnabled({ feedId: FEED, enabled: true }, db);
      expect((await feedStatusItem.getValue())[0]?.state).toBe('stale');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('retries', () => {
  it('back off exponentially up to a cap, on an alarm per feed', async () => {
    await publish([xLabel('a', 'alice')], 1);
    await subscribeToFeed();
    server.fail(FEED, () => new Response('down', { status: 503 }));
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      const before = Date.now();
      await onAlarm(`retry:${FEED}`, db);
      const alarm = await fakeBrowser.alarms.get(`retry:${FEED}`);
      delays.push(Math.round(((alarm?.scheduledTime ?? 0) - before) / 60_000));
    }
    expect(delays.slice(0, 4)).toEqual(
      [5, 10, 20, 40].map((m) => (m * 60_000 * RETRY_BASE_MS) / (5 * 60_000) / 60_000),
    );
    expect(Math.max(...delays)).toBe(RETRY_CAP_MS / 60_000);
    expect((await feed()).failures).toBe(9);
    server.faults.delete(FEED);
    await onAlarm(`retry:${FEED}`, db);
    expect((await feed()).failures).toBe(0);
    expect(await fakeBrowser.alarms.get(`retry:${FEED}`)).toBeUndefined();
    expect(await labelIds(['alice'])).toEqual(['a']);
  });

  it('keeps one 6-hourly sync alarm, re-created when missing', async () => {
    await ensureSyncAlarm();
    await ensureSyncAlarm();
    const alarms = await fakeBrowser.alarms.getAll();
    expect(alarms.filter((a) => a.name === SYNC_ALARM)).toEqual([
      expect.objectContaining({ periodInMinutes: 360 }),
    ]);
  });
});

describe('the bundled seed feed', () => {
  const PKG = 'chrome-extension://test-extension-id/seed/';
  const SEED_ID = 'https://context-lens.example/seed/feed.json';

  async function bundle(labels: ReturnType<typeof xLabel>[], sequence: number) {
    const built = await build(feedSource(SEED_ID, labels, { name: 'Seed' }), key, { sequence });
    for (const path of [...server.files.keys()]) if (path.startsWith(PKG)) server.files.delete(path);
    server.publish(PKG, built);
    server.put(`${PKG}public-key.txt`, `${publicKeyText(key)}\n`);
  }

  it('installs from the package without a network fetch, verified against the bundled key', async () => {
    await bundle([xLabel('s1', 'seeded')], 3);
    expect(await installBundledFeed(db)).toEqual({ ok: true, value: null });
    expect(server.requests.every((r) => r.url.startsWith('chrome-extension://'))).toBe(true);
    expect(await labelIds(['seeded'])).toEqual(['s1']);
    expect((await feedStatusItem.getValue())[0]).toMatchObject({
      bundled: true,
      enabled: true,
      state: 'fresh',
      sequence: 3,
    });
    expect(await unsubscribe(SEED_ID, db)).toMatchObject({ ok: false });
  });

  it('refuses a package feed not signed by the package key', async () => {
    await bundle([xLabel('s1', 'seeded')], 3);
    server.put(`${PKG}public-key.txt`, publicKeyText(await keys()));
    expect(await installBundledFeed(db)).toMatchObject({
      ok: false,
      message: expect.stringContaining('not signed by the bundled key'),
    });
    expect(await labelIds(['seeded'])).toEqual([]);
  });

  it('is replaced by a higher bundled sequence after an update, and comes back after clearCache', async () => {
    await bundle([xLabel('s1', 'seeded')], 3);
    await installBundledFeed(db);
    await setFeedEnabled({ feedId: SEED_ID, enabled: false }, db);
    await bundle([xLabel('s2', 'sown')], 4);
    await installBundledFeed(db);
    const seed = await db.feeds.get(SEED_ID);
    expect(seed).toMatchObject({ sequence: 4, enabled: false });
    await setFeedEnabled({ feedId: SEED_ID, enabled: true }, db);
    expect(await labelIds(['seeded', 'sown'])).toEqual(['s2']);

    await publish([xLabel('a', 'alice')], 1);
    await subscribeToFeed();
    expect(await clearCache(db)).toEqual({ ok: true, value: null });
    expect((await db.feeds.toArray()).map((f) => f.id)).toEqual([SEED_ID]);
    expect(await labelIds(['alice', 'sown'])).toEqual(['s2']);
  });
});
