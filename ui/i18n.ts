/**
 * Every string the popup, the options page and the curator form show goes through here, so each
 * one lives in public/_locales/<lang>/messages.json. Never builds HTML from a message.
 */
import { browser } from 'wxt/browser';
import messages from '../public/_locales/en/messages.json';

/** A key of messages.json (a typo is a type error). */
export type MessageKey = keyof typeof import('../public/_locales/en/messages.json');

const getMessage = (key: string, substitutions: string[]): string =>
  (browser.i18n.getMessage as (key: string, substitutions?: string[]) => string)(key, substitutions);

/** The localised message for `key`, with `$1`… filled from `substitutions`; the key itself when missing. */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  const message = getMessage(
    key,
    substitutions.map((s) => String(s)),
  );
  return message === '' ? key : message;
}

/** Private-use characters standing for substitutions $1…$9 in a message template (lensTemplates). */
export const FIRST_MARK = 0xe000;
export const MARKS = Array.from({ length: 9 }, (_, i) => String.fromCharCode(FIRST_MARK + i));

/**
 * The lens's messages (`lens…`, and `close`) in the reader's language, each a template with MARKS
 * for its substitutions. The background looks them up and sends them with the page index, so a
 * page's script makes no `i18n.getMessage` of its own: a page's first one is a blocking call in
 * which the browser hands the script every message (3.7–9.6 ms on the page here).
 */
export function lensTemplates(): Record<string, string> {
  const templates: Record<string, string> = {};
  for (const key of Object.keys(messages) as MessageKey[])
    if (key.startsWith('lens') || key === 'close') templates[key] = t(key, ...MARKS);
  return templates;
}
