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
  // for…in over a plain record, not Object.entries: no array per attribute for every badge.
  for (const name in attrs) host.setAttribute(name, attrs[name] as string);
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
 * Before a UI's content sees an event (capturing, at the document, or at the UI's shadow root where
 * the UI is not in the document's own tree): an event that goes on is stopped at the host once the
 * content has had it. A listener added to the host now runs when this same dispatch gets back there.
 * `trustedOnly`: page script that got hold of a UI's element (a `.click()`, a dispatched key) must
 * not open a panel, reveal a post or ask for the curator form: only the reader's own input, which
 * the browser marks trusted, reaches the UI's content.
 */
function guardFor(host: Element, event: Event, trustedOnly: boolean): void {
  if (event.isTrusted || !trustedOnly) {
    host.addEventListener(event.type, stop, { once: true });
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
  /** Ends the document's listeners (the content script's context: ScriptContext `signal`). */
  signal?: AbortSignal;
}

/**
 * Every UI is a plain element (its tag names it) with its own shadow root, built synchronously: no
 * custom-element registry (content scripts have none), no document inside the root. Every root
 * adopts its UI's constructable stylesheets, each made once per page (falling back to a <style> per
 * sheet and root where a browser refuses a sheet made in the content script's world), holds one
 * <span class="cl-root"> the Preact tree renders into, stops keyboard and pointer events at the
 * host, and lets none of them reach the content unless the browser marks it trusted (the reader's
 * own input).
 *
 * The events are watched once for the whole page, capturing at the document: an event from inside a
 * UI reaches the document first, aimed at the UI's host (the shadow root retargets it). That is
 * eight listeners a page, not eight a UI (a page draws hundreds of badges; adding them was ~4 % of
 * the content script's time on the X bench page). A UI placed inside another shadow tree, where the
 * document would see that tree's host instead, gets its own listeners at its root. An event page
 * script dispatches without `composed` stays inside the tree it was dispatched in: page script can
 * reach no node inside a closed root to dispatch one there.
 */
export function createShadowUiHost(doc: Document, options: ShadowUiOptions = {}): UiHost {
  const none: readonly string[] = [];
  const sheetsOf = options.css ?? (() => none);
  const mode = options.mode ?? 'closed';
  const trustedOnly = options.trustedOnly ?? true;
  /** Hosts in the document's own tree, watched by the document's listeners. */
  const hosts = new WeakSet<Element>();
  /**
   * The UI an event comes from: browsers aim it at the host by the time it reaches the document;
   * a DOM without retargeting (happy-dom, the unit tests') is followed out through the roots.
   */
  const hostOf = (target: EventTarget | null): Element | undefined => {
    let node = target as Node | null;
    while (node) {
      if (hosts.has(node as Element)) return node as Element;
      node = (node.getRootNode() as Partial<ShadowRoot>).host ?? null;
    }
    return undefined;
  };
  const atDocument = (event: Event): void => {
    const host = hostOf(event.target);
    if (host) guardFor(host, event, trustedOnly);
  };
  // Capturing at the document runs before any listener of a UI's content.
  for (const type of ISOLATED_EVENTS)
    doc.addEventListener(type, atDocument, { capture: true, signal: options.signal });
  /** For a UI whose host is inside another shadow tree: at its own root. */
  const atRoot = (event: Event): void =>
    guardFor((event.currentTarget as ShadowRoot).host, event, trustedOnly);
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
      const preact = spec.content !== undefined;
      if (preact) render(spec.content, container);
      spec.build?.(container);
      place(host, spec.anchor, spec.append);
      if (spec.anchor.getRootNode() === doc) hosts.add(host);
      else for (const type of ISOLATED_EVENTS) shadow.addEventListener(type, atRoot, true);
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
