/**
 * `npm run bench [-- <suite>…] [--runs N] [--no-build]`: builds the extension once, runs the named
 * suites (all when none is named), merges their figures into `bench/results.json` (a suite's earlier
 * figures are replaced, other suites' kept) and rewrites `docs/benchmarks.md` from that file.
 *
 * Suites live in `bench/<name>/index.ts` and default-export a `Suite` (bench/types.ts). Timing
 * targets belong here, never in `npm test`: this machine is shared and noisy, so every figure is
 * compared with its baseline in the same run and reported as median and min–max with the load average.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { cpuProbeMs, type Figure, type Suite } from './types';

const ROOT = resolve(import.meta.dirname, '..');
const SUITES = ['page', 'feed'] as const;
const RESULTS = join(ROOT, 'bench/results.json');
const DOC = join(ROOT, 'docs/benchmarks.md');

interface SuiteResult {
  name: string;
  description: string;
  method: string;
  date: string;
  chromium: string;
  cores: number;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  /** types.ts cpuProbeMs before the suite and after it (absent in results written before it existed). */
  cpuProbeMs?: { start: number; end: number };
  runs: number;
  figures: Figure[];
}

type Results = Record<string, SuiteResult>;

function parseArgs(argv: string[]): { suites: string[]; runs: number; build: boolean } {
  const suites: string[] = [];
  let runs = 5;
  let build = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--runs') runs = Number(argv[++i]);
    else if (arg === '--no-build') build = false;
    else if ((SUITES as readonly string[]).includes(arg)) suites.push(arg);
    else
      throw new Error(
        `unknown argument "${arg}": suites are ${SUITES.join(', ')}; options --runs N, --no-build`,
      );
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a whole number ≥ 1');
  return { suites: suites.length ? suites : [...SUITES], runs, build };
}

function chromiumVersion(path: string): string {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const fmt = (n: number): string =>
  !Number.isFinite(n)
    ? '—'
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 10
        ? n.toFixed(1)
        : n.toFixed(2);

/** "≤ 4", or "—" for a figure without a target. */
const targetText = (f: Figure): string =>
  f.target === undefined ? '—' : `${f.better === 'lower' ? '≤' : '≥'} ${fmt(f.target)}`;

export function renderMarkdown(results: Results): string {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` from `bench/results.json`; do not edit by hand. Each figure is the',
    'median of alternating runs (min–max beside it), measured on the machine and at the load average',
    'shown; a baseline, where there is one, was measured in the same run.',
    '',
  ];
  for (const [name, r] of Object.entries(results).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`## \`${name}\` — ${r.description}`, '');
    const probe = r.cpuProbeMs
      ? ` · CPU probe ${r.cpuProbeMs.start.toFixed(0)} ms at start, ${r.cpuProbeMs.end.toFixed(0)} at end (a fixed loop on one core; lower is faster)`
      : '';
    lines.push(
      `${r.date} · ${r.chromium} · ${r.cores} cores · load average at start ${r.loadAverageAtStart.map((n) => n.toFixed(2)).join(' / ')}, at end ${r.loadAverageAtEnd.map((n) => n.toFixed(2)).join(' / ')}${probe} · ${r.runs} runs`,
      '',
    );
    lines.push(
      '| figure | median | min–max | baseline (same run) | target | pass |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const f of r.figures) {
      const base = f.baseline
        ? `${fmt(f.baseline.median)} (${fmt(f.baseline.min)}–${fmt(f.baseline.max)})`
        : '';
      const pass = f.pass === undefined ? 'for context' : f.pass ? 'yes' : '**no**';
      lines.push(
        `| ${f.label}${f.note ? ` (${f.note})` : ''} | ${fmt(f.median)} ${f.unit} | ${fmt(f.min)}–${fmt(f.max)} | ${base} | ${targetText(f)} | ${pass} |`,
      );
    }
    lines.push('', '### Method', '', r.method.trim(), '');
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { suites, runs, build } = parseArgs(process.argv.slice(2));
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium))
    throw new Error(`no Chromium at ${chromium}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  if (build) execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const extensionDir = join(ROOT, '.output/chrome-mv3');
  const workDir = join(ROOT, 'bench-output');
  mkdirSync(workDir, { recursive: true });
  const results: Results = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  let failed = 0;
  for (const name of suites) {
    const suite: Suite = (await import(`./${name}/index.ts`)).default;
    const loadAverageAtStart = loadavg();
    const probeAtStart = cpuProbeMs();
    const started = new Date();
    const log = (message: string) => console.log(`[bench ${name}] ${message}`);
    log(
      `start, load average ${loadAverageAtStart.map((n) => n.toFixed(2)).join(' ')}, CPU probe ${probeAtStart.toFixed(0)} ms`,
    );
    const figures = await suite.run({ chromium, extensionDir, runs, workDir, log });
    results[name] = {
      name,
      description: suite.description,
      method: suite.method,
      date: started.toISOString(),
      chromium: chromiumVersion(chromium),
      cores: cpus().length,
      loadAverageAtStart,
      loadAverageAtEnd: loadavg(),
      cpuProbeMs: { start: probeAtStart, end: cpuProbeMs() },
      runs,
      figures,
    };
    for (const f of figures) {
      if (f.pass === false) failed++;
      const verdict = f.pass === undefined ? 'info' : f.pass ? 'pass' : 'FAIL';
      log(
        `${verdict} ${f.label}: ${fmt(f.median)} ${f.unit} (${fmt(f.min)}–${fmt(f.max)}), target ${targetText(f)}`,
      );
    }
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(DOC, renderMarkdown(results));
  }
  console.log(
    `bench: ${failed === 0 ? 'every target met' : `${failed} figure(s) miss their target`} — bench/results.json, docs/benchmarks.md`,
  );
  process.exitCode = failed === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
