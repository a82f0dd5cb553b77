/**
 * Every string the popup, the options page and the curator form show goes through here, so each
 * one lives in public/_locales/<lang>/messages.json. Never builds HTML from a message.
 */
import { browser } from 'wxt/browser';

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
