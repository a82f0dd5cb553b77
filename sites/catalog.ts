/**
 * The set of site folders, and every list derived from it. One line per `sites/<id>/` folder; the
 * meta-test (sites/meta.test.ts) fails when a folder is missing here or a line names no folder.
 * Everything else — `SiteId`, the manifest's match patterns, the options page's site list, the popup's
 * host check, the account/post key tables, the demo's pages — is read from `SITES`.
 *
 * Pure: imports only the site folders' `site.ts` (URL rules), never their DOM adapters (those are
 * listed by sites/registry.ts), so the feed library and the CLI can use it. A content script that
 * imports it keeps `SITES` and drops `SITE_KEYS` (nothing of it reads every site's rules).
 */

import { blueskyKeys, blueskySite } from './bluesky/site.ts';
import { facebookKeys, facebookSite } from './facebook/site.ts';
import { instagramKeys, instagramSite } from './instagram/site.ts';
import { mastodonKeys, mastodonSite } from './mastodon/site.ts';
import { redditKeys, redditSite } from './reddit/site.ts';
import { searchKeys, searchSite } from './search/site.ts';
import { threadsKeys, threadsSite } from './threads/site.ts';
import { truthsocialKeys, truthsocialSite } from './truthsocial/site.ts';
import { matchPatterns, type SiteDefinition, type SiteKeys } from './url.ts';
import { xKeys, xSite } from './x/site.ts';
import { youtubeKeys, youtubeSite } from './youtube/site.ts';

/** Every site, in the order the options page lists them. */
export const SITES = [
  xSite,
  blueskySite,
  mastodonSite,
  truthsocialSite,
  redditSite,
  threadsSite,
  youtubeSite,
  facebookSite,
  instagramSite,
  searchSite,
] as const satisfies readonly SiteDefinition[];

/**
 * Every site's account and post rules, in the same order: what the background and the CLI read
 * keys with (feed/site-keys.ts `ALL_SITE_KEYS`); a tab reads with only its adapter's `keyRules`.
 */
export const SITE_KEYS = [
  xKeys,
  blueskyKeys,
  mastodonKeys,
  truthsocialKeys,
  redditKeys,
  threadsKeys,
  youtubeKeys,
  facebookKeys,
  instagramKeys,
  searchKeys,
] as const satisfies readonly SiteKeys[];

/** A site's id: the name of its folder under sites/. */
export type SiteId = (typeof SITES)[number]['id'];

export const SITE_IDS: readonly SiteId[] = /* @__PURE__ */ SITES.map((site) => site.id);

const BY_ID = /* @__PURE__ */ new Map<string, SiteDefinition<SiteId>>(SITES.map((site) => [site.id, site]));

/** The definition of a site id. */
export function siteById(id: SiteId): SiteDefinition<SiteId> {
  const site = BY_ID.get(id);
  if (!site) throw new Error(`no site folder sites/${id}/`);
  return site;
}

/** The pages the content script is declared on (manifest match patterns), every site's together. */
export const SITE_MATCHES: string[] = /* @__PURE__ */ SITES.flatMap((site) => matchPatterns(site));

/** The site whose `pageHosts` list `host` (as in the address bar, lowercase), if any. */
export function siteOfPageHost(host: string): SiteId | undefined {
  return SITES.find((site) => site.pageHosts.includes(host))?.id;
}
