/**
 * The lens's words from messages.json, each looked up once per page: as templates (with marker
 * characters for `$1`…) that the background sends with the page index (`useTemplates`), or, for a
 * key not among them, from `browser.i18n` on its first use; later uses only fill the markers in. A
 * page with hundreds of badges otherwise spent most of a badge's render in `i18n.getMessage`.
 * Substituted text is inserted as given, never scanned again.
 */
import { type ComponentChild, h } from 'preact';
import { FIRST_MARK, t as lookUp, MARKS, type MessageKey } from '../ui/i18n';

/** Splits a template into its words and its marks (ui/i18n.ts MARKS): words at even places, marks at odd ones. */
const SPLIT = /([\ue000-\ue008])/;

const templates = new Map<MessageKey, string[]>();
/** The templates the background sent with the page index (`useTemplates`), by key. */
let sent: Partial<Record<string, string>> = {};

/**
 * The message as children: its own words as text, each substitution the node given (feed text
 * comes wrapped by `isolated`, so it cannot reorder the words around it).
 */
export function tNodes(key: MessageKey, ...substitutions: ComponentChild[]): ComponentChild[] {
  let parts = templates.get(key);
  if (parts === undefined) {
    parts = (sent[key] ?? lookUp(key, ...MARKS)).split(SPLIT);
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

/** Takes the templates the background sent with the page index (ui/i18n.ts `lensTemplates`), if any. */
export function useTemplates(strings: Record<string, string> = {}): void {
  sent = strings;
}

/** Forgets every template (tests that change the language). */
export function clearStrings(): void {
  templates.clear();
  sent = {};
}
