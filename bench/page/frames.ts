/**
 * Which rendering frames of a scroll page the extension caused (for bench/page/attribute.ts
 * `--trace`): every frame that laid the page out (a task of the renderer's main thread with a
 * `Layout` and a `PrePaint`) is put down to what wrote to the timeline since the frame before it:
 *
 *   site  the page appended posts (its `batch` function, scroll.ts)
 *   ours  only the extension inserted badges (the page's `stampBadges` observer saw a
 *         <context-lens-label> land in a task without a `batch`)
 *   both  both wrote before the frame rendered them (the badge shares the site's frame: free)
 *   other neither (a forced layout, a resize, the first paint)
 *
 * A frame's rendering cost is the sum of its UpdateLayoutTree, Layout, PrePaint, Paint, Layerize
 * and Commit. On a long timeline these grow with the page, not with what changed (any layout of it
 * walks the whole list), so every frame of its own that a badge causes costs the page about as
 * much as the site's own frame: the count of `ours` frames, not the badges' CSS, is what the task
 * ratio mostly measures.
 */
import type { TraceEvent } from './index';

export type FrameCause = 'site' | 'ours' | 'both' | 'other';

export interface FrameTotals {
  frames: Record<FrameCause, number>;
  /** Rendering ms of those frames. */
  ms: Record<FrameCause, number>;
}

const RENDERING = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit']);

export function emptyFrameTotals(): FrameTotals {
  return { frames: { site: 0, ours: 0, both: 0, other: 0 }, ms: { site: 0, ours: 0, both: 0, other: 0 } };
}

function functionName(event: TraceEvent): string {
  const data = (event.args?.data ?? {}) as { functionName?: unknown };
  return typeof data.functionName === 'string' ? data.functionName : '';
}

/** Adds the frames of one run's main-thread events (one thread's complete events) to `into`. */
export function classifyFrames(events: readonly TraceEvent[], into: FrameTotals): void {
  const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
  let site = false;
  let ours = false;
  let t = 0;
  for (const task of complete) {
    if (task.name !== 'RunTask') continue;
    const end = task.ts + (task.dur ?? 0);
    while (t < complete.length && (complete[t] as TraceEvent).ts < task.ts) t++;
    let batch = false;
    let stamped = false;
    let layout = false;
    let prePaint = false;
    let rendering = 0;
    for (let i = t; i < complete.length && (complete[i] as TraceEvent).ts < end; i++) {
      const e = complete[i] as TraceEvent;
      if (e.name === 'FunctionCall') {
        const name = functionName(e);
        if (name === 'batch') batch = true;
        else if (name === 'stampBadges') stamped = true;
      } else if (RENDERING.has(e.name)) {
        rendering += (e.dur ?? 0) / 1000;
        if (e.name === 'Layout') layout = true;
        if (e.name === 'PrePaint') prePaint = true;
      }
    }
    if (batch) site = true;
    else if (stamped) ours = true;
    if (!layout || !prePaint) continue;
    const cause: FrameCause = site && ours ? 'both' : site ? 'site' : ours ? 'ours' : 'other';
    into.frames[cause]++;
    into.ms[cause] += rendering;
    site = false;
    ours = false;
  }
}
