/**
 * The content script's context: WXT's `ContentScriptContext` API (ctx.signal, onInvalidated,
 * setTimeout, requestAnimationFrame, addEventListener with `wxt:locationchange`…) without anything a
 * page can see or send. wxt.config.ts aliases `wxt/utils/content-script-context` to this module, so
 * WXT's entry wrapper and its UI helpers get this class.
 *
 * Why: WXT 0.21's own context announces every start to the page — a `window.postMessage` and a
 * document event whose type holds the extension id and `wxt:content-script-started` — and shuts
 * itself down when the page dispatches that event back. A page could detect Context Lens and switch
 * it off (badges gone, covers removed). No WXT setting turns this off.
 *
 *   new context ──▶ isolated-world registry (a property of the content script's own global, which
 *                   page script cannot reach) ──▶ the previous copy of this script is invalidated
 *   every second ─▶ browser.runtime.id gone (the extension was updated or removed) ──▶ invalidated
 *   navigation ──▶ `wxt:locationchange` handlers, called directly (no DOM event for a page to see)
 *
 * Must never post a message, dispatch an event on the page, or read anything the page can forge.
 */
import { browser } from 'wxt/browser';

/** How often an orphaned copy (extension updated or removed) notices that it is one. */
const ORPHAN_CHECK_MS = 1_000;
const LOCATION_POLL_MS = 1_000;

/** One slot per content script name, on the isolated world's global: page script never sees it. */
const REGISTRY = Symbol.for('context-lens.content-script-contexts');
type Registry = Map<string, ContentScriptContext>;

function registry(): Registry {
  const global = globalThis as unknown as Record<symbol, Registry | undefined>;
  global[REGISTRY] ??= new Map();
  return global[REGISTRY];
}

interface NavigationLike {
  addEventListener(
    type: 'navigate',
    listener: (event: { destination: { url: string } }) => void,
    options?: AddEventListenerOptions,
  ): void;
}

export interface LocationChange {
  newUrl: URL;
  oldUrl: URL;
}

export class ContentScriptContext implements AbortController {
  private readonly abortController = new AbortController();
  private readonly locationHandlers: ((change: LocationChange) => void)[] = [];
  private watchingLocation = false;
  /** Cancels the timers, frames and idle callbacks still waiting (see `whileValid`). */
  private readonly waiting = new Set<() => void>();

  constructor(
    readonly contentScriptName: string,
    readonly options?: Record<string, unknown>,
  ) {
    const slots = registry();
    slots.get(contentScriptName)?.notifyInvalidated();
    slots.set(contentScriptName, this);
    this.onInvalidated(() => {
      if (slots.get(contentScriptName) === this) slots.delete(contentScriptName);
      for (const cancel of this.waiting) cancel();
      this.waiting.clear();
    });
    this.setInterval(() => undefined, ORPHAN_CHECK_MS);
  }

  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  abort(reason?: unknown): void {
    this.abortController.abort(reason);
  }

  get isInvalid(): boolean {
    if (!this.signal.aborted && browser.runtime?.id == null) this.notifyInvalidated();
    return this.signal.aborted;
  }

  get isValid(): boolean {
    return !this.isInvalid;
  }

  onInvalidated(cb: () => void): () => void {
    this.signal.addEventListener('abort', cb);
    return () => this.signal.removeEventListener('abort', cb);
  }

  block<T>(): Promise<T> {
    return new Promise(() => {});
  }

  // Each wrapper asks isValid, which also notices an orphaned copy; the constructor's interval
  // makes sure that happens even on a page where nothing else runs. What is still waiting is
  // cancelled when the context ends, through one `abort` listener for all of them (`waiting`), not
  // one per timer: a scrolling page asks for a frame or a task many times a second.
  setInterval(handler: () => void, timeout?: number): number {
    const id = window.setInterval(() => {
      if (this.isValid) handler();
    }, timeout);
    this.whileValid(() => window.clearInterval(id));
    return id;
  }

  setTimeout(handler: () => void, timeout?: number): number {
    const cancel = (): void => window.clearTimeout(id);
    const id = window.setTimeout(() => {
      this.waiting.delete(cancel);
      if (this.isValid) handler();
    }, timeout);
    this.whileValid(cancel);
    return id;
  }

  requestAnimationFrame(callback: FrameRequestCallback): number {
    const cancel = (): void => window.cancelAnimationFrame(id);
    const id = window.requestAnimationFrame((time) => {
      this.waiting.delete(cancel);
      if (this.isValid) callback(time);
    });
    this.whileValid(cancel);
    return id;
  }

  requestIdleCallback(callback: IdleRequestCallback, options?: IdleRequestOptions): number {
    const cancel = (): void => window.cancelIdleCallback(id);
    const id = window.requestIdleCallback((deadline) => {
      this.waiting.delete(cancel);
      if (this.isValid) callback(deadline);
    }, options);
    this.whileValid(cancel);
    return id;
  }

  /** `cancel` runs when the context ends (at once if it already has). */
  private whileValid(cancel: () => void): void {
    if (this.signal.aborted) cancel();
    else this.waiting.add(cancel);
  }

  /**
   * Listens until the context ends. `wxt:locationchange` (the page's URL changed without a load) is
   * handled here, by calling the handler: it is never a DOM event.
   */
  addEventListener(
    target: EventTarget,
    type: string,
    handler: ((event: never) => void) | EventListenerObject,
    options?: AddEventListenerOptions,
  ): void {
    if (type === 'wxt:locationchange') {
      if (typeof handler === 'function')
        this.locationHandlers.push(handler as (change: LocationChange) => void);
      this.watchLocation();
      return;
    }
    target.addEventListener(type, handler as EventListener, { ...options, signal: this.signal });
  }

  notifyInvalidated(): void {
    this.abort('Content script context invalidated');
  }

  private watchLocation(): void {
    if (this.watchingLocation || !this.isValid) return;
    this.watchingLocation = true;
    let last = new URL(location.href);
    const changed = (next: URL) => {
      if (next.href === last.href) return;
      const change = { newUrl: next, oldUrl: last };
      last = next;
      for (const handler of this.locationHandlers) handler(change);
    };
    const navigation = (globalThis as { navigation?: NavigationLike }).navigation;
    if (typeof navigation?.addEventListener === 'function') {
      navigation.addEventListener('navigate', (event) => changed(new URL(event.destination.url)), {
        signal: this.signal,
      });
    } else {
      this.setInterval(() => changed(new URL(location.href)), LOCATION_POLL_MS);
    }
  }
}
