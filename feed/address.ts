/**
 * Where a feed may be read from: the rule relating a publication's signed `id` to the address its
 * feed.json was fetched from (docs/feed-format.md, "The feed's address"). A reader subscribes, and
 * keeps syncing, only where the signed manifest says the feed lives: at its `id`, at one of the
 * `mirrors` it lists, or on the reader's own computer (a curator testing a build with
 * `context-lens-feed serve`). So a stranger who copies a publisher's signed feed to their own
 * server cannot become the place readers get it from, and decide which version they see and when.
 * Pure; the sync (sync/service.ts) and the options page's preview use it.
 */
import type { FeedManifest } from './types';

/** How an address relates to the feed: its own, a mirror it lists, or a copy on this computer. */
export type AddressRole = 'publisher' | 'mirror' | 'local';

export type AddressCheck = { ok: true; role: AddressRole } | { ok: false; problem: string };

/** The URL as compared: parsed, without a fragment; null when it is not a URL. */
export function comparableUrl(text: string): string | null {
  try {
    const url = new URL(text);
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

/** http(s) on 127.0.0.1 or localhost: this computer (any port). */
export function isLoopbackUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      (url.hostname === '127.0.0.1' || url.hostname === 'localhost')
    );
  } catch {
    return false;
  }
}

/**
 * Whether `address` (where feed.json was fetched) may serve this publication, and as what. Exact
 * match after URL parsing: scheme, host, port, path and query all count.
 */
export function checkFeedAddress(
  manifest: Pick<FeedManifest, 'id' | 'mirrors'>,
  address: string,
): AddressCheck {
  const at = comparableUrl(address);
  if (at === null) return { ok: false, problem: `${address} is not a web address` };
  if (comparableUrl(manifest.id) === at) return { ok: true, role: 'publisher' };
  if ((manifest.mirrors ?? []).some((mirror) => comparableUrl(mirror) === at))
    return { ok: true, role: 'mirror' };
  if (isLoopbackUrl(at)) return { ok: true, role: 'local' };
  const mirrors = manifest.mirrors?.length ?? 0;
  return {
    ok: false,
    problem: `the feed says it is published at ${manifest.id}${mirrors ? ` (and ${mirrors} mirror${mirrors === 1 ? '' : 's'})` : ''}, not at ${at}`,
  };
}
