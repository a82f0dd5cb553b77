/**
 * Search results (Google, Bing, DuckDuckGo): the result pages' hosts and the engines' click
 * redirectors. Search engines have no accounts or posts of their own; what a reader meets there is
 * links, so this site's only rules are its wrappers: a result link that goes through `/url?q=`,
 * Bing's `ck/a` or DuckDuckGo's `/l/?uddg=` is looked up by where it goes. Ad-click redirectors
 * (Google `/aclk`, Bing `/aclick`, DuckDuckGo `/y.js`) are wrappers that give no destination: an
 * ad is never labelled (see ./adapter.ts).
 * Pure: no DOM, no extension API, no tldts. The URL table that proves it is ./examples.ts.
 *
 * Redirector formats (public sources):
 * - Google `/url?q=<url>` (also `url=`): the no-JavaScript result page and the `ping` of every
 *   result link, e.g. the result markup quoted in segp/agents-main's google_search test
 *   (`ping="/url?sa=t&…&url=https://en.wikipedia.org/wiki/Hello"`).
 * - Bing `https://www.bing.com/ck/a?!&&p=…&u=a1<base64url of the URL>&ntb=1`: jiang-taibai/faster-bing
 *   (js/faster-bing.js: strips `a1`, decodes base64url, then percent-decodes), and the Bing fixtures
 *   of several public scrapers (`u=a1aHR0cHM6Ly9ydXN0LWxhbmcub3JnLw` → `https://rust-lang.org/`).
 * - DuckDuckGo `//duckduckgo.com/l/?uddg=<percent-encoded url>&rut=…` on html.duckduckgo.com:
 *   Kuuuube/Misc_Scripts (duckduckgo_detracker.js).
 */

import { defineKeys, defineSite } from '../url.ts';

/** Google's own hosts on any of its country domains (`www.google.co.uk`), as `siteHost` gives them. */
const GOOGLE_HOST = /(?:^|\.)google\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$/;
const BING_HOST = /(?:^|\.)bing\.com$/;
const DUCKDUCKGO_HOST = /(?:^|\.)duckduckgo\.com$/;

/** `a1<base64url>` → the URL it encodes (percent-decoded when Bing encoded it so), else null. */
function bingDestination(encoded: string | null): string | null {
  if (!encoded?.startsWith('a1')) return null;
  let decoded: string;
  try {
    decoded = atob(encoded.slice(2).replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  if (/^https?%3a/i.test(decoded)) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      return null;
    }
  }
  return /^https?:\/\//i.test(decoded) ? decoded : null;
}

/** Where a search engine's redirector sends the reader; null for an ad click; undefined for no redirector. */
export function unwrapSearch(url: URL, host: string): string | null | undefined {
  // Most links are on none of these hosts: a substring test rules them out before a regex or the
  // URL's search parameters are touched (this runs for every link of every post on every site).
  const google = host.includes('google');
  if (!google && !host.includes('bing.com') && !host.includes('duckduckgo.com')) return undefined;
  const path = url.pathname;
  const query = url.searchParams;
  if (host === 'googleadservices.com') return path === '/pagead/aclk' ? null : undefined;
  if (google && GOOGLE_HOST.test(host)) {
    if (path === '/url') return query.get('q') ?? query.get('url');
    if (path === '/aclk') return null;
    return undefined;
  }
  if (BING_HOST.test(host)) {
    if (path === '/ck/a') return bingDestination(query.get('u'));
    if (path === '/aclick') return null;
    return undefined;
  }
  if (DUCKDUCKGO_HOST.test(host)) {
    if (path === '/l/' || path === '/l') return query.get('uddg');
    if (path === '/y.js') return null;
  }
  return undefined;
}

export const searchSite = defineSite({
  id: 'search',
  name: 'Search results',
  home: 'https://www.google.com/search?q=parler',
  // Only the result pages' own hosts: no other Google country domain, no wildcard.
  pageHosts: ['www.google.com', 'www.bing.com', 'duckduckgo.com', 'html.duckduckgo.com'],
  domains: ['google.com', 'googleadservices.com', 'bing.com', 'duckduckgo.com'],
  unwrap: unwrapSearch,
});

/** Result pages name no accounts or posts of their own: their links are read by the other sites' rules. */
export const searchKeys = defineKeys({ site: 'search', rules: [] });
