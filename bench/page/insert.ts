/**
 * What one rendering frame that inserts badges costs a scroll page, against the same frame inserting
 * plain text nodes (not part of `npm run bench`; for whoever changes how badges are drawn):
 * `npx tsx bench/page/insert.ts [x|bluesky|reddit] [--keep N] [--runs N] [--host-css "…"]… [--plain]`
 * (a `--host-css` holding `{` is added to the sheet as written: rules for the badge's insides; each
 * further `--host-css` is one more variant, badge+css2, …).
 *
 * It loads a scroll page (scroll.ts) in Chromium without the extension, lets all its posts in
 * (`--keep N` then removes all but the last N), and traces 60 frames in which the page writes six
 * things into its last 20 posts: real badges (components/badge.ts in a closed shadow root of
 * lens/ui.ts with the lens stylesheets, bundled here with esbuild), the same badges with `--host-css`
 * added to their host's rule, six text nodes (the least a write can be), the same text in a closed
 * shadow root (`shadow`: the least a label hidden from page script can be), nothing, or with `--plain`
 * six "plain" badges: a `<context-lens-label role="button">` holding only its text, in the page's
 * own DOM, coloured by one page stylesheet (no shadow root, no `<button>`, no icon: what a badge
 * drawn as little more than text would cost; not a design the lens uses). It prints each
 * variant's median ms per frame of style, layout, pre-paint, paint and commit, variants alternating
 * over `--runs` loads. A cost that the text nodes share is the page's price for any frame that lays
 * it out (attribute.ts counts how many such frames the extension adds: frames.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { paletteCss } from '../../components/palette';
import type { UiSheets } from '../../lens/ui';
import { median } from '../types';
import { mainThread } from './frames';
import { SCROLL_URL, type ScrollSite, scrollPage } from './scroll';
import { startTrace } from './trace';

const ROOT = resolve(import.meta.dirname, '../..');
const STEPS = ['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Commit'] as const;

/**
 * The lens's stylesheets as the content script gives them to its UIs (entrypoints/content/run.ts:
 * lens/ui.ts `sheetsByUi`).
 */
export function lensSheets(): UiSheets {
  const read = (name: string) => readFileSync(resolve(ROOT, 'components', name), 'utf8');
  return { base: `${read('base.css')}\n${paletteCss()}`, badge: read('badge.css'), other: read('lens.css') };
}

/** The badge code the content script runs, as a script for the page (window.__insertBadge). */
export async function badgeScript(css: UiSheets): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        import { createBadge } from './components/badge';
        import { matchedLabel } from './components/testLabels';
        import { createShadowUiHost, sheetsByUi } from './lens/ui';
        const hosts = new Map();
        let plainSheet = false;
        window.__insertPlain = (anchor, append) => {
          if (!plainSheet) {
            const style = document.createElement('style');
            style.textContent = ${JSON.stringify(PLAIN_CSS)};
            document.head.append(style);
            plainSheet = true;
          }
          const host = document.createElement('context-lens-label');
          for (const [name, value] of [['data-labels', '1'], ['role', 'button'], ['tabindex', '0']])
            host.setAttribute(name, value);
          host.textContent = '\u26a0 Account suspended';
          if (append === 'last') anchor.append(host);
          else anchor.after(host);
        };
        let textSheet;
        window.__insertShadowText = (anchor, append) => {
          if (!textSheet) {
            textSheet = new CSSStyleSheet();
            textSheet.replaceSync(${JSON.stringify(SHADOW_CSS)});
          }
          const host = document.createElement('context-lens-label');
          const root = host.attachShadow({ mode: 'closed' });
          root.adoptedStyleSheets = [textSheet];
          root.append('\u26a0 Account suspended');
          if (append === 'last') anchor.append(host);
          else anchor.after(host);
        };
        window.__insertBadge = (anchor, append, hostCss) => {
          let ui = hosts.get(hostCss);
          if (!ui) {
            const extra = hostCss.includes('{') ? hostCss : ':host(context-lens-label){' + hostCss + '}';
            const css = ${JSON.stringify(css)};
            ui = createShadowUiHost(document, { css: sheetsByUi({ ...css, badge: css.badge + (hostCss ? extra : '') }) });
            hosts.set(hostCss, ui);
          }
          const handle = ui.mount({ name: 'context-lens-label', anchor, append, attrs: { 'data-labels': '1' } });
          createBadge(handle.root, {
            labels: [matchedLabel({ definition: { severity: 'caution' } })],
            severity: 'caution', theme: 'light', lang: 'en',
            openPanel: () => { throw new Error('not opened here'); },
          });
        };`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'silent',
    // The page has no extension API: the badge's accessible name asks i18n for its template.
    banner: { js: "globalThis.browser = { i18n: { getMessage: (key) => key }, runtime: { id: 'bench' } };" },
  });
  return result.outputFiles[0]?.text ?? '';
}

/** The one sheet of the `shadow` variant's roots (and of floor.ts's `shadow`). */
export const SHADOW_CSS =
  ':host { all: initial; display: inline; color: #713f12; font: 600 12px system-ui, sans-serif }';

/** The one page stylesheet of the `--plain` variant: a chip of coloured text. */
const PLAIN_CSS =
  'context-lens-label { all: initial !important; display: inline !important; margin: 0 4px !important; ' +
  'padding: 0 6px !important; border-radius: 9px !important; background: #fde68a !important; ' +
  'color: #713f12 !important; font: 600 12px system-ui, sans-serif !important; white-space: nowrap !important }';

/** Where a badge goes in a post of each site (as its adapter puts the author's badge). */
export const ANCHOR: Record<ScrollSite, { selector: string; append: 'after' | 'last' }> = {
  x: { selector: '[data-testid="User-Name"] a', append: 'after' },
  bluesky: { selector: 'a.r-name', append: 'after' },
  reddit: { selector: 'shreddit-post', append: 'last' },
};

async function frames(page: Page, site: ScrollSite, variant: string, css: string): Promise<void> {
  await page.evaluate(
    async ({ variant, css, selector, append }) => {
      const w = window as unknown as {
        __insertBadge(a: Element, p: string, css: string): void;
        __insertPlain(a: Element, p: string): void;
        __insertShadowText(a: Element, p: string): void;
      };
      const posts = [...document.querySelectorAll('[data-bench-i]')];
      // One write a frame (no named function in here: the bench's transpiler would wrap it).
      for (let k = 0; k < 60; k++) {
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        for (let j = 0; j < 6; j++) {
          const post = posts[posts.length - 20 + ((k * 7 + j * 3) % 20)];
          const anchor = post?.querySelector(selector);
          if (!anchor || variant === 'none') continue;
          if (variant === 'text') anchor.append(document.createTextNode(' ·'));
          else if (variant === 'plain') w.__insertPlain(anchor, append);
          else if (variant === 'shadow') w.__insertShadowText(anchor, append);
          else w.__insertBadge(anchor, append, css);
        }
      }
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    },
    { variant, css, ...ANCHOR[site] },
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const site = (args.find((a) => a in SCROLL_URL) ?? 'x') as ScrollSite;
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const keep = Number(option('--keep') ?? 0);
  const runs = Number(option('--runs') ?? 2);
  /** Each `--host-css` is one more variant: badge+css, badge+css2, … */
  const hostCss = args.flatMap((a, i) => (a === '--host-css' && args[i + 1] ? [args[i + 1] as string] : []));
  const cssVariants = hostCss.map((_, i) => (i ? `badge+css${i + 1}` : 'badge+css'));
  const cssOf = (variant: string): string => hostCss[cssVariants.indexOf(variant)] ?? '';
  const variants = [
    'none',
    'text',
    'shadow',
    'badge',
    ...(args.includes('--plain') ? ['plain'] : []),
    ...cssVariants,
  ];
  const script = await badgeScript(lensSheets());
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const perFrame = new Map(variants.map((v) => [v, new Map<string, number[]>()]));
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route('**/*', (route) =>
      route.request().url() === SCROLL_URL[site]
        ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: scrollPage(site) })
        : route.abort(),
    );
    for (let run = 0; run < runs; run++) {
      for (const variant of run % 2 ? [...variants].reverse() : variants) {
        const page = await context.newPage();
        await page.goto(SCROLL_URL[site]);
        await page.addScriptTag({ content: script });
        await page.evaluate(() => (window as unknown as { __bench: { start(): void } }).__bench.start());
        await page.waitForFunction(
          () => (window as unknown as { __bench: { done: boolean } }).__bench.done,
          null,
          {
            timeout: 120_000,
          },
        );
        if (keep > 0)
          await page.evaluate((keep) => {
            const posts = [...document.querySelectorAll('[data-bench-i]')];
            for (const post of posts.slice(0, Math.max(0, posts.length - keep))) post.remove();
          }, keep);
        await page.waitForTimeout(300);
        const cdp = await context.newCDPSession(page);
        const endTrace = await startTrace(cdp, [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
        ]);
        await frames(page, site, variant, cssOf(variant));
        const events = await endTrace();
        const into = perFrame.get(variant) as Map<string, number[]>;
        for (const e of mainThread(events)) {
          if (e.ph !== 'X' || !(STEPS as readonly string[]).includes(e.name)) continue;
          into.set(e.name, [...(into.get(e.name) ?? []), (e.dur ?? 0) / 1000]);
        }
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(
    `${site}${keep ? `, last ${keep} posts kept` : ''}: median ms per frame (60 frames × ${runs} runs)`,
  );
  console.log(`${'variant'.padEnd(10)}${STEPS.map((s) => s.padStart(18)).join('')}`);
  for (const [variant, steps] of perFrame)
    console.log(
      `${variant.padEnd(10)}${STEPS.map((s) =>
        // A step that never ran in a variant's frames (nothing written) took no time.
        median(steps.get(s) ?? [0])
          .toFixed(2)
          .padStart(18),
      ).join('')}`,
    );
  for (const [i, css] of hostCss.entries())
    console.log(
      `${cssVariants[i]}: ${css.includes('{') ? 'the sheet also has' : 'host also has'} { ${css} }`,
    );
}

if (import.meta.url === `file://${process.argv[1]}`)
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
