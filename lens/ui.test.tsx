// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createShadowUiHost } from './ui';

/** Mounts a UI holding one button; returns its host and the button (kept from inside the root). */
function mountButton(options: Parameters<typeof createShadowUiHost>[1], onClick: () => void) {
  const anchor = document.createElement('article');
  document.body.append(anchor);
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
  return { host, button: button as unknown as HTMLButtonElement };
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

  it('takes the events tests dispatch when asked to (the unit tests’ UI host)', () => {
    const onClick = vi.fn();
    const { button } = mountButton({ mode: 'open', trustedOnly: false }, onClick);
    button.click();
    expect(onClick).toHaveBeenCalledTimes(1);
  });
});
