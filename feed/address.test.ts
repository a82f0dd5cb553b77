import { describe, expect, it } from 'vitest';
import { checkFeedAddress } from './address';
import { buildFeed } from './build';
import { utf8Encode } from './encoding';
import { exampleSource, TEST_NOW, TEST_PRIVATE_KEY } from './testing';
import { formatProblem } from './types';
import { parseManifest } from './validate';
import { openPublication } from './verify';

const ID = 'https://feeds.example/f/feed.json';

describe('checkFeedAddress', () => {
  it("accepts the feed's own id, a listed mirror, and this computer", () => {
    const manifest = { id: ID, mirrors: ['https://mirror.example/copy/feed.json'] };
    expect(checkFeedAddress(manifest, ID)).toEqual({ ok: true, role: 'publisher' });
    expect(checkFeedAddress(manifest, `${ID}#top`)).toEqual({ ok: true, role: 'publisher' });
    expect(checkFeedAddress(manifest, 'https://FEEDS.example:443/f/feed.json')).toEqual({
      ok: true,
      role: 'publisher',
    });
    expect(checkFeedAddress(manifest, 'https://mirror.example/copy/feed.json')).toEqual({
      ok: true,
      role: 'mirror',
    });
    for (const local of ['http://127.0.0.1:8787/feed.json', 'http://localhost/x/feed.json']) {
      expect(checkFeedAddress(manifest, local)).toEqual({ ok: true, role: 'local' });
    }
  });

  it('refuses any other address, however close', () => {
    const manifest = { id: ID, mirrors: ['https://mirror.example/copy/feed.json'] };
    for (const address of [
      'https://attacker.example/f/feed.json',
      'http://feeds.example/f/feed.json',
      'https://feeds.example:8443/f/feed.json',
      'https://feeds.example/f/feed.json?v=2',
      'https://feeds.example/g/feed.json',
      'https://mirror.example/feed.json',
      'https://127.0.0.1.attacker.example/feed.json',
    ]) {
      const check = checkFeedAddress(manifest, address);
      expect(check.ok, address).toBe(false);
      expect(!check.ok && check.problem).toContain(
        `the feed says it is published at ${ID} (and 1 mirror), not at`,
      );
    }
    expect(checkFeedAddress({ id: ID }, 'not a url')).toEqual({
      ok: false,
      problem: 'not a url is not a web address',
    });
  });
});

describe('mirrors in the manifest', () => {
  it('are built into the signed manifest, read back, and checked: http(s), each once, never the id', async () => {
    const mirrors = ['https://mirror.example/copy/feed.json', 'https://cdn.example/f/feed.json'];
    const built = await buildFeed(exampleSource(2, { mirrors }), {
      privateKey: TEST_PRIVATE_KEY,
      now: TEST_NOW,
    });
    expect(built.manifest.mirrors).toEqual(mirrors);
    const opened = await openPublication(built.files.get('feed.json') as Uint8Array);
    expect(opened.ok && opened.value.manifest.mirrors).toEqual(mirrors);
    const reread = parseManifest(utf8Encode(JSON.stringify(built.manifest)));
    expect(reread.ok && reread.value.mirrors).toEqual(mirrors);

    const problems = (value: unknown) => {
      const result = parseManifest(utf8Encode(JSON.stringify({ ...built.manifest, mirrors: value })));
      return result.ok ? [] : result.problems.map(formatProblem);
    };
    expect(problems(['ftp://mirror.example/feed.json'])).toEqual([
      'mirrors[0]: only http(s) URLs are allowed',
    ]);
    expect(problems([mirrors[0], mirrors[0]])).toEqual(['mirrors[1]: is listed twice']);
    expect(problems([built.manifest.id])).toEqual(["mirrors[0]: is the feed's own id"]);
    expect(problems('https://mirror.example/feed.json')).toEqual(['mirrors: must be an array']);
    expect(problems(Array.from({ length: 21 }, (_, i) => `https://m${i}.example/feed.json`))).toEqual([
      'mirrors: has 21 entries; at most 20 are allowed',
    ]);
  });
});
