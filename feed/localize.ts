/**
 * Localised feed text for a reader's language. Its own module so the content script can use it
 * without loading the validator (and, through it, the Public Suffix List). Pure.
 */
import type { LocalizedText } from './types';

/**
 * The text for `lang` (`pt-BR` falls back to `pt`), else English, else the first language given.
 * A plain string is the same in every language.
 */
export function localize(text: string | LocalizedText | undefined, lang: string): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  const wanted = lang.toLowerCase();
  const keys = Object.keys(text);
  const exact = keys.find((k) => k.toLowerCase() === wanted);
  if (exact) return text[exact];
  const base = wanted.split('-')[0];
  const byBase = keys.find((k) => k.toLowerCase() === base);
  if (byBase) return text[byBase];
  if (text.en !== undefined) return text.en;
  const first = keys[0];
  return first === undefined ? undefined : text[first];
}
