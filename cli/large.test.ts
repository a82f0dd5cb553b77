// A curator-sized feed end to end through the real CLI: 100,000 CSV rows built into chunks,
// verified and inspected. Its speed is measured by `npm run bench -- feed`, not timed here; the
// generous timeout still catches accidental quadratic work in build, verify or inspect.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { META, runCli, tempDir } from './testing';

const ROWS = 100_000;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(async () => {
  await cleanup();
});

it(`builds, verifies and inspects a ${ROWS.toLocaleString('en-US')}-row CSV feed`, {
  timeout: 240_000,
}, async () => {
  const rows = ['type,target,val,note,sources,since,until'];
  for (let i = 0; i < ROWS; i++) {
    const val = i % 10 === 0 ? 'hosting-terminated' : 'account-suspended';
    const target =
      val === 'hosting-terminated' ? `link,site${i}.example.net` : `account,https://x.com/user${i}`;
    rows.push(`${target},${val},"Row ${i}, with a comma",https://news.example.org/${i},2021-01-08,`);
  }
  const csv = join(dir, 'big.csv');
  const meta = join(dir, 'meta.json');
  await writeFile(csv, `${rows.join('\n')}\n`);
  await writeFile(meta, JSON.stringify(META));
  const keyFile = join(dir, 'key.json');
  expect((await runCli(['keygen', keyFile])).code).toBe(0);

  const out = join(dir, 'feed');
  const build = await runCli(['build', csv, '--meta', meta, '--key', keyFile, '--out', out]);
  expect(build.code, build.stderr).toBe(0);
  expect(build.stdout).toMatch(/labels:\s+100,000/);
  expect(build.stdout).toMatch(/chunks:\s+20\b/);

  const verify = await runCli(['verify', out, '--key', keyFile]);
  expect(verify.code, verify.stdout).toBe(0);
  expect(verify.stdout).toMatch(/labels:\s+100,000/);

  const inspect = await runCli(['inspect', out]);
  expect(inspect.code, inspect.stdout).toBe(0);
  expect(inspect.stdout).toMatch(/90,000\s+Account suspended/);
  expect(inspect.stdout).toMatch(/10,000\s+Hosting terminated/);
  expect(inspect.stdout).toMatch(/Chunks:\s+20 \(/);
});
