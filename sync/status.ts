/**
 * The mirror of every feed's FeedStatus in storage (feedStatusItem), which the popup and the
 * options page watch instead of asking the background. Owns how a stored feed reads to a person
 * (its state) and the throttling of progress updates. Progress lives only in memory: a worker that
 * died mid-sync publishes no stale "syncing" after it restarts.
 */
import type { FeedStatus, FeedSyncState } from '../messaging/protocol';
import type { CacheDb, FeedRecord } from '../storage/db';
import { feedStatusItem } from '../storage/settings';

/** At most this many progress updates a second reach storage. */
const PROGRESS_INTERVAL_MS = 250;

const progress = new Map<string, { done: number; total: number }>();
let lastPublished = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

export function feedState(feed: FeedRecord, now: Date, syncing: boolean): FeedSyncState {
  if (!feed.enabled) return 'disabled';
  if (syncing) return 'syncing';
  if (feed.expires && Date.parse(feed.expires) < now.getTime()) return 'stale';
  if (feed.lastError || !feed.currentVersion) return 'error';
  return 'fresh';
}

export function toFeedStatus(feed: FeedRecord, now = new Date()): FeedStatus {
  const running = progress.get(feed.id);
  return {
    id: feed.id,
    url: feed.url,
    name: feed.name,
    publisher: feed.publisher,
    homepage: feed.homepage,
    appeals: feed.appeals,
    enabled: feed.enabled,
    bundled: feed.bundled,
    state: feedState(feed, now, running !== undefined),
    sequence: feed.sequence,
    labelCount: feed.labelCount,
    ...(feed.issued ? { issued: feed.issued } : {}),
    ...(feed.expires ? { expires: feed.expires } : {}),
    ...(feed.lastUpdated ? { lastUpdated: feed.lastUpdated } : {}),
    ...(feed.lastError ? { lastError: feed.lastError } : {}),
    ...(running ? { progress: { ...running } } : {}),
    keyFingerprint: feed.keyFingerprint,
  };
}

export async function listFeedStatus(db: CacheDb): Promise<FeedStatus[]> {
  const feeds = await db.feeds.toArray();
  feeds.sort((a, b) => Number(b.bundled) - Number(a.bundled) || a.addedAt.localeCompare(b.addedAt));
  const now = new Date();
  return feeds.map((f) => toFeedStatus(f, now));
}

/** Writes every feed's status to the mirror now. */
export async function publishStatus(db: CacheDb): Promise<void> {
  if (timer) {
    clearTimeout(timer);
    timer = undefined;
  }
  lastPublished = Date.now();
  await feedStatusItem.setValue(await listFeedStatus(db));
}

/** Records sync progress (`null` when the sync ended) and publishes it, a few times a second at most. */
export function setProgress(
  db: CacheDb,
  feedId: string,
  value: { done: number; total: number } | null,
): void {
  if (value) progress.set(feedId, value);
  else progress.delete(feedId);
  if (timer) return;
  const wait = Math.max(0, lastPublished + PROGRESS_INTERVAL_MS - Date.now());
  timer = setTimeout(() => {
    timer = undefined;
    publishStatus(db).catch((error) => console.warn('Context Lens: could not publish feed status', error));
  }, wait);
}

export function isSyncing(feedId: string): boolean {
  return progress.has(feedId);
}
