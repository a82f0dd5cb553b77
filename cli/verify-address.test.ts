// `verify <url>` applies the address rule the extension applies at preview, subscribe and every sync
// (feed/address.ts): a feed is read only at its signed `id`, a mirror its signed `mirrors` lists, or
// this computer. Run in-process with the network stubbed, so any host name can be served.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyPair } from '../feed';
import { build, FeedServer, feedSource, keys, xLabel } from '../sync/testing';
import { run } from './main';

const ID = 'https://feeds.example/v/feed.json';
const MIRROR = 'https://mirror.example/copy/feed.json';
const STRANGER = 'https://copies.example/feed.json';

let server: FeedServer;
let key: KeyPair;

beforeEach(async () => {
  server = new FeedServer();
  vi.stubGlobal('fetch', server.fetch);
  key = await keys();
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Publishes one signed feed (id ID, listing MIRROR) at each of `urls` (feed.json URLs). */
async function publishAt(...urls: string[]): Promise<void> {
  const built = await build(feedSource(ID, [xLabel('a', 'alice')], { mirrors: [MIRROR] }), key, {
    sequence: 1,
  });
  for (const url of urls) server.publish(new URL('./', url).href, built);
}

/** `verify <url>` in-process: exit code and what it printed. */
async function verify(url: string): Promise<{ code: number; out: string }> {
  let out = '';
  const write = (chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(write);
  vi.spyOn(process.stderr, 'write').mockImplementation(write);
  const code = await run(['verify', url]);
  vi.restoreAllMocks();
  return { code, out };
}

describe("verify <url>: the feed's address rule", () => {
  it('accepts the feed at its signed id and at a mirror it lists', async () => {
    await publishAt(ID, MIRROR);
    const own = await verify(ID);
    expect(own.code, own.out).toBe(0);
    expect(own.out).toContain(`${ID}: valid feed`);
    const mirror = await verify('https://mirror.example/copy/');
    expect(mirror.code, mirror.out).toBe(0);
  });

  it('refuses a signed, valid copy anywhere else, naming where the feed says it lives', async () => {
    await publishAt(ID, STRANGER);
    const copy = await verify(STRANGER);
    expect(copy.code).toBe(1);
    expect(copy.out).toContain(`${STRANGER}: not a valid feed at this address`);
    expect(copy.out).toContain(
      `feed.json: the feed says it is published at ${ID} (and 1 mirror), not at ${STRANGER}; the extension reads a feed only at its id`,
    );
    expect(copy.out).not.toContain('valid feed\n');
  });

  it('lists the address problem first when the copy is invalid too', async () => {
    const labels = [xLabel('a', 'alice'), xLabel('b', 'bob'), xLabel('c', 'carol')];
    const built = await build(feedSource(ID, labels, { mirrors: [MIRROR] }), key, {
      sequence: 1,
      chunkSize: 1,
    });
    server.publish('https://copies.example/', built);
    const chunk = (built.manifest.chunks ?? [])[0]?.path;
    if (!chunk) throw new Error('the feed was built without chunks');
    server.put(`https://copies.example/${chunk}`, 'not the chunk');
    const copy = await verify(STRANGER);
    expect(copy.code).toBe(1);
    const lines = copy.out.split('\n').map((l) => l.trim());
    expect(lines[1]).toMatch(/^feed\.json: the feed says it is published at /);
    expect(lines.slice(2).join('\n')).toMatch(/chunks\[0\].*bytes; the manifest says/);
  });
});
