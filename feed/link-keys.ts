/**
 * Link and domain keys: turns a link seen on a page (or a curator's link target) into
 * `link:url:host/path?query` and `link:domain:<host and each parent down to the registrable domain>`.
 * The registrable domain comes from the Public Suffix List (tldts), which is why this lives apart from
 * feed/site-keys.ts: code that only needs account and post keys never loads the list.
 *
 *   body link ─unwrapLink─▶ destination ─linkUrlKey──▶ link:url:…
 *                                       ─domainChain─▶ link:domain:…, server:fedi:… (each parent, PSL-bounded)
 *                                       ─account/postKeys─▶ the profile or post it points at
 *
 * Pure: tldts, feed/site-keys.ts and sites/url.ts only; no network, no extension API. Never throws.
 */

import { parse as parseDomain } from 'tldts';
import { parseHttpUrl } from '../sites/url.ts';
import { linkUrlKeyOn } from './link-url-key.ts';
import { accountKeys, postKeys, unwrapLink } from './site-keys.ts';

/** Private PSL entries count, so `name.blogspot.com` is its own registrable domain. */
const PSL_OPTIONS = { allowPrivateDomains: true } as const;

/**
 * Lowercase, no trailing dot, no leading `www.` label above the registrable domain (`www.com` and
 * `www.co.uk` keep theirs). The URL parser has already lowercased and punycoded the name.
 */
export function bareHost(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  if (!host.startsWith('www.')) return host;
  const { domain } = parseDomain(host, PSL_OPTIONS);
  return domain && domain !== host ? host.slice(4) : host;
}

/** `link:url:host/path?query` of a parsed URL: no tracking parameters, fragment, trailing slash or `www.`. */
export function linkUrlKey(url: URL): string {
  return linkUrlKeyOn(url, bareHost(url.hostname));
}

/** The host and each parent down to the registrable domain; an IP or a host without one alone. */
function domainChain(hostname: string): string[] {
  const host = bareHost(hostname);
  const { domain, isIp } = parseDomain(host, PSL_OPTIONS);
  if (isIp || !domain || !host.endsWith(domain)) return [host];
  const chain = [host];
  let rest = host;
  while (rest !== domain) {
    rest = rest.slice(rest.indexOf('.') + 1);
    chain.push(rest);
  }
  return chain;
}

/** Whether a host can be labelled as a site: an IP, or a name under a public suffix (not the suffix itself). */
export function hasRegistrableDomain(hostname: string): boolean {
  const { domain, isIp } = parseDomain(bareHost(hostname), PSL_OPTIONS);
  return Boolean(isIp || domain);
}

/**
 * Every key a link on a page is looked up by: its URL key, its domain chain (as `link:domain:` and,
 * for labels on a whole fediverse server, `server:fedi:`), and the account or post it points at. A wrapper is unwrapped first; a wrapper hiding its destination gives none.
 */
export function linkLookupKeys(url: string): string[] {
  const destination = unwrapLink(url);
  const parsed = destination ? parseHttpUrl(destination) : null;
  if (!destination || !parsed) return [];
  const chain = domainChain(parsed.hostname);
  const keys = [
    linkUrlKey(parsed),
    ...chain.map((host) => `link:domain:${host}`),
    ...chain.map((host) => `server:fedi:${host}`),
    ...accountKeys(destination),
    ...postKeys(destination),
  ];
  return [...new Set(keys)];
}
