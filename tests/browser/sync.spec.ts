/**
 * The label cache and feed sync in the BUILT extension, in real Chromium: a feed built with the feed
 * library is served from 127.0.0.1 by a tiny node:http server; the test drives the background through
 * the protocol's messages from an extension page, like the options page does.
 *
 * Host permission: an optional host permission can only be granted from a browser prompt, which a
 * headless test cannot answer. The server therefore sends CORS headers (as static hosts such as
 * GitHub Pages do), which the extension's fetch honours without a grant; with the grant the
 * options page requests (`${origin}/*`), no CORS is needed.
 *
 * Also measures a 1,000,000-label feed (ingest time, lookup round trips warm and right after the
 * worker was stopped) and prints the numbers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltFeed,
  base64Encode,
  buildFeed,
  type ChunkRef,
  FEED_FORMAT,
  type FeedManifest,
  generateKeyPair,
  type KeyPair,
  type Label,
  makeChunk,
  previousOf,
  signManifest,
  utf8Encode,
} from '../../feed';
import type { FeedStatus, MatchedLabel } from '../../messaging/protocol';
import { type ExtensionSession, launchChromium } from './harness';

const DEFINITIONS = [
  {
    id: 'suspended',
    title: { en: 'Account suspended' },
    description: { en: 'The platform suspended this account.' },
    severity: 'alert' as const,
    defaultAction: 'badge' as const,
  },
];

function label(id: string, handle: string): Label {
  return {
    id,
    account: `https://x.com/${handle}`,
    val: 'suspended',
    sources: [{ url: `https://news.example/${id}` }],
    cts: '2026-01-01T00:00:00Z',
  };
}

/** A static file server on 127.0.0.1 with ETags, 304s, CORS, and a request log. */
class StaticServer {
  readonly files = new Map<string, Buffer>();
  readonly log: { path: string; status: number }[] = [];
  private server: Server | undefined;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Headers', 'If-None-Match, If-Modified-Since');
      res.setHeader('Access-Control-Expose-Headers', 'ETag, Last-Modified, Content-Length');
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      const body = this.files.get(path);
      if (!body) {
        this.log.push({ path, status: 404 });
        res.writeHead(404).end('not found');
        return;
      }
      const etag = `"${body.length}-${body.subarray(0, 64).toString('base64url').slice(-12)}-${hash(body)}"`;
      if (req.headers['if-none-match'] === etag) {
        this.log.push({ path, status: 304 });
        res.writeHead(304, { ETag: etag }).end();
        return;
      }
      this.log.push({ path, status: 200 });
      res.writeHead(200, { ETag: etag, 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  publish(dir: string, files: Map<string, Uint8Array>): void {
    for (const [path, bytes] of files) this.files.set(`${dir}${path}`, Buffer.from(bytes));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function hash(bytes: Buffer): number {
  let h = 0;
  for (let i = 0; i < bytes.length; i += 97) h = (h * 31 + (bytes[i] as number)) | 0;
  return h >>> 0;
}

/** Sends a protocol message from an extension page (the format of @webext-core/messaging). */
async function send<T>(page: Page, type: string, data?: unknown): Promise<{ value: T; ms: number }> {
  const answer = await page.evaluate(
    ({ type, data }) =>
      new Promise<{ res?: unknown; err?: unknown; ms: number }>((resolve) => {
        const start = performance.now();
        chrome.runtime.sendMessage(
          { id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() },
          (r) => {
            const ms = performance.now() - start;
            resolve({ ...(r ?? { err: chrome.runtime.lastError?.message ?? 'no answer' }), ms });
          },
        );
      }),
    { type, data },
  );
  if (answer.err) throw new Error(`${type}: ${JSON.stringify(answer.err)}`);
  return { value: answer.res as T, ms: answer.ms };
}

describe('feed sync in the built extension (Chromium)', () => {
  let session: ExtensionSession;
  let server: StaticServer;
  let page: Page;
  let key: KeyPair;

  beforeAll(async () => {
    server = new StaticServer();
    await server.start();
    session = await launchChromium();
    await session.waitForSeed();
    page = await session.openExtensionPage('popup.html');
    key = await generateKeyPair();
  });
  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });

  async function publish(dir: string, labels: Label[], sequence: number, previous?: BuiltFeed, pair = key) {
    const built = await buildFeed(
      {
        id: `${server.origin}${dir}feed.json`,
        name: 'Browser test feed',
        publisher: 'Test publisher',
        homepage: 'https://publisher.example/',
        description: 'Served from 127.0.0.1.',
        appeals: 'https://publisher.example/appeals',
        definitions: DEFINITIONS,
        labels,
      },
      {
        privateKey: pair.privateKey,
        sequence,
        chunkSize: 2,
        ...(previous ? { previous: await previousOf(previous) } : {}),
      },
    );
    server.publish(dir, built.files);
    return built;
  }

  async function lookup(handles: string[]): Promise<string[]> {
    const { value } = await send<MatchedLabel[]>(
      page,
      'lookup',
      handles.map((h) => `account:x:${h}`),
    );
    return value.map((m) => m.labelId).sort();
  }

  async function status(url: string): Promise<FeedStatus | undefined> {
    const feeds = (await session.getStorage<FeedStatus[]>('feedStatus')) ?? [];
    return feeds.find((f) => f.url === url);
  }

  it('subscribes, syncs, sees exactly a new version’s change, and refuses a tampered one', async () => {
    const url = `${server.origin}/small/feed.json`;
    const v1 = await publish('/small/', [label('a', 'alice'), label('b', 'bob'), label('c', 'carol')], 1);

    const preview = await send<{ ok: boolean; value: { keyFingerprint: string; labelCount: number } }>(
      page,
      'previewFeed',
      url,
    );
    expect(preview.value).toMatchObject({ ok: true, value: { labelCount: 3 } });
    const subscribed = await send<{ ok: boolean; value: FeedStatus }>(page, 'subscribe', {
      url,
      keyFingerprint: preview.value.value.keyFingerprint,
    });
    expect(subscribed.value).toMatchObject({
      ok: true,
      value: { state: 'fresh', labelCount: 3, sequence: 1 },
    });
    expect(await lookup(['alice', 'bob', 'carol', 'dave'])).toEqual(['a', 'b', 'c']);

    // v2 retracts bob and adds dave; unchanged chunks are not downloaded again.
    const before = server.log.length;
    await publish('/small/', [label('a', 'alice'), label('c', 'carol'), label('d', 'dave')], 2, v1);
    expect((await send<{ ok: boolean }>(page, 'syncNow', url)).value).toEqual({ ok: true, value: null });
    expect(await lookup(['alice', 'bob', 'carol', 'dave'])).toEqual(['a', 'c', 'd']);
    const fetched = server.log.slice(before).filter((r) => r.path.startsWith('/small/chunks/'));
    expect(fetched.length).toBeLessThan(2);
    expect(await status(url)).toMatchObject({ state: 'fresh', sequence: 2, labelCount: 3 });

    // Nothing new: a conditional request, answered 304.
    const before304 = server.log.length;
    await send(page, 'syncNow', url);
    expect(server.log.slice(before304)).toEqual([{ path: '/small/feed.json', status: 304 }]);

    // v3 tampered: the payload changed after signing.
    const v3 = await publish('/small/', [label('e', 'erin')], 3, undefined);
    const envelope = JSON.parse(Buffer.from(v3.files.get('feed.json') as Uint8Array).toString('utf8'));
    const payload = Buffer.from(envelope.payload, 'base64')
      .toString('utf8')
      .replace('Browser test feed', 'Evil feed');
    envelope.payload = Buffer.from(payload).toString('base64');
    server.files.set('/small/feed.json', Buffer.from(JSON.stringify(envelope)));
    const refused = await send<{ ok: boolean; error?: string }>(page, 'syncNow', url);
    expect(refused.value).toMatchObject({
      ok: false,
      error: expect.stringContaining('does not match its contents'),
    });
    expect(await lookup(['alice', 'bob', 'carol', 'dave', 'erin'])).toEqual(['a', 'c', 'd']);
    expect(await status(url)).toMatchObject({
      state: 'error',
      sequence: 2,
      lastError: { message: expect.stringContaining('does not match its contents') },
    });

    // The seed feed came from the package and still answers.
    const seeded = (await session.getStorage<FeedStatus[]>('feedStatus'))?.find((f) => f.bundled);
    expect(seeded).toMatchObject({ enabled: true });
  });

  it('measures a 1,000,000-label feed: ingest, and 200-key lookups warm and right after a wake', async () => {
    const total = Number(process.env.SYNC_BENCH_LABELS ?? 1_000_000);
    const perChunk = 5_000;
    const dir = '/big/';
    const url = `${server.origin}${dir}feed.json`;
    const files = new Map<string, Uint8Array>();
    const refs: ChunkRef[] = [];
    for (let c = 0; c * perChunk < total; c++) {
      const labels: Label[] = [];
      for (let i = c * perChunk; i < Math.min(total, (c + 1) * perChunk); i++)
        labels.push(label(`l${i}`, `user${i}`));
      const chunk = makeChunk(labels);
      files.set(chunk.ref.path, chunk.bytes);
      refs.push(chunk.ref);
    }
    const manifest: FeedManifest = {
      format: FEED_FORMAT,
      id: url,
      name: 'Big feed',
      publisher: 'Bench',
      homepage: 'https://publisher.example/',
      description: '',
      appeals: 'https://publisher.example/appeals',
      sequence: 1,
      issued: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      expires: new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      publicKey: base64Encode(key.publicKey),
      definitions: DEFINITIONS,
      chunks: refs,
    };
    files.set('feed.json', await signManifest(utf8Encode(JSON.stringify(manifest)), key.privateKey));
    server.publish(dir, files);

    const preview = await send<{ ok: boolean; value: { keyFingerprint: string } }>(page, 'previewFeed', url);
    expect(preview.value.ok).toBe(true);
    const ingest = await send<{ ok: boolean; value: FeedStatus }>(page, 'subscribe', {
      url,
      keyFingerprint: preview.value.value.keyFingerprint,
    });
    expect(ingest.value).toMatchObject({ ok: true, value: { state: 'fresh', labelCount: total } });

    // 200 keys: 10 labelled accounts, 190 without a label (most authors carry none).
    const keysFor = (round: number) =>
      Array.from({ length: 200 }, (_, i) =>
        i < 10 ? `account:x:user${(round * 7919 + i * 104_729) % total}` : `account:x:nobody${round}x${i}`,
      );
    // A warm worker: new keys each time (their pages and blocks are read), then the same keys again (cached).
    const fresh: number[] = [];
    const warm: number[] = [];
    for (let round = 0; round < 20; round++) {
      const first = await send<MatchedLabel[]>(page, 'lookup', keysFor(round));
      expect(first.value).toHaveLength(10);
      fresh.push(first.ms);
      const again = await send<MatchedLabel[]>(page, 'lookup', keysFor(round));
      expect(again.value).toHaveLength(10);
      warm.push(again.ms);
    }

    const cold: number[] = [];
    const wakeOnly: number[] = [];
    const cdp = await session.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    for (let round = 0; round < 5; round++) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      await new Promise((r) => setTimeout(r, 300));
      // Wake with a message the background has no handler for (touches no database), then look up.
      const wake = performance.now();
      await send(page, 'getPageHealth').catch(() => undefined);
      wakeOnly.push(performance.now() - wake);
      const { value, ms } = await send<MatchedLabel[]>(page, 'lookup', keysFor(100 + round));
      expect(value).toHaveLength(10);
      cold.push(ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]?.toFixed(1);
    const max = (xs: number[]) => Math.max(...xs).toFixed(1);
    console.log(
      `[sync bench] ${total.toLocaleString('en')} labels in ${refs.length} chunks: subscribe+ingest ${(ingest.ms / 1000).toFixed(1)} s; ` +
        `200-key lookup round trip (10 labelled) on a warm worker: repeated keys median ${median(warm)} ms (max ${max(warm)}), ` +
        `new keys median ${median(fresh)} ms (max ${max(fresh)}); ` +
        `right after a wake median ${median(cold)} ms (max ${max(cold)}); waking the worker itself median ${median(wakeOnly)} ms`,
    );
    // Design target: 30 s for 1,000,000 labels. Measured 26-28 s on this 2-core machine when idle,
    // 60-80 s while other builds ran beside it; the bound only catches a regression beyond that.
    expect(ingest.ms).toBeLessThan(Math.max(20_000, (total / 1_000_000) * 150_000));
    expect(Number(median(cold))).toBeLessThan(100);
  }, 600_000);
});
