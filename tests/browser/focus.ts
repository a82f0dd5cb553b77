/**
 * Keyboard helpers for the shared specs (driver.ts): where focus is (through shadow roots),
 * whether it shows a visible indicator, and Tab pressed until a control has focus.
 */
import type { Tab, Target } from './driver';

export interface Focused {
  /** tag#id "name" of the innermost focused element (through shadow roots). */
  what: string;
  indicator: boolean;
  /** Whether the element is the extension's: on one of its pages, or inside a `context-lens-*` shadow root. */
  ours: boolean;
  style: string;
}

/** The innermost focused element (through shadow roots) and whether it shows a focus indicator. */
export function focusedNow(tab: Tab): Promise<Focused | null> {
  return tab.withEngine((q) => {
    const el = q.activeElement();
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const labelled = (el as HTMLInputElement).labels?.[0]?.textContent;
    const name = el.getAttribute('aria-label') ?? labelled ?? el.textContent ?? '';
    const host = (el.getRootNode() as ShadowRoot).host;
    const ours = !location.protocol.startsWith('http') || host?.tagName.startsWith('CONTEXT-LENS-') === true;
    return {
      ours,
      what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${name.trim().slice(0, 60)}"`,
      indicator: outline || shadow,
      style: `outline: ${style.outlineStyle} ${style.outlineWidth}; box-shadow: ${style.boxShadow}`,
    };
  });
}

/** Throws unless focus is on an element that shows a visible focus indicator. */
export async function expectVisibleFocus(tab: Tab): Promise<Focused> {
  const now = await focusedNow(tab);
  if (!now) throw new Error('focus is on nothing (the document body)');
  if (!now.indicator) throw new Error(`no visible focus indicator on ${now.what} (${now.style})`);
  return now;
}

/**
 * Presses Tab (Shift+Tab with `back`) until `target` has focus, checking the focus indicator of
 * every control of the extension passed on the way (a site's own elements show what the site and
 * the browser decide: Firefox, unlike Chromium, draws none on X's focusable <article> after a
 * click elsewhere in the page). Fails naming the controls visited when it never gets there.
 */
export async function tabTo(tab: Tab, target: Target, { back = false, max = 120 } = {}): Promise<void> {
  await target.waitFor({ state: 'visible', timeout: 20_000 });
  const visited: string[] = [];
  for (let i = 0; i < max; i++) {
    await tab.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focusedNow(tab);
    if (now) {
      visited.push(now.what);
      if (now.ours && !now.indicator)
        throw new Error(`no visible focus indicator on ${now.what} (${now.style})`);
    }
    if (await target.isFocused()) return;
  }
  throw new Error(`Tab never reached ${target}; visited:\n${visited.join('\n')}`);
}
