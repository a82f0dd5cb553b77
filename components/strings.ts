/**
 * The lens's words from messages.json, each looked up once per page: the first use of a key asks
 * `browser.i18n` for its template (with marker characters for `$1`…), later uses only fill the
 * markers in. A page with hundreds of badges otherwise spent most of a badge's render in
 * `i18n.getMessage`. Substituted text is inserted as given, never scanned again.
 */
import { type ComponentChild, h } from 'preact';
import { t as lookUp, type MessageKey } from '../ui/i18n';

/** Private-use characters standing for substitutions $1…$9 in a cached template. */
const FIRST_MARK = 0xe000;
const MARKS = Array.from({ length: 9 }, (_, i) => String.fromCharCode(FIRST_MARK + i));
/** Splits a template into its words and its marks: words at even places, marks at odd ones. */
const SPLIT = /([\ue000-\ue008])/;

const templates = new Map<MessageKey, string[]>();

/**
 * The message as children: its own words as text, each substitution the node given (feed text
 * comes wrapped by `isolated`, so it cannot reorder the words around it).
 */
export function tNodes(key: MessageKey, ...substitutions: ComponentChild[]): ComponentChild[] {
  let parts = templates.get(key);
  if (parts === undefined) {
    parts = lookUp(key, ...MARKS).split(SPLIT);
    templates.set(key, parts);
  }
  return parts.map((part, i) => (i % 2 ? (substitutions[part.charCodeAt(0) - FIRST_MARK] ?? '') : part));
}

/** Like ui/i18n's `t`, from a per-page cache of templates. */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  return tNodes(key, ...substitutions).join('');
}

/**
 * Feed text in `<bdi>`, each piece isolated from the others and from the extension's words (a
 * right-to-left title, or one that slipped an override past the validator, cannot reorder them).
 */
export function isolated(texts: readonly string[]): ComponentChild[] {
  return texts.map((text, i) => [i ? ', ' : '', h('bdi', null, text)]);
}

/** Looks up one message, so the browser has handed this page the extension's messages. */
export function primeStrings(): void {
  t('extName');
}

/** Forgets every template (tests that change the language). */
export function clearStrings(): void {
  templates.clear();
}
