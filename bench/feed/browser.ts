/**
 * The browser half of `npm run bench -- feed`: a built feed (and its 1 % update) served from
 * 127.0.0.1 to the built extension in Debian's Chromium, and what a subscriber pays for it —
 * ingest beside a raw IndexedDB write of the same bytes in the same service worker (alternating),
 * applying the update, and 200-key lookups warm and right after a worker wake.
 *
 * Also runs alone, on feed folders built earlier (bench-output/feed/out1 and out2 by default), to
 * compare builds or see where the worker's time goes:
 *
 *   npx tsx bench/feed/browser.ts [--runs N] [--ext DIR]… [--feeds DIR] [--profile] [--wakes N]
 *
 * `--ext` twice (two built chrome-mv3 folders) alternates the builds run by run; `--profile`
 * records the service worker's CPU (CDP Profiler on the worker target) during each ingest and
 * update, during the warm lookups and during each lookup after a wake, and prints the self time
 * per function (build with WXT_NO_MINIFY=1 for names). `--wakes N` wakes the worker N times a run
 * (default once), for more after-a-wake samples per ingest.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../../tests/browser/harness';
import { StaticServer } from '../../tests/browser/static-server';
import type { CpuProfile } from '../page/profile';
import { loadAverage, median } from '../types';
import { accountKey } from './generate';

const ROOT = resolve(import.meta.dirname, '../..');
export const MB = 1024 * 1024;

/** Every file of a published feed folder: path → size. */
export function listFiles(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (at: string, rel: string) => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else out.set(`${rel}${name}`, statSync(full).size);
    }
  };
  walk(dir, '');
  return out;
}

/** The static host: every file of a built feed folder published under a path prefix. */
export class Host extends StaticServer {
  publishFolder(prefix: string, dir: string): void {
    const files = new Map<string, Uint8Array>();
    for (const path of listFiles(dir).keys()) files.set(path, readFileSync(join(dir, path)));
    this.publish(prefix, files);
  }
}

/** A protocol message from an extension page (the format of @webext-core/messaging). */
export async function send<T>(page: Page, type: string, data?: unknown): Promise<{ value: T; ms: number }> {
  const answer = await page.evaluate(
    ({ type, data }) =>
      new Promise<{ res?: unknown; err?: unknown; ms: number }>((done) => {
        const start = performance.now();
        chrome.runtime.sendMessage(
          { id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() },
          (r) =>
            done({
              ...(r ?? { err: chrome.runtime.lastError?.message ?? 'no answer' }),
              ms: performance.now() - start,
            }),
        );
      }),
    { type, data },
  );
  if (answer.err) throw new Error(`${type}: ${JSON.stringify(answer.err)}`);
  return { value: answer.res as T, ms: answer.ms };
}

/**
 * The service worker's CPU profiler, through the page's CDP session (the worker is attached as a
 * child target and spoken to with Target.sendMessageToTarget).
 */
class WorkerProfiler {
  private next = 1;
  private readonly pending = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  private sessionId = '';

  constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message);
    });
  }

  private async call<T>(method: string, params: object = {}): Promise<T> {
    const id = this.next++;
    const answer = new Promise<{ result?: unknown; error?: unknown }>((done) => this.pending.set(id, done));
    await this.cdp.send('Target.sendMessageToTarget', {
      sessionId: this.sessionId,
      message: JSON.stringify({ id, method, params }),
    });
    const message = await answer;
    this.pending.delete(id);
    if (message.error) throw new Error(`${method}: ${JSON.stringify(message.error)}`);
    return message.result as T;
  }

  async start(): Promise<void> {
    const { targetInfos } = await this.cdp.send('Target.getTargets');
    const worker = targetInfos.find(
      (t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'),
    );
    if (!worker) throw new Error('no extension service worker to profile');
    this.sessionId = (
      await this.cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })
    ).sessionId;
    await this.call('Profiler.enable');
    await this.call('Profiler.setSamplingInterval', { interval: 500 });
    await this.call('Profiler.start');
  }

  async stop(): Promise<CpuProfile> {
    const { profile } = await this.call<{ profile: CpuProfile }>('Profiler.stop');
    await this.cdp.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => undefined);
    return profile;
  }
}

/** Milliseconds of self time per function (name and line), summed over profiles. */
export function selfTimes(profile: CpuProfile, into: Map<string, number>): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] as number);
    if (!node) continue;
    const frame = node.callFrame as { functionName: string; url: string; lineNumber?: number };
    const where = frame.url ? `${frame.url.split('/').pop()}:${(frame.lineNumber ?? 0) + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    into.set(name, (into.get(name) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
}

export interface BrowserRuns {
  /** Seconds per run. */
  ingests: number[];
  /** The raw write of the same bytes as Uint8Array rows, and as Blob rows (seconds). */
  raws: number[];
  blobRaws: number[];
  updates: number[];
  /** Bytes the host sent for each update. */
  updateBytes: number[];
  /** Milliseconds per lookup. */
  warm: number[];
  cold: number[];
}

export interface BrowserOptions {
  /** The feed and its 1 % update, built folders. */
  out1: string;
  out2: string;
  /** Labels in the feed (rows 0, 3, 6, … are accounts: the labelled lookup keys). */
  labels: number;
  runs: number;
  /** Worker wakes, each followed by a lookup (default: runs). */
  wakes?: number;
  log(message: string): void;
  /** Built extension folder (default: the harness's, .output/chrome-mv3 or WXT_OUT_DIR). */
  extensionDir?: string;
  /** Collects the worker's self time per function during ingests and during updates. */
  profile?: {
    ingest: Map<string, number>;
    update: Map<string, number>;
    lookup: Map<string, number>;
    wake: Map<string, number>;
  };
}

export async function measureBrowser(o: BrowserOptions): Promise<BrowserRuns> {
  const host = new Host();
  await host.start();
  // Playwright neither intercepts nor inspects the downloads: a reader's browser does neither.
  const session = await launchChromium({
    intercept: false,
    ...(o.extensionDir ? { extension: resolve(o.extensionDir) } : {}),
  });
  const result: BrowserRuns = {
    ingests: [],
    raws: [],
    blobRaws: [],
    updates: [],
    updateBytes: [],
    warm: [],
    cold: [],
  };
  try {
    await session.waitForSeed(120_000);
    const page = await session.openExtensionPage('popup.html');
    const cdp = await session.context.newCDPSession(page);
    const profiled = async <T>(
      what: 'ingest' | 'update' | 'lookup' | 'wake',
      task: () => Promise<T>,
    ): Promise<T> => {
      if (!o.profile) return task();
      const profiler = new WorkerProfiler(cdp);
      await profiler.start();
      try {
        return await task();
      } finally {
        selfTimes(await profiler.stop(), o.profile[what]);
      }
    };
    const chunkPaths = [...listFiles(o.out1).keys()].filter((p) => p !== 'feed.json');
    host.publishFolder('/raw/', o.out1);
    for (let r = 0; r < o.runs; r++) {
      // Baselines: the same decoded bytes written as one row per chunk by the same worker, as
      // Uint8Array rows and as Blob rows (the "one-row blobs"), in alternating order.
      const sw = await session.serviceWorker();
      const kinds = r % 2 === 0 ? (['bytes', 'blob'] as const) : (['blob', 'bytes'] as const);
      const rawMs = await sw.evaluate(
        async ({ origin, paths, kinds }) => {
          const rows: Uint8Array<ArrayBuffer>[] = [];
          for (const path of paths) {
            const response = await fetch(`${origin}/raw/${path}`);
            const body = path.endsWith('.gz')
              ? (response.body as ReadableStream).pipeThrough(new DecompressionStream('gzip'))
              : (response.body as ReadableStream);
            rows.push(new Uint8Array(await new Response(body).arrayBuffer()));
          }
          const db = await new Promise<IDBDatabase>((done, fail) => {
            const open = indexedDB.open('bench-raw', 1);
            open.onupgradeneeded = () => open.result.createObjectStore('rows');
            open.onsuccess = () => done(open.result);
            open.onerror = () => fail(open.error);
          });
          const ms: Record<string, number> = {};
          for (const kind of kinds) {
            const start = performance.now();
            for (let i = 0; i < rows.length; i++) {
              await new Promise<void>((done, fail) => {
                const tx = db.transaction('rows', 'readwrite');
                const row = rows[i] as Uint8Array<ArrayBuffer>;
                tx.objectStore('rows').put(kind === 'blob' ? new Blob([row]) : row, i);
                tx.oncomplete = () => done();
                tx.onerror = () => fail(tx.error);
              });
            }
            ms[kind] = performance.now() - start;
            await new Promise<void>((done) => {
              const tx = db.transaction('rows', 'readwrite');
              tx.objectStore('rows').clear();
              tx.oncomplete = () => done();
            });
          }
          db.close();
          return ms;
        },
        { origin: host.origin, paths: chunkPaths, kinds: [...kinds] },
      );
      result.raws.push((rawMs.bytes as number) / 1000);
      result.blobRaws.push((rawMs.blob as number) / 1000);

      const prefix = `/run${r}/`;
      host.publishFolder(prefix, o.out1);
      const url = `${host.origin}${prefix}feed.json`;
      const preview = await send<{ ok: boolean; value: { keyFingerprint: string }; error?: string }>(
        page,
        'previewFeed',
        url,
      );
      if (!preview.value.ok) throw new Error(`preview: ${preview.value.error}`);
      const ingest = await profiled('ingest', () =>
        send<{ ok: boolean; value: { labelCount: number; state: string }; error?: string }>(
          page,
          'subscribe',
          { url, keyFingerprint: preview.value.value.keyFingerprint },
        ),
      );
      if (!ingest.value.ok || ingest.value.value.state !== 'fresh')
        throw new Error(`subscribe: ${JSON.stringify(ingest.value)}`);
      result.ingests.push(ingest.ms / 1000);

      host.publishFolder(prefix, o.out2);
      const before = host.sent;
      const update = await profiled('update', () =>
        send<{ ok: boolean; error?: string }>(page, 'syncNow', url),
      );
      if (!update.value.ok) throw new Error(`update: ${update.value.error}`);
      result.updates.push(update.ms / 1000);
      result.updateBytes.push(host.sent - before);
      o.log(
        `  run ${r + 1}: raw write ${(result.raws.at(-1) as number).toFixed(2)} s (Blob rows ${(result.blobRaws.at(-1) as number).toFixed(2)} s), ingest ${(ingest.ms / 1000).toFixed(2)} s, update ${(update.ms / 1000).toFixed(2)} s (${((host.sent - before) / MB).toFixed(2)} MB)`,
      );
      if (r < o.runs - 1) {
        await send(page, 'unsubscribe', url);
        host.unpublish(prefix);
      }
    }

    // Lookups: 200 keys, 10 of them labelled accounts (rows 0, 3, 6, … are accounts).
    const accounts = Math.floor(o.labels / 3);
    const keysFor = (round: number) =>
      Array.from({ length: 200 }, (_, i) =>
        i < 10 ? accountKey(3 * ((round * 7919 + i * 104_729) % accounts)) : `account:x:nobody${round}x${i}`,
      );
    for (let round = 0; round < 4; round++) await send<unknown[]>(page, 'lookup', keysFor(round));
    await profiled('lookup', async () => {
      for (let round = 4; round < 10 + 4 * o.runs; round++) {
        const { value, ms } = await send<unknown[]>(page, 'lookup', keysFor(round));
        if (value.length !== 10) throw new Error(`lookup found ${value.length} labels, expected 10`);
        result.warm.push(ms);
      }
    });
    await cdp.send('ServiceWorker.enable');
    for (let round = 0; round < (o.wakes ?? o.runs); round++) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      await new Promise((r) => setTimeout(r, 300));
      // Wakes the worker with a message that reads nothing, so its start is not counted.
      await send(page, 'getPageHealth').catch(() => undefined);
      const { value, ms } = await profiled('wake', () =>
        send<unknown[]>(page, 'lookup', keysFor(1000 + round)),
      );
      if (value.length !== 10) throw new Error(`lookup after a wake found ${value.length} labels`);
      result.cold.push(ms);
    }
    o.log(
      `  lookups: warm ${median(result.warm).toFixed(1)} ms, after a wake ${median(result.cold).toFixed(1)} ms (medians)`,
    );
  } finally {
    await session.close();
    await host.stop();
  }
  return result;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const exts: string[] = [];
  let runs = 3;
  let profile = false;
  let wakes: number | undefined;
  let work = join(ROOT, 'bench-output/feed');
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--ext') exts.push(resolve(args[++i] as string));
    else if (args[i] === '--feeds') work = resolve(args[++i] as string);
    else if (args[i] === '--runs') runs = Number(args[++i]);
    else if (args[i] === '--profile') profile = true;
    else if (args[i] === '--wakes') wakes = Number(args[++i]);
    else
      throw new Error(
        `unknown argument ${args[i]}: --runs N, --ext DIR (repeatable), --feeds DIR (with out1/, out2/), --profile, --wakes N (per run)`,
      );
  }
  const labels = Number(process.env.FEED_BENCH_LABELS ?? 1_000_000);
  const builds = exts.length ? exts : [undefined];
  const totals = builds.map(() => ({
    ingests: [] as number[],
    raws: [] as number[],
    blobRaws: [] as number[],
    updates: [] as number[],
    warm: [] as number[],
    cold: [] as number[],
    profile: {
      ingest: new Map<string, number>(),
      update: new Map<string, number>(),
      lookup: new Map<string, number>(),
      wake: new Map<string, number>(),
    },
  }));
  console.log(loadAverage());
  for (let r = 0; r < runs; r++) {
    for (let b = 0; b < builds.length; b++) {
      const t = totals[b] as (typeof totals)[number];
      const got = await measureBrowser({
        out1: join(work, 'out1'),
        out2: join(work, 'out2'),
        labels,
        runs: 1,
        ...(wakes !== undefined ? { wakes } : {}),
        log: (m) => console.log(`[${builds[b] ?? 'build'}] ${m}`),
        ...(builds[b] ? { extensionDir: builds[b] } : {}),
        ...(profile ? { profile: t.profile } : {}),
      });
      t.ingests.push(...got.ingests);
      t.raws.push(...got.raws);
      t.blobRaws.push(...got.blobRaws);
      t.updates.push(...got.updates);
      t.warm.push(...got.warm);
      t.cold.push(...got.cold);
    }
  }
  console.log(loadAverage());
  builds.forEach((b, i) => {
    const t = totals[i] as (typeof totals)[number];
    const ratio = t.ingests.map((s, k) => s / (t.raws[k] as number));
    const blobRatio = t.ingests.map((s, k) => s / (t.blobRaws[k] as number));
    console.log(
      `${b ?? 'build'}: ingest ${median(t.ingests).toFixed(2)} s (${t.ingests.map((s) => s.toFixed(2)).join(' ')}), raw ${median(t.raws).toFixed(2)} s (Blob rows ${median(t.blobRaws).toFixed(2)} s), ratio ${median(ratio).toFixed(1)} (to Blob rows ${median(blobRatio).toFixed(1)}), update ${median(t.updates).toFixed(2)} s (${t.updates.map((s) => s.toFixed(2)).join(' ')}), warm ${median(t.warm).toFixed(1)} ms, wake ${median(t.cold).toFixed(1)} ms (${t.cold.map((s) => s.toFixed(1)).join(' ')})`,
    );
    if (profile) {
      for (const what of ['ingest', 'update', 'lookup', 'wake'] as const) {
        const all = [...t.profile[what]];
        const sum = all.reduce((a, [, ms]) => a + ms, 0);
        console.log(`  ${what}: ${(sum / runs).toFixed(0)} ms of samples a run; self time per function:`);
        const top = all.sort((a, c) => c[1] - a[1]).slice(0, 30);
        for (const [name, ms] of top) console.log(`  ${(ms / runs).toFixed(0).padStart(7)} ms  ${name}`);
      }
    }
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
