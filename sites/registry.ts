/**
 * Every site folder's DOM adapter (`sites/<id>/adapter.ts`), and the choice of adapter for a page.
 * The site ids come from sites/catalog.ts: the compiler refuses a folder without its line here. A page is matched by host name first;
 * Mastodon, which any host may run, is recognised by its markup and tried last, so a known site
 * (Truth Social runs a Mastodon fork) always gets its own adapter. Pure: no extension API.
 */

import { blueskyAdapter } from './bluesky/adapter.ts';
import { facebookAdapter } from './facebook/adapter.ts';
import { instagramAdapter } from './instagram/adapter.ts';
import { mastodonAdapter } from './mastodon/adapter.ts';
import { redditAdapter } from './reddit/adapter.ts';
import { searchAdapter } from './search/adapter.ts';
import { threadsAdapter } from './threads/adapter.ts';
import { truthsocialAdapter } from './truthsocial/adapter.ts';
import type { SiteAdapter, SiteId } from './types.ts';
import { xAdapter } from './x/adapter.ts';
import { youtubeAdapter } from './youtube/adapter.ts';

/** One adapter per site id: the compiler refuses a missing or misfiled one. */
const BY_ID = {
  x: xAdapter,
  bluesky: blueskyAdapter,
  mastodon: mastodonAdapter,
  truthsocial: truthsocialAdapter,
  reddit: redditAdapter,
  threads: threadsAdapter,
  youtube: youtubeAdapter,
  facebook: facebookAdapter,
  instagram: instagramAdapter,
  search: searchAdapter,
} satisfies Record<SiteId, SiteAdapter>;

export const siteAdapters: SiteAdapter[] = Object.values(BY_ID);

/** The adapter for a site id. */
export function adapterById(id: SiteId): SiteAdapter {
  return BY_ID[id];
}

/** The adapter that handles the page, or null: host-matched sites first, Mastodon's markup check last. */
export function adapterFor(location: URL, doc: Document): SiteAdapter | null {
  for (const adapter of siteAdapters) {
    if (adapter.id !== 'mastodon' && adapter.matches(location, doc)) return adapter;
  }
  return mastodonAdapter.matches(location, doc) ? mastodonAdapter : null;
}
