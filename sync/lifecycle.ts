/**
 * What the background does when its service worker starts, when the extension is installed or
 * updated, and when the browser starts. Every worker start: make sure the 6-hourly alarm exists and
 * the bundled feed is installed, mirror every feed's status (a worker that died mid-sync left it
 * "syncing"), register the content script for Mastodon hosts, and, a little later so the lookup that
 * woke the worker goes first, clean up after a worker that died mid-sync. Installs and updates also
 * compare the bundled feed with the package's (a higher sequence replaces it).
 * Never throws (failures are logged; each feed records its own).
 */
import { type CacheDb, cacheDb } from '../storage/db';
import { collectGarbage } from './ingest';
import { syncMastodonRegistrations } from './mastodon';
import { ensureSyncAlarm, exclusive, installBundledFeed, syncAll } from './service';
import { publishStatus } from './status';

/** Delay of the start-up clean-up (a dead worker's orphans harm nothing meanwhile: syncs reuse or drop them). */
export const CLEANUP_DELAY_MS = 2_000;

function logged(what: string, work: Promise<unknown>): Promise<void> {
  return work.then(
    () => undefined,
    (error) => console.warn(`Context Lens: ${what} failed`, error),
  );
}

/** The package is read only when the cache has no bundled feed (first run, after clearing the cache). */
async function ensureBundledFeed(db: CacheDb): Promise<void> {
  const feeds = await db.feeds.toArray();
  if (!feeds.some((f) => f.bundled && f.currentVersion)) await installBundledFeed(db);
}

/** Deletes what a worker that died mid-sync left behind (queued like a sync, never beside one). */
export function cleanUp(db: CacheDb = cacheDb()): Promise<void> {
  return logged(
    'cleaning up the label cache',
    exclusive(() => collectGarbage(db)),
  );
}

/** Call from the background's main. Resolves when the start-up work is done (not the clean-up). */
export function startWorker(db: CacheDb = cacheDb()): Promise<void> {
  setTimeout(() => void cleanUp(db), CLEANUP_DELAY_MS);
  return Promise.all([
    logged('scheduling the sync', ensureSyncAlarm()),
    logged('installing the bundled feed', ensureBundledFeed(db)),
    logged('publishing feed status', publishStatus(db)),
    logged('registering Mastodon hosts', syncMastodonRegistrations()),
  ]).then(() => undefined);
}

export function onInstalled(reason: string, db: CacheDb = cacheDb()): Promise<void> {
  if (reason === 'install') {
    return logged(
      'the first sync',
      installBundledFeed(db).then(() => syncAll(db)),
    );
  }
  return logged('updating the bundled feed', installBundledFeed(db));
}

export function onBrowserStartup(db: CacheDb = cacheDb()): Promise<void> {
  return logged('the startup sync', syncAll(db));
}
