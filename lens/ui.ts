/**
 * How the lens puts its UIs on the page, as an interface: each UI is a host element (its tag names
 * it: <context-lens-label>, <context-lens-cover>, …) with a shadow root holding a Preact tree. The
 * content script gives the WXT implementation (wxtUi.ts); tests give `createElementUiHost`, the same
 * thing without WXT's CSS loading.
 */
import { type ComponentChild, render } from 'preact';

export type UiName =
  | 'context-lens-label'
  | 'context-lens-cover'
  | 'context-lens-hidden'
  | 'context-lens-curator';

export interface UiSpec {
  name: UiName;
  /** The UI goes after `anchor`, or, with 'first', inside it at the start. */
  anchor: Element;
  append: 'after' | 'first';
  /** Attributes of the host element (data-labels, data-targets). */
  attrs: Record<string, string>;
  content: ComponentChild;
}

export interface UiHandle {
  /** New attributes and content, rendered in place (component state is kept). */
  update(attrs: Record<string, string>, content: ComponentChild): void;
  remove(): void;
  /** False once the page threw the host away (the site re-rendered that part). */
  readonly alive: boolean;
}

export interface UiHost {
  mount(spec: UiSpec): UiHandle;
}

export function place(host: Element, anchor: Element, append: 'after' | 'first'): void {
  if (append === 'first') anchor.prepend(host);
  else anchor.after(host);
}

export function setAttrs(host: Element, attrs: Record<string, string>): void {
  for (const [name, value] of Object.entries(attrs)) host.setAttribute(name, value);
}

/** UIs in plain open shadow roots, synchronously: for tests and for pages where WXT's loader is not wanted. */
export function createElementUiHost(doc: Document): UiHost {
  return {
    mount(spec) {
      const host = doc.createElement(spec.name);
      setAttrs(host, spec.attrs);
      const shadow = host.attachShadow({ mode: 'open' });
      const container = doc.createElement('div');
      shadow.append(container);
      place(host, spec.anchor, spec.append);
      render(spec.content, container);
      let removed = false;
      return {
        update(attrs, content) {
          setAttrs(host, attrs);
          render(content, container);
        },
        remove() {
          removed = true;
          render(null, container);
          host.remove();
        },
        get alive() {
          return !removed && host.isConnected;
        },
      };
    },
  };
}
