/**
 * The shape every benchmark suite reports in, so `npm run bench` has one runner and one results
 * file (`bench/results.json`) for every suite. A suite measures; the runner builds, times nothing
 * itself, and writes results and `docs/benchmarks.md`.
 */
import { loadavg } from 'node:os';

export interface Figure {
  /** Stable id, e.g. `page.x.ext-ms-per-1000-posts`. */
  id: string;
  /** One line a reader understands, e.g. "extension main-thread ms per 1,000 posts (X scroll)". */
  label: string;
  unit: string;
  /** One value per measured run (after warm-up), in the order measured. */
  runs: number[];
  median: number;
  min: number;
  max: number;
  /**
   * The target; `pass` compares the median with it. None: a figure shown for context only
   * (for example a stricter baseline than the issue's), which neither passes nor fails.
   */
  target?: number;
  /** Whether lower or higher values are better (decides `pass`). */
  better: 'lower' | 'higher';
  /** Whether the median meets the target; absent when there is no target. */
  pass?: boolean;
  /** The baseline measured in the same run, where there is one (same unit). */
  baseline?: { median: number; min: number; max: number };
  note?: string;
}

export interface SuiteContext {
  /** Debian's Chromium (or CHROMIUM_PATH). */
  chromium: string;
  /** The built extension for Chromium (`.output/chrome-mv3`), built by the runner. */
  extensionDir: string;
  /** Alternating measured runs per figure (≥ 5 unless `--runs` says otherwise). */
  runs: number;
  /** Scratch space for generated fixtures and feeds, never committed (`bench-output/`). */
  workDir: string;
  log(message: string): void;
}

export interface Suite {
  name: string;
  /** What it measures, one line, for `docs/benchmarks.md`. */
  description: string;
  /** How it measures (method, baseline, what is charged to the extension), Markdown. */
  method: string;
  run(ctx: SuiteContext): Promise<Figure[]>;
}

/**
 * Milliseconds one core takes for a fixed piece of JavaScript (a multiplicative string hash over
 * 2 MB, as the content script's word filter does, 40 times; the fastest of `tries`). The code is the
 * same in every sitting, so it tells sittings' speeds apart: this shared machine's speed moves
 * between sittings, and the bench's figures, milliseconds too, move with it.
 */
export function cpuProbeMs(tries = 5): number {
  const text = 'the quick brown fox jumps over the lazy dog 0123456789 '.repeat(38_000);
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let t = 0; t < tries; t++) {
    const start = performance.now();
    for (let pass = 0; pass < 40; pass++) {
      let h = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
      sink ^= h;
    }
    best = Math.min(best, performance.now() - start);
  }
  // Keeps the loop's result alive (an unused result could be optimised away).
  if (sink === 0.5) console.log(sink);
  return best;
}

/** "load average 0.42 0.70 1.18": the machine's load now, for a bench tool's log. */
export function loadAverage(): string {
  return `load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`;
}

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  return n % 2
    ? (sorted[(n - 1) / 2] as number)
    : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

/** Median, min and max of measured runs, and whether the median meets the target (if any). */
export function figure(fields: Omit<Figure, 'median' | 'min' | 'max' | 'pass'>): Figure {
  const sorted = [...fields.runs].sort((a, b) => a - b);
  const range = {
    median: median(sorted),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
  const { target } = fields;
  if (target === undefined) return { ...fields, ...range };
  const pass = fields.better === 'lower' ? range.median <= target : range.median >= target;
  return { ...fields, ...range, pass };
}
