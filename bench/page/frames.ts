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

/** The events of the scroll page's renderer main thread (the CrRendererMain that ran the most tasks). */
export function mainThread(events: readonly TraceEvent[]): TraceEvent[] {
  const mains = new Set(
    events
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const busy = new Map<string, number>();
  for (const e of events) {
    const id = `${e.pid}:${e.tid}`;
    if (e.name === 'RunTask' && mains.has(id)) busy.set(id, (busy.get(id) ?? 0) + (e.dur ?? 0));
  }
  const id = [...busy].sort((a, b) => b[1] - a[1])[0]?.[0];
  return events.filter((e) => `${e.pid}:${e.tid}` === id);
}

/** Wall and thread (on-core) milliseconds of a thread's tasks. */
export interface CoreMs {
  wall: number;
  thread: number;
}

/**
 * How much of its tasks' wall time the main thread ran on a core: the sum of its `RunTask`s'
 * thread time (`tdur`) and of their wall time (`dur`), for tasks that carry both. Near 100 %, the
 * profile's milliseconds are the thread's own work; well below, it waited for a core (the other
 * processes of a 2-core machine), and every millisecond figure holds that wait too.
 */
export function onCoreMs(events: readonly TraceEvent[]): CoreMs {
  let wall = 0;
  let thread = 0;
  for (const e of events) {
    if (e.name !== 'RunTask' || e.ph !== 'X' || e.dur === undefined || e.tdur === undefined) continue;
    wall += e.dur;
    thread += e.tdur;
  }
  return { wall: wall / 1000, thread: thread / 1000 };
}

/** ms the page's main thread spent rendering (style, layout, pre-paint, paint, layerize, commit). */
export function renderingMs(events: readonly TraceEvent[]): number {
  let us = 0;
  for (const e of mainThread(events)) if (e.ph === 'X' && RENDERING.has(e.name)) us += e.dur ?? 0;
  return us / 1000;
}

export function emptyFrameTotals(): FrameTotals {
  return { frames: { site: 0, ours: 0, both: 0, other: 0 }, ms: { site: 0, ours: 0, both: 0, other: 0 } };
}

function functionName(event: TraceEvent): string {
  const data = (event.args?.data ?? {}) as { functionName?: unknown };
  return typeof data.functionName === 'string' ? data.functionName : '';
}

/** One main-thread task, as frames.ts sees it. */
interface Task {
  start: number;
  end: number;
  /** The site appended posts in it (`batch`). */
  batch: boolean;
  /** A <context-lens-label> landed in it (`stampBadges`). */
  stamped: boolean;
  /** It laid the page out and pre-painted it: a rendering frame. */
  frame: boolean;
  /** Rendering ms in it. */
  rendering: number;
}

/** The renderer main thread's tasks (`RunTask`), in order, with what ran in each. */
function tasksOf(events: readonly TraceEvent[]): Task[] {
  const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
  const tasks: Task[] = [];
  let t = 0;
  for (const run of complete) {
    if (run.name !== 'RunTask') continue;
    const end = run.ts + (run.dur ?? 0);
    while (t < complete.length && (complete[t] as TraceEvent).ts < run.ts) t++;
    const task: Task = { start: run.ts, end, batch: false, stamped: false, frame: false, rendering: 0 };
    let layout = false;
    let prePaint = false;
    for (let i = t; i < complete.length && (complete[i] as TraceEvent).ts < end; i++) {
      const e = complete[i] as TraceEvent;
      if (e.name === 'FunctionCall') {
        const name = functionName(e);
        if (name === 'batch') task.batch = true;
        else if (name === 'stampBadges') task.stamped = true;
      } else if (RENDERING.has(e.name)) {
        task.rendering += (e.dur ?? 0) / 1000;
        if (e.name === 'Layout') layout = true;
        if (e.name === 'PrePaint') prePaint = true;
      }
    }
    task.frame = layout && prePaint;
    tasks.push(task);
  }
  return tasks;
}

/** Adds the frames of one run's main-thread events (one thread's complete events) to `into`. */
export function classifyFrames(events: readonly TraceEvent[], into: FrameTotals): void {
  let site = false;
  let ours = false;
  for (const task of tasksOf(events)) {
    if (task.batch) site = true;
    else if (task.stamped) ours = true;
    if (!task.frame) continue;
    const cause: FrameCause = site && ours ? 'both' : site ? 'site' : ours ? 'ours' : 'other';
    into.frames[cause]++;
    into.ms[cause] += task.rendering;
    site = false;
    ours = false;
  }
}

/**
 * When the site's frame comes, and when the badges for its posts can: per site task (`batch`), the
 * ms from its end to the start of the next rendering frame, and whether badges were written (a task
 * with `stampBadges` and no `batch`) before that frame (they share it) or only after it (before the
 * site's next task: a frame of their own). A badge can share the site's frame only if its answer is
 * in the page before that frame starts; a gap of ~0 ms leaves no time for any round trip.
 */
export interface FrameTiming {
  /** ms from each site task's end to the next rendering frame's start. */
  gaps: number[];
  /** Site tasks whose badges were (partly) written before the site's frame. */
  writtenBefore: number;
  /** Site tasks after whose frame badges were written before the site's next task. */
  writtenAfter: number;
  /** ms from each site task's end to the first badge write after its frame. */
  lateBy: number[];
}

export function emptyFrameTiming(): FrameTiming {
  return { gaps: [], writtenBefore: 0, writtenAfter: 0, lateBy: [] };
}

export function frameTiming(events: readonly TraceEvent[], into: FrameTiming): void {
  const tasks = tasksOf(events);
  for (let i = 0; i < tasks.length; i++) {
    const site = tasks[i] as Task;
    if (!site.batch) continue;
    let frame: Task | undefined;
    // (The site's own task always runs `stampBadges`: the page's observer sees the posts land.)
    let before = false;
    let after: Task | undefined;
    for (let j = i + 1; j < tasks.length; j++) {
      const task = tasks[j] as Task;
      if (task.batch) break;
      if (!frame && task.stamped) before = true;
      else if (frame && task.stamped && !after) after = task;
      if (!frame && task.frame) frame = task;
    }
    if (!frame) continue;
    into.gaps.push((frame.start - site.end) / 1000);
    if (before) into.writtenBefore++;
    if (after) {
      into.writtenAfter++;
      into.lateBy.push((after.start - site.end) / 1000);
    }
  }
}

/** One start of V8's incremental marking (the major collection that follows it), as V8 traced it. */
export interface MarkingStart {
  /** ms since the scroll's first batch of posts (negative: before the scroll). */
  at: number;
  /** V8's reason, e.g. "approaching global allocation limit". */
  reason: string;
  /** MB consumed and MB allowed before a collection: V8's heap with Blink's (global), and V8's old generation. */
  global: [number, number];
  old: [number, number];
  /** Scavenges (minor collections) on the thread before it since the trace began. */
  scavenges: number;
}

const MB = 1e6;

/**
 * Every incremental marking start on the page's main thread, with what V8 gave as its reason and
 * its heap limits then (`V8.GCIncrementalMarkingStart`): why a major collection came into the scroll.
 */
export function markingStarts(events: readonly TraceEvent[]): MarkingStart[] {
  const own = [...events].sort((a, b) => a.ts - b.ts);
  const scrollAt =
    own.find((e) => e.name === 'FunctionCall' && functionName(e) === 'batch')?.ts ?? Number.NaN;
  const out: MarkingStart[] = [];
  let scavenges = 0;
  for (const e of own) {
    if (e.name === 'MinorGC') scavenges++;
    if (e.name !== 'V8.GCIncrementalMarkingStart') continue;
    const value = ((e.args?.value ?? {}) as Record<string, unknown>) ?? {};
    const num = (name: string) =>
      typeof value[name] === 'number' ? (value[name] as number) / MB : Number.NaN;
    out.push({
      at: (e.ts - scrollAt) / 1000,
      reason: typeof value.reason === 'string' ? value.reason : String(value.gc_reason ?? '?'),
      global: [num('global_consumed_bytes'), num('global_allocation_limit')],
      old: [num('old_gen_consumed_bytes'), num('old_gen_allocation_limit')],
      scavenges,
    });
  }
  return out;
}
