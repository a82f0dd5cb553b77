/**
 * Small DOM helpers shared by the site adapters: resolving hrefs to absolute http(s) URLs,
 * unwrapping a site's outbound-link redirector, reading <time> elements and timestamps, and
 * collecting the links of a post body (by selector with `collectLinks`, or every link with `linksIn`
 * and the off-site ones with `offSiteLinks`). Pure reads: never mutate the page, no extension API,
 * no network. Adapters-a may add functions here; do not change the behaviour of existing ones.
 */

import type { Anchored } from './types.ts';
import { hostIsOn, parseUrl } from './url.ts';

/**
 * `new URL(url)` (throwing as it does) from the shared parse cache (sites/url.ts `parseUrl`), for
 * absolute URLs an adapter already resolved. Shared: read it, never change it.
 */
export function urlOf(url: string): URL {
  return parseUrl(url) ?? new URL(url);
}

const ABSOLUTE = /^https?:\/\//i;
const SLASH = 47;
const BACKSLASH = 92;

/** A path-absolute reference (`/jack`), not a scheme-relative one (`//host`, `/\\host`). */
export function fromRoot(href: string): boolean {
  if (href.charCodeAt(0) !== SLASH) return false;
  const next = href.charCodeAt(1);
  return next !== SLASH && next !== BACKSLASH;
}

let originBase: URL | undefined;
let originOfBase: string | undefined;

/** The `scheme://host[:port]` an http(s) base gives a path-absolute reference, else undefined. */
function httpOrigin(base: URL | string): string | undefined {
  // The page's address is the base of nearly every call: its origin is read once.
  if (base === originBase) return originOfBase;
  const url = typeof base === 'string' ? parseUrl(base) : base;
  const origin = url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.origin : undefined;
  if (typeof base !== 'string') {
    originBase = base;
    originOfBase = origin;
  }
  return origin;
}

/**
 * `href` resolved against `base`, or undefined when it is missing, malformed or not http(s).
 * Absolute and path-absolute hrefs (most of a page's) resolve to the same URL as `new URL(href,
 * base)` through the shared parse cache (sites/url.ts `parseUrl`): an http(s) base contributes only
 * its origin to them.
 */
export function absoluteUrl(href: string | null | undefined, base: URL | string): string | undefined {
  if (href == null) return undefined;
  const trimmed = href.trim();
  if (trimmed === '') return undefined;
  let url: URL | null;
  const origin = fromRoot(trimmed) ? httpOrigin(base) : ABSOLUTE.test(trimmed) ? '' : undefined;
  if (origin !== undefined) url = parseUrl(`${origin}${trimmed}`);
  else {
    try {
      url = new URL(trimmed, base);
    } catch {
      return undefined;
    }
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  return url.href;
}

/** The absolute http(s) URL an anchor's `href` attribute points to (as written, not as a browser resolves it). */
export function hrefOf(element: Element | null | undefined, base: URL | string): string | undefined {
  if (!element) return undefined;
  return absoluteUrl(element.getAttribute('href'), base);
}

/** An anchor and its absolute URL, or undefined when it has no usable href. */
export function anchoredHref(element: Element | null | undefined, base: URL | string): Anchored | undefined {
  if (!element) return undefined;
  const url = hrefOf(element, base);
  return url === undefined ? undefined : { url, anchor: element };
}

/** Whether `hostname` is `domain` or one of its subdomains: the one host-name check, sites/url.ts's `hostIsOn`. */
export const isHostOn: (hostname: string, domain: string) => boolean = hostIsOn;

/**
 * The real destination of a site's outbound-link redirector (`https://l.facebook.com/l.php?u=…`,
 * `https://www.youtube.com/redirect?q=…`): when `url` is on `host` at a path in `paths`, the value of
 * the first query parameter in `params` that is an absolute http(s) URL; otherwise `url` unchanged.
 */
export function unwrapRedirect(
  url: string,
  redirector: { host: string; paths: readonly string[]; params: readonly string[] },
): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!isHostOn(parsed.hostname, redirector.host)) return url;
  if (!redirector.paths.includes(parsed.pathname)) return url;
  for (const name of redirector.params) {
    const raw = parsed.searchParams.get(name)?.trim() ?? '';
    if (!/^https?:\/\//i.test(raw)) continue;
    const target = absoluteUrl(raw, parsed);
    if (target !== undefined) return target;
  }
  return url;
}

/**
 * A timestamp as ISO 8601 UTC (`2021-01-06T18:00:00.000Z`), or undefined when it is not a date.
 * Accepts ISO strings (with `Z`, `+00:00` or reddit's `+0000` offsets, and microsecond fractions)
 * and Unix times in seconds or milliseconds.
 */
export function isoTime(value: string | number | null | undefined): string | undefined {
  if (value == null) return undefined;
  if (typeof value === 'number') return fromEpoch(value);
  const text = value.trim();
  if (text === '') return undefined;
  if (isCanonicalIso(text)) return text;
  if (/^\d{9,13}$/.test(text)) return fromEpoch(Number(text));
  const match =
    /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
  if (!match) return undefined;
  const [, date, clock, fraction, zone] = match;
  if (clock === undefined) return canonicalOrDate(`${date}T00:00:00.000Z`, `${date}T00:00:00Z`);
  const seconds = clock.length === 5 ? `${clock}:00` : clock;
  const millis = fraction === undefined ? '' : `.${fraction.slice(0, 3).padEnd(3, '0')}`;
  let offset = 'Z';
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    offset = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  }
  const written = `${date}T${seconds}${millis}${offset}`;
  // A UTC time (Reddit's `+0000`) is already the answer once written in the canonical form.
  return UTC_OFFSET.test(offset)
    ? canonicalOrDate(`${date}T${seconds}${millis || '.000'}Z`, written)
    : validIso(written);
}

/** `2024-01-31T18:00:00.000Z`: the form `toISOString` gives (and X's `<time datetime>` shows). */
const CANONICAL_ISO = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * Whether `text` is already a valid date in the form `toISOString` gives, so it is its own answer
 * without making a Date (a day past the month's end is left to `Date`, which rolls it over).
 */
function isCanonicalIso(text: string): boolean {
  const match = CANONICAL_ISO.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/** An offset of zero: the time is UTC as written. */
const UTC_OFFSET = /^(?:Z|[+-]00:00)$/;

/**
 * `canonical` when it is a valid date in the canonical form (then it is what a Date would give
 * back), else the date `written` parses to: no Date for the usual case, the Date's own rules for
 * the rest (a day past the month's end, hour 24).
 */
function canonicalOrDate(canonical: string, written: string): string | undefined {
  return isCanonicalIso(canonical) ? canonical : validIso(written);
}

function fromEpoch(value: number): string | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  const millis = value < 1e11 ? value * 1000 : value;
  return validIso(new Date(millis));
}

function validIso(value: string | Date): string | undefined {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The ISO time of a `<time datetime>` element (or of the first one inside `root`), if any. */
export function timeOf(root: Element | null | undefined): string | undefined {
  if (!root) return undefined;
  // `localName` first: a post's root or link is rarely the <time> itself, and `matches` costs a selector match.
  const time =
    root.localName === 'time' && root.hasAttribute('datetime') ? root : root.querySelector('time[datetime]');
  return isoTime(time?.getAttribute('datetime'));
}

/** Whitespace-collapsed, trimmed text content of an element ('' for none). */
export function textOf(element: Element | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The first element under `root` matching `selector` whose resolved href passes `accept`. */
export function findAnchor(
  root: ParentNode,
  selector: string,
  base: URL | string,
  accept: (url: URL) => boolean = () => true,
): Anchored | undefined {
  for (const element of root.querySelectorAll(selector)) {
    const anchored = anchoredHref(element, base);
    if (anchored && accept(new URL(anchored.url))) return anchored;
  }
  return undefined;
}

/**
 * The elements under `root` matching `selector` that belong to `root` itself rather than to a nested
 * item: their nearest ancestor matching `ownerSelector` is `root` (a comment's own author link, not
 * the author link of a reply nested inside it).
 */
export function ownElements(root: Element, selector: string, ownerSelector: string): Element[] {
  return [...root.querySelectorAll(selector)].filter(
    (element) => element.parentElement?.closest(ownerSelector) === root,
  );
}

/** The first of `ownElements(root, selector, ownerSelector)`, if any. */
export function ownElement(root: Element, selector: string, ownerSelector: string): Element | undefined {
  // The first match is nearly always the root's own: found without listing every match.
  const first = root.querySelector(selector);
  if (!first || first.parentElement?.closest(ownerSelector) === root) return first ?? undefined;
  for (const element of root.querySelectorAll(selector)) {
    if (element.parentElement?.closest(ownerSelector) === root) return element;
  }
  return undefined;
}

/**
 * The outbound links of a post body: every element matching `selector` (default `a[href]`) under
 * `root` and not inside an element matching `skipInside` (a quoted post, a nested reply), resolved,
 * passed through `unwrap`, kept when `keep` says so, de-duplicated by URL with the first anchor winning.
 */
export function collectLinks(
  root: Element,
  base: URL | string,
  options: {
    keep?: (url: URL) => boolean;
    unwrap?: (url: string) => string;
    skipInside?: string;
    selector?: string;
  } = {},
): Anchored[] {
  const { keep = () => true, unwrap = (url: string) => url, skipInside, selector = 'a[href]' } = options;
  const links: Anchored[] = [];
  const seen = new Set<string>();
  for (const element of root.querySelectorAll(selector)) {
    if (skipInside !== undefined) {
      const inside = element.parentElement?.closest(skipInside);
      if (inside && inside !== root && root.contains(inside)) continue;
    }
    const resolved = hrefOf(element, base);
    if (resolved === undefined) continue;
    const url = unwrap(resolved);
    if (seen.has(url) || !keep(urlOf(url))) continue;
    seen.add(url);
    links.push({ url, anchor: element });
  }
  return links;
}

/** `links` with each URL once, the first anchor winning. */
export function uniqueByUrl(links: Anchored[]): Anchored[] {
  const seen = new Set<string>();
  return links.filter((link) => !seen.has(link.url) && seen.add(link.url) !== undefined);
}

/** A link of a post with its URL parsed, for adapters that tell a post's links apart by their path. */
export interface PageLink {
  element: Element;
  url: URL;
}

/** The http(s) links under `root` (`a[href]` resolved against `base`), minus those inside `skip` (a quoted post). */
export function linksIn(root: Element, base: URL | string, skip?: Element): PageLink[] {
  const links: PageLink[] = [];
  for (const element of root.querySelectorAll('a[href]')) {
    if (skip?.contains(element)) continue;
    const href = hrefOf(element, base);
    if (href !== undefined) links.push({ element, url: urlOf(href) });
  }
  return links;
}

/** A page link as a post reports it: its URL and the element a badge goes beside. */
export function anchoredLink(link: PageLink): Anchored {
  return { url: link.url.href, anchor: link.element };
}

/** The links that leave the site (`isSitePage` names its own pages), each URL once, the first anchor winning. */
export function offSiteLinks(links: PageLink[], isSitePage: (url: URL) => boolean): Anchored[] {
  return uniqueByUrl(links.filter((link) => !isSitePage(link.url)).map(anchoredLink));
}

/** `decodeURIComponent(text)` (throwing as it does), without the call when there is no escape. */
function decoded(text: string): string {
  return text.includes('%') ? decodeURIComponent(text) : text;
}

/**
 * Whether two user names read from URL paths (`/@name`, `/profile/<handle>`) name the same account:
 * both present and equal ignoring case and percent-escapes.
 */
export function sameHandle(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && decoded(a).toLowerCase() === decoded(b).toLowerCase();
}
