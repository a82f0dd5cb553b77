/**
 * `npm run bench -- feed`: feeds at a million labels (issue 9). Builds a generated 1,000,000-row
 * CSV with the real CLI, edits 1 % of the rows spread at random and rebuilds with --previous, then
 * loads the built extension into Chromium, serves the feed from 127.0.0.1 and measures what a
 * subscriber pays: bytes on the wire, ingest (beside a raw IndexedDB write of the same bytes in the
 * same service worker, alternating), applying the update, and 200-key lookups.
 *
 * Sizes: FEED_BENCH_LABELS (default 1,000,000) for everything but the 30-day series, which builds
 * 31 publications of FEED_BENCH_DAYS_LABELS (default 100,000) rows — a ratio that does not depend
 * on the feed's size, at a tenth of the cost. Generated files go to bench-output/feed/.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Figure, figure, type Suite, type SuiteContext } from '../types';
import { listFiles, MB, measureBrowser } from './browser';
import { editions, writeSource } from './generate';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/context-lens-feed.js');

const total = (files: Map<string, number>) => [...files.values()].reduce((a, b) => a + b, 0);

/** Median, min and max of a baseline's runs. */
function spread(runs: number[]): { median: number; min: number; max: number } {
  const { median, min, max } = figure({ id: '', label: '', unit: 's', runs, better: 'lower' });
  return { median, min, max };
}

/** "0.91 s, 0.88–0.99": a baseline's median and range, for a figure's note. */
const seconds = ({ median, min, max }: ReturnType<typeof spread>): string =>
  `${median.toFixed(2)} s, ${min.toFixed(2)}–${max.toFixed(2)}`;

/** Bytes a subscriber holding `before` downloads for `after`: feed.json and every file it lacks. */
function downloadBytes(before: Map<string, number>, after: Map<string, number>): number {
  let bytes = 0;
  for (const [path, size] of after) if (path === 'feed.json' || !before.has(path)) bytes += size;
  return bytes;
}

/**
 * A stamp of everything a generated file or a derived figure depends on: the named files' bytes
 * (folders: every .ts/.js file in them, tests left out) and the given parameters. Equal stamps
 * mean an earlier run's output can be reused as it is.
 */
function stamp(paths: string[], ...params: (string | number)[]): string {
  const hash = createHash('sha256');
  const add = (path: string) => {
    const full = join(ROOT, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) if (!name.includes('.test.')) add(`${path}/${name}`);
    } else if (/\.(ts|js|json)$/.test(path)) hash.update(path).update(readFileSync(full));
  };
  for (const path of paths) add(path);
  return hash.update(JSON.stringify(params)).digest('hex');
}

/** The builder's code: what a feed folder built from an unchanged CSV depends on. */
const BUILDER = ['feed', 'cli', 'bin/context-lens-feed.js', 'package-lock.json'];

/** writeSource, skipped when the file it would write is there with the same stamp. */
async function source(
  dir: string,
  name: string,
  rows: number,
  days: number,
): Promise<{ csv: string; meta: string }> {
  const csv = join(dir, `${name}.csv`);
  const meta = join(dir, 'meta.json');
  const mark = join(dir, `${name}.csv.stamp`);
  const want = stamp(['bench/feed/generate.ts'], rows, days);
  if (existsSync(csv) && existsSync(meta) && existsSync(mark) && readFileSync(mark, 'utf8') === want)
    return { csv, meta };
  const written = await writeSource(dir, name, rows, days ? editions(rows, days) : null);
  writeFileSync(mark, want);
  return written;
}

/** Runs the CLI under /usr/bin/time; seconds and peak RSS in MB. */
function cli(args: string[], ctx: SuiteContext): { seconds: number; rssMb: number } {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M', process.execPath, BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * MB,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`context-lens-feed ${args[0]} failed: ${run.stderr || run.stdout}`);
  const rss = Number(run.stderr.match(/PEAK_RSS_KB (\d+)/)?.[1] ?? Number.NaN) / 1024;
  ctx.log(
    `  ${args[0]} ${args.includes('--previous') ? '--previous ' : ''}${seconds.toFixed(1)} s, ${rss.toFixed(0)} MB`,
  );
  return { seconds, rssMb: rss };
}

const suite: Suite = {
  name: 'feed',
  description: 'feeds at a million labels: build, wire size, update downloads, ingest, update, lookups',
  method: `
A generated CSV (\`bench/feed/generate.ts\`: a third accounts, a third posts, a third domains, each
row with its own note and source) is built by the real CLI (\`context-lens-feed build\`, timed with
its peak RSS by \`/usr/bin/time\`); a 1 % spread edit (rows picked at random over the whole file, their
notes changed) is rebuilt with \`--previous\`. Download ratios count \`feed.json\` plus every file the
new publication lists that the previous one did not. The 30-day series builds 30 successive daily
1 % spread edits, each with \`--previous\` of the day before, and sums what a subscriber downloads.

In the browser, the built extension runs in Debian's Chromium; a node:http host on 127.0.0.1
serves the feed. Playwright neither intercepts the browser's requests nor inspects the service
worker's network traffic (each made the worker's chunk downloads about twice as slow: 200 fetches
took 2.06 s, 1.00 s, and 0.46 s with neither, as without Playwright); no host name but 127.0.0.1
resolves. **Ingest** is the \`subscribe\` round trip (preview done before), from an
extension page, to a fresh feed URL each run. Its **baseline** is the issue's: the same service
worker writing the same decoded label bytes as one \`Blob\` row per chunk (the issue's "200
one-row blobs") into a scratch IndexedDB, bytes fetched beforehand and not timed, alternating with
the ingest runs. The same bytes are also written as one \`Uint8Array\` row per chunk, which
Chromium stores faster; that ratio is shown for context, without a target (see "Which baseline
carries the 4×" below). **Update** is the \`syncNow\` round trip
that applies the 1 % edit to the feed just ingested; its bytes are what the host sent. Lookups send
200 keys (10 labelled) per message: warm with new keys each time, and right after
\`ServiceWorker.stopAllWorkers\` (woken first by a message that reads nothing, so the worker's own
start is excluded).

### Where the ingest's time goes (issue 9, ninth session)

- **The worker's own time.** \`browser.ts --profile\`, unminified build, 2 runs, load ~2; ingest
  5.7–6.0 s a run:
  - idle 1.18 s;
  - IndexedDB \`put\` 0.63 s, and Dexie's put loop 0.33 s;
  - per-line JSON parsing (\`framedLines\`) 0.60 s;
  - native decompression ~0.53 s;
  - garbage collection 0.36 s;
  - label validation 0.28 s, plus \`signedLabel\` 0.15 s and ISO dates 0.08 s;
  - smaller items, 0.14–0.17 s each: \`fetch\`, UTF-8 decoding, gunzip's \`collect\`, the
    duplicate-id check, block slicing.
- **The machine is busy throughout.** Per-process CPU from \`/proc\`, sampled every 0.5 s during
  an ingest:
  - the extension's renderer ~0.9 core;
  - the browser process ~0.6 core (IndexedDB's backend);
  - the network service ~0.12 core.

  That is ~1.65 of the 2 cores, and \`vmstat\` showed 9–15 % idle. The worker's idle time is
  spent waiting for work on the other core, not for the network.
- **Downloading ahead does not pay.** Fetching the compressed bytes two chunks ahead, 4 runs each,
  alternating, load 0.1 → 2.6: 5.55 s (5.31–5.61) → 5.69 s (5.59–5.78). Also decoding them ahead
  (1d09aa0, reverted) lost the same way in three quiet sittings.
- **The decoding path is already the fastest one.** Measured in a Chromium 150 page on the 200
  chunk files (1M labels):
  - decompressing, collecting and decoding as ingest does: 0.75 s;
  - the same through \`Response.arrayBuffer()\`: 1.06–1.35 s; through \`Response.text()\`:
    1.14–1.83 s;
  - \`JSON.parse\` line by line: 0.49 s; the whole file at once: 0.44 s.
- **Two baselines.** \`Uint8Array\` rows took 0.82–0.88 s in the same worker, \`Blob\` rows
  1.28–1.71 s. Since the tenth session the bench measures both and shows both ratios.
- **What ≤ 4× would take.** Ingest ≤ ~3.6 s, while the worker's own CPU is ~4.7 s. So either:
  - the per-label work moves to a second thread. An extension service worker in Chromium has no
    \`Worker\` (\`typeof Worker\` is \`"undefined"\` there), and an offscreen document is
    Chrome-only. On 2 cores it would also compete with IndexedDB's backend.
  - or less is decoded and written per label. For example, blocks could be stored compressed as the
    wire carries them, which is a format change.

### Which baseline carries the 4× (issue 9, eleventh session)

The issue sets the ingest's target as a ratio "to a raw blob write of the same bytes in the same
run", and measures that baseline as "the same 143 MB of label JSON as 200 one-row blobs in 2.6 s".
Its two ingest targets agree under that reading: 10 s is ~4 × 2.6 s, and its "today" figures,
51 s and "≈ 20×", are 51 / 2.6. So the bench's ratio of record is the one against \`Blob\` rows:
one \`Blob\` of a chunk's decoded bytes per row, 200 rows. Until this session the bench held the
ratio to \`Uint8Array\` rows instead, a stricter floor than the issue asks: Chromium writes the same
bytes 1.5–1.8× faster that way (0.9–1.2 s against 1.3–2.2 s here). That ratio is still measured
and shown, for context: 4.9–5.3× in the three benches since the harness fixes (5.2–5.5× before
them). Against it, writing the label blocks alone costs about what the whole baseline does (below).

### What an ingest costs the whole machine (issue 9, tenth session)

- **The test harness was part of the figure.** Playwright paused every request of the worker
  (\`context.route\`) and recorded every response (the Network domain it enables on service
  workers). 200 sequential chunk fetches from the worker: 2.06 s with both, 1.00 s with recording
  only, 0.46 s with neither; the same browser driven over bare CDP took 0.53 s. The bench now runs
  with neither (\`launchChromium({ intercept: false })\`). The same build ingested in 6.4–6.6 s
  before, 5.7–5.9 s now, and 5.2–5.3 s over bare CDP.
- **The machine is CPU-bound, so the order of the work no longer matters.** Per-process CPU from
  \`/proc\` across one ingest, driven over bare CDP (no Playwright), 5.2–5.3 s a run: the
  extension's renderer 4.9–5.1 s, the browser process 2.5–3.2 s, the network service 0.35 s. That
  is ~8 s of CPU on 2 cores, in a little over 5 s. Fetching three chunks ahead plus raw IndexedDB
  puts with an explicit \`commit()\`, A/B in the same sitting, 2 runs each, twice: 5.88 / 5.76 →
  5.30 / 5.03 s, then 5.28 / 5.10 → 5.19 / 5.16 s. The writer stopped waiting (0.03 s instead of
  2.6 s), and the loads became what it waits for. Not adopted.
- **A second thread would buy about half a second here.** The same ingest while an extension page
  fetched, decompressed and parsed half of the chunks at the same time (over bare CDP, 3 runs with
  and 3 without, alternating): that side work took the page 2.0–2.2 s, and the ingest went from
  5.12 / 5.39 / 5.14 to 5.60 / 5.82 / 6.68 s. Moving half of the chunk checks off the worker would
  take ~1.2 s of work off its thread, and contention would give some of it back: ~0.5–0.7 s net,
  not enough for 4× against \`Uint8Array\` rows on 2 cores.
- **The label blocks cost the browser process most of its share.** The same ingest with the block
  rows not written: browser 0.56–0.82 s instead of 2.5–3.0 s, ingest 4.10–4.37 s. With no block
  and no chunk rows: 4.03–4.12 s. That is the upper bound of any change to how labels are
  stored: with today's checks and index, ingest stays above 4 s, against a \`Uint8Array\` baseline
  of 0.9–1.6 s.
- **Why the baseline's bytes are cheaper.** In a bare worker, 300 MB as 75 KB rows cost the browser
  1.4–1.6 s of CPU (renderer 0.8–0.9 s). As 1.6 MB rows it costs 0.5–0.6 s: Chromium keeps large
  values as files of their own, and smaller ones in its LevelDB. The row shape (compound keys,
  extra fields) made no difference. 300 KB and 150 KB rows were no cheaper than 75 KB ones. Large
  rows are no answer for lookups: reading 10 random 1.6 MB rows took 20–31 ms, against 1.2–2.1 ms
  for 75 KB rows.
- **The storage change that would pay, measured in pieces (not built).** The builder would write
  each chunk's gzip with a full flush every few labels. It stays one valid gzip file (older readers
  decode it as today). The signed manifest would list the flush offsets. A reader would inflate
  each segment on its own, check it, and store the compressed segment as the block row. Measured
  on the 1M feed:
  - full flushes every 256 labels cost 4.2 % more wire bytes (a chunk 190,170 → 198,146 bytes);
  - inflating the 4,000 segments one by one took 0.80 s (about what the 200 whole chunks take);
  - writing them as 4,000 rows of ~10 KB took 0.55 s, 0.17 s of it in the worker, against ~1.0 s
    and 0.7–0.8 s for the 75 KB rows today;
  - a lookup would inflate each block it hits: 10 random blocks read and inflated took 4.0 ms
    (median; min 3.1), against 1.9 ms for 10 raw rows. So lookups would need flushes every ~64
    labels inside a row, and only that piece inflated.

  It touches the format, the verifier, the cache layout, the lookup and the page-index build. What
  it would buy is bounded by the line above: ingest stays above 4 s.
`,
  async run(ctx) {
    const labels = Number(process.env.FEED_BENCH_LABELS ?? 1_000_000);
    const dayLabels = Number(process.env.FEED_BENCH_DAYS_LABELS ?? 100_000);
    const work = join(ctx.workDir, 'feed');
    mkdirSync(work, { recursive: true });
    const key = join(work, 'key.json');
    if (!existsSync(key)) cli(['keygen', key], ctx);
    const figures: Figure[] = [];
    const runs = ctx.runs;
    const buildRuns = Math.max(1, Math.min(runs, Number(process.env.FEED_BENCH_BUILD_RUNS ?? 2)));

    // ---- build, --previous, bytes ----
    ctx.log(`sources: ${labels.toLocaleString('en')} rows`);
    const v1 = await source(work, 'v1', labels, 0);
    const v2 = await source(work, 'v2', labels, 1);
    const out1 = join(work, 'out1');
    const out2 = join(work, 'out2');
    const builds: { seconds: number; rssMb: number }[] = [];
    const rebuilds: { seconds: number; rssMb: number }[] = [];
    for (let r = 0; r < buildRuns; r++) {
      rmSync(out1, { recursive: true, force: true });
      rmSync(out2, { recursive: true, force: true });
      builds.push(
        cli(['build', v1.csv, '--meta', v1.meta, '--key', key, '--out', out1, '--sequence', '1'], ctx),
      );
      rebuilds.push(
        cli(['build', v2.csv, '--meta', v2.meta, '--key', key, '--out', out2, '--previous', out1], ctx),
      );
    }
    const n = labels.toLocaleString('en');
    figures.push(
      figure({
        id: 'feed.build-s',
        label: `build of a ${n}-row CSV`,
        unit: 's',
        runs: builds.map((b) => b.seconds),
        target: 30,
        better: 'lower',
      }),
      figure({
        id: 'feed.build-previous-s',
        label: `build --previous after a 1 % spread edit (${n} rows)`,
        unit: 's',
        runs: rebuilds.map((b) => b.seconds),
        target: 30,
        better: 'lower',
      }),
      figure({
        id: 'feed.build-rss-mb',
        label: 'peak RSS of build or build --previous',
        unit: 'MB',
        runs: builds.map((b, i) => Math.max(b.rssMb, rebuilds[i]?.rssMb ?? 0)),
        target: 1024,
        better: 'lower',
      }),
    );
    const files1 = listFiles(out1);
    const files2 = listFiles(out2);
    const full = total(files1);
    figures.push(
      figure({
        id: 'feed.wire-mb',
        label: `full ${n}-label feed on the wire`,
        unit: 'MB',
        runs: [full / MB],
        target: 40,
        better: 'lower',
        note: `${files1.size} files`,
      }),
      figure({
        id: 'feed.spread-edit-ratio',
        label: 'bytes downloaded after a 1 % spread edit / full feed',
        unit: '',
        runs: [downloadBytes(files1, files2) / total(files2)],
        target: 0.02,
        better: 'lower',
      }),
    );

    // ---- 30 daily 1 % spread edits ----
    // What a subscriber downloads depends only on the builder and the sources: an earlier run's
    // series is reused while both are unchanged (31 builds saved).
    const days = join(work, 'days');
    const seriesStamp = stamp([...BUILDER, 'bench/feed/generate.ts'], dayLabels);
    const seriesFile = join(work, 'days-series.json');
    let series: { stamp: string; firstFull: number; downloaded: number } | undefined;
    if (existsSync(seriesFile)) {
      const held = JSON.parse(readFileSync(seriesFile, 'utf8')) as typeof series;
      if (held?.stamp === seriesStamp) {
        series = held;
        ctx.log(`30 daily publications: reused from an earlier run (builder and sources unchanged)`);
      }
    }
    if (!series) {
      ctx.log(`30 daily publications of ${dayLabels.toLocaleString('en')} rows`);
      rmSync(days, { recursive: true, force: true });
      mkdirSync(days, { recursive: true });
      let previous = join(days, 'day0');
      const day0 = await writeSource(days, 'day0', dayLabels);
      cli(['build', day0.csv, '--meta', day0.meta, '--key', key, '--out', previous, '--sequence', '1'], ctx);
      const firstFull = total(listFiles(previous));
      let downloaded = 0;
      for (let day = 1; day <= 30; day++) {
        const daySource = await writeSource(days, `day${day}`, dayLabels, editions(dayLabels, day));
        const out = join(days, `out${day}`);
        cli(
          [
            'build',
            daySource.csv,
            '--meta',
            daySource.meta,
            '--key',
            key,
            '--out',
            out,
            '--previous',
            previous,
          ],
          ctx,
        );
        downloaded += downloadBytes(listFiles(previous), listFiles(out));
        rmSync(daySource.csv);
        if (day > 1) rmSync(previous, { recursive: true, force: true });
        previous = out;
      }
      series = { stamp: seriesStamp, firstFull, downloaded };
      writeFileSync(seriesFile, JSON.stringify(series));
    }
    figures.push(
      figure({
        id: 'feed.30-days-ratio',
        label: '30 daily 1 % spread edits: total downloaded / one full download',
        unit: '',
        runs: [series.downloaded / series.firstFull],
        target: 1.5,
        better: 'lower',
        note: `${dayLabels.toLocaleString('en')} labels`,
      }),
    );

    // ---- the browser ----
    const measured = await measureBrowser({ out1, out2, labels, runs, log: ctx.log });
    const { ingests, raws, blobRaws, updates, updateBytes, warm, cold } = measured;
    figures.push(
      figure({
        id: 'feed.ingest-s',
        label: `ingest ${n} labels from scratch (subscribe)`,
        unit: 's',
        runs: ingests,
        target: 10,
        better: 'lower',
        baseline: spread(blobRaws),
        note: 'baseline: raw IndexedDB write of the same bytes, one Blob row per chunk',
      }),
      figure({
        id: 'feed.ingest-blob-ratio',
        label:
          "ingest / raw blob write of the same bytes (one Blob row per chunk, the issue's baseline), same run",
        unit: '×',
        runs: ingests.map((s, i) => s / (blobRaws[i] as number)),
        target: 4,
        better: 'lower',
      }),
      figure({
        id: 'feed.ingest-raw-ratio',
        label: 'for context: ingest / the same bytes written as Uint8Array rows, same run',
        unit: '×',
        runs: ingests.map((s, i) => s / (raws[i] as number)),
        better: 'lower',
        note: `Uint8Array rows ${seconds(spread(raws))}`,
      }),
      figure({
        id: 'feed.update-s',
        label: `applying a 1 % spread edit to a held ${n}-label feed`,
        unit: 's',
        runs: updates,
        target: 2,
        better: 'lower',
        note: `${(updateBytes.reduce((a, b) => a + b, 0) / updateBytes.length / MB).toFixed(2)} MB downloaded`,
      }),
      figure({
        id: 'feed.lookup-warm-ms',
        label: '200-key lookup, warm worker, new keys',
        unit: 'ms',
        runs: warm,
        target: 5,
        better: 'lower',
      }),
      figure({
        id: 'feed.lookup-wake-ms',
        label: '200-key lookup right after a worker wake (worker start excluded)',
        unit: 'ms',
        runs: cold,
        target: 30,
        better: 'lower',
      }),
    );
    return figures;
  },
};

export default suite;
