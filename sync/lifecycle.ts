/**
 * What the background does when its service worker starts, when the extension is installed or
 * updated, and when the browser starts. Every worker start: clean up after a worker that died
 * mid-sync, make sure the 6-hourly alarm exists, make sure the bundled feed is installed (and is the
 * package's newest), mirror every feed's status, and register the content script for Mastodon hosts.
 * Never throws (failures are logged; each feed records its own).
 */
import { type CacheDb, cacheDb } from '../storage/db';
import { collectGarbage } from './ingest';
import { syncMastodonRegistrations } from './mastodon';
import { ensureSyncAlarm, exclusive, installBundledFeed, syncAll } from './service';
import { publishStatus } from './status';

function logged(what: string, work: Promise<unknown>): Promise<void> {
  return work.then(
    () => undefined,
    (error) => console.warn(`Context Lens: ${what} failed`, error),
  );
}

/** Call synchronously from the background's main: the clean-up is queued before any sync. */
export function startWorker(db: CacheDb = cacheDb()): Promise<void> {
  const cleaned = logged(
    'cleaning up the label cache',
    exclusive(() => collectGarbage(db)),
  );
  return Promise.all([
    cleaned,
    logged('scheduling the sync', ensureSyncAlarm()),
    logged('installing the bundled feed', installBundledFeed(db)),
    logged(
      'publishing feed status',
      cleaned.then(() => publishStatus(db)),
    ),
    logged('registering Mastodon hosts', syncMastodonRegistrations()),
  ]).then(() => undefined);
}

export function onInstalled(reason: string, db: CacheDb = cacheDb()): Promise<void> {
  // Startup already installed or upgraded the bundled feed; a fresh install also fetches the rest.
  if (reason === 'install')
    return logged(
      'the first sync',
      installBundledFeed(db).then(() => syncAll(db)),
    );
  return logged('updating the bundled feed', installBundledFeed(db));
}

export function onBrowserStartup(db: CacheDb = cacheDb()): Promise<void> {
  return logged('the startup sync', syncAll(db));
}
