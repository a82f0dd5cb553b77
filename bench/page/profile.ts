/**
 * Charging a page's main-thread time to the extension from a V8 CPU profile (CDP `Profiler`): a
 * sample counts as the extension's when the nearest frame with a URL, walking from the sampled
 * function to its callers, is a `chrome-extension://` script. Samples are placed on the page's own
 * clock (`performance.now()`) through a marker function the bench runs at a known page time, so
 * they can be matched with the page's long-task entries. The same rule charges a sampling heap
 * profile's allocations (CDP `HeapProfiler`; the page and the content script share one V8 heap, so
 * what the extension allocates is what makes the page's garbage collections). Pure: profile in,
 * numbers out.
 */

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  /** Microseconds (the browser's monotonic clock). */
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export const MARKER_FUNCTION = '__contextLensBenchMarker';

export interface ChargedSample {
  /** Page time (ms, the page's performance.now()) when known, else profile time in ms. */
  at: number;
  /** Milliseconds this sample stands for (the gap to the next sample). */
  ms: number;
  extension: boolean;
  /** The sampled node's id. */
  node: number;
}

export interface Charged {
  samples: ChargedSample[];
  /** Offset from profile time (ms) to page time (ms), from the marker; 0 when there was no marker. */
  offsetMs: number;
  markerFound: boolean;
}

/** Which profile nodes are the extension's (their nearest frame with a URL is chrome-extension://). */
export function extensionNodes(profile: CpuProfile): Set<number> {
  const parent = new Map<number, number>();
  const byId = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const memo = new Map<number, boolean>();
  const isExtension = (id: number): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const url = byId.get(id)?.callFrame.url ?? '';
    const up = parent.get(id);
    const result = url ? url.startsWith('chrome-extension://') : up !== undefined && isExtension(up);
    memo.set(id, result);
    return result;
  };
  const ids = new Set<number>();
  for (const node of profile.nodes) if (isExtension(node.id)) ids.add(node.id);
  return ids;
}

/**
 * Every sample with its time and weight. `markerPageTime` is the page's performance.now() at which
 * the marker function began; its first sample fixes the offset between the two clocks.
 */
export function chargeProfile(profile: CpuProfile, markerPageTime?: number): Charged {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const ext = extensionNodes(profile);
  const markerIds = new Set(
    profile.nodes.filter((n) => n.callFrame.functionName === MARKER_FUNCTION).map((n) => n.id),
  );
  const times: number[] = [];
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    times.push(t);
  }
  let offsetMs = 0;
  let markerFound = false;
  if (markerPageTime !== undefined) {
    const index = samples.findIndex((id) => markerIds.has(id));
    if (index >= 0) {
      offsetMs = markerPageTime - (times[index] ?? 0) / 1000;
      markerFound = true;
    }
  }
  const out: ChargedSample[] = [];
  for (let i = 0; i < samples.length; i++) {
    const start = times[i] ?? 0;
    const end = times[i + 1] ?? profile.endTime;
    out.push({
      at: start / 1000 + offsetMs,
      ms: Math.max(0, end - start) / 1000,
      extension: ext.has(samples[i] ?? -1),
      node: samples[i] ?? -1,
    });
  }
  return { samples: out, offsetMs, markerFound };
}

/** What a sample was spent on. */
export type SampleKind = 'extension' | 'page script' | 'garbage collection' | 'no script' | 'idle';

/**
 * A profile's milliseconds by what they were spent on, weighted as chargeProfile weights them: the
 * nearest frame with a URL names the script (the extension's or the page's); a sample with none is
 * V8's own node: `(garbage collector)`, `(idle)`, or `(program)` and the like (style, layout, paint,
 * DOM work: the thread's time no script is charged for).
 */
export function msByKind(profile: CpuProfile): Record<SampleKind, number> {
  const out: Record<SampleKind, number> = {
    extension: 0,
    'page script': 0,
    'garbage collection': 0,
    'no script': 0,
    idle: 0,
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const scriptOf = (id: number | undefined): SampleKind | null => {
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)?.callFrame.url;
      if (url) return url.startsWith('chrome-extension://') ? 'extension' : 'page script';
    }
    return null;
  };
  const ids = profile.samples ?? [];
  chargeProfile(profile).samples.forEach((sample, i) => {
    const id = ids[i];
    const name = id === undefined ? '' : byId.get(id)?.callFrame.functionName;
    const kind =
      scriptOf(id) ??
      (name === '(garbage collector)' ? 'garbage collection' : name === '(idle)' ? 'idle' : 'no script');
    out[kind] += sample.ms;
  });
  return out;
}

/** Extension milliseconds between two page times (inclusive start, exclusive end). */
export function extensionMs(charged: Charged, from = -Infinity, to = Infinity): number {
  let sum = 0;
  for (const s of charged.samples) if (s.extension && s.at >= from && s.at < to) sum += s.ms;
  return sum;
}

/**
 * The extension's milliseconds in each `width`-ms window of page time, counted from its first
 * sample (attribute.ts `--over-time`: its start-up, the page index's arrival and the steady cost of
 * each later stretch of the scroll, apart). Windows with no extension sample hold 0.
 */
export function extensionMsOverTime(charged: Charged, width: number): number[] {
  const out: number[] = [];
  let from: number | undefined;
  for (const s of charged.samples) {
    if (!s.extension) continue;
    from ??= s.at;
    const index = Math.floor((s.at - from) / width);
    while (out.length <= index) out.push(0);
    out[index] = (out[index] ?? 0) + s.ms;
  }
  return out;
}

/** Long tasks (page-time [start, duration]) of at least `minMs` that contain an extension sample. */
export function longTasksWithExtension(
  charged: Charged,
  longTasks: readonly (readonly [number, number])[],
  minMs = 50,
): number {
  let count = 0;
  for (const [start, duration] of longTasks) {
    if (duration < minMs) continue;
    if (charged.samples.some((s) => s.extension && s.at >= start && s.at < start + duration)) count++;
  }
  return count;
}

/** A long task that holds extension samples: where it was, and what of the extension's ran in it. */
export interface LongTaskDetail {
  start: number;
  duration: number;
  /** Extension ms sampled inside it. */
  extMs: number;
  /** The extension's functions sampled inside it by self ms, the dearest first (at most three). */
  top: [string, number][];
}

/** The long tasks (≥ `minMs`) that contain extension samples, with what the extension ran in each. */
export function longTaskDetails(
  profile: CpuProfile,
  charged: Charged,
  longTasks: readonly (readonly [number, number])[],
  minMs = 50,
): LongTaskDetail[] {
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName || '(anonymous)']));
  const out: LongTaskDetail[] = [];
  for (const [start, duration] of longTasks) {
    if (duration < minMs) continue;
    const by = new Map<string, number>();
    let extMs = 0;
    for (const s of charged.samples) {
      if (!s.extension || s.at < start || s.at >= start + duration) continue;
      extMs += s.ms;
      const name = names.get(s.node) ?? '?';
      by.set(name, (by.get(name) ?? 0) + s.ms);
    }
    if (extMs === 0) continue;
    const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 3);
    out.push({ start, duration, extMs, top });
  }
  return out;
}

/** `[at 312 ms, 87 ms, extension 80 ms: decode 41, …]` for each detail, for a run's log line. */
export function describeLongTasks(details: readonly LongTaskDetail[]): string {
  return details
    .map(
      (t) =>
        ` [at ${t.start.toFixed(0)} ms, ${t.duration.toFixed(0)} ms, extension ${t.extMs.toFixed(0)} ms: ${t.top.map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ')}]`,
    )
    .join('');
}

/** The p-th percentile (0–100) by nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

/** A node of a sampling heap profile (CDP `HeapProfiler.stopSampling`): bytes allocated there. */
export interface HeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapProfileNode[];
}

export interface Allocations {
  /** Bytes sampled in all (page and extension). */
  total: number;
  /** Bytes allocated where the nearest frame with a URL is the extension's. */
  extension: number;
  /** The extension's bytes by function; a native one is named with its nearest extension caller. */
  byFunction: Map<string, number>;
}

/** A profile frame as the attribution tables name it: `name path/in/extension.js:line` (1-based). */
export function frameLabel(callFrame: { functionName: string; url: string; lineNumber?: number }): string {
  const file = callFrame.url.split('/').slice(3).join('/');
  return `${callFrame.functionName || '(anonymous)'} ${file}:${(callFrame.lineNumber ?? 0) + 1}`;
}

/** Who allocated what in a sampling heap profile, charged as `extensionNodes` charges time. */
export function chargeAllocations(head: HeapProfileNode): Allocations {
  const out: Allocations = { total: 0, extension: 0, byFunction: new Map() };
  const visit = (node: HeapProfileNode, extension: boolean, caller: string): void => {
    const { functionName, url } = node.callFrame;
    const ours = url ? url.startsWith('chrome-extension://') : extension;
    const name = url ? frameLabel(node.callFrame) : functionName || '(anonymous)';
    out.total += node.selfSize;
    if (ours && node.selfSize > 0) {
      out.extension += node.selfSize;
      const key = url ? name : `${name} (native, from ${caller})`;
      out.byFunction.set(key, (out.byFunction.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) visit(child, ours, url ? name : caller);
  };
  visit(head, false, '');
  return out;
}
