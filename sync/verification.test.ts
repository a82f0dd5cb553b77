// One verification path: the same defective feeds go to the curator CLI's `verify` (run in-process
// through cli/main.ts on files on disk) and to the extension's sync (a subscribed reader holding the
// previous publication). Both must refuse every one, for the same reason and with the same problems.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { run as runCli } from '../cli/main';
import {
  type BuiltFeed,
  base64Encode,
  type ChunkRef,
  type KeyPair,
  type Label,
  makeChunk,
  makeChunkGz,
  serializeKeyFile,
  signManifest,
  utf8Encode,
  verifyFeed,
} from '../feed';
import { gzipBombChunk, memoryReader } from '../feed/testing';
import { type CacheDb, cacheDb } from '../storage/db';
import { clearLookupCache, lookupLabels } from './lookup';
import { previewFeed, subscribe, syncFeed } from './service';
import { build, DEFINITIONS, FeedServer, feedSource, keys, xKey, xLabel } from './testing';

const DIR = 'https://feeds.example/v/';
const FEED = `${DIR}feed.json`;

let server: FeedServer;
let db: CacheDb;
let key: KeyPair;
let stranger: KeyPair;
let folder: string;
/** The publication the reader holds (sequence 1, chunks of two labels), made once per test. */
let first: BuiltFeed | undefined;

beforeEach(async () => {
  fakeBrowser.reset();
  server = new FeedServer();
  vi.stubGlobal('fetch', server.fetch);
  db = cacheDb();
  await db.delete({ disableAutoOpen: false });
  clearLookupCache();
  key = await keys();
  stranger = await keys();
  folder = await mkdtemp(join(tmpdir(), 'context-lens-verify-'));
  first = undefined;
});

async function held(): Promise<BuiltFeed> {
  first ??= await build(feedSource(FEED, HELD), key, { sequence: 1, chunkSize: 2 });
  return first;
}

/** The next publication as an update of the held one: its chunks kept, one gzip change chunk added. */
async function update(labels = [...HELD.slice(1), xLabel('e', 'erin')]): Promise<BuiltFeed> {
  return build(feedSource(FEED, labels), key, { sequence: 2, chunkSize: 2, previous: await held() });
}

/** A label as a format-2 chunk carries it: cts filled and its lookup key. */
function keyed(label: ReturnType<typeof xLabel>, handle: string): Label {
  return { ...label, cts: '2026-01-01T00:00:00Z', key: xKey(handle) } as Label;
}

afterEach(async () => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await rm(folder, { recursive: true, force: true });
});

const HELD = [xLabel('a', 'alice'), xLabel('b', 'bob'), xLabel('c', 'carol'), xLabel('d', 'dave')];

function envelopeOf(feed: Map<string, Uint8Array>) {
  return JSON.parse(new TextDecoder().decode(feed.get('feed.json'))) as {
    payload: string;
    signatures: { keyid: string; sig: string }[];
  };
}

function payloadOf(feed: Map<string, Uint8Array>): Record<string, unknown> {
  return JSON.parse(Buffer.from(envelopeOf(feed).payload, 'base64').toString('utf8'));
}

async function resign(
  files: Map<string, Uint8Array>,
  manifest: unknown,
  pair: KeyPair,
): Promise<Map<string, Uint8Array>> {
  const out = new Map(files);
  out.set('feed.json', await signManifest(utf8Encode(JSON.stringify(manifest)), pair.privateKey));
  return out;
}

/** The next publication (sequence 2), valid, in chunks of two labels. */
async function next(): Promise<BuiltFeed> {
  return build(feedSource(FEED, [...HELD, xLabel('e', 'erin')]), key, { sequence: 2, chunkSize: 2 });
}

/** Each defective publication a hostile host, mirror or broken builder could serve. */
const DEFECTS: Record<string, () => Promise<Map<string, Uint8Array>>> = {
  'a payload altered after signing': async () => {
    const files = new Map((await next()).files);
    const envelope = envelopeOf(files);
    envelope.payload = base64Encode(
      utf8Encode(Buffer.from(envelope.payload, 'base64').toString('utf8').replace('Test feed', 'Evil feed')),
    );
    files.set('feed.json', utf8Encode(JSON.stringify(envelope)));
    return files;
  },
  'a payload altered into an invalid manifest (a forgery, not the publisher’s error)': async () => {
    const files = new Map((await next()).files);
    const envelope = envelopeOf(files);
    envelope.payload = base64Encode(
      utf8Encode(Buffer.from(envelope.payload, 'base64').toString('utf8').replace('"suspended"', '"nope"')),
    );
    files.set('feed.json', utf8Encode(JSON.stringify(envelope)));
    return files;
  },
  'signed by a stranger’s key': async () =>
    (await build(feedSource(FEED, [xLabel('x', 'xavier')]), stranger, { sequence: 2 })).files,
  'signed by a stranger, and invalid too': async () => {
    const built = await next();
    const manifest = { ...payloadOf(built.files), publicKey: base64Encode(stranger.publicKey), name: '' };
    return resign(built.files, manifest, stranger);
  },
  'a manifest whose own publicKey did not sign it': async () => {
    const built = await next();
    return resign(
      built.files,
      { ...payloadOf(built.files), publicKey: base64Encode(stranger.publicKey) },
      key,
    );
  },
  'a label id in two chunks': async () => {
    const built = await next();
    const manifest = payloadOf(built.files) as { chunks: ChunkRef[] };
    const extra = makeChunk([keyed(xLabel('a', 'alice'), 'alice')]);
    const files = new Map(built.files);
    files.set(extra.ref.path, extra.bytes);
    return resign(files, { ...manifest, chunks: [...manifest.chunks, extra.ref] }, key);
  },
  'a label id twice in a chunk the reader already holds': async () => {
    const built = await next();
    const manifest = payloadOf(built.files) as { chunks: ChunkRef[] };
    const first = manifest.chunks[0] as ChunkRef;
    return resign(built.files, { ...manifest, chunks: [...manifest.chunks, first] }, key);
  },
  // A held chunk is identified by its SHA-256, but the listing must fit its file too: verify reads
  // the file, so the sync checks it again rather than reuse what it holds under another listing.
  'a chunk the reader holds, listed under another size': async () => {
    const built = await next();
    const manifest = payloadOf(built.files) as { chunks: ChunkRef[] };
    const [head, ...rest] = manifest.chunks as [ChunkRef, ...ChunkRef[]];
    return resign(built.files, { ...manifest, chunks: [{ ...head, bytes: head.bytes + 1 }, ...rest] }, key);
  },
  'a chunk the reader holds, listed under another encoding': async () => {
    const built = await next();
    const manifest = payloadOf(built.files) as { chunks: ChunkRef[] };
    const [head, ...rest] = manifest.chunks as [ChunkRef, ...ChunkRef[]];
    // The path follows the encoding (format rule); the host serves the same file there too.
    const { encoding: _, ...plain } = head;
    const listed =
      head.encoding === 'gzip'
        ? { ...plain, path: `chunks/${head.sha256}.json` }
        : { ...head, encoding: 'gzip', path: `chunks/${head.sha256}.json.gz` };
    const files = new Map(built.files);
    files.set(listed.path, files.get(head.path) as Uint8Array);
    return resign(files, { ...manifest, chunks: [listed, ...rest] }, key);
  },
  'a definition the held chunks use, removed from the manifest': async () => {
    const built = await build(feedSource(FEED, [...HELD, xLabel('e', 'erin', { val: 'state-media' })]), key, {
      sequence: 2,
      chunkSize: 2,
    });
    const manifest = payloadOf(built.files) as { definitions: { id: string }[] };
    const definitions = manifest.definitions.filter((d) => d.id !== 'suspended');
    return resign(built.files, { ...manifest, definitions }, key);
  },
  'a new chunk altered on the server': async () => {
    const built = await next();
    const files = new Map(built.files);
    // The chunk with the new label: the reader holds the others and rightly does not fetch them.
    const path = ((built.manifest.chunks ?? []).at(-1) as ChunkRef).path;
    const bytes = (files.get(path) as Uint8Array).slice();
    bytes[bytes.length - 4] = 0x20;
    files.set(path, bytes);
    return files;
  },
  'an expired publication': async () =>
    (
      await build(
        feedSource(FEED, HELD, { issued: '2020-01-01T00:00:00Z', expires: '2020-02-01T00:00:00Z' }),
        key,
        { sequence: 2 },
      )
    ).files,
  'not JSON at all': async () => new Map([['feed.json', utf8Encode('{"payloadType": ')]]),

  // The format-2 layout: an update is the held gzip chunks plus a gzip change chunk.
  'a change chunk altered on the server': async () => {
    const built = await update();
    const files = new Map(built.files);
    const path = ((built.manifest.chunks ?? []).at(-1) as ChunkRef).path;
    const bytes = (files.get(path) as Uint8Array).slice();
    bytes[bytes.length - 12] = (bytes[bytes.length - 12] as number) ^ 0xff;
    files.set(path, bytes);
    return files;
  },
  'a change chunk swapped for one of another publication (mix and match)': async () => {
    const built = await update();
    const other = await update([...HELD, xLabel('f', 'frank')]);
    const files = new Map(built.files);
    const path = ((built.manifest.chunks ?? []).at(-1) as ChunkRef).path;
    const foreign = ((other.manifest.chunks ?? []).at(-1) as ChunkRef).path;
    files.set(path, other.files.get(foreign) as Uint8Array);
    return files;
  },
  'a signed change chunk that inflates past the cap (a gzip bomb)': async () => {
    const built = await update();
    const { bytes, ref: bomb } = await gzipBombChunk();
    const files = new Map(built.files);
    files.set(bomb.path, bytes);
    const manifest = payloadOf(built.files) as { chunks: ChunkRef[] };
    return resign(files, { ...manifest, chunks: [...manifest.chunks, bomb] }, key);
  },
  'a change chunk signed into a manifest by a stranger': async () => {
    const built = await update();
    return resign(
      built.files,
      { ...payloadOf(built.files), publicKey: base64Encode(stranger.publicKey) },
      stranger,
    );
  },
  'an expired update': async () =>
    (
      await build(
        feedSource(FEED, [...HELD, xLabel('e', 'erin')], {
          issued: '2020-01-01T00:00:00Z',
          expires: '2020-02-01T00:00:00Z',
        }),
        key,
        { sequence: 2, chunkSize: 2, previous: await held() },
      )
    ).files,
  'a change chunk whose keys are not what its targets give under the rules it claims': async () => {
    const built = await update();
    const manifest = payloadOf(built.files) as { chunks: ChunkRef[] };
    const wrong = await makeChunkGz([keyed(xLabel('e', 'erin'), 'alice')], 'change');
    const files = new Map(built.files);
    files.set(wrong.ref.path, wrong.bytes);
    return resign(files, { ...manifest, chunks: [...manifest.chunks.slice(0, -1), wrong.ref] }, key);
  },
};

/** What the refusal must say, for the format-2 defects (the chunk checks are shared with format 1). */
const WHY: Record<string, RegExp> = {
  'a label id in two chunks': /duplicate label id "a"/,
  'a change chunk altered on the server': /does not match the sha256 in the manifest/,
  'a change chunk swapped for one of another publication (mix and match)':
    /(is \d+ bytes; the manifest says|does not match the sha256)/,
  'a signed change chunk that inflates past the cap (a gzip bomb)': /decompresses to more than 4194304 bytes/,
  'a change chunk signed into a manifest by a stranger': /not signed by the expected key/,
  'an expired update': /feed expired on 2020-02-01/,
  'a chunk the reader holds, listed under another size':
    /^chunks\[0\] \(chunks\/[0-9a-f]{64}\.json(\.gz)?\): is (\d+) bytes; the manifest says (\d+)$/,
  'a definition the held chunks use, removed from the manifest':
    /^chunks\[0\] \([^)]+\)\.labels\[0\]\.val: "suspended" is not a definition of this feed/,
  'a chunk the reader holds, listed under another encoding':
    /^chunks\[0\] \(chunks\/[0-9a-f]{64}\.json(\.gz)?\): (is not valid gzip|.*JSON|.*UTF-8)/,
  'a change chunk whose keys are not what its targets give under the rules it claims':
    /\.key: "account:x:alice" is not the key its target has under target rules 1 \("account:x:erin"\).*rebuild it/,
};

/** The CLI's `verify <dir> --key <key file>`, in-process; its output lines. */
async function cliVerify(files: Map<string, Uint8Array>): Promise<{ code: number; lines: string[] }> {
  for (const [path, bytes] of files) {
    const at = join(folder, 'feed', path);
    await import('node:fs/promises').then((fs) => fs.mkdir(dirname(at), { recursive: true }));
    await writeFile(at, bytes);
  }
  const keyFile = join(folder, 'key.json');
  await writeFile(keyFile, serializeKeyFile(key), { mode: 0o600 });
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const code = await runCli(['verify', join(folder, 'feed'), '--key', keyFile]);
  vi.mocked(process.stdout.write).mockRestore();
  return { code, lines: out.split('\n').map((l) => l.trim()) };
}

describe('the CLI and the sync refuse the same defective feeds for the same reasons', () => {
  for (const [name, make] of Object.entries(DEFECTS)) {
    it(name, async () => {
      // A reader holding publication 1 (chunks of two labels).
      server.publish(DIR, await held());
      const preview = await previewFeed(FEED);
      if (!preview.ok) throw new Error(preview.error);
      const subscribed = await subscribe({ url: FEED, keyFingerprint: preview.value.keyFingerprint }, db);
      expect(subscribed).toMatchObject({ ok: true, value: { sequence: 1 } });

      const files = await make();
      for (const [path, bytes] of files) server.put(DIR + path, bytes);
      const synced = await syncFeed(FEED, db);
      const library = await verifyFeed(memoryReader(files), { publicKey: key.publicKey });
      const cli = await cliVerify(files);

      expect(synced.ok).toBe(false);
      expect(library.ok).toBe(false);
      expect(cli.code).toBe(1);
      if (synced.ok) return;
      // Same kind, same problems, word for word.
      expect(synced.refusal).toEqual(library.refusal);
      if (WHY[name]) expect(library.problems.join('\n')).toMatch(WHY[name] as RegExp);
      for (const problem of library.problems) expect(cli.lines).toContain(problem);
      // The reader is told in words, and keeps the copy they had.
      expect((await db.feeds.get(FEED))?.lastError?.message).toBe(synced.message);
      const kept = await lookupLabels(db, ['alice', 'bob', 'carol', 'dave', 'erin'].map(xKey));
      expect(kept.map((m) => m.labelId).sort()).toEqual(['a', 'b', 'c', 'd']);
    });
  }

  it('a forgery is reported as a forgery: nothing of an unsigned payload is parsed or quoted', async () => {
    server.publish(DIR, await build(feedSource(FEED, HELD), key, { sequence: 1 }));
    const preview = await previewFeed(FEED);
    if (!preview.ok) throw new Error(preview.error);
    await subscribe({ url: FEED, keyFingerprint: preview.value.keyFingerprint }, db);
    for (const defect of [
      'a payload altered into an invalid manifest (a forgery, not the publisher’s error)',
      'signed by a stranger, and invalid too',
    ]) {
      const files = await (DEFECTS[defect] as () => Promise<Map<string, Uint8Array>>)();
      for (const [path, bytes] of files) server.put(DIR + path, bytes);
      const synced = await syncFeed(FEED, db);
      expect(synced.ok).toBe(false);
      if (synced.ok) continue;
      expect(synced.refusal?.kind).toMatch(/^(forged|wrong-key)$/);
      expect(synced.message).not.toMatch(/invalid|nope|definition/);
    }
  });

  it('a valid next publication passes both', async () => {
    server.publish(DIR, await build(feedSource(FEED, HELD), key, { sequence: 1, chunkSize: 2 }));
    const preview = await previewFeed(FEED);
    if (!preview.ok) throw new Error(preview.error);
    await subscribe({ url: FEED, keyFingerprint: preview.value.keyFingerprint }, db);
    const files = (await next()).files;
    for (const [path, bytes] of files) server.put(DIR + path, bytes);
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    expect(await verifyFeed(memoryReader(files), { publicKey: key.publicKey })).toMatchObject({
      ok: true,
      labelCount: 5,
    });
    expect((await cliVerify(files)).code).toBe(0);
  });

  it('an update that removes a definition retracts its labels, and both accept it', async () => {
    const withSam = [...HELD, xLabel('s', 'sam', { val: 'state-media' })];
    const one = await build(feedSource(FEED, withSam), key, { sequence: 1, chunkSize: 2 });
    server.publish(DIR, one);
    const preview = await previewFeed(FEED);
    if (!preview.ok) throw new Error(preview.error);
    await subscribe({ url: FEED, keyFingerprint: preview.value.keyFingerprint }, db);
    expect(await lookupLabels(db, [xKey('sam')])).toHaveLength(1);
    const source = feedSource(FEED, HELD, { definitions: DEFINITIONS.filter((d) => d.id === 'suspended') });
    const two = await build(source, key, { sequence: 2, chunkSize: 2, previous: one });
    // No chunk may keep sam's label, whose definition is gone: the builder lays the feed out afresh.
    expect(two.manifest.chunks?.filter((c) => c.layer === 'change')).toEqual([]);
    for (const [path, bytes] of two.files) server.put(DIR + path, bytes);
    expect(await syncFeed(FEED, db)).toEqual({ ok: true, value: null });
    expect((await verifyFeed(memoryReader(two.files), { publicKey: key.publicKey })).problems).toEqual([]);
    expect((await cliVerify(two.files)).code).toBe(0);
    expect(await lookupLabels(db, [xKey('sam')])).toEqual([]);
  });
});
