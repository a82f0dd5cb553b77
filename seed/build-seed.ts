/**
 * `npm run seed`: builds the seed feed bundled with the extension, from seed/seed.json into
 * public/seed/, with the curator CLI itself (so the seed is made the way any curator makes a feed).
 *
 *   seed/seed.json ──context-lens-feed build──▶ temp dir ──▶ public/seed/{feed.json, chunks/, public-key.txt}
 *                     (--previous public/seed)          (replaces the old files)
 *
 * Signs with seed/.seed-key.json, which is gitignored and created when missing (see seed/README.md:
 * the seed's trust comes from the extension package, so a rebuild with a new key is fine). Writes
 * public/seed/public-key.txt, the key the extension pins for the bundled feed.
 */
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathExists } from '../cli/io';
import { run } from '../cli/main';
import { base64Encode } from '../feed/encoding';
import { parseKeyFile } from '../feed/index';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'seed/seed.json');
const keyFile = join(root, 'seed/.seed-key.json');
const outDir = join(root, 'public/seed');

async function cli(args: string[]): Promise<void> {
  const code = await run(args);
  if (code !== 0) throw new Error(`context-lens-feed ${args[0]} failed (exit ${code})`);
}

async function main(): Promise<void> {
  if (!(await pathExists(keyFile))) {
    console.log('No seed signing key yet: creating seed/.seed-key.json (never committed).');
    await cli(['keygen', keyFile]);
  }
  const key = parseKeyFile(await readFile(keyFile, 'utf8'));
  if (!key.ok) throw new Error(`${keyFile}: ${key.problems.map((p) => p.message).join('; ')}`);

  const temp = await mkdtemp(join(tmpdir(), 'context-lens-seed-'));
  try {
    const previous = (await pathExists(join(outDir, 'feed.json'))) ? ['--previous', outDir] : [];
    await cli(['build', source, '--key', keyFile, '--out', temp, ...previous]);
    // Replace the old publication whole, so no chunk of an earlier version lingers in the package.
    await rm(join(outDir, 'chunks'), { recursive: true, force: true });
    await rm(join(outDir, 'feed.json'), { force: true });
    // Created here rather than by cp, which would give it the temp folder's private mode.
    await mkdir(outDir, { recursive: true, mode: 0o755 });
    await chmod(outDir, 0o755);
    await cp(temp, outDir, { recursive: true });
    await writeFile(join(outDir, 'public-key.txt'), base64Encode(key.value.publicKey));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  await cli(['verify', outDir, '--key', join(outDir, 'public-key.txt')]);
}

main().catch((error: unknown) => {
  console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
