// `context-lens-feed import`, run as a real process: each kind on the real samples or the schema
// fixtures, the summary, --meta making a source that build signs, a re-import the next day built
// with --previous (unchanged labels keep cts, a vanished note is gone), and errors without traces.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { realdata } from '../tests/realdata';
import { META, runCli, STACK_LINE, tempDir, writeText } from './testing';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const FIXTURES = join(import.meta.dirname, '../feed/import/fixtures');
const NOTES = realdata('community_notes/notes-00000.head1000.tsv');
const STATUS = realdata('community_notes/noteStatusHistory-00000.rows30488-end.tsv');
const GARDENFENCE = realdata('fediverse_blocklists/oliphant_mastodon_gardenfence.csv');
const LIST_URL =
  'https://codeberg.org/oliphant/blocklists/raw/branch/main/blocklists/mastodon/gardenfence.csv';

async function meta(): Promise<string> {
  const { definitions: _ignored, ...fields } = META;
  return writeText(join(dir, 'meta.json'), JSON.stringify(fields));
}

async function manifestOf(
  feedDir: string,
): Promise<{ sequence: number; labels?: { id: string; cts: string }[] }> {
  const envelope = JSON.parse(await readFile(join(feedDir, 'feed.json'), 'utf8')) as { payload: string };
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
}

describe('import', { timeout: 180_000 }, () => {
  it('is listed in the help with its kinds and options', async () => {
    const help = await runCli(['import', '--help']);
    expect(help.code).toBe(0);
    for (const text of [
      'community-notes',
      'fediverse-blocklist',
      'atproto-labels',
      'claimreview',
      '--out',
      '--meta',
      '--include',
      '--source-url',
    ])
      expect(help.stdout).toContain(text);
  });

  it('community-notes: prints what was read, the labels and every skip reason, and writes a source build signs', async () => {
    const out = join(dir, 'notes.json');
    const result = await runCli([
      'import',
      'community-notes',
      NOTES,
      STATUS,
      '--out',
      out,
      '--meta',
      await meta(),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('read:     1,000 notes, 5,631 status rows');
    expect(result.stdout).toContain('labels:   25 (community-note 25)');
    expect(result.stdout).toContain('skipped:  975');
    expect(result.stdout).toMatch(/164 {2}status NEEDS_MORE_RATINGS/);
    const source = JSON.parse(await readFile(out, 'utf8'));
    expect(source.name).toBe(META.name);
    expect(source.definitions.map((d: { id: string }) => d.id)).toEqual([
      'community-note',
      'community-note-needs-ratings',
    ]);

    await runCli(['keygen', join(dir, 'key.json')]);
    const build = await runCli(['build', out, '--key', join(dir, 'key.json'), '--out', join(dir, 'feed')]);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toContain('labels:      25');
    const verify = await runCli(['verify', join(dir, 'feed')]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('a re-import built with --previous keeps unchanged labels and drops a note that lost its status', async () => {
    const metaFile = await meta();
    await runCli(['keygen', join(dir, 'key.json')]);
    const day1 = join(dir, 'day1.json');
    expect(
      (await runCli(['import', 'community-notes', NOTES, STATUS, '--out', day1, '--meta', metaFile])).code,
    ).toBe(0);
    expect(
      (await runCli(['build', day1, '--key', join(dir, 'key.json'), '--out', join(dir, 'feed1')])).code,
    ).toBe(0);
    // The next day's status file: one helpful note fell back to NEEDS_MORE_RATINGS.
    const status = await readFile(STATUS, 'utf8');
    const demoted = status.replace(
      /^(1354873070159360001\t(?:[^\t]*\t){5})CURRENTLY_RATED_HELPFUL/m,
      '$1NEEDS_MORE_RATINGS',
    );
    expect(demoted).not.toBe(status);
    const nextStatus = await writeText(join(dir, 'noteStatusHistory-next.tsv'), demoted);
    const day2 = join(dir, 'day2.json');
    const reimport = await runCli([
      'import',
      'community-notes',
      NOTES,
      nextStatus,
      '--out',
      day2,
      '--meta',
      metaFile,
    ]);
    expect(reimport.stdout).toContain('labels:   24 ');
    const build = await runCli([
      'build',
      day2,
      '--key',
      join(dir, 'key.json'),
      '--out',
      join(dir, 'feed2'),
      '--previous',
      join(dir, 'feed1'),
    ]);
    expect(build.code, build.stderr).toBe(0);
    const [before, after] = [await manifestOf(join(dir, 'feed1')), await manifestOf(join(dir, 'feed2'))];
    expect(after.sequence).toBe(before.sequence + 1);
    const ids = (m: typeof before) => (m.labels ?? []).map((l) => l.id);
    expect(ids(before)).toContain('cn-1354873070159360001');
    expect(ids(after)).toEqual(ids(before).filter((id) => id !== 'cn-1354873070159360001'));
    const cts = (m: typeof before) => Object.fromEntries((m.labels ?? []).map((l) => [l.id, l.cts]));
    for (const id of ids(after)) expect(cts(after)[id]).toBe(cts(before)[id]);
  });

  it('fediverse-blocklist: needs --source-url, cites it on every label, and counts what it skips', async () => {
    const out = join(dir, 'list.json');
    const missing = await runCli(['import', 'fediverse-blocklist', GARDENFENCE, '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--source-url is required');
    const result = await runCli([
      'import',
      'fediverse-blocklist',
      GARDENFENCE,
      '--source-url',
      LIST_URL,
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('read:     147 rows');
    expect(result.stdout).toContain('skipped:  2');
    expect(result.stdout).toContain('It has no feed fields yet');
    const source = JSON.parse(await readFile(out, 'utf8'));
    expect(source.id).toBeUndefined();
    expect(source.labels.every((l: { sources: { url: string }[] }) => l.sources[0]?.url === LIST_URL)).toBe(
      true,
    );
  });

  it('atproto-labels and claimreview read their schema fixtures', async () => {
    const at = await runCli([
      'import',
      'atproto-labels',
      join(FIXTURES, 'queryLabels-page1.json'),
      join(FIXTURES, 'queryLabels-page2.json'),
      '--out',
      join(dir, 'at.json'),
      '--meta',
      await meta(),
    ]);
    expect(at.code, at.stderr).toBe(0);
    expect(at.stdout).toContain('read:     6 labels, 2 pages');
    const cr = await runCli([
      'import',
      'claimreview',
      join(FIXTURES, 'claimreview-datafeed.json'),
      realdata('claimreview/FACTCKBR.tsv'),
      '--out',
      join(dir, 'cr.json'),
    ]);
    expect(cr.code, cr.stderr).toBe(0);
    expect(cr.stdout).toContain('read:     1,316 fact-checks, 5 appearance URLs');
    expect(cr.stdout).toMatch(/1,314 {2}no itemReviewed\.appearance or firstAppearance URL/);
  });

  it('fails on malformed input naming the file, line and field, and writes nothing', async () => {
    const bad = await writeText(
      join(dir, 'notes.tsv'),
      'noteId\tparticipantId\tcreatedAtMillis\ttweetId\tclassification\tsummary\n1\tA\t1\tx\tNOT_MISLEADING\ts\n',
    );
    const out = join(dir, 'never.json');
    const result = await runCli(['import', 'community-notes', bad, STATUS, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`context-lens-feed: ${bad}: line 2: tweetId: "x" is not a post id\n`);
    expect(result.stderr).not.toMatch(STACK_LINE);
    await expect(readFile(out)).rejects.toThrow();
    const kind = await runCli(['import', 'tweets', bad, '--out', out]);
    expect(kind.stderr).toContain('unknown kind "tweets"');
    const include = await runCli([
      'import',
      'fediverse-blocklist',
      GARDENFENCE,
      '--include',
      'needs-more-ratings',
      '--out',
      out,
    ]);
    expect(include.stderr).toContain('--include is only for community-notes');
  });
});
