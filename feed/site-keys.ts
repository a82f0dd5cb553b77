/**
 * Account and post keys, and link wrappers: turns an author URL or a permalink seen on a page into the
 * keys labels are matched by (`account:x:jack`, `post:x:20`), and a wrapped link (l.facebook.com,
 * t.co…) into where it goes. The rules come from the site folders (sites/<id>/site.ts via
 * sites/catalog.ts); this module only dispatches on the host.
 *
 *   page author URL ──accountKeys──▶ account:<site>:<id>     rules: sites/<id>/site.ts
 *   page permalink ───postKeys─────▶ post:<site>:<id>        host → rules: table built from SITES
 *   wrapped link ─────unwrapLink───▶ destination URL         wrappers: each site's `unwrap`
 *
 * Pure and light on purpose: no Public Suffix List (tldts), no DOM, no extension API, so a content
 * script can import it cheaply. Link and domain keys, which need the PSL, are feed/link-keys.ts.
 * Never throws, whatever string it is given, and never makes a link wrapper a target.
 */

import { SITES } from '../sites/catalog.ts';
import { decodeSegment, type Place, parseHttpUrl, placeOf, siteHost, type UrlRules } from '../sites/url.ts';

type Readers = Omit<UrlRules, 'hosts'>;

const NO_RULES: Readers = { account: () => null, post: () => null };

/** Each site host → the rules that read its paths (built once from the site folders). */
const RULES_BY_HOST = new Map<string, Readers>(
  SITES.flatMap((site) => site.rules.flatMap((rules) => rules.hosts.map((host) => [host, rules] as const))),
);
/** Registrable domains the sites own: a path on them never falls back to the any-host (fediverse) rules. */
const OWNED_DOMAINS: string[] = SITES.flatMap((site) => site.domains);
const ANY_HOST_RULES: Readers = SITES.find((site) => site.anyHostRules)?.anyHostRules ?? NO_RULES;

/** The rules for a site host (`Place.host`). */
function rulesFor(host: string): Readers {
  const rules = RULES_BY_HOST.get(host);
  if (rules) return rules;
  for (const domain of OWNED_DOMAINS) {
    if (host === domain || host.endsWith(`.${domain}`)) return NO_RULES;
  }
  // Any other host may run Mastodon (Truth Social does): read `/@user` and `/users/user` paths as fediverse.
  return ANY_HOST_RULES;
}

/** A wrapper of no site folder: href.li, a referrer hider (`https://href.li/?https://…`). */
function otherWrapperDestination(url: URL, host: string): string | null | undefined {
  return host === 'href.li' ? decodeSegment(url.search.slice(1)) || null : undefined;
}

/**
 * Whether the URL is a link wrapper, and where it points: a string when the destination is in the URL,
 * null when it is not (t.co), undefined when the URL is no wrapper.
 */
export function wrapperDestination(url: URL): string | null | undefined {
  const host = siteHost(url.hostname);
  for (const site of SITES) {
    const destination = site.unwrap?.(url, host);
    if (destination !== undefined) return destination;
  }
  return otherWrapperDestination(url, host);
}

export function isWrapperUrl(url: string): boolean {
  const parsed = parseHttpUrl(url);
  return parsed !== null && wrapperDestination(parsed) !== undefined;
}

/**
 * The URL a link really goes to: the URL itself when it is no wrapper, the destination of a wrapper that
 * carries it (several hops at most), or null when the destination is not in the URL or is not http(s).
 */
export function unwrapLink(url: string): string | null {
  let current = url;
  for (let hop = 0; hop < 5; hop++) {
    const parsed = parseHttpUrl(current);
    if (!parsed) return null;
    const destination = wrapperDestination(parsed);
    if (destination === undefined) return parsed.href;
    if (!destination) return null;
    current = destination;
  }
  return null;
}

function siteKeys(kind: 'account' | 'post', url: string): string[] {
  const place: Place | null = placeOf(url);
  if (!place || wrapperDestination(place.url) !== undefined) return [];
  const id = rulesFor(place.host)[kind](place);
  return id ? [`${kind}:${id}`] : [];
}

/** Bridgy Fed's Bluesky handle for a fediverse account: `user.host.ap.brid.gy` is `user@host`. */
const BRIDGED_FROM_FEDIVERSE = /^account:bsky:([a-z0-9_-]+)\.([a-z0-9.-]+\.[a-z0-9-]+)\.ap\.brid\.gy$/;

/**
 * `server:fedi:<host>` for a host and each parent above its last two labels (`a.b.example` → `server:fedi:a.b.example`,
 * `server:fedi:b.example`): a server label on a domain also covers its subdomains, as a Mastodon domain
 * block does. Without the Public Suffix List a key may name a suffix (`server:fedi:co.uk`); no label has
 * such a key (normalizeServer refuses suffixes), so it simply never matches.
 */
export function serverKeys(host: string): string[] {
  const labels = host.toLowerCase().replace(/\.+$/, '').split('.');
  const keys: string[] = [];
  for (let i = 0; i + 2 <= labels.length; i++) keys.push(`server:fedi:${labels.slice(i).join('.')}`);
  return keys;
}

/** The server keys an account key carries: its fediverse host's, also for a Bluesky account bridged from the fediverse. */
function accountServerKeys(key: string): string[] {
  if (key.startsWith('account:fedi:')) return serverKeys(key.slice(key.indexOf('@') + 1));
  const bridged = BRIDGED_FROM_FEDIVERSE.exec(key);
  if (bridged) return [`account:fedi:${bridged[1]}@${bridged[2]}`, ...serverKeys(bridged[2] ?? '')];
  return [];
}

/**
 * The keys a profile URL is looked up by: its account key first (`https://x.com/jack` →
 * `account:x:jack`), then, for a fediverse account (or one bridged to Bluesky from it), its
 * server's (`server:fedi:host`), so a label on a whole server shows beside everyone on it. None when
 * the URL is no profile.
 */
export function accountKeys(url: string): string[] {
  const [key] = siteKeys('account', url);
  return key ? [key, ...accountServerKeys(key)] : [];
}

/**
 * Whether accountKeys or postKeys can give anything for this URL: it is on a site host, or its
 * path is one the any-host (fediverse) rules might read (`/@user`, `/users/user`, or escaped).
 */
export function mayNameAccountOrPost(url: URL): boolean {
  return RULES_BY_HOST.has(siteHost(url.hostname)) || /[@%]|\/users\//i.test(url.pathname);
}

/** The post key of a permalink (`https://x.com/jack/status/20` → `post:x:20`), or none. */
export function postKeys(url: string): string[] {
  return siteKeys('post', url);
}
