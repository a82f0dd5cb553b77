// Fetching feeds over http for verify/inspect: only http(s), a size cap and a timeout, each
// reported as one message naming the URL. Uses a local server; never the internet.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from './errors';
import { fetchCapped, openFeedLocation } from './io';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done) ?? done(undefined));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as CliError).message;
  }
  throw new Error('expected a CliError');
}

describe('fetchCapped', () => {
  it('returns the body, and null for a missing file', async () => {
    const base = await listen((req, res) => {
      if (req.url === '/feed.json') res.end('{"ok":true}');
      else res.writeHead(404).end();
    });
    expect(new TextDecoder().decode((await fetchCapped(new URL(`${base}/feed.json`))) as Uint8Array)).toBe(
      '{"ok":true}',
    );
    expect(await fetchCapped(new URL(`${base}/chunks/missing.json`))).toBeNull();
  });

  it('stops reading a body larger than the cap, declared or not', async () => {
    const base = await listen((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'Content-Length': '100' }).end('x'.repeat(100));
      else {
        res.writeHead(200); // chunked: no length announced
        res.write('x'.repeat(60));
        res.end('x'.repeat(60));
      }
    });
    expect(await failure(fetchCapped(new URL(`${base}/declared`), { maxBytes: 50 }))).toContain(
      'larger than 50 bytes',
    );
    expect(await failure(fetchCapped(new URL(`${base}/streamed`), { maxBytes: 50 }))).toContain(
      'larger than 50 bytes',
    );
  });

  it('gives up on a server that does not answer in time', async () => {
    const base = await listen(() => {
      // Never answers.
    });
    const message = await failure(fetchCapped(new URL(`${base}/feed.json`), { timeoutMs: 300 }));
    expect(message).toContain(`${base}/feed.json: Downloading the file from`);
    expect(message).toContain('took longer than 0.3 seconds');
  });

  it('names a server error with its status', async () => {
    const base = await listen((_req, res) => res.writeHead(500, 'Internal Server Error').end());
    expect(await failure(fetchCapped(new URL(`${base}/feed.json`)))).toContain('HTTP 500');
  });
});

describe('openFeedLocation', () => {
  it('reads feed.json and chunks relative to a folder URL or a feed.json URL', async () => {
    const seen: string[] = [];
    const base = await listen((req, res) => {
      seen.push(req.url ?? '');
      res.end('x');
    });
    await (await openFeedLocation(`${base}/feeds/one/`)).read('chunks/a.json');
    await (await openFeedLocation(`${base}/feeds/two`)).read('feed.json');
    await (await openFeedLocation(`${base}/feeds/three/feed.json`)).read('chunks/b.json');
    expect(seen).toEqual(['/feeds/one/chunks/a.json', '/feeds/two/feed.json', '/feeds/three/chunks/b.json']);
  });

  it('refuses schemes other than http(s)', async () => {
    for (const url of ['ftp://example.org/feed.json', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(await failure(openFeedLocation(url))).toContain('only http(s) URLs can be fetched');
    }
  });
});
