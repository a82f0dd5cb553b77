/**
 * Collecting FeedProblems: every parser reports all it finds, up to FEED_CAPS.problems, as values
 * naming the place. Owns the collector and the `Result` helpers; never throws.
 */
import { FEED_CAPS } from './caps';
import type { FeedProblem, Result } from './types';

export class Problems {
  readonly list: FeedProblem[] = [];
  private stopped = false;

  constructor(private readonly max: number = FEED_CAPS.problems) {}

  add(path: string, message: string): void {
    if (this.stopped) return;
    if (this.list.length >= this.max) {
      this.stopped = true;
      this.list.push({ path: '', message: `more problems not shown (stopped after ${this.max})` });
      return;
    }
    this.list.push({ path, message });
  }

  get full(): boolean {
    return this.stopped;
  }

  get count(): number {
    return this.list.length;
  }

  result<T>(value: T): Result<T> {
    return this.list.length === 0 ? { ok: true, value } : { ok: false, problems: this.list };
  }

  /** A failed Result with the problems so far (never an empty list). */
  failure<T>(): Result<T> {
    if (this.list.length === 0) this.list.push({ path: '', message: 'is not valid' });
    return { ok: false, problems: this.list };
  }
}

/** `labels[3]` + `sources[0].url` → `labels[3].sources[0].url`; `` + `x` → `x`. */
export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

export function fail<T>(path: string, message: string): Result<T> {
  return { ok: false, problems: [{ path, message }] };
}

/** A failure the build side throws: it carries the problems, each naming its place. */
export class FeedError extends Error {
  constructor(readonly problems: FeedProblem[]) {
    super(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n'));
    this.name = 'FeedError';
  }
}
