/**
 * The floor under the page suite's task ratio: what drawing the labels alone costs a scroll page,
 * with no script having to find them (not part of `npm run bench`; for whoever weighs the ≤ 1.10
 * target): `npx tsx bench/page/floor.ts [x|bluesky|reddit…] [--runs N] [--css "…"]… [--ext DIR]
 * [--variants text,shadow,…] [--trace]` (`none` always runs: the others are measured against it).
 *
 * One browser per variant, each launched as the suite launches its baseline (index.ts):
 *   none       the scroll page as the suite loads it, without the extension;
 *   text       the page plus a MutationObserver of its own (main world, registered before the
 *              page's script) that, in the task that appended the posts, puts a text node naming
 *              the label after the anchor of every post the extension badges: the cheapest
 *              visible label;
 *   shadow     the same observer putting that text in a closed shadow root of its own
 *              (<context-lens-label>, `display: inline`, one adopted stylesheet): the cheapest
 *              label whose text the page's scripts cannot read, as the lens requires of a badge;
 *   read       `shadow`'s label, on the posts an observer finds by reading them as cheaply as it
 *              can: every post's links (one querySelectorAll, each href split, a t.co link by its
 *              text) and on Reddit the post's author and content-href attributes, looked up in a
 *              Set of the labelled handles and domains. The floor of any reader: no URL parsing,
 *              no keys beyond these, no other site;
 *   button     that text inside a `<button>` in the same closed shadow root (what the badge's
 *              button element costs by itself);
 *   chip       the shadow text with its host as the chip: `role="button"`, `tabindex="0"`, coloured
 *              and rounded by one :host rule (a badge with no element inside but its text);
 *   chip+icon  the chip with the caution icon drawn as the host's own background layers;
 *   chip+name  the chip with its text in a `<span aria-label="…">`, which names the host's button
 *              from inside its closed root;
 *   slim       the badge as one `<button>` holding only its text inside the badge's host (inline-block,
 *              `position: relative`), badge.css's sizes and colours, its icon the button's own
 *              background layers and the ellipsis the button's: the badge with one box inside;
 *   sheet      the shadow text, its root adopting the badge's stylesheets instead of one rule (what
 *              the badge's stylesheet costs by itself);
 *   badge      the same observer drawing the extension's real badge (components/badge.ts in a
 *              closed shadow root of lens/ui.ts, with its stylesheets: insert.ts's bundle);
 *   badge+css  with `--css "…"`: the real badge with those rules added to its stylesheet (rules
 *              without `{` go to the badge host's): what a change of the badge's styling buys;
 *              each further `--css` is one more variant (badge+css2, …) in the same sitting;
 *   extension  with `--ext DIR`: the built extension with the suite's feeds, in the same sitting.
 * The observer knows which posts carry labels from their `data-bench-i` (scroll.ts's rules, the
 * same ones the suite's feeds follow), so it reads nothing else from the page and its own script
 * time is close to none. Each run scrolls every variant once (order alternating) and takes the page
 * task time as the suite does (`measure`: TaskDuration from the scroll's start to 0.5 s after it).
 * Printed per site: each variant's median task ms, its ratio to none per run, and the ms the
 * drawing observer itself ran (timed in the page): the rest of a variant's extra is the page's
 * style, layout and paint of the labels. With `--trace`, each run also records the page's timeline
 * and prints the main thread's rendering ms (style, layout, pre-paint, paint, layerize, commit; the
 * whole page load and scroll): that part alone, without the script's noise.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAverage, median } from '../types';
import { type DrawVariant, drawScript } from './draw';
import { FEEDS, FeedHost } from './feeds';
import { renderingMs } from './frames';
import { launch, measure, SITES, setUpExtension } from './index';
import { badgeScript, lensSheets } from './insert';
import type { ScrollSite } from './scroll';

const ROOT = resolve(import.meta.dirname, '../..');
const VARIANTS = [
  'none',
  'text',
  'shadow',
  'read',
  'button',
  'chip',
  'slim',
  'chip+icon',
  'chip+name',
  'sheet',
  'badge',
  'badge+css',
  'extension',
] as const satisfies readonly Variant[];
/** A variant; `badge+css2`, `badge+css3`, … for the second and later `--css` (draw.ts draws them). */
type Variant = 'none' | 'extension' | DrawVariant;

/** Median and range of a run's figures. */
function spread(values: readonly number[]): string {
  return `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sites = args.filter((a): a is ScrollSite => (SITES as string[]).includes(a));
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  const extraCss = args.flatMap((a, i) => (a === '--css' && args[i + 1] ? [args[i + 1] as string] : []));
  const extAt = args.indexOf('--ext');
  const extensionDir = extAt >= 0 && args[extAt + 1] ? resolve(args[extAt + 1] as string) : '';
  const trace = args.includes('--trace');
  const onlyAt = args.indexOf('--variants');
  const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : undefined;
  const variants: Variant[] = VARIANTS.filter(
    (v) =>
      (v !== 'badge+css' || extraCss.length) &&
      (v !== 'extension' || extensionDir) &&
      (v === 'none' || !only || only.includes(v)),
  ).flatMap((v): Variant[] =>
    v === 'badge+css' ? extraCss.map((_, i): Variant => (i ? `badge+css${i + 1}` : 'badge+css')) : [v],
  );
  /** The `--css` a `badge+css…` variant adds. */
  const cssOf = (variant: Variant): string =>
    variant.startsWith('badge+css')
      ? (extraCss[Number(variant.slice('badge+css'.length) || 1) - 1] ?? '')
      : '';
  const log = (m: string) => console.log(`[floor] ${m}`);
  const ctx = {
    chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    extensionDir: '',
    runs,
    workDir: join(ROOT, 'bench-output'),
    log,
  };
  mkdirSync(ctx.workDir, { recursive: true });
  const sheets = lensSheets();
  const css = `${sheets.base}\n${sheets.badge}`;
  const badges = await badgeScript(sheets);
  let extension: Awaited<ReturnType<typeof launch>> | undefined;
  const host = new FeedHost();
  if (extensionDir) {
    const outDir = join(ctx.workDir, 'page-feeds');
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    await host.start();
    const urls: string[] = [];
    for (let f = 0; f < FEEDS; f++) urls.push(await host.publish(f, outDir, log));
    const extCtx = { ...ctx, extensionDir };
    extension = await launch(extCtx, true);
    await setUpExtension(extCtx, extension.context, urls);
  }
  log(loadAverage());
  try {
    for (const site of sites.length ? sites : SITES) {
      const browsers = new Map<Variant, Awaited<ReturnType<typeof launch>>>();
      /** The page's own ms in the drawing observer, as the last scroll of each variant reported it. */
      const lastDrawMs = new Map<Variant, number>();
      const drawMs = new Map<Variant, number[]>();
      try {
        for (const variant of variants) {
          if (variant === 'extension') continue;
          const launched = await launch(ctx, false);
          if (variant.startsWith('badge')) await launched.context.addInitScript(badges);
          if (variant !== 'none')
            await launched.context.addInitScript(drawScript(site, variant, cssOf(variant), css));
          launched.context.on('console', (message) => {
            const [tag, ms] = message.text().split(' ');
            if (tag === 'floor-draw-ms') lastDrawMs.set(variant, Number(ms));
          });
          browsers.set(variant, launched);
        }
        const taskMs = new Map<Variant, number[]>(variants.map((v) => [v, []]));
        const renderMs = new Map<Variant, number[]>(variants.map((v) => [v, []]));
        // Run 0 warms every browser up and is not counted.
        for (let run = 0; run <= runs; run++) {
          const order = run % 2 ? [...variants].reverse() : [...variants];
          const line: string[] = [];
          for (const variant of order) {
            const { context } = (variant === 'extension' ? extension : browsers.get(variant)) as Awaited<
              ReturnType<typeof launch>
            >;
            let rendering = Number.NaN;
            const result = await measure(context, site, variant === 'extension', {
              idle: false,
              trace: trace ? (events) => (rendering = renderingMs(events)) : undefined,
            });
            if (run > 0) taskMs.get(variant)?.push(result.taskMs);
            if (run > 0) renderMs.get(variant)?.push(rendering);
            if (run > 0 && lastDrawMs.has(variant))
              drawMs.set(variant, [...(drawMs.get(variant) ?? []), lastDrawMs.get(variant) as number]);
            lastDrawMs.delete(variant);
            line.push(
              `${variant} ${result.taskMs.toFixed(0)}${variant.startsWith('badge') || variant === 'extension' ? ` (${result.badgePosts} posts badged)` : ''}`,
            );
          }
          log(`${site} run ${run}${run === 0 ? ' (warm-up)' : ''}: task ms ${line.join(', ')}`);
        }
        const none = taskMs.get('none') as number[];
        const ratios = (variant: Variant) =>
          (taskMs.get(variant) as number[]).map((ms, i) => ms / (none[i] as number));
        console.log(`\n== ${site}: page task ms (median of ${runs}) and ÷ none per run`);
        for (const variant of variants) {
          const r = ratios(variant);
          console.log(
            `${variant.padEnd(9)} ${median(taskMs.get(variant) as number[])
              .toFixed(0)
              .padStart(5)} ms` +
              (variant === 'none'
                ? `   (1.10 leaves ${(median(none) * 0.1).toFixed(0)} ms for everything the extension causes)`
                : `   ÷ none ${r.map((x) => x.toFixed(2)).join(' ')} (median ${median(r).toFixed(2)})` +
                  (drawMs.has(variant)
                    ? `, drawing script ${median(drawMs.get(variant) as number[]).toFixed(0)} ms`
                    : '')) +
              (trace ? `; rendering ${spread(renderMs.get(variant) as number[])} ms` : ''),
          );
        }
      } finally {
        for (const launched of browsers.values()) await launched.close();
      }
    }
  } finally {
    await extension?.close();
    await host.stop();
  }
  log(loadAverage());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
