/**
 * Search results (Google, Bing, DuckDuckGo): reads each organic result of a result page as a "post"
 * with one link, its destination, anchored at the result's title link, so the link and domain labels
 * of where the result goes (`parler.com` → "Hosting terminated") appear beside its title. A result
 * has no author and no permalink. Pure reads of the DOM; never mutates the page, no extension API,
 * no network.
 *
 * Ads are ignored, never labelled: they sit outside the organic lists (Google `#tads`/`#bottomads`,
 * Bing `li.b_ad`, DuckDuckGo `li[data-layout="ad"]`, `.result--ad`), and their links go through
 * ad-click redirectors that do not say where they end (./site.ts), so a label could not be trusted
 * to describe the advertised page.
 *
 * Where the markup comes from (public sources, found with the code search):
 * - Google: an organic result is `div.MjjYud` > … > `div.g[jscontroller="SC7lYd"]`, its title link
 *   `.yuRUbf a[jsname="UWckNb"][href]` around `<br><h3 class="LC20lb">` and the `cite` breadcrumb,
 *   inside `#rso` (the result markup quoted in segp/agents-main's google_search test;
 *   imakealol/OSINT-AI-Scraper src/template_google_serper.js reads `[jscontroller="SC7lYd"]`,
 *   `[jsname="UWckNb"]`, `.LC20lb`). Ads in `#tads`: vince-koch/scripts RemoveGoogleSearchAds.js,
 *   OliEfr/AdblockerGoogleSearch content_google.js.
 * - Bing: `ol#b_results > li.b_algo` with `h2 > a[href]` (often `https://www.bing.com/ck/a?…&u=a1…`),
 *   `.b_tpcn a.tilk` (the site name) and `.b_caption p`: the Bing fixtures of several public scrapers
 *   and jiang-taibai/faster-bing (js/faster-bing.js, `#b_content`).
 * - DuckDuckGo: `li[data-layout="organic"] > article[data-testid="result"]` with
 *   `h2 a[data-testid="result-title-a"]` (direct href) and `[data-result="snippet"]`; the no-JavaScript
 *   html.duckduckgo.com page: `div.result.results_links` with `h2.result__title > a.result__a` whose
 *   href is `//duckduckgo.com/l/?uddg=…` (public DuckDuckGo scrapers' fixtures and selectors,
 *   Kuuuube/Misc_Scripts duckduckgo_detracker.js).
 * Not covered: Google's and Bing's other verticals (news, images, videos), "People also ask" and
 * other answer boxes, sitelinks under a result.
 */

import { SITE_KEYS } from '../catalog.ts';
import { hrefOf } from '../dom.ts';
import type { PostData, SiteAdapter } from '../types.ts';
import { hostIsOn, siteHost } from '../url.ts';
import { searchSite, unwrapSearch } from './site.ts';

const GOOGLE_RESULT = '#rso div.g, #rso [jscontroller="SC7lYd"]';
const BING_RESULT = '#b_results > li.b_algo';
const DDG_RESULT = 'article[data-testid="result"], #links div.result.results_links';
const POST = [GOOGLE_RESULT, BING_RESULT, DDG_RESULT].join(', ');

/** Containers of ads on the three engines: nothing inside them is read. */
const ADS = '#tads, #tadsb, #bottomads, [data-text-ad], li.b_ad, [data-layout="ad"], .result--ad';

/** The title link of a result, tried in this order. */
const TITLE_LINK = [
  'a[jsname="UWckNb"][href]',
  '.yuRUbf a[href]',
  'a[data-testid="result-title-a"][href]',
  'a.result__a[href]',
  'h2 > a[href]',
].join(', ');

/** A result page (not the engines' home or settings pages): `/search` on Google and Bing, `?q=` on DuckDuckGo. */
function isResultPage(location: URL): boolean {
  const host = location.hostname;
  if (hostIsOn(host, 'google.com') || hostIsOn(host, 'bing.com')) return location.pathname === '/search';
  if (hostIsOn(host, 'duckduckgo.com'))
    return location.searchParams.has('q') || location.pathname === '/html/';
  return false;
}

/** Where a result link goes: through the engine's redirector (a few hops at most) to the real URL. */
function destinationOf(href: string): string | null {
  let current = href;
  for (let hop = 0; hop < 3; hop++) {
    const url = new URL(current);
    const next = unwrapSearch(url, siteHost(url.hostname));
    if (next === undefined) return current;
    if (next === null) return null;
    try {
      current = new URL(next).href;
    } catch {
      return null;
    }
  }
  return null;
}

export const searchAdapter: SiteAdapter = {
  id: 'search',
  name: searchSite.name,
  // Result pages lead anywhere: their index holds every site's keys (sync/page-index.ts KEY_SITES).
  keyRules: SITE_KEYS,
  matches: (location) => searchSite.pageHosts.includes(location.hostname) && isResultPage(location),
  postSelector: POST,
  parsePost(element, location) {
    if (!element.matches(POST) || element.closest(ADS)) return null;
    // A Google result nested in another (a result with indented results) is read once, as the outer one.
    const outer = element.parentElement?.closest(GOOGLE_RESULT);
    if (outer) return null;
    const title = element.querySelector(TITLE_LINK);
    const href = hrefOf(title, location);
    if (!title || href === undefined) return null;
    const destination = destinationOf(href);
    // A link that is an ad click, or that stays on the result page's host (a "more results" row), is no result.
    if (destination === null || new URL(destination).hostname === location.hostname) return null;
    return { element, links: [{ url: destination, anchor: title }] } satisfies PostData;
  },
  findProfileHeader: () => null,
};
