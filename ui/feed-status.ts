/**
 * A feed's state in words, one line, shared by the popup and the options page.
 */
import type { FeedStatus } from '../messaging/protocol';
import { t } from './i18n';

export function feedStateText(feed: FeedStatus): string {
  switch (feed.state) {
    case 'fresh':
      return t('feedStateFresh');
    case 'syncing': {
      const progress = feed.progress;
      if (!progress || progress.total <= 0) return t('feedStateSyncingUnknown');
      return t('feedStateSyncing', Math.min(100, Math.floor((progress.done / progress.total) * 100)));
    }
    case 'stale':
      return t('feedStateStale');
    case 'error':
      return t('feedStateError', feed.lastError?.message ?? t('feedErrorUnknown'));
    case 'disabled':
      return t('feedStateDisabled');
  }
}

/** A date-time for a reader, in their locale. */
export function formatWhen(iso: string | undefined): string {
  if (!iso) return t('never');
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Date(time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
