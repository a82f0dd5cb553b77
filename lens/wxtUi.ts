/**
 * The content script's UiHost: each UI is a WXT shadow-root UI (createShadowRootUi) holding our
 * stylesheet (given as text, so it lives only inside the shadow roots and is never fetched per UI),
 * Preact-rendered in onMount and unmounted in onRemove. WXT removes every UI when the content-script context ends. Keyboard and
 * pointer events are kept inside, so a site's own shortcuts and "open the post" clicks do not fire.
 */
import { type ComponentChild, render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { place, setAttrs, type UiHandle, type UiHost } from './ui';

const ISOLATED_EVENTS = [
  'keydown',
  'keyup',
  'keypress',
  'click',
  'pointerdown',
  'pointerup',
  'mousedown',
  'mouseup',
];

export function createWxtUiHost(ctx: ContentScriptContext, css: string): UiHost {
  return {
    mount(spec) {
      let attrs = spec.attrs;
      let content: ComponentChild = spec.content;
      let removed = false;
      let host: HTMLElement | undefined;
      let container: HTMLElement | undefined;
      let ui: { remove(): void } | undefined;
      createShadowRootUi<HTMLElement>(ctx, {
        name: spec.name,
        position: 'inline',
        anchor: spec.anchor,
        append: (anchor, element) => place(element, anchor, spec.append),
        isolateEvents: ISOLATED_EVENTS,
        css,
        onMount(uiContainer, _shadow, shadowHost) {
          host = shadowHost;
          container = uiContainer;
          setAttrs(shadowHost, attrs);
          render(content, uiContainer);
          return uiContainer;
        },
        onRemove(mounted) {
          if (mounted) render(null, mounted);
        },
      }).then(
        (created) => {
          if (removed || !ctx.isValid || !spec.anchor.isConnected) {
            created.remove();
            return;
          }
          ui = created;
          created.mount();
        },
        () => {
          removed = true;
        },
      );
      const handle: UiHandle = {
        update(nextAttrs, nextContent) {
          attrs = nextAttrs;
          content = nextContent;
          if (host && container) {
            setAttrs(host, attrs);
            render(content, container);
          }
        },
        remove() {
          removed = true;
          ui?.remove();
        },
        get alive() {
          if (removed) return false;
          return host ? host.isConnected : spec.anchor.isConnected;
        },
      };
      return handle;
    },
  };
}
