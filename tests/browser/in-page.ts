/**
 * The element finder both browser drivers inject into a page (bundled to one script by
 * driver.ts): the SAME queries resolve the same way in Chromium and in Firefox, so a spec body
 * written once means the same thing in both. Roles and accessible names come from
 * dom-accessibility-api (the engine of Testing Library's `getByRole`); every query pierces shadow
 * roots (the badges, covers and panels live in them), like Playwright's locators do open ones.
 *
 * The lens's roots are closed, so page script (this engine runs as page script) cannot see into
 * them. The driver hands the engine each closed root through the browser's automation protocol
 * (Chromium: CDP DOM.describeNode with pierce; Firefox: WebDriver BiDi, which serializes a host's
 * closed root), `reveal` keeps them in a WeakMap, and `shadowOf` reads it. Nothing in the built
 * extension opens them: a page without the driver has no way to get here.
 *
 * Matching follows Playwright's locators: a string name matches case-insensitively as a substring
 * with whitespace collapsed, `exact` matches the whole (collapsed) name, a RegExp is tested as is;
 * `getByRole` skips elements hidden from the accessibility tree.
 */
import { computeAccessibleName, getRole } from 'dom-accessibility-api';

export type TextMatch = string | { source: string; flags: string };

export interface Step {
  css?: string;
  /** With `css`: keep elements whose text contains this. */
  hasText?: string;
  role?: string;
  label?: TextMatch;
  text?: TextMatch;
  name?: TextMatch;
  exact?: boolean;
  /** Keep only the nth match (negative: from the end). */
  nth?: number;
}

/** The hosts of the lens's UIs, whose shadow roots are closed. */
const CLOSED_HOSTS =
  'context-lens-label, context-lens-cover, context-lens-hidden, context-lens-curator, context-lens-panel';

const revealed = new WeakMap<Element, ShadowRoot>();

/** `el`'s shadow root: an open one, or a closed one the driver revealed. */
export function shadowOf(el: Element): ShadowRoot | null {
  return el.shadowRoot ?? revealed.get(el) ?? null;
}

/** The lens's hosts whose closed roots the driver has not handed in yet. */
export function unrevealed(): Element[] {
  return [...document.querySelectorAll(CLOSED_HOSTS)].filter((host) => !shadowOf(host));
}

/** Called by the driver with host, root, host, root, … */
export function reveal(...pairs: Node[]): void {
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const host = pairs[i];
    const root = pairs[i + 1];
    if (host instanceof Element && root instanceof ShadowRoot) revealed.set(host, root);
  }
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function matches(value: string | null | undefined, match: TextMatch, exact = false): boolean {
  const text = collapse(value ?? '');
  if (typeof match !== 'string') return new RegExp(match.source, match.flags).test(text);
  return exact ? text === collapse(match) : text.toLowerCase().includes(collapse(match).toLowerCase());
}

/** Every element below `root` (not `root` itself), in tree order, entering shadow roots. */
function descendants(root: Element | Document | ShadowRoot): Element[] {
  const out: Element[] = [];
  const walk = (node: Element | Document | ShadowRoot) => {
    const shadow = node instanceof Element ? shadowOf(node) : null;
    if (shadow) walk(shadow);
    for (const child of node.children) {
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

function shadowRoots(root: Element | Document): ShadowRoot[] {
  const scopes = [root, ...descendants(root)];
  return scopes.flatMap((el) => {
    const shadow = el instanceof Element ? shadowOf(el) : null;
    return shadow ? [shadow] : [];
  });
}

function byCss(root: Element | Document, css: string): Element[] {
  const found = new Set<Element>(root.querySelectorAll(css));
  // `:scope` means `root`; inside a shadow root it would mean that root instead.
  if (!css.includes(':scope'))
    for (const shadow of shadowRoots(root)) for (const el of shadow.querySelectorAll(css)) found.add(el);
  return descendants(root).filter((el) => found.has(el));
}

function textOf(el: Element): string {
  // The text a reader sees of the element, shadow content included (a badge's text lives there).
  const shadow = shadowOf(el);
  if (shadow) return [...shadow.children].map(textOf).join(' ');
  return el.textContent ?? '';
}

function labelTexts(el: Element): string[] {
  const texts: string[] = [];
  const aria = el.getAttribute('aria-label');
  if (aria) texts.push(aria);
  const root = el.getRootNode() as Document | ShadowRoot;
  for (const id of (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)) {
    const ref = root.getElementById?.(id) ?? document.getElementById(id);
    if (ref) texts.push(ref.textContent ?? '');
  }
  for (const label of (el as HTMLInputElement).labels ?? []) texts.push(label.textContent ?? '');
  return texts;
}

/**
 * Hidden from the accessibility tree: `display: none` anywhere up the flat tree (a badge in the
 * shadow root of a post that is hidden counts), `visibility: hidden`, or `aria-hidden="true"` on it
 * or an ancestor across shadow boundaries.
 */
function isInaccessible(el: Element): boolean {
  if (!el.checkVisibility({ visibilityProperty: true })) return true;
  for (let node: Element | null = el; node; ) {
    if (node.getAttribute('aria-hidden') === 'true') return true;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
  }
  return false;
}

function applyStep(roots: (Element | Document)[], step: Step): Element[] {
  const out: Element[] = [];
  for (const root of roots) {
    let found: Element[];
    if (step.css) {
      found = byCss(root, step.css);
      const has = step.hasText;
      if (has !== undefined) found = found.filter((el) => matches(textOf(el), has));
    } else if (step.role) {
      const { role, name, exact } = step;
      found = descendants(root).filter(
        (el) =>
          getRole(el) === role &&
          !isInaccessible(el) &&
          (name === undefined || matches(computeAccessibleName(el), name, exact)),
      );
    } else if (step.label !== undefined) {
      const { label, exact } = step;
      found = descendants(root).filter((el) => labelTexts(el).some((text) => matches(text, label, exact)));
    } else if (step.text !== undefined) {
      const { text, exact } = step;
      const hits = descendants(root).filter(
        (el) => !['SCRIPT', 'STYLE', 'TEMPLATE'].includes(el.tagName) && matches(textOf(el), text, exact),
      );
      // The innermost elements holding the text, as a reader would point at it.
      found = hits.filter((el) => !hits.some((other) => other !== el && el.contains(other)));
    } else {
      found = [];
    }
    for (const el of found) if (!out.includes(el)) out.push(el);
  }
  if (step.nth === undefined) return out;
  const picked = out.at(step.nth);
  return picked ? [picked] : [];
}

export function resolve(steps: Step[]): Element[] {
  let current: (Element | Document)[] = [document];
  for (const step of steps) current = applyStep(current, step);
  return current as Element[];
}

/** Playwright's rule: a non-empty box and no `visibility: hidden`. */
export function isVisible(el: Element): boolean {
  const rect = el.getBoundingClientRect();
  return rect.width > 0 && rect.height > 0 && getComputedStyle(el).visibility !== 'hidden';
}

/** The focused element, through shadow roots. */
export function activeElement(): Element | null {
  let el: Element | null = document.activeElement;
  for (;;) {
    const inner = el && shadowOf(el)?.activeElement;
    if (!inner) return el;
    el = inner;
  }
}

export { textOf };
