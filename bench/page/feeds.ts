/**
 * The page benchmark's label feeds: `FEEDS` signed feeds of `LABELS_PER_FEED` labels each, built with
 * the real feed library at bench time into bench-output/page-feeds/ (never committed), served from
 * 127.0.0.1 with CORS (as static hosts do) and subscribed through the extension's own messages, as
 * the options page does. Label i of feed f targets an account on X, Bluesky or Reddit or a link
 * domain (i % 4), so every look-up of the scroll pages consults all three feeds' indexes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildFeed, generateKeyPair, type LabelDefinition, type LabelInput } from '../../feed';
import { blueskyHandle, labelledDomain, redditUser, xHandle } from './scroll';

export const FEEDS = 3;
export const LABELS_PER_FEED = 100_000;

const DEFINITIONS: LabelDefinition[] = [
  {
    id: 'state-media',
    title: { en: 'State-affiliated media' },
    description: { en: 'Editorially controlled by a state.' },
    severity: 'info',
    defaultAction: 'badge',
  },
  {
    id: 'account-suspended',
    title: { en: 'Account suspended' },
    description: { en: 'The platform suspended this account.' },
    severity: 'caution',
    defaultAction: 'badge',
  },
];

function label(feed: number, i: number): LabelInput {
  const target: Partial<LabelInput> =
    i % 4 === 0
      ? { account: `https://x.com/${xHandle(feed, i)}` }
      : i % 4 === 1
        ? { account: `https://bsky.app/profile/${blueskyHandle(feed, i)}` }
        : i % 4 === 2
          ? { account: `https://www.reddit.com/user/${redditUser(feed, i)}` }
          : { link: labelledDomain(feed, i) };
  return {
    id: `f${feed}-${i}`,
    ...target,
    val: i % 2 ? 'account-suspended' : 'state-media',
    note: `Benchmark label ${i} of feed ${feed}.`,
    sources: [{ url: `https://news.example.org/story/${feed}/${i}` }],
    cts: '2026-01-01T00:00:00Z',
  } as LabelInput;
}

/** Serves the built feeds' files from memory on 127.0.0.1 (CORS, as GitHub Pages sends it). */
export class FeedHost {
  private readonly files = new Map<string, Buffer>();
  private server: Server | undefined;
  origin = '';

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      res.setHeader('Access-Control-Allow-Origin', '*');
      const body = this.files.get(path);
      if (!body) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Builds feed `f` (signed with a fresh key) into `outDir` and serves it; returns its feed.json URL. */
  async publish(feed: number, outDir: string, log: (message: string) => void): Promise<string> {
    const pair = await generateKeyPair();
    const dir = `/feed${feed}/`;
    const started = Date.now();
    const built = await buildFeed(
      {
        id: `${this.origin}${dir}feed.json`,
        name: `Benchmark feed ${feed + 1}`,
        publisher: 'Context Lens benchmark',
        homepage: 'https://labels.example.org/',
        description: 'Generated at bench time.',
        appeals: 'mailto:appeals@example.org',
        definitions: DEFINITIONS,
        labels: Array.from({ length: LABELS_PER_FEED }, (_, i) => label(feed, i)),
      },
      { privateKey: pair.privateKey, sequence: 1 },
    );
    for (const [path, bytes] of built.files) {
      this.files.set(`${dir}${path}`, Buffer.from(bytes));
      const file = join(outDir, `feed${feed}`, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    }
    log(
      `feed ${feed + 1}: ${LABELS_PER_FEED.toLocaleString('en')} labels built in ${Date.now() - started} ms`,
    );
    return `${this.origin}${dir}feed.json`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Sends a protocol message from an extension page (@webext-core/messaging's format). */
export async function send<T>(page: Page, type: string, data?: unknown): Promise<T> {
  const answer = await page.evaluate(
    ({ type, data }) =>
      new Promise<{ res?: unknown; err?: unknown }>((resolve) => {
        chrome.runtime.sendMessage(
          { id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() },
          (r) => resolve(r ?? { err: chrome.runtime.lastError?.message ?? 'no answer' }),
        );
      }),
    { type, data },
  );
  if (answer.err !== undefined) throw new Error(`${type}: ${JSON.stringify(answer.err)}`);
  return answer.res as T;
}

/** Subscribes the extension to a feed (preview, then subscribe with the previewed fingerprint). */
export async function subscribe(page: Page, url: string): Promise<void> {
  const preview = await send<{ ok: boolean; value?: { keyFingerprint: string }; error?: string }>(
    page,
    'previewFeed',
    url,
  );
  if (!preview.ok || !preview.value) throw new Error(`previewing ${url}: ${preview.error}`);
  const done = await send<{ ok: boolean; error?: string; value?: { labelCount: number } }>(
    page,
    'subscribe',
    {
      url,
      keyFingerprint: preview.value.keyFingerprint,
    },
  );
  if (!done.ok) throw new Error(`subscribing to ${url}: ${done.error}`);
}
