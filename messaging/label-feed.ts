/**
 * The feed fields of a MatchedLabel, one builder for the background's lookup (sync/lookup.ts) and
 * the tab's page index (lens/keyIndex.ts): a badge drawn from the index is completed in place by the
 * lookup's answer only when both say the same (lens/lookupCache.ts `complete`). Its own module, with
 * type imports only, so the content scripts can use it without loading messaging/protocol.ts (which
 * sets up @webext-core/messaging when it is evaluated).
 */
import type { MatchedLabel } from './protocol';

/** A feed as the feed record or the page index carries it. */
export interface LabelFeed {
  id: string;
  name: string;
  publisher: string;
  appeals: string;
  homepage: string;
  /** ISO: the feed's `expires`. */
  expires?: string;
}

export type LabelFeedFields = Pick<
  MatchedLabel,
  | 'feedId'
  | 'feedName'
  | 'publisher'
  | 'appeals'
  | 'homepage'
  | 'verified'
  | 'stale'
  | 'staleSince'
  | 'updatedAt'
>;

export function labelFeedFields(feed: LabelFeed, stale: boolean, updatedAt: string): LabelFeedFields {
  return {
    feedId: feed.id,
    feedName: feed.name,
    publisher: feed.publisher,
    appeals: feed.appeals,
    homepage: feed.homepage,
    verified: true,
    stale,
    ...(stale ? { staleSince: feed.expires } : {}),
    updatedAt,
  };
}
