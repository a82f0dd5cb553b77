/**
 * One browser-agnostic driver for the browser specs: a spec body written once against
 * `BrowserSession` / `Tab` / `Target` runs in Chromium (Playwright, driver-chromium.ts) and in
 * Firefox ESR (puppeteer-core over WebDriver BiDi, driver-firefox.ts).
 *
 *   spec body ──> BrowserSession (serve fixtures, tabs, extension pages, storage, seed)
 *                 Tab ──> Target (lazy query: css / role / label / text, nth, chained)
 *                  │         └─ resolved IN the page by in-page.ts (one engine for both browsers)
 *                  └─> PageBackend (per browser: evaluate, mouse, keyboard, navigation, and
 *                      handing the engine the lens's closed shadow roots)
 *
 * Each browser supplies only a `PageBackend` per tab and the session-level pieces (how the
 * extension is installed, where its storage is read, how a permission prompt is answered); finding
 * elements, waiting, clicking, typing and reading are implemented here once. Clicks and keys are
 * real input events of the browser (trusted), aimed at the element's centre after it scrolled into
 * view and was hit-tested, like Playwright's actionability checks.
 */
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe } from 'vitest';
import type * as InPage from './in-page';
import type { Step, TextMatch } from './in-page';

/** The in-page engine as a function run by a `Target` sees it (its third argument). */
export type Engine = Pick<typeof InPage, 'isVisible' | 'activeElement' | 'textOf' | 'shadowOf'>;

export type BrowserName = 'chromium' | 'firefox';

/** The browsers the shared specs run in: all, or those named in BROWSERS (e.g. `BROWSERS=firefox`). */
export function browsers(): BrowserName[] {
  const all: BrowserName[] = ['chromium', 'firefox'];
  const wanted = process.env.BROWSERS?.split(',').map((b) => b.trim());
  return wanted ? all.filter((b) => wanted.includes(b)) : all;
}

/**
 * `describe` once per browser; `body` gets the browser's name. Each block launches its own
 * session (in beforeAll), so a file shares one browser session per browser.
 */
export function describeEachBrowser(title: string, body: (browser: BrowserName) => void): void {
  for (const browser of browsers()) describe(`${title} [${browser}]`, () => body(browser));
}

/** What each browser's driver does for one tab. */
export interface PageBackend {
  /** Evaluates a JavaScript expression in the page's main world; a promise is awaited. */
  evaluateExpression<T>(expression: string): Promise<T>;
  evaluate<T, A>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  click(x: number, y: number, button: 'left' | 'right'): Promise<void>;
  /**
   * Hands the in-page engine (`reveal`) the closed shadow root of each host `unrevealed()` lists,
   * through the browser's automation protocol: page script itself cannot get them.
   */
  revealShadowRoots(): Promise<void>;
  /** A key or chord in Playwright's notation: `Enter`, `Space`, `Shift+Tab`. */
  press(key: string): Promise<void>;
  type(text: string): Promise<void>;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  bringToFront(): Promise<void>;
  url(): string;
  close(): Promise<void>;
}

export interface Tab {
  readonly browser: BrowserName;
  url(): string;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  bringToFront(): Promise<void>;
  close(): Promise<void>;
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Like `evaluate`, with the in-page engine (`q.shadowOf` sees into the lens's closed roots). */
  withEngine<T, A = undefined>(fn: (q: Engine, arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Polls `fn` until it returns a truthy value. */
  waitForFunction<A>(fn: (arg: A) => unknown, arg?: A, timeoutMs?: number): Promise<void>;
  locator(css: string, options?: { hasText?: string }): Target;
  getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Target;
  getByLabel(text: string | RegExp, options?: { exact?: boolean }): Target;
  getByText(text: string | RegExp, options?: { exact?: boolean }): Target;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  /** A real (trusted) click at a point of the viewport, whatever is there: no hit test, no waiting. */
  mouse: { click(x: number, y: number): Promise<void> };
  /** The browser-specific page object (Playwright `Page` or puppeteer `Page`), for what is not shared. */
  readonly raw: unknown;
}

/** A lazy query, resolved when used (like a Playwright Locator); actions wait for exactly one match. */
export interface Target {
  locator(css: string, options?: { hasText?: string }): Target;
  getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Target;
  getByLabel(text: string | RegExp, options?: { exact?: boolean }): Target;
  getByText(text: string | RegExp, options?: { exact?: boolean }): Target;
  nth(index: number): Target;
  first(): Target;
  last(): Target;
  count(): Promise<number>;
  waitFor(options?: {
    state?: 'visible' | 'attached' | 'detached' | 'hidden';
    timeout?: number;
  }): Promise<void>;
  click(options?: { button?: 'left' | 'right' }): Promise<void>;
  /** Focuses the field, selects its text and types `value` with the keyboard. */
  fill(value: string): Promise<void>;
  check(): Promise<void>;
  uncheck(): Promise<void>;
  selectOption(option: { label: string }): Promise<void>;
  focus(): Promise<void>;
  textContent(): Promise<string | null>;
  getAttribute(name: string): Promise<string | null>;
  inputValue(): Promise<string>;
  isVisible(): Promise<boolean>;
  isChecked(): Promise<boolean>;
  /** Whether this element has focus (through shadow roots). */
  isFocused(): Promise<boolean>;
  evaluate<T, A = undefined>(fn: (el: Element, arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  toString(): string;
}

export interface BrowserSession {
  readonly browser: BrowserName;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`. */
  readonly extensionOrigin: string;
  /** Serve `html` for every request whose URL starts with `urlPrefix` (newest route wins). */
  servePage(urlPrefix: string, html: string | ((url: URL) => string)): Promise<void>;
  /** A new tab for web pages (requests answered by `servePage`, loopback, or refused). */
  newTab(url?: string): Promise<Tab>;
  /**
   * A page of the extension in a tab, e.g. `options.html`. The browser's permission prompt is
   * answered "Allow" (Chromium: the prompt is replaced; Firefox: the real grant, without a prompt).
   */
  openExtensionPage(path: string): Promise<Tab>;
  /** Runs `fn` in a context of the extension (Chromium: the service worker; Firefox: an extension page). */
  inExtension<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  getStorage<T = unknown>(key: string): Promise<T | undefined>;
  setStorage(values: Record<string, unknown>): Promise<void>;
  /** Waits until the background installed the bundled seed feed and reports it fresh. */
  waitForSeed(timeoutMs?: number): Promise<void>;
  /** The browser's id of the tab `tab` shows (brought to the front, then the active tab). */
  tabIdOf(tab: Tab): Promise<number>;
  /**
   * Stops the background as the browser does when it is idle, and returns once it is stopped.
   * Chromium: the service worker is stopped (DevTools' ServiceWorker.stopAllWorkers). Firefox: waits
   * until the event page was suspended, which needs a session launched with `backgroundIdleMs`.
   */
  stopBackground(): Promise<void>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Firefox only: the event page's idle timeout (pref extensions.background.idle.timeout; default 30 s). */
  backgroundIdleMs?: number;
}

export async function launch(browser: BrowserName, options: SessionOptions = {}): Promise<BrowserSession> {
  if (browser === 'chromium') return (await import('./driver-chromium')).launchChromiumSession();
  return (await import('./driver-firefox')).launchFirefoxSession(options);
}

// ---------------------------------------------------------------------------------------------
// The in-page engine, bundled once per test process.

let engineSource: string | undefined;
function engine(): string {
  engineSource ??=
    buildSync({
      entryPoints: [join(import.meta.dirname, 'in-page.ts')],
      bundle: true,
      format: 'iife',
      globalName: '__contextLensQuery',
      platform: 'browser',
      target: 'es2022',
      write: false,
    }).outputFiles[0]?.text ?? '';
  return `${engineSource};globalThis.__contextLensQuery = __contextLensQuery;`;
}

const MISSING = '__context_lens_query_missing__';
const CLOSED = '__context_lens_query_closed__';

/**
 * Runs `body` (an expression using `q`, the engine) in the page, installing the engine first when
 * needed and handing it the closed shadow roots of hosts it has not seen.
 */
async function inPage<T>(backend: PageBackend, body: string): Promise<T> {
  const run = (check: boolean) =>
    backend.evaluateExpression<T | string>(
      `(async () => { const q = globalThis.__contextLensQuery; if (!q) return '${MISSING}'; ${check ? `if (q.unrevealed().length > 0) return '${CLOSED}';` : ''} return ${body}; })()`,
    );
  let result = await run(true);
  if (result === MISSING) {
    await backend.evaluateExpression(`(() => { ${engine()}; return true; })()`);
    result = await run(true);
  }
  if (result !== CLOSED) return result as T;
  await backend.revealShadowRoots();
  return (await run(false)) as T;
}

function textMatch(value: string | RegExp): TextMatch {
  return typeof value === 'string' ? value : { source: value.source, flags: value.flags };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const DEFAULT_TIMEOUT = 20_000;

type Single<T> = { ok: true; value: T } | { ok: false; count: number };

class DriverTarget implements Target {
  constructor(
    private readonly backend: PageBackend,
    private readonly steps: Step[],
  ) {}

  private with(step: Step): DriverTarget {
    return new DriverTarget(this.backend, [...this.steps, step]);
  }

  locator(css: string, options: { hasText?: string } = {}): Target {
    return this.with({ css, ...(options.hasText !== undefined ? { hasText: options.hasText } : {}) });
  }
  getByRole(role: string, options: { name?: string | RegExp; exact?: boolean } = {}): Target {
    return this.with({
      role,
      ...(options.name !== undefined ? { name: textMatch(options.name) } : {}),
      ...(options.exact ? { exact: true } : {}),
    });
  }
  getByLabel(text: string | RegExp, options: { exact?: boolean } = {}): Target {
    return this.with({ label: textMatch(text), ...(options.exact ? { exact: true } : {}) });
  }
  getByText(text: string | RegExp, options: { exact?: boolean } = {}): Target {
    return this.with({ text: textMatch(text), ...(options.exact ? { exact: true } : {}) });
  }
  nth(index: number): Target {
    const last = this.steps.at(-1);
    if (!last) throw new Error('nth() needs a query before it');
    if (last.nth !== undefined) throw new Error(`${this}: nth() of one element`);
    return new DriverTarget(this.backend, [...this.steps.slice(0, -1), { ...last, nth: index }]);
  }
  first(): Target {
    return this.nth(0);
  }
  last(): Target {
    return this.nth(-1);
  }

  toString(): string {
    return this.steps.map((s) => JSON.stringify(s)).join(' >> ');
  }

  count(): Promise<number> {
    return inPage(this.backend, `q.resolve(${JSON.stringify(this.steps)}).length`);
  }

  /** Runs `fn(el, arg)` on the one match, or reports how many there were. */
  private once<T, A>(fn: (el: Element, arg: A, q: Engine) => T | Promise<T>, arg?: A): Promise<Single<T>> {
    return inPage(
      this.backend,
      `(async () => { const els = q.resolve(${JSON.stringify(this.steps)}); if (els.length !== 1) return { ok: false, count: els.length }; return { ok: true, value: await (${fn.toString()})(els[0], ${arg === undefined ? 'undefined' : JSON.stringify(arg)}, q) }; })()`,
    );
  }

  /** Waits until exactly one element matches and `fn` succeeds on it (a thrown `retry` waits on). */
  private async single<T, A>(
    fn: (el: Element, arg: A, q: Engine) => T | Promise<T>,
    arg?: A,
    timeout = DEFAULT_TIMEOUT,
  ): Promise<T> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const result = await this.once(fn, arg);
      if (result.ok) return result.value;
      if (result.count > 1) throw new Error(`${this}: ${result.count} elements match, expected one`);
      if (Date.now() > deadline) throw new Error(`${this}: no element matches after ${timeout} ms`);
      await sleep(50);
    }
  }

  async waitFor(
    options: { state?: 'visible' | 'attached' | 'detached' | 'hidden'; timeout?: number } = {},
  ): Promise<void> {
    const state = options.state ?? 'visible';
    const deadline = Date.now() + (options.timeout ?? DEFAULT_TIMEOUT);
    for (;;) {
      const seen = await inPage<{ count: number; visible: boolean }>(
        this.backend,
        `(() => { const els = q.resolve(${JSON.stringify(this.steps)}); return { count: els.length, visible: els.length === 1 && q.isVisible(els[0]) }; })()`,
      );
      if (seen.count > 1 && state !== 'detached')
        throw new Error(`${this}: ${seen.count} elements match, expected one`);
      const done =
        state === 'attached'
          ? seen.count === 1
          : state === 'visible'
            ? seen.visible
            : state === 'detached'
              ? seen.count === 0
              : !seen.visible;
      if (done) return;
      if (Date.now() > deadline)
        throw new Error(`${this}: not ${state} after ${options.timeout ?? DEFAULT_TIMEOUT} ms`);
      await sleep(50);
    }
  }

  async click(options: { button?: 'left' | 'right' } = {}): Promise<void> {
    const deadline = Date.now() + DEFAULT_TIMEOUT;
    for (;;) {
      const point = await this.single((el: Element, _arg: undefined, q: Engine) => {
        if (!q.isVisible(el) || (el as HTMLButtonElement).disabled) return null;
        el.scrollIntoView({ block: 'center', inline: 'center' });
        const rect = el.getBoundingClientRect();
        const x = rect.left + rect.width / 2;
        const y = rect.top + rect.height / 2;
        // Hit test through shadow roots: the click must land on the element, not on a cover.
        let hit = document.elementFromPoint(x, y);
        for (let shadow = hit && q.shadowOf(hit); shadow; shadow = hit && q.shadowOf(hit)) {
          const inner = shadow.elementFromPoint(x, y);
          if (!inner || inner === hit) break;
          hit = inner;
        }
        for (let node: Node | null = hit; node; ) {
          if (node === el) return { x, y };
          node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
        }
        return null;
      });
      if (point) {
        await this.backend.click(point.x, point.y, options.button ?? 'left');
        return;
      }
      if (Date.now() > deadline) throw new Error(`${this}: not visible, enabled and uncovered to click`);
      await sleep(50);
    }
  }

  async fill(value: string): Promise<void> {
    await this.single((el) => {
      const field = el as HTMLInputElement;
      field.focus();
      field.select();
    });
    if (value) await this.backend.type(value);
    else await this.backend.press('Backspace');
  }

  async check(): Promise<void> {
    if (!(await this.isChecked())) await this.click();
    await this.expectChecked(true);
  }
  async uncheck(): Promise<void> {
    if (await this.isChecked()) await this.click();
    await this.expectChecked(false);
  }
  private async expectChecked(checked: boolean): Promise<void> {
    const deadline = Date.now() + 5000;
    while ((await this.isChecked()) !== checked) {
      if (Date.now() > deadline)
        throw new Error(`${this}: did not become ${checked ? 'checked' : 'unchecked'}`);
      await sleep(50);
    }
  }

  async selectOption(option: { label: string }): Promise<void> {
    const found = await this.single((el, label) => {
      const select = el as HTMLSelectElement;
      const choice = [...select.options].find((o) => o.label.trim() === label || o.text.trim() === label);
      if (!choice) return false;
      select.value = choice.value;
      select.dispatchEvent(new Event('input', { bubbles: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    }, option.label);
    if (!found) throw new Error(`${this}: no option labelled "${option.label}"`);
  }

  async focus(): Promise<void> {
    await this.single((el) => (el as HTMLElement).focus());
  }
  textContent(): Promise<string | null> {
    return this.single((el) => el.textContent);
  }
  getAttribute(name: string): Promise<string | null> {
    return this.single((el, attribute) => el.getAttribute(attribute), name);
  }
  inputValue(): Promise<string> {
    return this.single((el) => (el as HTMLInputElement).value);
  }
  isVisible(): Promise<boolean> {
    return inPage(
      this.backend,
      `(() => { const els = q.resolve(${JSON.stringify(this.steps)}); return els.length === 1 && q.isVisible(els[0]); })()`,
    );
  }
  isChecked(): Promise<boolean> {
    return this.single(
      (el) => (el as HTMLInputElement).checked ?? el.getAttribute('aria-checked') === 'true',
    );
  }
  isFocused(): Promise<boolean> {
    return this.single((el: Element, _arg: undefined, q: Engine) => q.activeElement() === el);
  }
  evaluate<T, A = undefined>(fn: (el: Element, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    return this.single(fn, arg as A);
  }
}

/** A `Tab` on top of a browser's `PageBackend`. */
export function tabOn(browser: BrowserName, backend: PageBackend, raw: unknown): Tab {
  const root = new DriverTarget(backend, []);
  return {
    browser,
    raw,
    url: () => backend.url(),
    goto: (url) => backend.goto(url),
    reload: () => backend.reload(),
    bringToFront: () => backend.bringToFront(),
    close: () => backend.close(),
    evaluate: <T, A>(fn: (arg: A) => T | Promise<T>, arg?: A) => backend.evaluate(fn, arg as A),
    withEngine: <T, A>(fn: (q: Engine, arg: A) => T | Promise<T>, arg?: A) =>
      inPage<T>(backend, `(${fn.toString()})(q, ${arg === undefined ? 'undefined' : JSON.stringify(arg)})`),
    async waitForFunction(fn, arg, timeoutMs = DEFAULT_TIMEOUT) {
      const deadline = Date.now() + timeoutMs;
      while (!(await backend.evaluate(fn, arg as never))) {
        if (Date.now() > deadline) throw new Error(`waitForFunction timed out after ${timeoutMs} ms`);
        await sleep(50);
      }
    },
    locator: (css, options) => root.locator(css, options),
    getByRole: (role, options) => root.getByRole(role, options),
    getByLabel: (text, options) => root.getByLabel(text, options),
    getByText: (text, options) => root.getByText(text, options),
    keyboard: { press: (key) => backend.press(key), type: (text) => backend.type(text) },
    mouse: { click: (x, y) => backend.click(x, y, 'left') },
  };
}

/** Polls `read` until it returns `expected` (deep-equal as JSON) or the time is up; returns the last value. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < deadline) {
    await sleep(100);
    value = await read();
  }
  return value;
}
