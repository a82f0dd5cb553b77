/**
 * X (x.com, twitter.com, mobile.twitter.com): reads tweets and the profile header from X's React
 * web app. Pure reads of the DOM; never mutates the page, no extension API, no network.
 *
 * Where the markup comes from (public sources, found with the code search):
 * - `article[data-testid="tweet"]`, `[data-testid="User-Name"]` (display-name link, `@handle` link,
 *   then `a[href*="/status/"] > time[datetime]`), `[data-testid="tweetText"]`: used the same way by
 *   shuuji3/twitter-embedded-timeline-server (fetchTimeline.ts: User-Name, tweetText, the permalink
 *   is `time.parentElement.href`), buraketmen/twitter-blue-hider (src/contentScript/constants.js),
 *   malikov917/elon-mask (index.js).
 * - Links in tweet text are `a[href^="https://t.co/"]` whose children are `https://` (hidden), the
 *   visible display URL, the hidden rest of the URL and `…`, so the link's text is the real
 *   destination: retrorocket/kill-tco (script.js: text starts with "http", strip the trailing "…"),
 *   tony-o/t.co-bypass (greasemonkey.user.js: joins the child nodes, drops "…").
 * - `[data-testid="socialContext"]` ("… reposted"), the quoted tweet as a `div[role="link"]` inside
 *   the tweet holding its own User-Name (spans, no links), `[data-testid="card.wrapper"]` and the
 *   profile header's `[data-testid="UserName"]`: well known from X extensions, but NOT confirmed
 *   from a public source here. The card's real destination is read from the domain it displays
 *   (`parler.com`) when it shows one, else the card's t.co href is returned.
 */

import { absoluteUrl, hrefOf, isHostOn, textOf, timeOf, uniqueByUrl, urlOf } from '../dom.ts';
import type { Anchored, PostData, ProfileHeader, SiteAdapter } from '../types.ts';
import { siteHost } from '../url.ts';
import { X_HOSTS, X_RESERVED, xKeys, xSite } from './site.ts';

const POST = 'article[data-testid="tweet"]';
const USER_NAME = '[data-testid="User-Name"]';
const QUOTED = 'div[role="link"]';
const SOCIAL_CONTEXT = '[data-testid="socialContext"]';
const TWEET_TEXT = '[data-testid="tweetText"]';
const CARD = '[data-testid="card.wrapper"]';
/** Every part of a tweet `parsePost` reads, found in one walk of the tweet (each was a walk of its own). */
const PARTS = `${QUOTED}, ${USER_NAME}, ${SOCIAL_CONTEXT}, ${TWEET_TEXT}, ${CARD}`;
const HANDLE = /^@?([A-Za-z0-9_]{1,15})$/;
const DOMAIN = /(?:^|\s)((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})$/i;

function isOnX(url: URL): boolean {
  return xSite.domains.some((domain) => isHostOn(url.hostname, domain));
}

/** A link to X's own pages (a mention, a hashtag, a cashtag search), not to one of its other services. */
function isXPage(url: URL): boolean {
  return X_HOSTS.has(siteHost(url.hostname));
}

/** The handle a profile URL on X names (`/realDonaldTrump`), or undefined. */
function profileHandle(url: URL): string | undefined {
  if (!isOnX(url)) return undefined;
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments.length !== 1 || segments[0] === undefined) return undefined;
  const handle = HANDLE.exec(segments[0])?.[1];
  return handle !== undefined && !X_RESERVED.has(handle.toLowerCase()) ? handle : undefined;
}

/** Whether `element` belongs to `root` itself rather than to a quoted tweet inside it. */
function ownedBy(root: Element, element: Element, quoted: Element | undefined): boolean {
  return root.contains(element) && !(quoted?.contains(element) ?? false);
}

/** A tweet's parts (`PARTS`) by kind, each list in document order. */
interface Parts {
  links: Element[];
  userNames: Element[];
  contexts: Element[];
  texts: Element[];
  cards: Element[];
}

function partsOf(tweet: Element): Parts {
  const parts: Parts = { links: [], userNames: [], contexts: [], texts: [], cards: [] };
  for (const part of tweet.querySelectorAll(PARTS)) {
    const testId = part.getAttribute('data-testid');
    if (testId === 'User-Name') parts.userNames.push(part);
    else if (testId === 'socialContext') parts.contexts.push(part);
    else if (testId === 'tweetText') parts.texts.push(part);
    else if (testId === 'card.wrapper') parts.cards.push(part);
    if (part.localName === 'div' && part.getAttribute('role') === 'link') parts.links.push(part);
  }
  return parts;
}

/** The first of `found` (parts of the tweet) that is not inside the quoted tweet. */
function ownFirst(found: Element[], quoted: Element | undefined): Element | undefined {
  return quoted ? found.find((element) => !quoted.contains(element)) : found[0];
}

/** The quoted tweet's container: a `div[role="link"]` in the tweet that has its own User-Name. */
function findQuoted(parts: Parts): Element | undefined {
  return parts.links.find((candidate) =>
    parts.userNames.some((name) => name !== candidate && candidate.contains(name)),
  );
}

/** The deepest element under `root` whose text is exactly `@handle`. */
function handleElement(root: Element): { element: Element; handle: string } | undefined {
  let found: { element: Element; handle: string } | undefined;
  for (const element of root.querySelectorAll('span, div')) {
    const text = textOf(element);
    if (!text.startsWith('@')) continue;
    const handle = HANDLE.exec(text)?.[1];
    if (handle !== undefined) found = { element, handle };
  }
  return found;
}

/**
 * The real destination of a t.co link, read from its text (`https://parler.com/profile/x…`); the
 * href when the text does not spell a URL.
 */
function tcoDestination(anchor: Element, href: string): string {
  const text = (anchor.textContent ?? '').replace(/\s+/g, '').replace(/…$/, '');
  if (text === '') return href;
  const withScheme = /^https?:\/\//i.test(text) ? text : `https://${text}`;
  const url = absoluteUrl(withScheme, href);
  if (url === undefined) return href;
  return DOMAIN.test(urlOf(url).hostname) ? url : href;
}

function isTco(url: string): boolean {
  return urlOf(url).hostname === 't.co';
}

function textLinks(text: Element | undefined, location: URL): Anchored[] {
  if (!text) return [];
  const links: Anchored[] = [];
  for (const anchor of text.querySelectorAll('a[href]')) {
    const href = hrefOf(anchor, location);
    if (href === undefined) continue;
    const tco = isTco(href);
    // Mentions (/handle), hashtags and cashtags point at X itself: they are not body links.
    if (!tco && isXPage(urlOf(href))) continue;
    const url = tco ? tcoDestination(anchor, href) : href;
    links.push({ url, anchor });
  }
  return links;
}

/** A link card: the domain it displays (the real destination), else its t.co href. */
function cardLink(card: Element, location: URL): Anchored | undefined {
  const anchor = card.querySelector('a[href]');
  const href = hrefOf(anchor, location);
  if (!anchor || href === undefined) return undefined;
  if (!isTco(href)) return { url: href, anchor };
  for (const span of card.querySelectorAll('span')) {
    if (span.querySelector('span')) continue;
    const domain = DOMAIN.exec(textOf(span))?.[1];
    // Anchored at the card's link around the domain (the badge goes after it, not inside it).
    if (domain !== undefined)
      return { url: `https://${domain.toLowerCase()}/`, anchor: span.closest('a') ?? span };
  }
  return { url: href, anchor };
}

function parseQuoted(quoted: Element, location: URL): PostData {
  const userName = quoted.querySelector(USER_NAME);
  const found = userName ? handleElement(userName) : undefined;
  const permalinkAnchor = quoted.querySelector('a[href*="/status/"]');
  const permalinkHref = hrefOf(permalinkAnchor, location);
  const text = quoted.querySelector(TWEET_TEXT) ?? undefined;
  return {
    element: quoted,
    permalink: permalinkHref === undefined ? undefined : statusUrl(urlOf(permalinkHref)),
    author:
      found === undefined
        ? undefined
        : { url: new URL(`/${found.handle}`, location).href, anchor: found.element },
    time: timeOf(quoted),
    links: textLinks(text, location),
  };
}

/** `/handle/status/123/photo/1` → `https://x.com/handle/status/123`. */
function statusUrl(url: URL): string | undefined {
  const match = /^\/([A-Za-z0-9_]{1,15})\/status\/(\d+)/.exec(url.pathname);
  return match ? `${url.origin}/${match[1]}/status/${match[2]}` : undefined;
}

export const xAdapter: SiteAdapter = {
  id: 'x',
  name: xSite.name,
  keyRules: [xKeys],
  matches(location) {
    return isOnX(location);
  },
  postSelector: POST,
  // Hrefs, the t.co links' text (a URL), the cards' domains and the quoted author's `@handle`.
  quickRead: { attributes: ['href'], text: true, joinedText: true },
  parsePost(element, location) {
    if (!element.matches(POST)) return null;
    const parts = partsOf(element);
    const quoted = findQuoted(parts);
    const userName = ownFirst(parts.userNames, quoted);
    if (!userName) return null;

    let author: Anchored | undefined;
    for (const anchor of userName.querySelectorAll('a[href]')) {
      const href = hrefOf(anchor, location);
      if (href !== undefined && profileHandle(urlOf(href)) !== undefined) {
        author = { url: href, anchor };
        break;
      }
    }
    // In a timeline the time link sits in the User-Name row; a focused tweet shows it under the text.
    const timeLink =
      userName.querySelector('a[href*="/status/"]') ??
      [...element.querySelectorAll('a[href*="/status/"]')].find(
        (anchor) => anchor.querySelector('time') && ownedBy(element, anchor, quoted),
      );
    const timeHref = hrefOf(timeLink, location);

    let repostedBy: Anchored | undefined;
    const context = ownFirst(parts.contexts, quoted);
    const contextLink = context?.closest('a[href]');
    const contextHref = hrefOf(contextLink, location);
    if (context && contextLink && contextHref !== undefined && profileHandle(urlOf(contextHref))) {
      // The badge goes after its anchor: the whole "… reposted" link, so it does not land inside it.
      repostedBy = { url: contextHref, anchor: contextLink };
    }

    const text = ownFirst(parts.texts, quoted);
    const links = textLinks(text, location);
    for (const card of parts.cards) {
      if (quoted?.contains(card)) continue;
      const link = cardLink(card, location);
      if (link) links.push(link);
    }

    return {
      element,
      permalink: timeHref === undefined ? undefined : statusUrl(urlOf(timeHref)),
      author,
      time: timeOf(timeLink),
      links: uniqueByUrl(links),
      quoted: quoted ? parseQuoted(quoted, location) : undefined,
      repostedBy,
    };
  },
  findProfileHeader(doc, location) {
    const pathHandle = location.pathname.split('/').filter(Boolean)[0];
    // The timeline, search, settings…: no account's page, so the document is not searched.
    if (pathHandle !== undefined && X_RESERVED.has(pathHandle.toLowerCase())) return null;
    const header = doc.querySelector('[data-testid="UserName"]');
    if (!header) return null;
    const found = handleElement(header);
    const handle = found?.handle ?? profileHandle(location);
    if (handle === undefined) return null;
    if (pathHandle !== undefined && pathHandle.toLowerCase() !== handle.toLowerCase()) return null;
    return {
      element: header,
      account: { url: new URL(`/${pathHandle ?? handle}`, location).href, anchor: found?.element ?? header },
    } satisfies ProfileHeader;
  },
};
