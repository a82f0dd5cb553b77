import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ALL_SITE_KEYS } from '../feed/site-keys';
import { KeyIndex } from '../lens/keyIndex';
import type { PageIndexWire } from '../messaging/protocol';
import { cacheDb } from '../storage/db';
import { mastodonHostsItem } from '../storage/settings';
import { cleanUp, onInstalled, startWorker } from './lifecycle';
import { clearLookupCache } from './lookup';
import { CONTENT_SCRIPT_FILE, hostPatterns, MASTODON_SCRIPT_ID, syncMastodonRegistrations } from './mastodon';
import { feedMessages } from './messages';
import { SYNC_ALARM } from './service';
import { build, FeedServer, feedSource, keys, publicKeyText, xKey, xLabel } from './testing';

const EXT = 'chrome-extension://test-extension-id/';
const PAGE = { id: 'test-extension-id', url: `${EXT}options.html` };
const CONTENT = { id: 'test-extension-id', url: 'https://x.com/home' };
const STRANGER = { id: 'another-extension', url: 'chrome-extension://another-extension/page.html' };
const SEED_ID = 'https://context-lens.example/seed/feed.json';

let server: FeedServer;

beforeEach(async () => {
  server = new FeedServer();
  vi.stubGlobal('fetch', server.fetch);
  await cacheDb().delete({ disableAutoOpen: false });
  clearLookupCache();
  const key = await keys();
  const built = await build(feedSource(SEED_ID, [xLabel('s1', 'seeded')], { name: 'Seed' }), key, {
    sequence: 1,
  });
  server.publish(`${EXT}seed/`, built);
  server.put(`${EXT}seed/public-key.txt`, publicKeyText(key));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function fakeScripting(granted: string[]) {
  const registered: { id: string; matches: string[]; js: string[] }[] = [];
  Object.assign(fakeBrowser, {
    permissions: {
      contains: async ({ origins }: { origins: string[] }) => origins.every((o) => granted.includes(o)),
    },
    scripting: {
      getRegisteredContentScripts: async ({ ids }: { ids: string[] }) =>
        registered.filter((s) => ids.includes(s.id)),
      registerContentScripts: async (scripts: typeof registered) => {
        registered.push(...scripts);
      },
      updateContentScripts: async (scripts: typeof registered) => {
        for (const s of scripts) Object.assign(registered.find((r) => r.id === s.id) ?? {}, s);
      },
      unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
        for (const id of ids)
          registered.splice(
            registered.findIndex((r) => r.id === id),
            1,
          );
      },
    },
  });
  return registered;
}

describe('a worker start', () => {
  it('installs the seed, creates the sync alarm, mirrors status; lookups answer content scripts', async () => {
    fakeScripting([]);
    await startWorker();
    expect((await fakeBrowser.alarms.getAll()).map((a) => a.name)).toEqual([SYNC_ALARM]);
    expect(await feedMessages.listFeeds(PAGE)).toEqual([
      expect.objectContaining({ id: SEED_ID, state: 'fresh' }),
    ]);
    const found = await feedMessages.lookup(CONTENT, [xKey('seeded')]);
    expect(found.map((m) => m.labelId)).toEqual(['s1']);
  });

  it('reads the package again only on an update, where a higher bundled sequence replaces the seed', async () => {
    fakeScripting([]);
    await startWorker();
    const reads = server.requests.length;
    await startWorker();
    expect(server.requests.length).toBe(reads);
    const key = await keys();
    const built = await build(feedSource(SEED_ID, [xLabel('s2', 'sown')], { name: 'Seed' }), key, {
      sequence: 2,
    });
    server.publish(`${EXT}seed/`, built);
    server.put(`${EXT}seed/public-key.txt`, publicKeyText(key));
    await onInstalled('update');
    expect(
      (await feedMessages.lookup(CONTENT, [xKey('seeded'), xKey('sown')])).map((m) => m.labelId),
    ).toEqual(['s2']);
  });

  it('cleans up the rows of a sync that a dying worker left behind', async () => {
    fakeScripting([]);
    await startWorker();
    const db = cacheDb();
    await db.chunks.put({
      feedId: SEED_ID,
      sha256: 'orphan',
      count: 0,
      hashes: new Uint32Array(0),
      indexed: new Uint8Array(0),
      negIds: [],
      ids: '',
    });
    await db.versions.put({
      id: 'half',
      feedId: SEED_ID,
      sequence: 9,
      complete: false,
      createdAt: '',
      definitions: [],
      chunks: [{ sha256: 'orphan', count: 0 }],
      pageBits: 0,
      entryCount: 0,
    });
    await cleanUp(db);
    expect(await db.versions.get('half')).toBeUndefined();
    expect(await db.chunks.get([SEED_ID, 'orphan'])).toBeUndefined();
    expect(await feedMessages.lookup(CONTENT, [xKey('seeded')])).toHaveLength(1);
  });
});

describe('message senders', () => {
  beforeEach(async () => {
    fakeScripting([]);
    await startWorker();
  });

  it('ignores messages from other extensions', async () => {
    expect(await feedMessages.lookup(STRANGER, [xKey('seeded')])).toEqual([]);
    expect(await feedMessages.pageIndex(STRANGER)).toBeNull();
    const wire = await feedMessages.pageIndex(CONTENT);
    expect(await feedMessages.pageIndexPart(STRANGER, { id: wire?.id, part: 0 })).toBeNull();
    expect(await feedMessages.listFeeds(STRANGER)).toEqual([]);
    expect(await feedMessages.clearCache(STRANGER)).toMatchObject({ ok: false });
  });

  it('takes UI requests only from extension pages, never from a content script', async () => {
    expect(await feedMessages.listFeeds(CONTENT)).toEqual([]);
    expect(await feedMessages.listDefinitions(CONTENT)).toEqual([]);
    expect(await feedMessages.setFeedEnabled(CONTENT, { feedId: SEED_ID, enabled: false })).toMatchObject({
      ok: false,
    });
    expect(await feedMessages.unsubscribe(CONTENT, SEED_ID)).toMatchObject({ ok: false });
    expect(await feedMessages.syncNow(CONTENT)).toMatchObject({ ok: false });
    expect((await cacheDb().feeds.get(SEED_ID))?.enabled).toBe(true);
    expect(await feedMessages.setFeedEnabled(PAGE, { feedId: SEED_ID, enabled: false })).toEqual({
      ok: true,
      value: null,
    });
    expect(await feedMessages.lookup(CONTENT, [xKey('seeded')])).toEqual([]);
  });

  it('gives a content script the page index, and its entries’ parts only for the index it has', async () => {
    const wire = (await feedMessages.pageIndex(CONTENT)) as PageIndexWire;
    // The seed's one label: short enough to travel whole.
    expect(wire.count).toBe(1);
    expect(wire.parts).toBeUndefined();
    expect(KeyIndex.decode(wire, ALL_SITE_KEYS)?.labels(xKey('seeded'), Date.now())).toHaveLength(1);
    // Its first part is the answer's own; there is no other.
    expect(await feedMessages.pageIndexPart(CONTENT, { id: wire.id, part: 0 })).toBeNull();
    expect(await feedMessages.pageIndexPart(CONTENT, { id: wire.id, part: 1 })).toBeNull();
    expect(await feedMessages.pageIndexPart(CONTENT, { id: wire.id, part: '1' })).toBeNull();
    expect(await feedMessages.pageIndexPart(CONTENT, undefined)).toBeNull();
  });

  it('clearCache from the options page drops everything and reinstalls the seed', async () => {
    expect(await feedMessages.clearCache(PAGE)).toEqual({ ok: true, value: null });
    expect((await feedMessages.listFeeds(PAGE)).map((f) => f.id)).toEqual([SEED_ID]);
    expect(await feedMessages.lookup(CONTENT, [xKey('seeded'), 42])).toHaveLength(1);
  });
});

describe('Mastodon hosts', () => {
  it('registers the content script only for enabled hosts whose permission is granted', async () => {
    const registered = fakeScripting(['https://fosstodon.org/*', 'https://hachyderm.io/*']);
    await mastodonHostsItem.setValue([
      'Fosstodon.org',
      'hachyderm.io',
      'not granted.example',
      'bad host',
      'infosec.exchange',
    ]);
    await syncMastodonRegistrations();
    expect(registered).toEqual([
      {
        id: MASTODON_SCRIPT_ID,
        matches: ['https://fosstodon.org/*', 'https://hachyderm.io/*'],
        js: [CONTENT_SCRIPT_FILE],
      },
    ]);
    await syncMastodonRegistrations(['hachyderm.io']);
    expect(registered[0]?.matches).toEqual(['https://hachyderm.io/*']);
    await syncMastodonRegistrations([]);
    expect(registered).toEqual([]);
  });

  it('accepts hostnames only', () => {
    expect(hostPatterns(['a.example', 'A.EXAMPLE.', 'x/y', 'https://b.example', 3, 'localhost'])).toEqual([
      'https://a.example/*',
    ]);
  });
});
