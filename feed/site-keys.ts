/**
 * Account and post keys, and link wrappers: turns an author URL or a permalink seen on a page into the
 * keys labels are matched by (`account:x:jack`, `post:x:20`), and a wrapped link (l.facebook.com,
 * t.co…) into where it goes. The rules come from the site folders (sites/<id>/site.ts); this module
 * only dispatches on the host.
 *
 *   page author URL ──accountKeys──▶ account:<site>:<id>     rules: sites/<id>/site.ts `…Keys`
 *   page permalink ───postKeys─────▶ post:<site>:<id>        host → rules: a KeyReader's table
 *   wrapped link ─────unwrapLink───▶ destination URL         wrappers: each site's `unwrap` (SITES)
 *
 * A `keyReader` reads with the rules it is given: every site's (`ALL_SITE_KEYS`, and the functions
 * of the same names below: the background, the CLI) or a tab's own (its adapter's `keyRules`,
 * the sites whose keys its page index holds). A tab's reader says `'ask'` of a URL only another
 * site's rules could read; the tab asks the background, whose reader holds them all. So a content
 * script carries its own sites' rules, not every site's.
 *
 * Pure and light on purpose: no Public Suffix List (tldts), no DOM, no extension API, so a content
 * script can import it cheaply. Link and domain keys, which need the PSL, are feed/link-keys.ts.
 * Never throws, whatever string it is given, and never makes a link wrapper a target.
 */

import { SITE_KEYS, SITES } from '../sites/catalog.ts';
import {
  decodeSegment,
  type Place,
  parseHttpUrl,
  placeOf,
  type SiteKeys,
  siteHost,
  type UrlRules,
} from '../sites/url.ts';

type Readers = Omit<UrlRules, 'hosts'>;

const NO_RULES: Readers = { account: () => null, post: () => null };

/**
 * Each registrable domain a site owns → that site: a path on them never falls back to the any-host
 * (fediverse) rules.
 */
const OWNERS = new Map<string, string>(
  SITES.flatMap((site) => site.domains.map((domain) => [domain, site.id])),
);

/**
 * The site that owns `host` (it is on one of the site's `domains`), if any: the host and each of
 * its dot-suffixes looked up (every link of every post comes here; a scan of every domain made a
 * string for each).
 */
function ownerOf(host: string): string | undefined {
  const own = OWNERS.get(host);
  if (own !== undefined) return own;
  for (let at = host.indexOf('.'); at >= 0; at = host.indexOf('.', at + 1)) {
    const owner = OWNERS.get(host.slice(at + 1));
    if (owner !== undefined) return owner;
  }
  return undefined;
}

/** A path the any-host (fediverse) rules might read: `/@user`, `/users/user`, or escaped. */
const FEDIVERSE_PATH = /[@%]|\/users\//i;

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

/** What a set of site rules reads from URLs (`keyReader`). */
export interface KeyReader {
  /**
   * The keys a profile URL is looked up by: its account key first (`https://x.com/jack` →
   * `account:x:jack`), then, for a fediverse account (or one bridged to Bluesky from it), its
   * server's (`server:fedi:host`), so a label on a whole server shows beside everyone on it. None
   * when the URL is no profile, or only rules this reader lacks could read it (see `mayName`).
   */
  accountKeys(url: string): string[];
  /** The post key of a permalink (`https://x.com/jack/status/20` → `post:x:20`), or none. */
  postKeys(url: string): string[];
  /**
   * Whether accountKeys or postKeys may give anything for this URL: true when this reader's rules
   * read it, false when no site's rules would give a key, `'ask'` when the rules of a site this
   * reader does not hold might (a tab asks the background, which holds them all).
   */
  mayName(url: URL): boolean | 'ask';
}

const readers = new WeakMap<readonly SiteKeys[], KeyReader>();

/**
 * The reader of these sites' rules (the same reader again for the same list). A URL on a domain a
 * site owns is read by that site's rules alone; any other host by the any-host (fediverse) rules.
 */
export function keyReader(keys: readonly SiteKeys[]): KeyReader {
  const known = readers.get(keys);
  if (known) return known;
  const held = new Set(keys.map((k) => k.site));
  const byHost = new Map<string, Readers>(
    keys.flatMap((k) => k.rules.flatMap((rules) => rules.hosts.map((host) => [host, rules] as const))),
  );
  const anyHost = keys.find((k) => k.anyHostRules)?.anyHostRules;

  /** The rules that read a site host (`Place.host`); null when only rules this reader lacks could. */
  function rulesFor(host: string): Readers | null {
    const rules = byHost.get(host);
    if (rules) return rules;
    const owner = ownerOf(host);
    if (owner !== undefined) return held.has(owner) ? NO_RULES : null;
    return anyHost ?? null;
  }

  function siteKeys(kind: 'account' | 'post', url: string): string[] {
    const place: Place | null = placeOf(url);
    if (!place || wrapperDestination(place.url) !== undefined) return [];
    const id = (rulesFor(place.host) ?? NO_RULES)[kind](place);
    return id ? [`${kind}:${id}`] : [];
  }

  const reader: KeyReader = {
    accountKeys(url) {
      const [key] = siteKeys('account', url);
      return key ? [key, ...accountServerKeys(key)] : [];
    },
    postKeys: (url) => siteKeys('post', url),
    mayName(url) {
      const host = siteHost(url.hostname);
      if (byHost.has(host)) return true;
      const owner = ownerOf(host);
      if (owner !== undefined && !held.has(owner)) return 'ask';
      if (!FEDIVERSE_PATH.test(url.pathname)) return false;
      return owner !== undefined || anyHost ? true : 'ask';
    },
  };
  readers.set(keys, reader);
  return reader;
}

/** Every site's rules: what the background and the CLI read keys with. */
export const ALL_SITE_KEYS: KeyReader = /* @__PURE__ */ keyReader(SITE_KEYS);

/** `ALL_SITE_KEYS.accountKeys`. */
export function accountKeys(url: string): string[] {
  return ALL_SITE_KEYS.accountKeys(url);
}

/** `ALL_SITE_KEYS.postKeys`. */
export function postKeys(url: string): string[] {
  return ALL_SITE_KEYS.postKeys(url);
}
