import { describe, expect, it } from 'vitest';
import {
  classifyFrames,
  emptyFrameTiming,
  emptyFrameTotals,
  frameTiming,
  markingStarts,
  onCoreMs,
} from './frames';
import type { TraceEvent } from './index';

let clock = 0;
/** One main-thread task at the next free time, holding `inside` (name and ms) in order. */
function task(...inside: [string, number, string?][]): TraceEvent[] {
  const start = clock;
  const events: TraceEvent[] = [];
  let at = start;
  for (const [name, ms, fn] of inside) {
    events.push({
      name,
      cat: '',
      ph: 'X',
      ts: at,
      dur: ms * 1000,
      pid: 1,
      tid: 1,
      ...(fn ? { args: { data: { functionName: fn } } } : {}),
    });
    at += ms * 1000;
  }
  clock = at + 1000;
  return [{ name: 'RunTask', cat: '', ph: 'X', ts: start, dur: at - start, pid: 1, tid: 1 }, ...events];
}

const frame = (ms: number) => task(['UpdateLayoutTree', 1], ['Layout', ms], ['PrePaint', ms], ['Paint', 1]);

describe('classifyFrames', () => {
  it('puts each laid-out frame down to what wrote since the frame before it', () => {
    clock = 0;
    const events = [
      // the site appends, the extension reads (no write), the frame renders the posts
      ...task(['FunctionCall', 3, 'batch'], ['FunctionCall', 0.1, 'stampBadges']),
      ...task(['FunctionCall', 2, 'onmessage']),
      ...frame(5),
      // the badges land after that frame: a frame of their own
      ...task(['FunctionCall', 1, 'onmessage'], ['FunctionCall', 0.1, 'stampBadges']),
      ...frame(4),
      // badges and the next posts before one frame: shared
      ...task(['FunctionCall', 1, 'onmessage'], ['FunctionCall', 0.1, 'stampBadges']),
      ...task(['FunctionCall', 3, 'batch']),
      ...frame(6),
      // a frame without a layout (nothing changed) is no rendering frame; one with a layout and
      // no writer is 'other'
      ...task(['PrePaint', 0.1]),
      ...frame(2),
    ];
    const totals = emptyFrameTotals();
    classifyFrames(events, totals);
    expect(totals.frames).toEqual({ site: 1, ours: 1, both: 1, other: 1 });
    expect(totals.ms.site).toBeCloseTo(12);
    expect(totals.ms.ours).toBeCloseTo(10);
    expect(totals.ms.both).toBeCloseTo(14);
    expect(totals.ms.other).toBeCloseTo(6);
  });
});

describe('frameTiming', () => {
  it('times each site task to its frame and tells badges written before that frame from those after', () => {
    clock = 0;
    const events = [
      // 1: the frame right after the site's task (gap 1 ms: the task helper leaves 1 ms between
      // tasks); the badges come after it
      ...task(['FunctionCall', 3, 'batch']),
      ...frame(5),
      ...task(['FunctionCall', 1, 'onmessage'], ['FunctionCall', 0.1, 'stampBadges']),
      ...frame(4),
      // 2: the badges land before the site's frame: they share it
      ...task(['FunctionCall', 3, 'batch']),
      ...task(['FunctionCall', 1, 'onmessage'], ['FunctionCall', 0.1, 'stampBadges']),
      ...frame(6),
      // 3: the page's observer runs in the site's own task (it sees the posts land); no badge after
      ...task(['FunctionCall', 3, 'batch'], ['FunctionCall', 0.1, 'stampBadges']),
      ...frame(6),
    ];
    const timing = emptyFrameTiming();
    frameTiming(events, timing);
    expect(timing.gaps).toHaveLength(3);
    expect(timing.gaps[0]).toBeCloseTo(1);
    expect(timing.gaps[1]).toBeCloseTo(2.1 + 1);
    expect(timing.writtenBefore).toBe(1);
    expect(timing.writtenAfter).toBe(1);
    // site task end → frame (1 ms gap, 12 ms) → 1 ms gap → the badges' task
    expect(timing.lateBy[0]).toBeCloseTo(1 + 12 + 1);
  });
});

describe('markingStarts', () => {
  it('gives each incremental marking start its time from the scroll, reason, limits and the scavenges before it', () => {
    const at = (ts: number, name: string, args?: Record<string, unknown>): TraceEvent => ({
      name,
      cat: '',
      ph: 'X',
      ts,
      dur: 100,
      pid: 1,
      tid: 1,
      ...(args ? { args } : {}),
    });
    const events = [
      at(1_000, 'MinorGC'),
      at(2_000, 'FunctionCall', { data: { functionName: 'batch' } }),
      at(3_000, 'MinorGC'),
      at(2_502_000, 'V8.GCIncrementalMarkingStart', {
        value: {
          reason: 'approaching global allocation limit',
          global_consumed_bytes: 52_256_047,
          global_allocation_limit: 54_247_463,
          old_gen_consumed_bytes: 11_308_024,
          old_gen_allocation_limit: 21_487_650,
        },
      }),
    ];
    expect(markingStarts(events)).toEqual([
      {
        at: 2_500,
        reason: 'approaching global allocation limit',
        global: [52.256047, 54.247463],
        old: [11.308024, 21.48765],
        scavenges: 2,
      },
    ]);
    expect(markingStarts(events.slice(0, 3))).toEqual([]);
  });
});

describe('onCoreMs', () => {
  it("sums the tasks' wall and thread time, leaving out events that are not tasks or lack thread time", () => {
    const run = (dur: number, tdur?: number, name = 'RunTask'): TraceEvent => ({
      name,
      cat: '',
      ph: 'X',
      ts: 0,
      dur,
      ...(tdur === undefined ? {} : { tdur }),
      pid: 1,
      tid: 1,
    });
    const events = [run(4000, 3000), run(2000, 2000), run(9000), run(5000, 1000, 'Layout')];
    expect(onCoreMs(events)).toEqual({ wall: 6, thread: 5 });
  });
});
