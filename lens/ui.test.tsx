// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createShadowUiHost, sheetsByUi, type UiName } from './ui';

/** Mounts a UI holding one button; returns its host and the button (kept from inside the root). */
function mountButton(
  options: Parameters<typeof createShadowUiHost>[1],
  onClick: () => void,
  parent: ParentNode = document.body,
) {
  const anchor = document.createElement('article');
  parent.append(anchor);
  let button: HTMLButtonElement | null = null;
  createShadowUiHost(document, options).mount({
    name: 'context-lens-label',
    anchor,
    append: 'first',
    attrs: {},
    content: (
      <button
        type="button"
        ref={(el) => {
          button = el;
        }}
        onClick={onClick}
      >
        Label…
      </button>
    ),
  });
  const host = anchor.querySelector('context-lens-label') as Element;
  return { host, anchor, button: button as unknown as HTMLButtonElement };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('createShadowUiHost', () => {
  it('closes the shadow root by default: page script finds no root on the host', () => {
    const { host, button } = mountButton({}, () => undefined);
    expect(host.shadowRoot).toBeNull();
    expect(button.textContent).toBe('Label…');
  });

  it('lets no untrusted event reach the content: a page script’s .click() or key does nothing', () => {
    const onClick = vi.fn();
    const { button } = mountButton({}, onClick);
    button.click();
    button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    expect(onClick).not.toHaveBeenCalled();
  });

  it('keeps the content’s events from the page: listeners around the UI hear none of them', () => {
    for (const options of [{}, { mode: 'open', trustedOnly: false }] as const) {
      const onClick = vi.fn();
      const { host, button } = mountButton(options, onClick);
      const heard = vi.fn();
      const anchor = host.parentElement as Element;
      anchor.addEventListener('click', heard);
      document.addEventListener('keydown', heard);
      button.click();
      button.click();
      button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      expect(heard).not.toHaveBeenCalled();
      // The page's own events around the UI still reach the page.
      anchor.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      expect(heard).toHaveBeenCalledTimes(1);
      document.removeEventListener('keydown', heard);
    }
  });

  it('guards a UI the site placed inside its own shadow tree at the UI’s root', () => {
    const site = document.createElement('site-post');
    document.body.append(site);
    const siteRoot = site.attachShadow({ mode: 'open' });
    for (const options of [{}, { mode: 'open', trustedOnly: false }] as const) {
      const onClick = vi.fn();
      const { anchor, button } = mountButton(options, onClick, siteRoot);
      const heard = vi.fn();
      anchor.addEventListener('click', heard);
      button.click();
      expect(heard).not.toHaveBeenCalled();
      expect(onClick).toHaveBeenCalledTimes(options.mode === 'open' ? 1 : 0);
    }
  });

  it('stops watching the page when its context ends', () => {
    const context = new AbortController();
    const onClick = vi.fn();
    const { button } = mountButton({ signal: context.signal }, onClick);
    button.click();
    expect(onClick).not.toHaveBeenCalled();
    context.abort();
    button.click();
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('takes the events tests dispatch when asked to (the unit tests’ UI host)', () => {
    const onClick = vi.fn();
    const { button } = mountButton({ mode: 'open', trustedOnly: false }, onClick);
    button.click();
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('gives a badge only the shared and the badge’s rules, every other UI the shared and the rest', () => {
    const css = sheetsByUi({ base: '.base {}', badge: '.badge {}', other: '.other {}' });
    const ui = createShadowUiHost(document, { css, mode: 'open' });
    const roots = (
      ['context-lens-label', 'context-lens-label', 'context-lens-cover', 'context-lens-panel'] as UiName[]
    ).map((name) => {
      const anchor = document.createElement('article');
      document.body.append(anchor);
      return ui.mount({ name, anchor, append: 'first', attrs: {} }).host.shadowRoot as ShadowRoot;
    });
    const rules = (root: ShadowRoot) =>
      root.adoptedStyleSheets.map((sheet) => [...sheet.cssRules].map((rule) => rule.cssText).join(' '));
    expect(rules(roots[0] as ShadowRoot)).toEqual(['.base {  }', '.badge {  }']);
    expect(rules(roots[2] as ShadowRoot)).toEqual(['.base {  }', '.other {  }']);
    expect(rules(roots[3] as ShadowRoot)).toEqual(['.base {  }', '.other {  }']);
    // Made once for the whole page, shared by every root given the same sheets.
    expect(roots[1]?.adoptedStyleSheets[1]).toBe(roots[0]?.adoptedStyleSheets[1]);
    expect(roots[3]?.adoptedStyleSheets[1]).toBe(roots[2]?.adoptedStyleSheets[1]);
  });

  it('puts each sheet in a <style> of the root where the browser refuses a constructed sheet', () => {
    const real = globalThis.CSSStyleSheet;
    vi.stubGlobal('CSSStyleSheet', function refused() {
      throw new TypeError('Illegal constructor');
    });
    try {
      const css = sheetsByUi({ base: '.base {}', badge: '.badge {}', other: '.other {}' });
      const anchor = document.createElement('article');
      document.body.append(anchor);
      const root = createShadowUiHost(document, { css, mode: 'open' }).mount({
        name: 'context-lens-label',
        anchor,
        append: 'first',
        attrs: {},
      }).host.shadowRoot as ShadowRoot;
      expect([...root.querySelectorAll('style')].map((style) => style.textContent)).toEqual([
        '.base {}',
        '.badge {}',
      ]);
    } finally {
      vi.stubGlobal('CSSStyleSheet', real);
    }
  });
});
