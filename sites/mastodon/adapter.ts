/**
 * Mastodon (any instance): reads statuses and the account header from Mastodon's web UI. Any host
 * may run Mastodon, so `matches` recognises the app's root element, not a host name. Pure reads of
 * the DOM; never mutates the page, no extension API, no network.
 *
 * Markup confirmed from Mastodon's public source (mastodon/mastodon):
 * - app/views/shared/_web_app.html.haml: the app root `div#mastodon.app-holder[data-props]`.
 * - app/javascript/mastodon/components/status.jsx and components/status/legacy/{status.jsx,
 *   header.tsx}: `.status__wrapper` > optional `.status__prepend` (boosts: a retweet icon and
 *   `a.status__display-name` of the booster, "{name} boosted") > `.status[data-id]` >
 *   `.status__info` with `a.status__display-name[href="/@acct"]` (avatar + DisplayName) and
 *   `a.status__relative-time[href="/@acct/id"]` around RelativeTimestamp's `<time datetime>`.
 * - components/status/legacy/content.jsx and components/status/handled_link.tsx: the body is
 *   `.status__content`; mentions are `a.mention`, hashtags `a.mention.hashtag[rel=tag]`, every other
 *   link `a.unhandled-link[target=_blank]` (servers send `rel="nofollow noopener"`).
 * - components/status/legacy/quoted.tsx: a quote post holds `.status__quote` with a whole nested
 *   `.status__wrapper` (`.status.status--is-quote`).
 * - features/status/components/card: link previews are `.status-card` with the link's `a[href]`.
 * - components/account_header (and features/account/components/header): `.account__header` …
 *   `.account__header__tabs__name > h1` (DisplayName, then `small` with `@user` and the domain).
 * - features/status/components/detailed_status.tsx: the focused status of a thread is a
 *   `.detailed-status` (inside `.detailed-status__wrapper`) with `a.detailed-status__display-name` and
 *   `a.detailed-status__datetime` (a formatted date, no `<time>`: no time is read there).
 * Not covered: the redesigned status component Mastodon is introducing behind a flag.
 */

import { hrefOf, isHostOn, textOf, timeOf } from '../dom.ts';
import { truthsocialKeys } from '../truthsocial/site.ts';
import type { Anchored, PostData, SiteAdapter } from '../types.ts';
import { mastodonKeys, mastodonSite } from './site.ts';

const POST = '.status__wrapper, .detailed-status__wrapper';
const STATUS = '.status, .detailed-status';
const QUOTE = '.status__quote';
const ACCT = /^@([^@\s/]+)(?:@([^@\s/]+))?$/;

function childMatching(parent: Element, selector: string): Element | undefined {
  return [...parent.children].find((child) => child.matches(selector));
}

/** Elements under `status` matching `selector` that belong to it, not to a quoted status inside it. */
function own(status: Element, selector: string): Element[] {
  return [...status.querySelectorAll(selector)].filter((element) => {
    const quote = element.closest(QUOTE);
    return !quote || !status.contains(quote);
  });
}

/** Whether a link points at the instance's own profile or hashtag pages (a mention the UI did not mark). */
function isInternalProfileOrTag(url: URL, location: URL): boolean {
  return url.host === location.host && (url.pathname.startsWith('/@') || url.pathname.startsWith('/tags/'));
}

function bodyLinks(status: Element, location: URL): Anchored[] {
  const links: Anchored[] = [];
  const seen = new Set<string>();
  const anchors = [
    ...own(status, '.status__content a[href]'),
    ...own(status, '.status-card[href], .status-card a[href]'),
  ];
  for (const anchor of anchors) {
    if (anchor.classList.contains('mention')) continue;
    const url = hrefOf(anchor, location);
    if (url === undefined || seen.has(url) || isInternalProfileOrTag(new URL(url), location)) continue;
    seen.add(url);
    links.push({ url, anchor });
  }
  return links;
}

function parseStatus(wrapper: Element, location: URL): PostData | null {
  // A timeline status is the wrapper's child; the focused status of a thread sits one level deeper.
  const status = childMatching(wrapper, STATUS) ?? own(wrapper, '.detailed-status')[0];
  if (!status) return null;

  const authorLink = own(status, 'a.status__display-name, a.detailed-status__display-name')[0];
  const authorUrl = hrefOf(authorLink, location);
  // Anchored at the name link itself: the badge goes after it, in the status header, not inside the link.
  const author = authorLink && authorUrl !== undefined ? { url: authorUrl, anchor: authorLink } : undefined;

  const timeLink = own(status, 'a.status__relative-time, a.detailed-status__datetime')[0];

  let repostedBy: Anchored | undefined;
  const prepend = childMatching(wrapper, '.status__prepend');
  if (prepend?.querySelector('.icon-retweet')) {
    const booster = prepend.querySelector('a.status__display-name[href]');
    const url = hrefOf(booster, location);
    if (booster && url !== undefined) repostedBy = { url, anchor: booster };
  }

  const quoteBox = [...status.querySelectorAll(QUOTE)].find(
    (box) => box.parentElement?.closest(QUOTE) === null,
  );
  const quotedWrapper = quoteBox?.querySelector('.status__wrapper');
  const quoted = quotedWrapper ? parseStatus(quotedWrapper, location) : null;

  return {
    element: wrapper,
    permalink: hrefOf(timeLink, location),
    author,
    time: timeOf(timeLink),
    links: bodyLinks(status, location),
    quoted: quoted && quoteBox ? { ...quoted, element: quoteBox } : undefined,
    repostedBy,
  };
}

export const mastodonAdapter: SiteAdapter = {
  id: 'mastodon',
  name: mastodonSite.name,
  keyRules: [mastodonKeys, truthsocialKeys],
  matches(location, doc) {
    // Truth Social runs a Mastodon fork with its own front end and its own adapter.
    if (isHostOn(location.hostname, 'truthsocial.com')) return false;
    return doc.querySelector('#mastodon[data-props]') !== null;
  },
  postSelector: POST,
  // Keys come from hrefs (relative ones on the page's host): the text only picks a profile header.
  quickRead: { attributes: ['href'] },
  parsePost(element, location) {
    if (!element.matches(POST)) return null;
    // A quoted status is read as part of the status quoting it.
    if (element.parentElement?.closest(QUOTE)) return null;
    return parseStatus(element, location);
  },
  findProfileHeader(doc, location) {
    const header = doc.querySelector('.account__header');
    const name = header?.querySelector('.account__header__tabs__name h1');
    if (!header || !name) return null;
    const fromPath = location.pathname.split('/').find((segment) => segment.startsWith('@'));
    const shown = textOf(name.querySelector('small > span') ?? name.querySelector('small'));
    const match = ACCT.exec(decodeURIComponent(fromPath ?? '')) ?? ACCT.exec(shown);
    if (!match) return null;
    const [, user, domain] = match;
    const acct = domain === undefined || domain === location.host ? `@${user}` : `@${user}@${domain}`;
    return {
      element: header,
      account: { url: new URL(`/${acct}`, location).href, anchor: name.firstElementChild ?? name },
    };
  },
};
