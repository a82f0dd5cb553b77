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
import { FEEDS, FeedHost } from './feeds';
import { renderingMs } from './frames';
import { launch, measure, SITES, setUpExtension } from './index';
import { ANCHOR, badgeScript, lensSheets, SHADOW_CSS } from './insert';
import {
  LABELLED_HANDLE,
  labelledAuthor,
  labelledDomain,
  labelledLink,
  POSTS,
  type ScrollSite,
} from './scroll';

const ROOT = resolve(import.meta.dirname, '../..');
const VARIANTS = [
  'none',
  'text',
  'shadow',
  'read',
  'button',
  'sheet',
  'badge',
  'badge+css',
  'extension',
] as const;
/** A variant; `badge+css2`, `badge+css3`, … for the second and later `--css`. */
type Variant = (typeof VARIANTS)[number] | `badge+css${number}`;

/** Where a link's badge goes in a post of each site (after the post's outbound link). */
const LINK_ANCHOR: Record<ScrollSite, string> = {
  x: '[data-testid="tweetText"] a',
  bluesky: 'a.r-link',
  reddit: '[slot="post-media-container"] a',
};

/** The page-side observer that draws `variant`'s labels on every labelled post of `site`. */
function drawScript(
  site: ScrollSite,
  variant: Exclude<Variant, 'none' | 'extension'>,
  css: string,
  lensCss: string,
): string {
  const authors: number[] = [];
  const links: number[] = [];
  const handles: string[] = [];
  const domains: string[] = [];
  for (let n = 0; n < POSTS; n++) {
    const author = labelledAuthor(n, site);
    const link = labelledLink(n);
    if (author) authors.push(n);
    if (link) links.push(n);
    if (author) handles.push(LABELLED_HANDLE[site](author.feed, author.index));
    if (link) domains.push(labelledDomain(link.feed, link.index));
  }
  const config = {
    site,
    handles,
    domains,
    variant,
    css: variant.startsWith('badge+css') ? css : '',
    lensCss: variant === 'sheet' ? lensCss : '',
    authors,
    links,
    author: ANCHOR[site],
    link: { selector: LINK_ANCHOR[site], append: 'after' },
  };
  return `(() => {
  const C = ${JSON.stringify(config)};
  const authors = new Set(C.authors);
  const links = new Set(C.links);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(C.lensCss || ${JSON.stringify(SHADOW_CSS)});
  const draw = (anchor, append) => {
    if (!anchor) return;
    if (C.variant.startsWith('badge')) return window.__insertBadge(anchor, append, C.css);
    let label = document.createTextNode(' \\u26a0 Account suspended');
    if (C.variant !== 'text') {
      const host = document.createElement('context-lens-label');
      const root = host.attachShadow({ mode: 'closed' });
      root.adoptedStyleSheets = [sheet];
      if (C.variant === 'button') {
        const button = document.createElement('button');
        button.className = 'cl-badge';
        button.append(label);
        label = button;
      }
      root.append(label);
      label = host;
    }
    if (append === 'last') anchor.append(label);
    else anchor.after(label);
  };
  let spent = 0;
  let told = false;
  const handles = new Set(C.handles);
  const domains = new Set(C.domains);
  // 'read': find the labelled author and link by reading the post, as cheaply as a reader can.
  const read = (post) => {
    let author = null;
    let link = null;
    const shreddit = C.site === 'reddit' ? post.querySelector('shreddit-post') : null;
    if (shreddit) {
      if (handles.has(shreddit.getAttribute('author'))) author = post.querySelector(C.author.selector);
      const href = shreddit.getAttribute('content-href') || '';
      if (domains.has(href.slice(href.indexOf('//') + 2).split('/')[0])) link = post.querySelector(C.link.selector);
    }
    for (const a of post.querySelectorAll('a[href]')) {
      const href = a.getAttribute('href');
      if (href.charCodeAt(0) === 47) {
        const parts = href.split('/');
        const handle = parts[1] === 'profile' || parts[1] === 'user' ? parts[2] : parts[1];
        if (!author && handles.has(handle)) author = post.querySelector(C.author.selector);
      } else {
        const text = href.startsWith('https://t.co/') ? a.textContent : href;
        if (!link && domains.has(text.slice(text.indexOf('//') + 2).split('/')[0])) link = a;
      }
    }
    if (author) draw(author, C.author.append);
    if (link) draw(link, 'after');
  };
  new MutationObserver(function drawLabels(records) {
    const started = performance.now();
    for (const record of records)
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1 || !node.hasAttribute('data-bench-i')) continue;
        if (C.variant === 'read') {
          read(node);
          continue;
        }
        const n = Number(node.getAttribute('data-bench-i'));
        if (authors.has(n)) draw(node.querySelector(C.author.selector), C.author.append);
        if (links.has(n)) draw(node.querySelector(C.link.selector), C.link.append);
      }
    spent += performance.now() - started;
    if (!told && window.__bench && window.__bench.done) {
      told = true;
      console.log('floor-draw-ms ' + spent);
    }
  }).observe(document, { childList: true, subtree: true });
})();`;
}

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
