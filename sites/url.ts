/**
 * What a site folder's URL rules are made of: the parsed-URL shape they read (`Place`), the one
 * host-name check every site uses (`hostIsOn`), and the contract of a `sites/<id>/site.ts`: where
 * the site is (`defineSite`) and how its URLs name accounts and posts (`defineKeys`), kept apart so
 * that a content script carries only the rules of the sites whose keys it reads itself.
 *
 *   sites/<id>/site.ts ─defineSite─▶ catalog SITES ─▶ sites/matches.ts (manifest)
 *                      │                              ├─▶ ui/sites.ts (popup, options)
 *                      │                              └─▶ feed/site-keys.ts (link wrappers, owned domains)
 *                      └─defineKeys─▶ catalog SITE_KEYS (every site's: background, CLI) ─┐
 *                                     an adapter's `keyRules` (its tab's own sites') ────┴▶ keyReader
 *
 * Pure and small on purpose: no DOM, no extension API, no network, and no Public Suffix List (tldts),
 * so a content script that turns author and permalink URLs into keys stays light. Host names are
 * compared as written in the URL; the registrable-domain logic lives in feed/link-keys.ts.
 */

/**
 * `wordSet('a b c')` → Set {'a', 'b', 'c'}: keeps the long word lists of the site rules readable.
 * Marked free of side effects for the bundler: a content script drops the lists of the rules it
 * does not carry (it could not tell that of `new Set(list.split(' '))` written out).
 */
/*@__NO_SIDE_EFFECTS__*/
export function wordSet(list: string): Set<string> {
  return new Set(list.split(' '));
}

/** A parsed http(s) URL with what the site rules read from it. */
export interface Place {
  url: URL;
  /** Lowercase hostname without a trailing dot or a leading `www.` (see `siteHost`). */
  host: string;
  /** Non-empty path segments, percent-decoded where that is valid. */
  segs: string[];
  /** Path segments lowercased, for comparing with fixed words. */
  lower: string[];
}

const PARSED = new Map<string, URL | null>();
const PARSED_MAX = 1024;

/**
 * An http(s) URL already in the form `new URL` gives it back (its `href` is the input itself): a
 * lowercase scheme, a lowercase host name of letters, digits, hyphens and dots whose last label
 * starts with a letter (no IP address, no port, no user, no punycode to check), then a path and an
 * optional query of characters the URL parser keeps as they are (no percent-escape, no `.` or `..`
 * segment, no fragment). Most links a page shows look like this.
 */
const PLAIN_URL =
  /^(https?):\/\/((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)(\/[\w\-.~!$&()*+,;=:@/]*)(\?[\w\-.~!$&()*+,;=:@/?]+)?$/;
const DOT_SEGMENT = /\/\.{1,2}(?:\/|$)/;

/**
 * What `new URL(href)` would give for a `PLAIN_URL` href, without the browser's URL parser (a native
 * call that was the largest part of reading a post): the same fields, read-only (shared, like every
 * `parseUrl` result). `searchParams` is made on first use.
 */
class PlainUrl implements URL {
  readonly hash = '';
  readonly username = '';
  readonly password = '';
  readonly port = '';
  readonly host: string;
  private params: URLSearchParams | undefined;

  constructor(
    readonly href: string,
    readonly protocol: string,
    readonly hostname: string,
    readonly pathname: string,
    readonly search: string,
  ) {
    this.host = hostname;
  }

  get origin(): string {
    return `${this.protocol}//${this.hostname}`;
  }

  get searchParams(): URLSearchParams {
    this.params ??= new URLSearchParams(this.search);
    return this.params;
  }

  toString(): string {
    return this.href;
  }

  toJSON(): string {
    return this.href;
  }
}
/** A `PlainUrl` for an input in the plain form, else undefined (the caller parses it). */
function plainUrl(input: string): URL | undefined {
  if (input.length > 2048) return undefined;
  const match = PLAIN_URL.exec(input);
  if (!match) return undefined;
  const [, scheme, hostname, pathname, query] = match as unknown as [string, string, string, string, string?];
  if (DOT_SEGMENT.test(pathname) || hostname.includes('xn--')) return undefined;
  return new PlainUrl(input, `${scheme}:`, hostname, pathname, query ?? '');
}

/**
 * `new URL(input)`, or null when it does not parse, remembered for the last ~1,000 inputs: a page's
 * content script reads each post's URLs in its adapter and again for its keys, and parsing was a
 * large share of its time. An input already in plain form (`PLAIN_URL`, most links) is not given to
 * the URL parser at all: the result has the same fields as `new URL(input)` would. The URL is shared
 * by every caller: read it, never change it (copy it with `new URL(url.href)` first).
 */
export function parseUrl(input: string): URL | null {
  let url: URL | null | undefined = PARSED.get(input);
  if (url !== undefined) return url;
  url = plainUrl(input);
  if (url === undefined) {
    try {
      url = new URL(input);
    } catch {
      url = null;
    }
  }
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  PARSED.set(input, url);
  return url;
}

const NOT_A_DOT = /[^.]/;

/** An http(s) URL, or null (other schemes, garbage, a host of dots alone). Shared: never change it. */
export function parseHttpUrl(input: string): URL | null {
  const url = parseUrl(input);
  if (!url) return null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // `https:.//host/…` parses with the host "."; a name of dots alone names no site.
  if (!NOT_A_DOT.test(url.hostname)) return null;
  return url;
}

export function decodeSegment(segment: string): string {
  // Without a `%` there is nothing to decode (and decodeURIComponent cannot throw).
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const TRAILING_DOTS = /\.+$/;
const DOT = 46;

/**
 * `hostname` lowercased, without trailing dots. The regex runs only when the name ends in a dot
 * (rarely): scanning every host name a post's links and keys name for one was a measurable share of
 * reading a post.
 */
function bareHost(hostname: string): string {
  const host = hostname.toLowerCase();
  return host.charCodeAt(host.length - 1) === DOT ? host.replace(TRAILING_DOTS, '') : host;
}

/**
 * A host as site rules compare it: lowercase, no trailing dot, no leading `www.` when a dotted name is
 * left (`www.x.com` → `x.com`, `www.com` stays). Differs from feed/link-keys.ts's registrable-domain
 * version only for `www.` directly under a multi-label public suffix (`www.co.uk`), which no site uses.
 */
export function siteHost(hostname: string): string {
  const host = bareHost(hostname);
  return host.startsWith('www.') && host.slice(4).includes('.') ? host.slice(4) : host;
}

/**
 * THE host-name check: whether `hostname` is `domain` or one of its subdomains (`m.facebook.com` is
 * on `facebook.com`; `notfacebook.com` is not). Case and a trailing dot do not count.
 */
export function hostIsOn(hostname: string, domain: string): boolean {
  const host = bareHost(hostname);
  const want = domain.toLowerCase();
  return host === want || host.endsWith(`.${want}`);
}

/** Whether `hostname` is on any of `domains`. */
export function hostIsOnAny(hostname: string, domains: readonly string[]): boolean {
  return domains.some((domain) => hostIsOn(hostname, domain));
}

export function toPlace(url: URL, path = url.pathname): Place {
  const segs: string[] = [];
  const lower: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const decoded = decodeSegment(segment);
    segs.push(decoded);
    lower.push(decoded.toLowerCase());
  }
  return { url, host: siteHost(url.hostname), segs, lower };
}

export function placeOf(input: string): Place | null {
  const url = parseHttpUrl(input);
  return url ? toPlace(url) : null;
}

/** A DNS name with at least one dot, e.g. `alice.bsky.social` (lowercase). */
export const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A numeric id (X statuses, Mastodon statuses). */
export const DIGITS_ID = /^\d{1,25}$/;

/**
 * How one set of hosts spells its accounts and posts. Each reader returns the id part of a key
 * (`x:jack` for `account:x:jack`) or null. A new target kind (say, a whole fediverse server) is one
 * more optional reader here and one more branch in feed/site-keys.ts.
 */
export interface UrlRules {
  /** Site hosts (as `siteHost` gives them) these rules read; exact names, no subdomains. */
  hosts: readonly string[];
  account(place: Place): string | null;
  post(place: Place): string | null;
}

/**
 * A site's link wrapper (its outbound redirector): given a URL on one of the site's hosts, the
 * destination it carries (a string), null when it is a wrapper that hides its destination (t.co),
 * undefined when the URL is no wrapper.
 */
export type Unwrap = (url: URL, host: string) => string | null | undefined;

export interface SiteDefinition<Id extends string = string> {
  /** The folder's name: `sites/<id>/`. Also `siteName_<id>` in public/_locales. */
  id: Id;
  /** Human name, for tests and the demo (the UI uses the `siteName_<id>` message). */
  name: string;
  /** A real page of the site; fixtures without a canonical link are read as if served here. */
  home: string;
  /**
   * Hosts the content script is declared on, exactly as in the address bar. They are also the
   * extension's host permissions for the site: list the site's own page hosts, nothing broader.
   */
  pageHosts: readonly string[];
  /** Manifest match patterns; default `*://<host>/*` for each of `pageHosts`. */
  matches?: readonly string[];
  /** Registrable domains the site owns: a path on them is never read as a fediverse account. */
  domains: readonly string[];
  /** The site's link wrappers; a wrapper is never a target and is unwrapped before lookup. */
  unwrap?: Unwrap;
  /**
   * Whether the account rules rewrite a name beyond its case (Facebook drops its dots): a label's
   * word (feed/key-token.ts keyToken) is then the site's domain's, which every URL of it shows.
   */
  rewritesNames?: boolean;
}

/** Declares a site; keeps its id a literal type so `SiteId` is derived from the folders. */
export function defineSite<const Id extends string>(site: SiteDefinition<Id>): SiteDefinition<Id> {
  return site;
}

/**
 * How one site's URLs name accounts and posts. Apart from its definition: every content script
 * carries every site's definition (its hosts and link wrappers) but only the rules of the sites
 * whose keys its page index holds (its adapter's `keyRules`); the background reads the others.
 */
export interface SiteKeys<Id extends string = string> {
  /** The site whose rules these are (its folder's name). */
  site: Id;
  /**
   * Account and post rules, one entry per host family (reddit.com and redd.it differ). Every host
   * is on one of the site's `domains`, or the rules read only fediverse-like paths (Truth Social):
   * a tab without them asks the background about exactly those URLs (feed/site-keys.ts).
   */
  rules: readonly UrlRules[];
  /**
   * For the one site whose accounts live on any host (Mastodon): rules for every host no site
   * claims. At most one site sets it.
   */
  anyHostRules?: Omit<UrlRules, 'hosts'>;
}

/** Declares a site's account and post rules (`sites/<id>/site.ts` exports them beside the site). */
export function defineKeys<const Id extends string>(keys: SiteKeys<Id>): SiteKeys<Id> {
  return keys;
}

/** The manifest match patterns of a site. */
export function matchPatterns(site: SiteDefinition): string[] {
  return site.matches ? [...site.matches] : site.pageHosts.map((host) => `*://${host}/*`);
}
