/**
 * Which supported site a page belongs to, by host name (the popup's "this site" switch and the
 * options page's per-site list). Mirrors sites/matches.ts; a test keeps the two in step.
 * Pure: no extension API.
 */
import type { SiteId } from '../sites/types';
import type { MessageKey } from './i18n';

export const SITE_HOSTS: Record<SiteId, string[]> = {
  x: ['x.com', 'twitter.com', 'mobile.twitter.com'],
  bluesky: ['bsky.app'],
  mastodon: ['mastodon.social'],
  truthsocial: ['truthsocial.com'],
  reddit: ['www.reddit.com', 'old.reddit.com', 'new.reddit.com'],
  threads: ['www.threads.net', 'www.threads.com'],
  youtube: ['www.youtube.com'],
  facebook: ['www.facebook.com'],
  instagram: ['www.instagram.com'],
};

export const SITE_IDS = Object.keys(SITE_HOSTS) as SiteId[];

export const SITE_NAME_MESSAGES: Record<SiteId, MessageKey> = {
  x: 'siteName_x',
  bluesky: 'siteName_bluesky',
  mastodon: 'siteName_mastodon',
  truthsocial: 'siteName_truthsocial',
  reddit: 'siteName_reddit',
  threads: 'siteName_threads',
  youtube: 'siteName_youtube',
  facebook: 'siteName_facebook',
  instagram: 'siteName_instagram',
};

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
  for (const site of SITE_IDS) {
    if (SITE_HOSTS[site].includes(host)) return { kind: 'site', site, host };
  }
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
