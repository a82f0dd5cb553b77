// The curator CLI, run as a real process on temporary folders: keygen, build (JSON and CSV),
// verify, inspect, --previous, and the messages for bad input.
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonSource, META, runCli, STACK_LINE, tempDir, writeText } from './testing';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const source = (n: number) => ({ url: `https://news.example.org/story/${n}`, publisher: 'Example News' });

const LABELS = [
  {
    id: 'x-alice',
    account: 'https://x.com/alice',
    val: 'account-suspended',
    sources: [source(1)],
    since: '2021-01-08',
  },
  { id: 'x-bob', account: 'https://x.com/bob', val: 'account-suspended', sources: [source(2)] },
  { id: 'x-carol', account: 'https://x.com/carol', val: 'account-suspended', sources: [source(3)] },
  {
    id: 'bsky-dan',
    account: 'https://bsky.app/profile/dan.bsky.social',
    val: 'account-suspended',
    sources: [source(4)],
  },
  {
    id: 'host-example',
    link: 'example.net',
    val: 'hosting-terminated',
    sources: [source(5)],
    note: 'Host gone.',
  },
  { id: 'x-erin', account: 'https://x.com/erin', val: 'account-suspended', sources: [source(6)], neg: true },
];

async function keygen(
  name = 'key.json',
): Promise<{ keyFile: string; publicKey: string; fingerprint: string }> {
  const keyFile = join(dir, name);
  const result = await runCli(['keygen', keyFile]);
  expect(result.code, result.stderr).toBe(0);
  const publicKey = /public key:\s+(\S+)/.exec(result.stdout)?.[1] ?? '';
  const fingerprint = /fingerprint:\s+([0-9a-f]{64})/.exec(result.stdout)?.[1] ?? '';
  return { keyFile, publicKey, fingerprint };
}

async function buildJson(
  keyFile: string,
  out: string,
  labels: unknown[] = LABELS,
  extra: string[] = ['--chunk-size', '2'],
): Promise<string> {
  const src = await writeText(join(dir, 'source.json'), jsonSource(labels));
  const result = await runCli(['build', src, '--key', keyFile, '--out', out, ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

async function chunkNames(feedDir: string): Promise<string[]> {
  const manifest = JSON.parse(
    Buffer.from(JSON.parse(await readFile(join(feedDir, 'feed.json'), 'utf8')).payload, 'base64').toString(
      'utf8',
    ),
  ) as { chunks?: { path: string }[]; sequence: number };
  return (manifest.chunks ?? []).map((c) => c.path).sort();
}

async function sequenceOf(feedDir: string): Promise<number> {
  const envelope = JSON.parse(await readFile(join(feedDir, 'feed.json'), 'utf8')) as { payload: string };
  return (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { sequence: number })
    .sequence;
}

describe('help', () => {
  it('lists every command and its options', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['keygen', 'build', 'verify', 'inspect', 'serve'])
      expect(result.stdout).toContain(command);
    const build = await runCli(['build', '--help']);
    expect(build.code).toBe(0);
    for (const option of ['--key', '--out', '--meta', '--chunk-size', '--previous', '--sequence']) {
      expect(build.stdout).toContain(option);
    }
  });

  it('names an unknown command or option without a stack trace', async () => {
    const unknown = await runCli(['publish']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "publish"');
    const option = await runCli(['verify', dir, '--colour']);
    expect(option.code).toBe(1);
    expect(option.stderr).toContain("'--colour'");
    expect(option.stderr).not.toMatch(STACK_LINE);
  });
});

describe('keygen', () => {
  it('writes a key file only its owner can read and prints the public key and fingerprint', async () => {
    const { keyFile, publicKey, fingerprint } = await keygen();
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(keyFile, 'utf8')) as { type: string; publicKey: string };
    expect(file.type).toBe('ed25519');
    expect(file.publicKey).toBe(publicKey);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses to overwrite a key unless --force', async () => {
    const { keyFile, publicKey } = await keygen();
    const again = await runCli(['keygen', keyFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(JSON.parse(await readFile(keyFile, 'utf8')).publicKey).toBe(publicKey);
    const forced = await runCli(['keygen', keyFile, '--force']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(await readFile(keyFile, 'utf8')).publicKey).not.toBe(publicKey);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file others can read or write, with the chmod 600 fix, as OpenSSH does', async () => {
    const { keyFile, fingerprint } = await keygen();
    const src = await writeText(join(dir, 'source.json'), jsonSource(LABELS));
    const out = join(dir, 'feed');
    for (const mode of [0o644, 0o666, 0o777, 0o640]) {
      await chmod(keyFile, mode);
      const build = await runCli(['build', src, '--key', keyFile, '--out', out]);
      expect(build.code, mode.toString(8)).toBe(1);
      expect(build.stderr).toContain(`permissions 0${mode.toString(8)} are too open`);
      expect(build.stderr).toContain(`fix it with: chmod 600 ${keyFile}`);
      expect(build.stderr).not.toMatch(STACK_LINE);
    }
    const loose = await runCli(['verify', out, '--key', keyFile]);
    expect(loose.code).toBe(1);
    expect(loose.stderr).toContain('fix it with: chmod 600');
    await chmod(keyFile, 0o600);
    expect((await runCli(['build', src, '--key', keyFile, '--out', out])).code).toBe(0);
    const verify = await runCli(['verify', out, '--key', keyFile]);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain(fingerprint);
    // A public key alone is no secret: a world-readable public-key.txt is fine.
    const publicOnly = join(dir, 'public-key.txt');
    await writeFile(publicOnly, JSON.parse(await readFile(keyFile, 'utf8')).publicKey as string);
    await chmod(publicOnly, 0o644);
    expect((await runCli(['verify', out, '--key', publicOnly])).code).toBe(0);
    // Seven CLI runs: generous on a loaded machine; this checks behaviour, not speed.
  }, 180_000);
});

describe('build, verify and inspect', () => {
  it('builds a JSON source into feed.json and content-addressed chunks that verify', {
    timeout: 90_000,
  }, async () => {
    const { keyFile, publicKey, fingerprint } = await keygen();
    const out = join(dir, 'feed');
    const summary = await buildJson(keyFile, out);
    expect(summary).toMatch(/labels:\s+6/);
    expect(summary).toMatch(/sequence:\s+1/);
    expect(summary).toContain(fingerprint);
    const chunks = await readdir(join(out, 'chunks'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const name of chunks) expect(name).toMatch(/^[0-9a-f]{64}\.json\.gz$/);

    const plain = await runCli(['verify', out]);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout).toContain('valid feed');
    // Pinned by the base64 key, by public-key file, by key file and by fingerprint.
    const pubFile = await writeText(join(dir, 'public-key.txt'), `${publicKey}\n`);
    for (const key of [publicKey, pubFile, keyFile, fingerprint]) {
      const pinned = await runCli(['verify', out, '--key', key]);
      expect(pinned.code, `${key}: ${pinned.stdout}${pinned.stderr}`).toBe(0);
    }
  });

  it('fails verification, listing the problem, when a chunk is tampered with or another key is pinned', async () => {
    const { keyFile } = await keygen();
    const other = await keygen('other.json');
    const out = join(dir, 'feed');
    await buildJson(keyFile, out);

    const wrongKey = await runCli(['verify', out, '--key', other.publicKey]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toContain('not a valid feed');
    expect(wrongKey.stdout).toMatch(/signature|key/i);

    const [first] = await readdir(join(out, 'chunks'));
    const chunkPath = join(out, 'chunks', first as string);
    const text = await readFile(chunkPath, 'utf8');
    await writeFile(chunkPath, text.replace('https://news.example.org', 'https://evil.example.org'));
    const tampered = await runCli(['verify', out]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`chunks/${first}`);
    expect(tampered.stdout).toMatch(/sha256|bytes/);
    expect(tampered.stdout + tampered.stderr).not.toMatch(STACK_LINE);
  });

  it('inspect summarises name, publisher, dates, key, counts per definition, chunks and retractions', async () => {
    const { keyFile, fingerprint } = await keygen();
    const out = join(dir, 'feed');
    await buildJson(keyFile, out);
    const result = await runCli(['inspect', out]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(META.name);
    expect(result.stdout).toContain(META.publisher);
    expect(result.stdout).toMatch(/sequence:\s+1/);
    expect(result.stdout).toMatch(/issued:\s+\d{4}-\d{2}-\d{2}/);
    expect(result.stdout).toMatch(/expires:\s+\d{4}-\d{2}-\d{2}/);
    expect(result.stdout).not.toContain('(expired)');
    expect(result.stdout).toContain(fingerprint);
    expect(result.stdout).toMatch(/4\s+Account suspended/);
    expect(result.stdout).toMatch(/1\s+Hosting terminated/);
    expect(result.stdout).toMatch(/Chunks:\s+\d+ \([\d,]+ bytes\)/);
    expect(result.stdout).toMatch(/Retractions:\s+1\n\s+x-erin/);
  });

  it('inspect marks an expired feed', async () => {
    const { keyFile } = await keygen();
    const src = await writeText(
      join(dir, 'old.json'),
      jsonSource(LABELS.slice(0, 1), { issued: '2020-01-01T00:00:00Z', expires: '2020-02-01T00:00:00Z' }),
    );
    const out = join(dir, 'feed');
    const build = await runCli(['build', src, '--key', keyFile, '--out', out]);
    expect(build.code, build.stderr).toBe(0);
    const result = await runCli(['inspect', out]);
    expect(result.stdout).toMatch(/expires:\s+2020-02-01T00:00:00Z\s+\(expired\)/);
    const verify = await runCli(['verify', out]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/expire/i);
  });

  it('--previous keeps the names of unchanged chunks and raises the sequence by one', async () => {
    const { keyFile } = await keygen();
    const v1 = join(dir, 'v1');
    await buildJson(keyFile, v1);
    const v1Chunks = await chunkNames(v1);

    const v2 = join(dir, 'v2');
    await buildJson(keyFile, v2, LABELS, ['--chunk-size', '2', '--previous', v1]);
    expect(await sequenceOf(v2)).toBe(2);
    expect(await chunkNames(v2)).toEqual(v1Chunks);

    // One label changed: every chunk is kept and one change chunk carries the change (format 2).
    const changed = LABELS.map((l) => (l.id === 'host-example' ? { ...l, note: 'Host gone for good.' } : l));
    const v3 = join(dir, 'v3');
    const summary = await buildJson(keyFile, v3, changed, ['--chunk-size', '2', '--previous', v2]);
    expect(await sequenceOf(v3)).toBe(3);
    const v3Chunks = await chunkNames(v3);
    expect(v3Chunks.filter((c) => v1Chunks.includes(c))).toHaveLength(v1Chunks.length);
    expect(v3Chunks).toHaveLength(v1Chunks.length + 1);
    expect(summary).toContain(`${v1Chunks.length} unchanged`);
    expect(summary).toMatch(
      /changes:\s+1 label in 1 change chunk \(folded into base chunks once they pass half the feed\)/,
    );
    expect((await runCli(['verify', v3])).code).toBe(0);

    // Every label changed: past half the feed, the change chunks are folded into new base chunks.
    const v4 = join(dir, 'v4');
    const all = LABELS.map((l) => ({ ...l, note: `${l.note ?? ''} Reviewed again.` }));
    const compacted = await buildJson(keyFile, v4, all, ['--chunk-size', '2', '--previous', v3]);
    expect(compacted).toMatch(
      /changes:\s+compacted: the previous change chunks are folded into new base chunks/,
    );
    expect((await runCli(['verify', v4])).code).toBe(0);
  });

  it('--sequence sets the sequence of a first publication', async () => {
    const { keyFile } = await keygen();
    const out = join(dir, 'feed');
    await buildJson(keyFile, out, LABELS, ['--sequence', '41']);
    expect(await sequenceOf(out)).toBe(41);
    const src = join(dir, 'source.json');
    const back = await runCli([
      'build',
      src,
      '--key',
      keyFile,
      '--out',
      join(dir, 'next'),
      '--previous',
      out,
      '--sequence',
      '41',
    ]);
    expect(back.code).toBe(1);
    expect(back.stderr).toContain("--sequence: must be greater than the previous publication's 41");
  });
});

describe('CSV sources', () => {
  const header = 'type,target,val,note,sources,since,until';

  async function csvFiles(rows: string[], meta: unknown = META): Promise<{ csv: string; meta: string }> {
    return {
      csv: await writeText(join(dir, 'labels.csv'), `${[header, ...rows].join('\n')}\n`),
      meta: await writeText(join(dir, 'meta.json'), JSON.stringify(meta)),
    };
  }

  it('builds a CSV source with --meta into a feed that verifies', async () => {
    const { keyFile } = await keygen();
    const files = await csvFiles([
      'account,https://x.com/alice,account-suspended,"Suspended, then reinstated",https://news.example.org/1 https://news.example.org/2,2021-01-08,2022-11-19',
      'link,example.net,hosting-terminated,,https://news.example.org/3,2021-01-10,',
    ]);
    const out = join(dir, 'feed');
    const build = await runCli(['build', files.csv, '--meta', files.meta, '--key', keyFile, '--out', out]);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/labels:\s+2/);
    const inspect = await runCli(['inspect', out]);
    expect(inspect.stdout).toMatch(/1\s+Account suspended/);
    expect(inspect.stdout).toMatch(/1\s+Hosting terminated/);
    expect((await runCli(['verify', out])).code).toBe(0);
  });

  it('names the row and field of a bad row: unknown definition, non-http source, duplicate', async () => {
    const { keyFile } = await keygen();
    const files = await csvFiles([
      'account,https://x.com/alice,account-suspended,,https://news.example.org/1,,',
      'account,https://x.com/bob,account-banned,,https://news.example.org/2,,',
      'account,https://x.com/carol,account-suspended,,ftp://files.example.org/x,,',
      'account,https://x.com/alice,account-suspended,,https://news.example.org/4,,',
    ]);
    const result = await runCli([
      'build',
      files.csv,
      '--meta',
      files.meta,
      '--key',
      keyFile,
      '--out',
      join(dir, 'o'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/labels\.csv: row 2 .*val: "account-banned" is not a definition/);
    expect(result.stderr).toMatch(
      /labels\.csv: row 3 .*sources: "ftp:\/\/files\.example\.org\/x" is not an http\(s\) URL/,
    );
    expect(result.stderr).toMatch(/labels\.csv: row 4 .*same type, target and val as row 1/);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('says a CSV source needs --meta, and names a bad meta field with the meta file', async () => {
    const { keyFile } = await keygen();
    const files = await csvFiles(
      ['account,https://x.com/alice,account-suspended,,https://news.example.org/1,,'],
      {
        ...META,
        appeals: 'http://example.org/appeals',
      },
    );
    const noMeta = await runCli(['build', files.csv, '--key', keyFile, '--out', join(dir, 'o')]);
    expect(noMeta.code).toBe(1);
    expect(noMeta.stderr).toContain('needs --meta');
    const badMeta = await runCli([
      'build',
      files.csv,
      '--meta',
      files.meta,
      '--key',
      keyFile,
      '--out',
      join(dir, 'o'),
    ]);
    expect(badMeta.code).toBe(1);
    expect(badMeta.stderr).toMatch(/meta\.json: meta\.appeals: only https or mailto/);
  });
});

describe('bad input', () => {
  it('a missing source, a bad key file and a duplicate label id each give one clear message and exit 1', async () => {
    const { keyFile } = await keygen();
    const missing = await runCli([
      'build',
      join(dir, 'nope.json'),
      '--key',
      keyFile,
      '--out',
      join(dir, 'o'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);

    const src = await writeText(join(dir, 'source.json'), jsonSource(LABELS));
    const badKey = await writeText(join(dir, 'bad-key.json'), '{"type":"ed25519","publicKey":"abc"}');
    await chmod(badKey, 0o600);
    const keyResult = await runCli(['build', src, '--key', badKey, '--out', join(dir, 'o')]);
    expect(keyResult.code).toBe(1);
    expect(keyResult.stderr).toMatch(/bad-key\.json: publicKey: /);
    expect(keyResult.stderr).toMatch(/bad-key\.json: privateKey: is required/);

    const dup = await writeText(
      join(dir, 'dup.json'),
      jsonSource([LABELS[0], { ...LABELS[1], id: 'x-alice' }]),
    );
    const dupResult = await runCli(['build', dup, '--key', keyFile, '--out', join(dir, 'o')]);
    expect(dupResult.code).toBe(1);
    expect(dupResult.stderr).toMatch(/dup\.json: labels\[1\]\.id: .*x-alice/);

    const noKey = await runCli(['build', src, '--out', join(dir, 'o')]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('--key is required');

    for (const result of [missing, keyResult, dupResult, noKey])
      expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('only fetches http(s) URLs, and names a folder without a feed', async () => {
    const ftp = await runCli(['verify', 'ftp://feeds.example.org/feed.json']);
    expect(ftp.code).toBe(1);
    expect(ftp.stderr).toContain('only http(s) URLs can be fetched');
    const file = await runCli(['inspect', 'file:///etc/passwd']);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain('only http(s) URLs can be fetched');
    const empty = await runCli(['verify', dir]);
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain('feed.json: not found');
    expect(empty.stdout + empty.stderr).not.toMatch(STACK_LINE);
  });

  it('rejects a --key that is neither a key nor a fingerprint', async () => {
    const result = await runCli(['verify', dir, '--key', 'not-a-key']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--key/);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
