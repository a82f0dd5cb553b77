/**
 * Where the page suite's extension time goes, for whoever optimises the content script (not part of
 * `npm run bench`): `npx tsx bench/page/attribute.ts [x|bluesky|reddit…] [--runs N] [--trace]
 * [--quiet] [--idle] [--ext DIR…] [--dump DIR] [--when NAME,…] [--under NAME,…] [--over-time MS]
 * [--js-flags "…"]`. Builds nothing: it loads each `--ext` build (default `.output/chrome-mv3`;
 * build with `WXT_NO_MINIFY=1 npx wxt build` for readable function names; two builds give an A/B
 * comparison in one sitting, runs alternating), subscribes the same feeds as the suite, scrolls each
 * page `runs` times after a warm-up and prints the extension's self and inclusive time per function from the CPU
 * profiles (the suite's charging, profile.ts), and with `--trace` the renderer main thread's trace
 * events with and without the extension (style, layout, GC, messaging the profile cannot charge)
 * and both profiles' milliseconds by what they were spent on (profile.ts msByKind: the
 * extension's script, the page's, garbage collection, work no script is charged for), and how
 * much of its tasks' wall time the main thread ran on a core (frames.ts onCoreMs).
 * `--when NAME,…` logs, per run, the page time each named function was first and last sampled
 * (`--when batch,decode`: the scroll's start and the page index's arrival). `--over-time MS`
 * prints the extension's ms in each MS-wide window of page time from its first sample, the median
 * of the runs (its start-up, the index's arrival and the steady cost of the scroll, apart).
 * `--js-flags "…"` gives every browser it starts those V8 flags (tool-args.ts).
 * `--under NAME,…` splits the time inside each function NAME by its callees (where a function's
 * inclusive time goes). `--dump DIR` also writes each
 * run's renderer main-thread trace events to DIR/<site>-ext<i>|base-run<n>.json (for frame-by-frame
 * reading: bench/page/frames.ts). With `--idle` it waits the suite's 10 s after each scroll and charges only that idle window.
 * With `--heap` it also takes a sampling heap profile of each scroll and prints the megabytes the
 * extension and the page allocated (garbage included: what makes the page's garbage collections)
 * and the extension's functions by bytes; the sampling slows the page, so its times and ratios are
 * not for comparing with runs without it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuProbeMs, loadAverage, median } from '../types';
import { FEEDS, FeedHost } from './feeds';
import {
  type CoreMs,
  classifyFrames,
  emptyFrameTiming,
  emptyFrameTotals,
  type FrameCause,
  type FrameTiming,
  type FrameTotals,
  frameTiming,
  type MarkingStart,
  mainThread,
  markingStarts,
  onCoreMs,
} from './frames';
import { IDLE_MS, launch, measure, SITES, setUpExtension, type TraceEvent } from './index';
import {
  type CpuProfile,
  chargeAllocations,
  chargeProfile,
  describeLongTasks,
  extensionMsOverTime,
  extensionNodes,
  frameLabel,
  msByKind,
  percentile,
  type SampleKind,
} from './profile';
import { POSTS, type ScrollSite } from './scroll';
import { toolArgs } from './tool-args';

interface Totals {
  self: Map<string, number>;
  inclusive: Map<string, number>;
  /** With `--under NAME,…`: the time spent inside each NAME, by its callee on the way (`(self)`: its own). */
  under: Map<string, Map<string, number>>;
  total: number;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

/**
 * Self time per extension function (or per native function the extension called) and inclusive time
 * per extension function; with `window`, only samples whose page time falls inside it.
 */
function attribute(
  profile: CpuProfile,
  into: Totals,
  window?: { markerAt: number; from: number; to: number },
  under: readonly string[] = [],
): void {
  const ext = extensionNodes(profile);
  const at = window ? chargeProfile(profile, window.markerAt).samples.map((s) => s.at) : undefined;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] ?? -1;
    if (!ext.has(id)) continue;
    if (window && at) {
      const t = at[i] ?? Number.NaN;
      if (!(t >= window.from && t < window.to)) continue;
    }
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) continue;
    into.total += ms;
    add(
      into.self,
      node.callFrame.url ? frameLabel(node.callFrame) : `${node.callFrame.functionName} (native)`,
      ms,
    );
    const seen = new Set<string>();
    let callee: string | undefined;
    const inside = new Map<string, string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (under.length && n) {
        // A name's outermost frame wins: its callee on this sample's path is charged.
        if (under.includes(n.callFrame.functionName))
          inside.set(n.callFrame.functionName, callee ?? '(self)');
        callee = n.callFrame.url ? frameLabel(n.callFrame) : `${n.callFrame.functionName} (native)`;
      }
      if (!n?.callFrame.url.startsWith('chrome-extension://')) continue;
      const name = frameLabel(n.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      add(into.inclusive, name, ms);
    }
    for (const [name, child] of inside) {
      const map = into.under.get(name) ?? new Map<string, number>();
      into.under.set(name, map);
      add(map, child, ms);
    }
  }
}

function top(map: Map<string, number>, runs: number, n: number): string[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => `${(ms / runs).toFixed(1).padStart(8)} ms  ${name}`);
}

/** The scroll page's renderer main thread's complete trace events, summed by name. */
function traceTotals(
  events: TraceEvent[],
  into: Map<string, number>,
  frames: FrameTotals,
  timing: FrameTiming,
  markings: MarkingStart[][],
  core: CoreMs,
  dump?: string,
): void {
  const own = mainThread(events);
  markings.push(markingStarts(own));
  const onCore = onCoreMs(own);
  core.wall += onCore.wall;
  core.thread += onCore.thread;
  if (dump) writeFileSync(dump, JSON.stringify(own.filter((e) => e.ph === 'X' || e.ph === 'I')));
  for (const e of own) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    add(into, e.name, e.dur / 1000);
  }
  classifyFrames(own, frames);
  frameTiming(own, timing);
}

/** One run's incremental marking starts, on one line. */
function markingLine(label: string, run: number, starts: readonly MarkingStart[]): string {
  const each = starts.map(
    (m) =>
      `${(m.at / 1000).toFixed(2)} s "${m.reason}" (global ${m.global[0].toFixed(1)} / ${m.global[1].toFixed(1)} MB, old generation ${m.old[0].toFixed(1)} / ${m.old[1].toFixed(1)} MB, ${m.scavenges} scavenges before)`,
  );
  return `${label.padEnd(8)} run ${run + 1}: ${each.length ? each.join('; ') : 'none'}`;
}

function timingLine(label: string, timing: FrameTiming): string {
  const { gaps, lateBy } = timing;
  const within = gaps.filter((gap) => gap <= 1).length;
  return `${label.padEnd(8)} the site's frame starts ${median(gaps).toFixed(1)} ms (median) after its task, within 1 ms for ${within} of ${gaps.length} site tasks; badges written before it ${timing.writtenBefore}, only after it ${timing.writtenAfter} (median ${median(lateBy).toFixed(1)} ms after the site's task)`;
}

function kindLine(runs: readonly Record<SampleKind, number>[]): string {
  const kinds: SampleKind[] = ['extension', 'page script', 'garbage collection', 'no script'];
  return kinds.map((kind) => `${kind} ${median(runs.map((run) => run[kind])).toFixed(0)}`).join(', ');
}

function frameLine(label: string, frames: FrameTotals, runs: number): string {
  const causes: FrameCause[] = ['site', 'ours', 'both', 'other'];
  return `${label.padEnd(8)} ${causes
    .map((c) => `${c} ${(frames.frames[c] / runs).toFixed(1)} (${(frames.ms[c] / runs).toFixed(0)} ms)`)
    .join(', ')}`;
}

/** `--over-time`: the extension's ms in each window from its first sample, the median of the runs. */
function overTimeLine(runs: readonly number[][], width: number): string {
  const windows = Math.max(0, ...runs.map((r) => r.length));
  const cells: string[] = [];
  for (let w = 0; w < windows; w++) {
    cells.push(`${w * width}–${(w + 1) * width} ${median(runs.map((r) => r[w] ?? 0)).toFixed(0)}`);
  }
  return `-- extension ms per ${width} ms of page time from its first sample (median of runs): ${cells.join(', ')}`;
}

/**
 * When (page ms from navigation) each of the named functions was first and last sampled in a run:
 * `--when decode,setIndex` tells when the page index arrived.
 */
function firstSampled(profile: CpuProfile, markerAt: number, names: readonly string[]): string {
  const charged = chargeProfile(profile, markerAt);
  const nameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  return names
    .map((name) => {
      const at = charged.samples.filter((s) => nameOf.get(s.node) === name).map((s) => s.at);
      return at.length
        ? `${name} first ${Math.min(...at).toFixed(0)} ms, last ${Math.max(...at).toFixed(0)} ms`
        : `${name} not sampled`;
    })
    .join('; ');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { value, list, builds, dumpDir, jsFlags, workDir, outDir } = toolArgs(args);
  const sites = args.filter((a): a is ScrollSite => (SITES as string[]).includes(a));
  const runs = Number(value('--runs') ?? 3);
  const trace = args.includes('--trace');
  const quiet = args.includes('--quiet');
  const idle = args.includes('--idle');
  const heap = args.includes('--heap');
  const when = list('--when');
  const under = list('--under');
  const overTime = Number(value('--over-time') ?? 0);
  const dumpFile = (name: string) => (dumpDir ? join(dumpDir, `${name}.json`) : undefined);
  const log = (m: string) => console.log(`[attribute] ${m}`);
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const host = new FeedHost();
  await host.start();
  const urls: string[] = [];
  for (let f = 0; f < FEEDS; f++) urls.push(await host.publish(f, outDir, log));
  const exts: { dir: string; launched: Awaited<ReturnType<typeof launch>> }[] = [];
  for (const dir of builds) {
    const ctx = { chromium, extensionDir: dir, runs, workDir, log };
    const launched = await launch(ctx, true, jsFlags);
    exts.push({ dir, launched });
    await setUpExtension(ctx, launched.context, urls);
  }
  const base = trace
    ? await launch({ chromium, extensionDir: '', runs, workDir, log }, false, jsFlags)
    : undefined;
  log(`${loadAverage()}, CPU probe ${cpuProbeMs().toFixed(0)} ms`);
  try {
    for (const site of sites.length ? sites : SITES) {
      const per = exts.map(() => ({
        totals: { self: new Map(), inclusive: new Map(), under: new Map(), total: 0 } as Totals,
        trace: new Map<string, number>(),
        frames: emptyFrameTotals(),
        timing: emptyFrameTiming(),
        /** With --trace: each counted run's incremental marking starts (frames.ts markingStarts). */
        markings: [] as MarkingStart[][],
        /** With --trace: the main thread's task wall and thread ms (frames.ts onCoreMs), all runs. */
        core: { wall: 0, thread: 0 } as CoreMs,
        extMs: [] as number[],
        p95: [] as number[],
        taskMs: [] as number[],
        /** With --heap: MB the extension and the page allocated per run, the extension's bytes by function. */
        heapMb: { extension: [] as number[], page: [] as number[] },
        heapBy: new Map<string, number>(),
        /** Profile ms per run by what they were spent on (profile.ts msByKind). */
        kinds: [] as Record<SampleKind, number>[],
        /** With --over-time: the extension's ms per window of page time, per counted run. */
        overTime: [] as number[][],
      }));
      /** The page's task ms without the extension, per counted run (with --trace). */
      const withoutTaskMs: number[] = [];
      const withoutTrace = new Map<string, number>();
      const withoutFrames = emptyFrameTotals();
      const withoutTiming = emptyFrameTiming();
      const withoutMarkings: MarkingStart[][] = [];
      const withoutCore: CoreMs = { wall: 0, thread: 0 };
      const withoutKinds: Record<SampleKind, number>[] = [];
      for (let run = 0; run <= runs; run++) {
        const counted = run > 0;
        const order = exts.map((_, i) => i);
        if (run % 2) order.reverse();
        for (const i of order) {
          const ext = exts[i];
          const into = per[i];
          if (!ext || !into) continue;
          const result = await measure(ext.launched.context, site, true, {
            idle,
            ...(heap
              ? {
                  heap: (head) => {
                    if (!counted) return;
                    const charged = chargeAllocations(head);
                    into.heapMb.extension.push(charged.extension / 1e6);
                    into.heapMb.page.push((charged.total - charged.extension) / 1e6);
                    for (const [name, bytes] of charged.byFunction) add(into.heapBy, name, bytes);
                  },
                }
              : {}),
            profile: (profile, markerAt, endAt) => {
              if (when.length) log(`${site} run ${run} ${ext.dir}: ${firstSampled(profile, markerAt, when)}`);
              if (!counted) return;
              attribute(
                profile,
                into.totals,
                idle ? { markerAt, from: endAt, to: endAt + IDLE_MS } : undefined,
                under,
              );
              into.kinds.push(msByKind(profile));
              if (overTime > 0)
                into.overTime.push(extensionMsOverTime(chargeProfile(profile, markerAt), overTime));
            },
            ...(trace
              ? {
                  trace: (events: TraceEvent[]) =>
                    counted &&
                    traceTotals(
                      events,
                      into.trace,
                      into.frames,
                      into.timing,
                      into.markings,
                      into.core,
                      dumpFile(`${site}-ext${i}-run${run}`),
                    ),
                }
              : {}),
          });
          if (counted) {
            into.extMs.push(idle ? result.idleExtMs : result.extMs);
            into.p95.push(percentile(result.latencies, 95));
            into.taskMs.push(result.taskMs);
          }
          log(
            `${site} run ${run}${counted ? '' : ' (warm-up)'} ${ext.dir}: extension ${result.extMs.toFixed(0)} ms, badge p95 ${percentile(result.latencies, 95).toFixed(0)} ms, long tasks ${result.longTasks}${describeLongTasks(result.longTaskDetails)}`,
          );
        }
        if (base) {
          const without = await measure(base.context, site, false, {
            profile: (profile) => counted && withoutKinds.push(msByKind(profile)),
            trace: (events) =>
              counted &&
              traceTotals(
                events,
                withoutTrace,
                withoutFrames,
                withoutTiming,
                withoutMarkings,
                withoutCore,
                dumpFile(`${site}-base-run${run}`),
              ),
          });
          if (counted) withoutTaskMs.push(without.taskMs);
        }
      }
      for (const [i, ext] of exts.entries()) {
        const into = per[i];
        if (!into) continue;
        const { totals } = into;
        console.log(
          `\n== ${site} ${ext.dir}: extension ms per run${idle ? ' (idle window)' : ''} ${into.extMs.map((n) => n.toFixed(idle ? 2 : 0)).join(' ')} (median ${median(into.extMs).toFixed(0)}), badge p95 ${into.p95.map((n) => n.toFixed(0)).join(' ')} (${POSTS} posts)`,
        );
        if (overTime > 0) console.log(overTimeLine(into.overTime, overTime));
        if (trace) {
          // The suite's page task-time ratio, per run pair (tracing adds to both sides).
          const ratios = into.taskMs.map((ms, run) => ms / (withoutTaskMs[run] ?? Number.NaN));
          console.log(
            `-- page task ms with ÷ without per run: ${ratios.map((r) => r.toFixed(2)).join(' ')} (median ${median(ratios).toFixed(2)}; with ${median(into.taskMs).toFixed(0)}, without ${median(withoutTaskMs).toFixed(0)} ms)`,
          );
          console.log(
            `-- CPU profile ms by what they were spent on (median per run): with ${kindLine(into.kinds)}; without ${kindLine(withoutKinds)}`,
          );
          const share = (core: CoreMs) =>
            `${((100 * core.thread) / core.wall).toFixed(0)} % (${(core.thread / runs).toFixed(0)} of ${(core.wall / runs).toFixed(0)} ms a run)`;
          console.log(
            `-- the main thread's tasks on a core (thread time ÷ wall time; the rest it waited for one): with ${share(into.core)}; without ${share(withoutCore)}`,
          );
          console.log('-- rendering frames per run, by what wrote before each (frames.ts), and their ms');
          console.log(frameLine('with', into.frames, runs));
          console.log(frameLine('without', withoutFrames, runs));
          console.log(
            "-- when the site's frame comes and when the badges for its posts are written (all runs)",
          );
          console.log(timingLine('with', into.timing));
          console.log(timingLine('without', withoutTiming));
          console.log(
            "-- major collections: each incremental marking start, from the scroll's start, with V8's reason and limits",
          );
          for (const [run, starts] of into.markings.entries()) console.log(markingLine('with', run, starts));
          for (const [run, starts] of withoutMarkings.entries())
            console.log(markingLine('without', run, starts));
        }
        if (heap) {
          const mb = (list: number[]) =>
            `${list.map((n) => n.toFixed(1)).join(' ')} (median ${median(list).toFixed(1)})`;
          console.log(
            `-- allocated during the scroll, MB per run (sampling heap profile, garbage included): extension ${mb(into.heapMb.extension)}, page ${mb(into.heapMb.page)}`,
          );
          if (!quiet) {
            console.log('-- allocated by extension functions (KB per run)');
            for (const [name, bytes] of [...into.heapBy].sort((a, b) => b[1] - a[1]).slice(0, 30))
              console.log(`${(bytes / 1000 / runs).toFixed(0).padStart(8)} KB  ${name}`);
          }
        }
        if (quiet) continue;
        console.log('-- self time (per run)');
        for (const line of top(totals.self, runs, 40)) console.log(line);
        console.log('-- inclusive time of extension functions (per run)');
        for (const line of top(totals.inclusive, runs, 40)) console.log(line);
        for (const [name, map] of totals.under) {
          console.log(`-- inside ${name}, by its callee (per run)`);
          for (const line of top(map, runs, 25)) console.log(line);
        }
        if (trace) {
          console.log('-- renderer main thread, trace events with / without the extension (ms per run)');
          const names = [...new Set([...into.trace.keys(), ...withoutTrace.keys()])]
            .map((name) => [name, into.trace.get(name) ?? 0, withoutTrace.get(name) ?? 0] as const)
            .sort((a, b) => b[1] - b[2] - (a[1] - a[2]))
            .slice(0, 30);
          for (const [name, w, wo] of names)
            console.log(
              `${(w / runs).toFixed(1).padStart(8)} ${(wo / runs).toFixed(1).padStart(8)} ${((w - wo) / runs).toFixed(1).padStart(8)}  ${name}`,
            );
        }
      }
    }
  } finally {
    for (const ext of exts) await ext.launched.close();
    await base?.close();
    await host.stop();
  }
  log(`${loadAverage()}, CPU probe ${cpuProbeMs().toFixed(0)} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
