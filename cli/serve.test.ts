// `serve`: the local static server (127.0.0.1 only, content types, ETag/Last-Modified with 304,
// no traversal, only the feed's own files, only loopback Host names, no CORS), and
// `verify`/`inspect` reading a feed over http from it.
import type { ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitOf, jsonSource, runCli, startCli, tempDir, waitForOutput, writeText } from './testing';

let dir: string;
let cleanup: () => Promise<void>;
let server: ChildProcess | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGINT');
    await exitOf(server);
  }
  server = undefined;
  await cleanup();
});

/** A raw GET, so paths like /../ reach the server unnormalised. */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

async function serve(root: string): Promise<number> {
  server = startCli(['serve', root, '--port', '0']);
  const match = await waitForOutput(server, /http:\/\/127\.0\.0\.1:(\d+)\/feed\.json/);
  return Number(match[1]);
}

describe('serve', () => {
  it('answers 200 with content type, ETag and Last-Modified, then 304 on If-None-Match / If-Modified-Since', async () => {
    const root = join(dir, 'site');
    await mkdir(join(root, 'chunks'), { recursive: true });
    await writeFile(join(root, 'feed.json'), '{"hello":"feed"}\n');
    await writeFile(join(root, 'chunks', `${'a'.repeat(64)}.json`), '{"labels":[]}\n');
    const port = await serve(root);

    const first = await get(port, '/feed.json');
    expect(first.status).toBe(200);
    expect(first.body).toBe('{"hello":"feed"}\n');
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    const etag = first.headers.etag as string;
    const lastModified = first.headers['last-modified'] as string;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(Date.parse(lastModified)).not.toBeNaN();

    const byEtag = await get(port, '/feed.json', { 'If-None-Match': etag });
    expect(byEtag.status).toBe(304);
    expect(byEtag.body).toBe('');
    const byDate = await get(port, '/feed.json', { 'If-Modified-Since': lastModified });
    expect(byDate.status).toBe(304);
    const stale = await get(port, '/feed.json', { 'If-None-Match': '"something-else"' });
    expect(stale.status).toBe(200);

    const chunk = await get(port, `/chunks/${'a'.repeat(64)}.json`);
    expect(chunk.status).toBe(200);
    expect(chunk.headers['cache-control']).toContain('immutable');
    expect((await get(port, '/')).body).toBe('{"hello":"feed"}\n');
    expect((await get(port, '/missing.json')).status).toBe(404);
  });

  it('never serves a file outside its folder', async () => {
    const root = join(dir, 'site');
    await mkdir(root);
    await writeFile(join(root, 'feed.json'), '{}');
    await writeFile(join(dir, 'secret.txt'), 'secret');
    const port = await serve(root);
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/chunks/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
    ]) {
      const response = await get(port, path);
      expect(response.status, path).not.toBe(200);
      expect(response.body, path).not.toContain('secret');
    }
  });

  it("serves only the feed's own files: never the key, the source or a dotfile lying beside them", async () => {
    const root = join(dir, 'site');
    const chunk = `chunks/${'b'.repeat(64)}.json`;
    await mkdir(join(root, 'chunks'), { recursive: true });
    await mkdir(join(root, '.git'), { recursive: true });
    await writeFile(join(root, 'feed.json'), '{"feed":1}');
    await writeFile(join(root, chunk), '{"labels":[]}');
    for (const secret of [
      'key.json',
      'labels.csv',
      'meta.json',
      '.env',
      '.git/config',
      'chunks/notes.json',
    ]) {
      await writeFile(join(root, secret), 'private-key-material');
    }
    const port = await serve(root);
    expect((await get(port, '/feed.json')).status).toBe(200);
    expect((await get(port, `/${chunk}`)).status).toBe(200);
    for (const path of [
      '/key.json',
      '/labels.csv',
      '/meta.json',
      '/.env',
      '/.git/config',
      '/chunks/notes.json',
      '/chunks/../key.json',
      '/%6Bey.json',
      '/feed.json/../key.json',
    ]) {
      const response = await get(port, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('private-key-material');
    }
  });

  it('answers only requests addressed to a loopback name (no DNS rebinding) and sends no CORS header', async () => {
    const root = join(dir, 'site');
    await mkdir(root);
    await writeFile(join(root, 'feed.json'), '{"feed":1}');
    const port = await serve(root);
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      'localhost',
      'LOCALHOST',
    ]) {
      const response = await get(port, '/feed.json', { Host: host });
      expect(response.status, host).toBe(200);
      expect(response.headers['access-control-allow-origin'], host).toBeUndefined();
    }
    for (const host of [
      `attacker.example:${port}`,
      'attacker.example',
      `127.0.0.1.attacker.example:${port}`,
      `localhost.attacker.example:${port}`,
      `127.0.0.1:${port + 1}`,
      `127.0.0.1:${port}@attacker.example`,
    ]) {
      const response = await get(port, '/feed.json', { Host: host });
      expect(response.status, host).toBe(421);
      expect(response.body, host).not.toContain('"feed"');
    }
  });

  it('stops on SIGINT', async () => {
    const root = join(dir, 'site');
    await mkdir(root);
    await serve(root);
    server?.kill('SIGINT');
    expect(await exitOf(server as ChildProcess)).toBe(0);
  });

  // Six CLI processes one after another: generous, for a machine busy with other test files.
  it('lets verify and inspect read a feed over http', { timeout: 120_000 }, async () => {
    const keyFile = join(dir, 'key.json');
    expect((await runCli(['keygen', keyFile])).code).toBe(0);
    const src = await writeText(
      join(dir, 'source.json'),
      jsonSource([
        {
          id: 'x-alice',
          account: 'https://x.com/alice',
          val: 'account-suspended',
          sources: [{ url: 'https://news.example.org/1' }],
        },
      ]),
    );
    const out = join(dir, 'feed');
    expect((await runCli(['build', src, '--key', keyFile, '--out', out])).code).toBe(0);
    const port = await serve(out);
    const verify = await runCli(['verify', `http://127.0.0.1:${port}/feed.json`, '--key', keyFile]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const inspect = await runCli(['inspect', `http://127.0.0.1:${port}/`]);
    expect(inspect.code, inspect.stdout + inspect.stderr).toBe(0);
    expect(inspect.stdout).toMatch(/1\s+Account suspended/);
    const missing = await runCli(['verify', `http://127.0.0.1:${port}/nothing-here/`]);
    expect(missing.code).toBe(1);
  });
});
