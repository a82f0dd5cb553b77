/**
 * Where the real public data samples are: `../shared/realdata/` next to the repository (see its
 * README). From a git worktree elsewhere, next to the main checkout the worktree belongs to.
 * Test-only. A missing folder fails the test that asks for it: real-data tests never skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function mainCheckout(): string | null {
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    return dirname(common);
  } catch {
    return null;
  }
}

let found: string | undefined;

/** The absolute path of a file under realdata/, e.g. `community_notes/notes-00000.head1000.tsv`. */
export function realdata(path: string): string {
  if (found === undefined) {
    const candidates = [join(ROOT, '../shared/realdata')];
    const main = mainCheckout();
    if (main) candidates.push(join(main, '../shared/realdata'));
    const dir = candidates.find((c) => existsSync(join(c, 'README.md')));
    if (!dir) throw new Error(`real data samples not found; looked in ${candidates.join(', ')}`);
    found = dir;
  }
  return join(found, path);
}
