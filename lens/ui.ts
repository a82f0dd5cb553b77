/**
 * How the lens puts its UIs on the page: each UI is a host element (its tag names it:
 * <context-lens-label>, <context-lens-cover>, …) with a shadow root holding a Preact tree, or plain
 * DOM the caller builds in `root` (a badge's chip: components/badge.ts). The content script uses
 * `createShadowUiHost` with the stylesheet; tests use `createElementUiHost` (no styles).
 */
import { type ComponentChild, render } from 'preact';

export type UiName =
  | 'context-lens-label'
  | 'context-lens-cover'
  | 'context-lens-hidden'
  | 'context-lens-curator'
  | 'context-lens-panel';

export interface UiSpec {
  name: UiName;
  /** The UI goes after `anchor`, or inside it at the start ('first') or at the end ('last'). */
  anchor: Element;
  append: Placement;
  /** Attributes of the host element (data-labels, data-targets). */
  attrs: Record<string, string>;
  /** A Preact tree rendered into `root`; without it the caller builds `root`'s content itself. */
  content?: ComponentChild;
  /**
   * Builds `root`'s content (plain DOM) before the host goes on the page, so the page takes one
   * insertion for the whole UI rather than one per element of it.
   */
  build?(root: Element): void;
}

export type Placement = 'after' | 'first' | 'last';

export interface UiHandle {
  /** New attributes and content, rendered in place (component state is kept). */
  update(attrs: Record<string, string>, content?: ComponentChild): void;
  remove(): void;
  /** The element on the page (what page script can see of the UI). */
  readonly host: Element;
  /** The container inside the shadow root that holds the UI's content. */
  readonly root: Element;
  /** False once the page threw the host away (the site re-rendered that part). */
  readonly alive: boolean;
}

export interface UiHost {
  mount(spec: UiSpec): UiHandle;
}

export function place(host: Element, anchor: Element, append: Placement): void {
  if (append === 'first') anchor.prepend(host);
  else if (append === 'last') anchor.append(host);
  else anchor.after(host);
}

export function setAttrs(host: Element, attrs: Record<string, string>): void {
  for (const [name, value] of Object.entries(attrs)) host.setAttribute(name, value);
}

/** Events kept inside a UI, so a site's own shortcuts and "open the post" clicks do not fire. */
const ISOLATED_EVENTS = [
  'keydown',
  'keyup',
  'keypress',
  'click',
  'pointerdown',
  'pointerup',
  'mousedown',
  'mouseup',
] as const;

const stop = (event: Event): void => event.stopPropagation();

/**
 * At a UI's shadow root, before its content sees an event (capturing): an event that goes on is
 * stopped at the host once the content has had it. A listener added to the host now runs when this
 * same dispatch gets back there: one listener per UI and type instead of one on the host and one on
 * the root (a page draws hundreds of UIs).
 */
function isolate(event: Event): void {
  (event.currentTarget as ShadowRoot).host.addEventListener(event.type, stop, { once: true });
}

/**
 * `isolate`, and page script that got hold of a UI's element (a `.click()`, a dispatched key) must
 * not open a panel, reveal a post or ask for the curator form: only the reader's own input, which
 * the browser marks trusted, reaches the UI's content.
 */
function isolateTrusted(event: Event): void {
  if (event.isTrusted) {
    isolate(event);
    return;
  }
  event.stopImmediatePropagation();
  event.preventDefault();
}

export interface ShadowUiOptions {
  /**
   * The stylesheets each UI's root adopts (`sheetsByUi`; none without). The sheets of one list are
   * made once per page and shared by every root given that list: give the same array each time.
   */
  css?(name: UiName): readonly string[];
  /** 'closed' (the default) keeps page script out of the UI's content; unit tests use 'open'. */
  mode?: ShadowRootMode;
  /** Whether only trusted events reach the content (default true; unit tests dispatch their own). */
  trustedOnly?: boolean;
}

/**
 * Every UI is a plain element (its tag names it) with its own shadow root, built synchronously: no
 * custom-element registry (content scripts have none), no document inside the root. Every root
 * adopts its UI's constructable stylesheets, each made once per page (falling back to a <style> per
 * sheet and root where a browser refuses a sheet made in the content script's world), holds one
 * <span class="cl-root"> the Preact tree renders into, stops keyboard and pointer events at the
 * host, and lets none of them reach the content unless the browser marks it trusted (the reader's
 * own input).
 */
export function createShadowUiHost(doc: Document, options: ShadowUiOptions = {}): UiHost {
  const none: readonly string[] = [];
  const sheetsOf = options.css ?? (() => none);
  const mode = options.mode ?? 'closed';
  const guard = (options.trustedOnly ?? true) ? isolateTrusted : isolate;
  /** Each list of stylesheets' constructed sheets; null where the browser refuses them. */
  const adopted = new WeakMap<readonly string[], CSSStyleSheet[] | null>();

  function adopt(root: ShadowRoot, name: UiName): void {
    const texts = sheetsOf(name);
    let sheets = adopted.get(texts);
    try {
      if (sheets === undefined) {
        sheets = texts.map((text) => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(text);
          return sheet;
        });
        adopted.set(texts, sheets);
      }
      if (sheets) {
        root.adoptedStyleSheets = sheets;
        return;
      }
    } catch {
      adopted.set(texts, null);
    }
    for (const text of texts) {
      const style = doc.createElement('style');
      style.textContent = text;
      root.append(style);
    }
  }

  return {
    mount(spec) {
      const host = doc.createElement(spec.name);
      setAttrs(host, spec.attrs);
      const shadow = host.attachShadow({ mode });
      adopt(shadow, spec.name);
      const container = doc.createElement('span');
      container.className = 'cl-root';
      shadow.append(container);
      // Capturing at the root runs before any listener of the content.
      for (const type of ISOLATED_EVENTS) shadow.addEventListener(type, guard, true);
      const preact = spec.content !== undefined;
      if (preact) render(spec.content, container);
      spec.build?.(container);
      place(host, spec.anchor, spec.append);
      let removed = false;
      return {
        host,
        root: container,
        update(attrs, content) {
          setAttrs(host, attrs);
          if (preact) render(content, container);
        },
        remove() {
          if (removed) return;
          removed = true;
          if (preact) render(null, container);
          host.remove();
        },
        get alive() {
          return !removed && host.isConnected;
        },
      };
    },
  };
}

/** The lens's stylesheets: every UI's shared rules, the badge's own and the other UIs'. */
export interface UiSheets {
  base: string;
  badge: string;
  other: string;
}

/**
 * Which sheets each UI adopts: a badge (<context-lens-label>) the shared rules and its own, every
 * other UI the shared rules and the rest (components/base.css, badge.css, lens.css), so a page's
 * hundreds of badges are styled against their own few rules only (measured: components/badge.css).
 */
export function sheetsByUi(css: UiSheets): (name: UiName) => readonly string[] {
  const badge = [css.base, css.badge];
  const other = [css.base, css.other];
  return (name) => (name === 'context-lens-label' ? badge : other);
}

/** UIs in open shadow roots without a stylesheet, taking the events tests dispatch: for tests. */
export function createElementUiHost(doc: Document): UiHost {
  return createShadowUiHost(doc, { mode: 'open', trustedOnly: false });
}
