/**
 * The command line the page bench's own tools share (attribute.ts, issue-ab.ts; not part of `npm
 * run bench`): `--ext DIR` once per build (the built extension when none), `--dump DIR`, lists such
 * as `--under a,b`, `--js-flags "…"` (V8 flags for every browser the tool starts, to diagnose, such
 * as `--trace-opt`; what V8 prints shows with `DEBUG=pw:browser`), and the scratch folders their
 * feeds are written to.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ToolArgs {
  /** The value after `flag`, if given. */
  value(flag: string): string | undefined;
  /** The comma-separated names after `flag` (none without it). */
  list(flag: string): string[];
  /** Each `--ext DIR`, resolved; the built extension (`.output/chrome-mv3`) when none is given. */
  builds: string[];
  /** `--dump DIR`, resolved and made; undefined without it. */
  dumpDir: string | undefined;
  /** `--js-flags "…"`: V8 flags for every browser the tool starts (index.ts `launch`). */
  jsFlags: string | undefined;
  /** bench-output/, the scratch space, and page-feeds/ inside it, emptied for this run's feeds. */
  workDir: string;
  outDir: string;
}

export function toolArgs(args: readonly string[]): ToolArgs {
  const value = (flag: string): string | undefined => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const dump = value('--dump');
  const dumpDir = dump ? resolve(dump) : undefined;
  if (dumpDir) mkdirSync(dumpDir, { recursive: true });
  const builds = args.flatMap((a, i) =>
    a === '--ext' && args[i + 1] ? [resolve(args[i + 1] as string)] : [],
  );
  if (builds.length === 0) builds.push(join(ROOT, '.output/chrome-mv3'));
  const workDir = join(ROOT, 'bench-output');
  const outDir = join(workDir, 'page-feeds');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  return {
    value,
    list: (flag) => (value(flag) ?? '').split(',').filter(Boolean),
    builds,
    dumpDir,
    jsFlags: value('--js-flags'),
    workDir,
    outDir,
  };
}
