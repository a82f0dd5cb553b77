/**
 * The lens's words from messages.json, each looked up once per page: the first use of a key asks
 * `browser.i18n` for its template (with marker characters for `$1`…), later uses only fill the
 * markers in. A page with hundreds of badges otherwise spent most of a badge's render in
 * `i18n.getMessage`. Substituted text is inserted as given, never scanned again.
 */
import { t as lookUp, type MessageKey } from '../ui/i18n';

/** Private-use characters standing for substitutions $1…$9 in a cached template. */
const FIRST_MARK = 0xe000;
const MARKS = Array.from({ length: 9 }, (_, i) => String.fromCharCode(FIRST_MARK + i));
const MARK = /[\ue000-\ue008]/g;

const templates = new Map<MessageKey, string>();

/** Like ui/i18n's `t`, from a per-page cache of templates. */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  let template = templates.get(key);
  if (template === undefined) {
    template = lookUp(key, ...MARKS);
    templates.set(key, template);
  }
  if (!MARK.test(template)) return template;
  MARK.lastIndex = 0;
  return template.replace(MARK, (mark) => String(substitutions[mark.charCodeAt(0) - FIRST_MARK] ?? ''));
}

/** Forgets every template (tests that change the language). */
export function clearStrings(): void {
  templates.clear();
}
