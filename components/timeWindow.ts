/**
 * Where a post's own date falls against a label's period (`since`/`until`): "Posted 2 days before
 * this applied", "Posted while this applied", "Posted 3 months after this ended". No state: dates
 * in, words (from messages.json) out. Never guesses: without the post's date or a period it says
 * nothing (null).
 */
import type { MessageKey } from '../ui/i18n';
import { t } from './strings';

export type TimeWindow =
  | { relation: 'before'; distance: string; since: string }
  | { relation: 'during'; since?: string; until?: string }
  | { relation: 'after'; distance: string; until: string };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function instant(text: string | undefined, endOfDay: boolean): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) return undefined;
  // A period that ends on a date includes that whole day.
  return endOfDay && DATE_ONLY.test(text) ? ms + DAY : ms;
}

type Unit = 'Hours' | 'Days' | 'Months' | 'Years';

/** "1 day", "2 days": English needs one and many; each has its own message. */
function plural(n: number, unit: Unit): string {
  const key: MessageKey = `lens${unit}${n === 1 ? 'One' : 'Many'}`;
  return t(key, n);
}

/** A duration in the largest unit that fits: "less than an hour", "5 hours", "2 days", "3 months", "4 years". */
export function describeDistance(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < HOUR) return t('lensLessThanAnHour');
  if (abs < DAY) return plural(Math.floor(abs / HOUR), 'Hours');
  const days = abs / DAY;
  if (days < 31) return plural(Math.floor(days), 'Days');
  if (days < 365) return plural(Math.max(1, Math.floor(days / 30.44)), 'Months');
  return plural(Math.floor(days / 365.25), 'Years');
}

/** The post's date against the label's period, or null when either is unknown. */
export function timeWindow(postTime: string | undefined, since?: string, until?: string): TimeWindow | null {
  const post = instant(postTime, false);
  const start = instant(since, false);
  const end = instant(until, true);
  if (post === undefined || (start === undefined && end === undefined)) return null;
  if (start !== undefined && since !== undefined && post < start) {
    return { relation: 'before', distance: describeDistance(start - post), since };
  }
  if (end !== undefined && until !== undefined && post >= end) {
    return { relation: 'after', distance: describeDistance(post - end), until };
  }
  return {
    relation: 'during',
    ...(start !== undefined ? { since } : {}),
    ...(end !== undefined ? { until } : {}),
  };
}

/**
 * Made on first use, not when the script loads: building a DateTimeFormat loads the locale's data,
 * ~33 ms of every page load's script evaluation (X bench page, unminified build), for a date only
 * the details panel shows.
 */
let dateFormat: Intl.DateTimeFormat | undefined;

/** "8 January 2021" for an ISO date or date-time (UTC), the text itself when it is no date. */
export function formatDate(text: string): string {
  const ms = Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) return text;
  dateFormat ??= new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return dateFormat.format(ms);
}

/** The sentence the details panel shows. */
export function describeTimeWindow(window: TimeWindow): string {
  switch (window.relation) {
    case 'before':
      return t('lensPostedBefore', window.distance, formatDate(window.since));
    case 'after':
      return t('lensPostedAfter', window.distance, formatDate(window.until));
    case 'during':
      if (window.since && window.until) {
        return t('lensPostedDuring', formatDate(window.since), formatDate(window.until));
      }
      if (window.since) return t('lensPostedDuringSince', formatDate(window.since));
      return t('lensPostedDuringUntil', formatDate(window.until ?? ''));
  }
}
