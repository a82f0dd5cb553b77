import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './run';
import { cpuProbeMs, figure, median } from './types';

describe('median', () => {
  it('is the middle value, the mean of the middle two, or NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('figure', () => {
  it('passes or fails a figure with a target by its median', () => {
    const low = figure({ id: 'a', label: 'a', unit: 's', runs: [5, 1, 3], target: 3, better: 'lower' });
    expect(low).toMatchObject({ median: 3, min: 1, max: 5, pass: true });
    expect(figure({ id: 'b', label: 'b', unit: 's', runs: [4, 5], target: 3, better: 'lower' }).pass).toBe(
      false,
    );
    expect(figure({ id: 'c', label: 'c', unit: 'x', runs: [4, 5], target: 3, better: 'higher' }).pass).toBe(
      true,
    );
  });

  it('neither passes nor fails a figure without a target', () => {
    const context = figure({ id: 'd', label: 'd', unit: '×', runs: [4.9, 5.1], better: 'lower' });
    expect(context.median).toBeCloseTo(5);
    expect('pass' in context).toBe(false);
  });
});

type SuiteResult = Parameters<typeof renderMarkdown>[0][string];

/** A suite's results as the runner writes them, with `over` in place of the defaults. */
function suiteResult(over: Partial<SuiteResult> & { name: string }): SuiteResult {
  return {
    description: 'test',
    method: 'method',
    date: '2026-12-04T00:00:00.000Z',
    chromium: 'Chromium 1',
    cores: 2,
    loadAverageAtStart: [0, 0, 0],
    loadAverageAtEnd: [0, 0, 0],
    runs: 1,
    figures: [],
    ...over,
  };
}

describe('renderMarkdown', () => {
  it('shows a figure without a target as context, not as a miss', () => {
    const figures = [
      figure({ id: 'r', label: 'ratio of record', unit: '×', runs: [3], target: 4, better: 'lower' }),
      figure({ id: 'c', label: 'stricter ratio', unit: '×', runs: [5], better: 'lower' }),
    ];
    const md = renderMarkdown({ feed: suiteResult({ name: 'feed', figures }) });
    expect(md).toContain('| ratio of record | 3.00 × | 3.00–3.00 |  | ≤ 4.00 | yes |');
    expect(md).toContain('| stricter ratio | 5.00 × | 5.00–5.00 |  | — | for context |');
    expect(md).not.toContain('**no**');
    // Results written before the CPU probe existed have none to show.
    expect(md).not.toContain('CPU probe');
  });

  it('shows the CPU probe read before and after the suite, beside the load average', () => {
    const md = renderMarkdown({
      page: suiteResult({
        name: 'page',
        loadAverageAtEnd: [2, 2, 2],
        cpuProbeMs: { start: 131.4, end: 262.6 },
      }),
    });
    expect(md).toContain('at end 2.00 / 2.00 / 2.00 · CPU probe 131 ms at start, 263 at end');
  });
});

describe('cpuProbeMs', () => {
  it('times its fixed loop, the fastest of its tries', () => {
    const ms = cpuProbeMs(1);
    expect(ms).toBeGreaterThan(0);
    expect(Number.isFinite(ms)).toBe(true);
  });
});
