// Terminal output: text from a file or a server never reaches the curator's terminal raw, so a feed
// cannot paint a line of its own ("signed by: …") or recolour the output (cli/printable.ts).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printable } from './printable';
import { jsonSource, META, runCli, tempDir, writeText } from './testing';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

/** Anything a terminal acts on instead of showing; a printed line may hold none of it. */
const RAW_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters in the output
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]/;

describe('printable', () => {
  it('shows every control, separator and bidi control as a visible escape, and leaves other text alone', () => {
    expect(printable('a\x1b[2Kb')).toBe('a\\x1B[2Kb');
    expect(printable('one\ntwo\r\tthree')).toBe('one\\ntwo\\r\\tthree');
    expect(printable('\u0000\u0007\u007f\u009b')).toBe('\\x00\\x07\\x7F\\x9B');
    expect(printable('x\u202edetaler ton\u2066\u2069\u200f')).toBe(
      'x\\u202Edetaler ton\\u2066\\u2069\\u200F',
    );
    expect(printable('line\u2028sep\u2029')).toBe('line\\u2028sep\\u2029');
    expect(printable('Konto gesperrt — حساب موقوف · 已暂停 🚫')).toBe(
      'Konto gesperrt — حساب موقوف · 已暂停 🚫',
    );
  });
});

describe('CLI output', () => {
  it('a problem line quoting a hostile CSV value shows its escape sequences and line breaks escaped', async () => {
    const keyFile = join(dir, 'key.json');
    expect((await runCli(['keygen', keyFile])).code).toBe(0);
    const hostile = 'nope\x1b[2K\r  signed by: forged\n  fingerprint: forged';
    const csv = await writeText(
      join(dir, 'labels.csv'),
      `type,target,val,note,sources,since,until\naccount,https://x.com/alice,"${hostile}",,https://news.example.org/1,,\n`,
    );
    const meta = await writeText(join(dir, 'meta.json'), JSON.stringify(META));
    const result = await runCli(['build', csv, '--meta', meta, '--key', keyFile, '--out', join(dir, 'out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nope\\x1B[2K\\r  signed by: forged\\n  fingerprint: forged');
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stderr.split('\n').filter((line) => /^\s*(signed by|fingerprint):/.test(line))).toEqual([]);
  }, 120_000);

  it('verify and inspect print a feed name holding line separators and bidi marks escaped', async () => {
    const keyFile = join(dir, 'key.json');
    expect((await runCli(['keygen', keyFile])).code).toBe(0);
    const name = 'Example\u2028  signed by: forged\u2029\u200f';
    const src = await writeText(
      join(dir, 'source.json'),
      jsonSource(
        [
          {
            id: 'x-alice',
            account: 'https://x.com/alice',
            val: 'account-suspended',
            sources: [{ url: 'https://news.example.org/1' }],
          },
        ],
        { name },
      ),
    );
    const out = join(dir, 'feed');
    const build = await runCli(['build', src, '--key', keyFile, '--out', out]);
    expect(build.code, build.stderr).toBe(0);
    for (const command of ['verify', 'inspect']) {
      const result = await runCli([command, out]);
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout, command).toContain('Example\\u2028  signed by: forged\\u2029\\u200F');
      expect(result.stdout, command).not.toMatch(RAW_CONTROL);
    }
    expect(build.stdout).toContain('Built Example\\u2028');
  }, 120_000);

  it('a file name holding an escape sequence is shown escaped in the error', async () => {
    const result = await runCli(['verify', join(dir, 'no\x1b]0;owned\x07such')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no\\x1B]0;owned\\x07such');
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });
});
