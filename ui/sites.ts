/**
 * Which supported site a page belongs to, by host name (the popup's "this site" switch and the
 * options page's per-site list). Every list here is derived from the site folders (sites/catalog.ts).
 * Pure: no extension API.
 */
import { SITE_IDS as IDS, SITES, type SiteId, siteOfPageHost } from '../sites/catalog';
import type { MessageKey } from './i18n';

/** The hosts each site's content script is declared on. */
export const SITE_HOSTS = Object.fromEntries(SITES.map((site) => [site.id, [...site.pageHosts]])) as Record<
  SiteId,
  string[]
>;

export const SITE_IDS: SiteId[] = [...IDS];

/** Each site's name in public/_locales (`siteName_<id>`); a missing message is a type error. */
export const SITE_NAME_MESSAGES = Object.fromEntries(
  SITES.map((site) => [site.id, `siteName_${site.id}` satisfies MessageKey]),
) as Record<SiteId, MessageKey>;

/** What the popup knows about the page in the active tab. */
export type PageKind =
  | { kind: 'site'; site: SiteId; host: string }
  /** An https page of no supported site: it may be a Mastodon server the reader can enable. */
  | { kind: 'other-https'; host: string }
  /** Browser pages, extension pages, plain http, files: nothing to offer. */
  | { kind: 'none' };

export function classifyPage(pageUrl: string | undefined, mastodonHosts: readonly string[]): PageKind {
  if (!pageUrl) return { kind: 'none' };
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return { kind: 'none' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { kind: 'none' };
  const host = url.hostname.toLowerCase();
  const site = siteOfPageHost(host);
  if (site) return { kind: 'site', site, host };
  if (mastodonHosts.includes(host)) return { kind: 'site', site: 'mastodon', host };
  return url.protocol === 'https:' ? { kind: 'other-https', host } : { kind: 'none' };
}

/**
 * Runs INSIDE the page (browser.scripting.executeScript), so it must be self-contained: whether
 * the page looks like a Mastodon server's web app (Mastodon and its forks mount into #mastodon and
 * embed their state as script#initial-state).
 */
export function pageLooksLikeMastodon(): boolean {
  return (
    document.querySelector('#mastodon, script#initial-state') !== null ||
    document.querySelector('meta[name="application-name"][content="Mastodon" i]') !== null
  );
}
