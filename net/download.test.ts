// Downloads through real HTTP servers on two origins: a redirect within the feed's origin is
// followed, one that leaves it is refused unread (the sync and the CLI trust one origin per feed).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download } from './download';

let feedHost: Server;
let otherHost: Server;
let feedOrigin: string;
let otherOrigin: string;

function listen(server: Server): Promise<string> {
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  otherHost = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end('{"from":"elsewhere"}');
  });
  otherOrigin = await listen(otherHost);
  feedHost = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/feed.json') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"from":"feed host"}');
    } else if (path === '/moved/feed.json') {
      response.writeHead(301, { Location: '/feed.json' });
      response.end();
    } else if (path === '/away/feed.json') {
      response.writeHead(302, { Location: `${otherOrigin}/feed.json` });
      response.end();
    } else if (path === '/to-localhost/feed.json') {
      response.writeHead(307, { Location: `${otherOrigin.replace('127.0.0.1', 'localhost')}/feed.json` });
      response.end();
    } else if (path === '/silent/feed.json') {
      // Never answers (until the test's server closes).
    } else if (path === '/drip/feed.json') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write('{"from":');
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  feedOrigin = await listen(feedHost);
});

afterAll(async () => {
  feedHost.closeAllConnections();
  await new Promise((done) => feedHost.close(done));
  await new Promise((done) => otherHost.close(done));
});

const options = { maxBytes: 1024, timeoutMs: 5_000, what: 'the feed file' };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('download', () => {
  it('follows a redirect within the same origin', async () => {
    const result = await download(`${feedOrigin}/moved/feed.json`, options);
    expect(result.ok && text(result.value.bytes)).toBe('{"from":"feed host"}');
  });

  it('refuses a redirect to another origin, naming both, and never hands over its bytes', async () => {
    for (const path of ['/away/feed.json', '/to-localhost/feed.json']) {
      const result = await download(`${feedOrigin}${path}`, options);
      expect(result.ok, path).toBe(false);
      if (result.ok) continue;
      expect(result.message).toMatch(
        new RegExp(
          `^The server 127\\.0\\.0\\.1:\\d+ redirected the feed file to another site \\(http://(127\\.0\\.0\\.1|localhost):\\d+\\); only ${feedOrigin.replaceAll('.', '\\.')} is trusted for it`,
        ),
      );
    }
  });

  it('stops at once when its signal aborts, before the answer or in the middle of the body', async () => {
    for (const path of ['/silent/feed.json', '/drip/feed.json']) {
      const controller = new AbortController();
      const started = Date.now();
      const pending = download(`${feedOrigin}${path}`, {
        ...options,
        timeoutMs: 60_000,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 100);
      const result = await pending;
      expect(result, path).toEqual({
        ok: false,
        message: expect.stringMatching(
          /^The download of the feed file from 127\.0\.0\.1:\d+ was cancelled\.$/,
        ),
      });
      // Far below the 60-second limit: the abort, not the timeout, ended it.
      expect(Date.now() - started, path).toBeLessThan(10_000);
    }
    const aborted = AbortSignal.abort();
    const before = await download(`${feedOrigin}/feed.json`, { ...options, signal: aborted });
    expect(before).toMatchObject({ ok: false, message: expect.stringContaining('was cancelled') });
  });
});
