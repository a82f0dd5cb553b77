/**
 * The issue's own page (issue-page.ts) for several builds in one sitting (not part of `npm run
 * bench`; for weighing a change, or the floor under the page's ≤ 1.10 target):
 * `npx tsx bench/page/issue-ab.ts [--runs N] --ext DIR [--ext DIR…]`.
 *
 * Each build gets its own browser, set up as the suite sets up its one-feed browser (the seed and
 * one 100,000-label feed); one browser without any extension is the baseline. Every run loads the
 * page once in each browser, in an order that alternates between runs, after one warm-up run. Per
 * build it prints the median, min and max of the run's task ratio (task ms ÷ the same run's
 * baseline), the extension's ms and the badges, as the suite's figure counts them. With `--top N`
 * it also prints each build's N dearest extension functions per run, by self and by inclusive time
 * (build with `WXT_NO_MINIFY=1` for their names); with `--under NAME,…` also where the time inside
 * each named function goes, by its callee. With `--trace` it records each run's timeline and
 * prints, per build, the renderer main thread's trace events summed by name, against the baseline's
 * (ms per run; nested events are each counted, so the lines overlap); `--dump DIR` also writes each
 * counted run's main-thread events to DIR/<browser>-run<N>.json (browser 0 is the baseline).
 * `--js-flags "…"` gives every browser it starts those V8 flags (tool-args.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuProbeMs, loadAverage, median } from '../types';
import { FeedHost } from './feeds';
import { mainThread } from './frames';
import { launch, SAMPLING_US, setUpExtension, type TraceEvent } from './index';
import { type IssuePageRun, measureIssuePage, routeIssuePage } from './issue-page';
import { type CpuProfile, extensionNodes, frameLabel } from './profile';
import { toolArgs } from './tool-args';

function spread(values: readonly number[], digits: number): string {
  if (values.length === 0) return 'none';
  const f = (v: number) => v.toFixed(digits);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

/** The extension's ms per function of one profile: by its own samples (self) and by every sample under it. */
function byFunction(
  profile: CpuProfile,
  self: Map<string, number>,
  inclusive: Map<string, number>,
  under: readonly string[] = [],
  inside: Map<string, Map<string, number>> = new Map(),
): void {
  const ext = extensionNodes(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const add = (map: Map<string, number>, name: string, ms: number) =>
    map.set(name, (map.get(name) ?? 0) + ms);
  const samples = profile.samples ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] ?? -1;
    const node = byId.get(id);
    if (!node || !ext.has(id)) continue;
    const ms = (profile.timeDeltas?.[i + 1] ?? 0) / 1000;
    add(
      self,
      node.callFrame.url ? frameLabel(node.callFrame) : `${node.callFrame.functionName} (native)`,
      ms,
    );
    const seen = new Set<string>();
    /** Per name of `under`, its callee on this sample's path (its outermost frame wins). */
    const callees = new Map<string, string>();
    let callee = '(self)';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) continue;
      if (under.includes(frame.functionName)) callees.set(frame.functionName, callee);
      callee = frame.url ? frameLabel(frame) : `${frame.functionName} (native)`;
      if (!frame.url.startsWith('chrome-extension://')) continue;
      const name = frameLabel(frame);
      if (!seen.has(name)) add(inclusive, name, ms);
      seen.add(name);
    }
    for (const [name, child] of callees) {
      const map = inside.get(name) ?? new Map<string, number>();
      inside.set(name, map);
      add(map, child, ms);
    }
  }
}

/** Adds a run's main-thread complete events' ms into `into`, by event name. */
function traceByName(events: readonly TraceEvent[], into: Map<string, number>): void {
  for (const e of mainThread(events)) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    into.set(e.name, (into.get(e.name) ?? 0) + e.dur / 1000);
  }
}

function top(map: Map<string, number>, runs: number, n: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => `${(ms / runs).toFixed(1).padStart(8)} ms  ${name}`)
    .join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { value, list, builds, dumpDir, jsFlags, workDir, outDir } = toolArgs(args);
  const runs = Number(value('--runs') ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a whole number ≥ 1');
  const topN = Number(value('--top') ?? 0);
  const under = list('--under');
  const trace = args.includes('--trace') || dumpDir !== undefined;
  const log = (m: string) => console.log(`[issue-ab] ${m}`);
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const host = new FeedHost();
  await host.start();
  const url = await host.publish(0, outDir, log);
  const browsers: {
    name: string;
    launched: Awaited<ReturnType<typeof launch>>;
    runs: IssuePageRun[];
    /** With --trace: ms by trace event name, summed over the counted runs. */
    traced: Map<string, number>;
  }[] = [];
  try {
    const base = await launch({ chromium, extensionDir: '', runs, workDir, log }, false, jsFlags);
    browsers.push({ name: 'baseline', launched: base, runs: [], traced: new Map() });
    for (const dir of builds) {
      const ctx = { chromium, extensionDir: dir, runs, workDir, log };
      const launched = await launch(ctx, true, jsFlags);
      browsers.push({ name: dir, launched, runs: [], traced: new Map() });
      await setUpExtension(ctx, launched.context, [url]);
    }
    for (const { launched } of browsers) await routeIssuePage(launched.context);
    log(`${loadAverage()}, CPU probe ${cpuProbeMs().toFixed(0)} ms`);
    for (let run = 0; run <= runs; run++) {
      const order = browsers.map((_, i) => i);
      if (run % 2) order.reverse();
      for (const i of order) {
        const browser = browsers[i];
        if (!browser) continue;
        const result = await measureIssuePage(
          browser.launched.context,
          SAMPLING_US,
          trace && run > 0
            ? (events) => {
                traceByName(events, browser.traced);
                if (dumpDir)
                  writeFileSync(join(dumpDir, `${i}-run${run}.json`), JSON.stringify(mainThread(events)));
              }
            : undefined,
        );
        log(
          `run ${run}${run ? '' : ' (warm-up)'} ${browser.name}: tasks ${result.taskMs.toFixed(0)} ms, extension ${result.extMs.toFixed(0)} ms, ${result.badges} badges`,
        );
        if (run > 0) browser.runs.push(result);
      }
    }
    const [baseline, ...others] = browsers;
    if (!baseline) return;
    log(
      `baseline: tasks ${spread(
        baseline.runs.map((r) => r.taskMs),
        0,
      )} ms`,
    );
    for (const browser of others) {
      const ratios = browser.runs.map((r, i) => r.taskMs / (baseline.runs[i]?.taskMs ?? Number.NaN));
      log(
        `${browser.name}: ratio ${spread(ratios, 2)}, tasks ${spread(
          browser.runs.map((r) => r.taskMs),
          0,
        )} ms, extension ${spread(
          browser.runs.map((r) => r.extMs),
          0,
        )} ms, badges ${spread(
          browser.runs.map((r) => r.badges),
          0,
        )}`,
      );
      if (trace) {
        const names = [...new Set([...browser.traced.keys(), ...baseline.traced.keys()])];
        const n = browser.runs.length;
        const rows = names
          .map((name) => ({
            name,
            with: (browser.traced.get(name) ?? 0) / n,
            without: (baseline.traced.get(name) ?? 0) / n,
          }))
          .filter((row) => Math.abs(row.with - row.without) >= 1)
          .sort((a, b) => b.with - b.without - (a.with - a.without));
        console.log('-- trace events, ms per run: with, without, difference');
        for (const row of rows)
          console.log(
            `${row.with.toFixed(1).padStart(8)} ${row.without.toFixed(1).padStart(8)} ${(row.with - row.without).toFixed(1).padStart(8)}  ${row.name}`,
          );
      }
      if (!topN) continue;
      const self = new Map<string, number>();
      const inclusive = new Map<string, number>();
      const inside = new Map<string, Map<string, number>>();
      for (const run of browser.runs) byFunction(run.profile, self, inclusive, under, inside);
      const n = browser.runs.length;
      for (const [name, map] of inside)
        console.log(`-- inside ${name}, by its callee (per run)\n${top(map, n, topN)}`);
      console.log(
        `-- self time (per run)\n${top(self, n, topN)}\n-- inclusive time (per run)\n${top(inclusive, n, topN)}`,
      );
    }
    log(`${loadAverage()}, CPU probe ${cpuProbeMs().toFixed(0)} ms`);
  } finally {
    for (const { launched } of browsers) await launched.close();
    await host.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
