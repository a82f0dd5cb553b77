/**
 * Feed text as the reader reads it: a definition's title in the reader's language, the badge's
 * accessible name (its words from messages.json), and the only links a panel may show (http(s) sources; https or mailto appeals).
 * Pure; every string here ends up as JSX text, never as HTML.
 */
import { localize } from '../feed/localize';
import type { MatchedLabel } from '../messaging/protocol';
import { t } from './strings';

export function labelTitle(label: MatchedLabel, lang: string): string {
  return localize(label.definition.title, lang) || label.definition.id;
}

/** "Context label: Account suspended"; "Context labels: 3 — Account suspended, Hosting terminated, …". */
export function badgeName(titles: readonly string[]): string {
  if (titles.length === 1) return t('lensBadgeOne', titles[0] ?? '');
  return t('lensBadgeMany', titles.length, titles.join(', '));
}

function parsed(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The URL when it is http(s), else null. */
export function httpUrl(url: string | undefined): string | null {
  if (!url) return null;
  const u = parsed(url);
  return u && (u.protocol === 'https:' || u.protocol === 'http:') ? u.href : null;
}

/** An appeals link: https or mailto only, else null. */
export function appealsUrl(url: string | undefined): string | null {
  if (!url) return null;
  const u = parsed(url);
  return u && (u.protocol === 'https:' || u.protocol === 'mailto:') ? u.href : null;
}
