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
 * The speed of a 1,000,000-label feed (ingest, update, lookups) is measured by `npm run bench -- feed`
 * (bench/feed/), never here.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltFeed,
  buildFeed,
  FEED_FORMAT,
  type FeedManifest,
  generateKeyPair,
  type KeyPair,
  type Label,
  previousOf,
  signManifest,
  utf8Encode,
} from '../../feed';
import { gzipBombChunk } from '../../feed/testing';
import type { FeedStatus, MatchedLabel } from '../../messaging/protocol';
import { type ExtensionSession, launchChromium } from './harness';
import { StaticServer } from './static-server';

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

  it('takes a feed of the previous layout (format 1), moves it to gzip change chunks, and refuses a gzip bomb', async () => {
    const dir = '/layout/';
    const url = `${server.origin}${dir}feed.json`;
    // Accounts no other feed of this session labels.
    const held = [label('a', 'amy'), label('b', 'ben'), label('c', 'cat'), label('d', 'dan')];
    const build = (labels: Label[], sequence: number, format: 1 | 2, previous?: BuiltFeed) =>
      (async () =>
        buildFeed(
          {
            id: url,
            name: 'Layout feed',
            publisher: 'Test publisher',
            homepage: 'https://publisher.example/',
            description: '',
            appeals: 'https://publisher.example/appeals',
            definitions: DEFINITIONS,
            labels,
          },
          {
            privateKey: key.privateKey,
            sequence,
            chunkSize: 2,
            format,
            ...(previous ? { previous: await previousOf(previous) } : {}),
          },
        ))();
    const v1 = await build(held, 1, 1);
    expect(v1.manifest).toMatchObject({ format: FEED_FORMAT });
    server.publish(dir, v1.files);
    const preview = await send<{ ok: boolean; value: { keyFingerprint: string } }>(page, 'previewFeed', url);
    const subscribed = await send<{ ok: boolean; value: FeedStatus }>(page, 'subscribe', {
      url,
      keyFingerprint: preview.value.value.keyFingerprint,
    });
    expect(subscribed.value).toMatchObject({ ok: true, value: { labelCount: 4, sequence: 1 } });

    // The next publication is format 2 (gzip, keys carried); from then on updates are change chunks.
    const v2 = await build([...held, label('e', 'eve')], 2, 2, v1);
    server.publish(dir, v2.files);
    expect((await send(page, 'syncNow', url)).value).toEqual({ ok: true, value: null });
    const v3 = await build([...held.slice(1), { ...label('e', 'eve'), note: 'revised' }], 3, 2, v2);
    expect(v3.manifest.chunks?.at(-1)).toMatchObject({ layer: 'change', encoding: 'gzip', count: 2 });
    const before = server.log.length;
    server.publish(dir, v3.files);
    expect((await send(page, 'syncNow', url)).value).toEqual({ ok: true, value: null });
    const fetched = server.log.slice(before).filter((r) => r.path.startsWith(`${dir}chunks/`));
    expect(fetched.map((r) => r.path)).toEqual([`${dir}${v3.manifest.chunks?.at(-1)?.path}`]);
    expect(await lookup(['amy', 'ben', 'eve'])).toEqual(['b', 'e']);

    // A signed change chunk that inflates to 5 MiB: Chromium's DecompressionStream is cut at the cap.
    const { bytes: bomb, ref } = await gzipBombChunk();
    const manifest: FeedManifest = {
      ...v3.manifest,
      sequence: 4,
      chunks: [...(v3.manifest.chunks ?? []), ref],
    };
    server.files.set(`${dir}${ref.path}`, Buffer.from(bomb));
    server.files.set(
      `${dir}feed.json`,
      Buffer.from(await signManifest(utf8Encode(JSON.stringify(manifest)), key.privateKey)),
    );
    const refused = await send<{ ok: boolean; error?: string }>(page, 'syncNow', url);
    expect(refused.value).toMatchObject({
      ok: false,
      error: expect.stringContaining('decompresses to more than'),
    });
    expect(await lookup(['amy', 'ben', 'eve'])).toEqual(['b', 'e']);
    expect(await status(url)).toMatchObject({ sequence: 3 });
  }, 120_000);
});
