/**
 * Truth Social (truthsocial.com): reads posts ("Truths") and the profile header. Truth Social runs a
 * Mastodon fork behind its own front end, derived from Soapbox. Pure reads of the DOM; never
 * mutates the page, no extension API, no network.
 *
 * Where the markup comes from — Truth Social's own front-end source is not in the public code
 * index, so this relies on the Soapbox front end it derives from, on public Truth Social scrapers,
 * and on stable signals:
 * - soapbox-pub/soapbox src/components/status.tsx: the post root `[data-testid="status"]` >
 *   `.status` > `.status__wrapper[data-id]`; a repost line `[role="status-info"]` whose link goes
 *   to the reposter's `/@acct` ("{name} reposted"; Truth Social says "ReTruthed"); the author block
 *   `[data-testid="account"]` (src/components/account.tsx: avatar link and display-name link to
 *   `/@acct` with `title=acct`, then the time link to the post); the body in
 *   `.status__content-wrapper`; a quote as `[data-testid="quoted-status"]`
 *   (src/components/quoted-status.tsx).
 * - Public Truth Social scrapers in the code index (found by content; the index does not name their
 *   repositories) find posts by their permalinks `a[href*="/@<user>/posts/"]`
 *   (`https://truthsocial.com/@realDonaldTrump/posts/<id>`), try `time[datetime]` and read the text
 *   from `[data-testid="markup"]` / `[data-testid="status-content"]`.
 * Not confirmed: whether truthsocial.com keeps Soapbox's test ids today. Author, permalink and
 * reposter are therefore read from link shapes (`/@user`, `/@user/posts/<id>`) inside the post, and
 * the profile header is recognised from the page URL (`/@user`) and the `@user` handle the page
 * shows, not from a class or test id.
 */

import { anchoredLink, isHostOn, linksIn, offSiteLinks, sameHandle, textOf, timeOf } from '../dom.ts';
import { mastodonKeys } from '../mastodon/site.ts';
import type { Anchored, PostData, SiteAdapter } from '../types.ts';
import { truthsocialKeys, truthsocialSite } from './site.ts';

const POST = '[data-testid="status"]';
const QUOTE = '[data-testid="quoted-status"]';
const PROFILE_PATH = /^\/@([A-Za-z0-9_]+)\/?$/;
const POST_PATH = /^\/@([A-Za-z0-9_]+)\/posts\/(\d+)\/?$/;
/** Profile sub-pages that still show the account's header. */
const PROFILE_PAGE = /^\/@([A-Za-z0-9_]+)(?:\/(?:with_replies|media|likes|followers|following))?\/?$/;

function isTruthSocial(url: URL): boolean {
  return isHostOn(url.hostname, 'truthsocial.com');
}

function readPost(root: Element, location: URL, skip?: Element): PostData {
  const links = linksIn(root, location, skip);
  const isLocal = (url: URL) => url.host === location.host;
  const profileLinks = links.filter((link) => isLocal(link.url) && PROFILE_PATH.test(link.url.pathname));

  const info = [...root.querySelectorAll('[role="status-info"]')].find((el) => !skip?.contains(el));
  const accountBlock = [...root.querySelectorAll('[data-testid="account"]')].find(
    (el) => !skip?.contains(el),
  );

  let repostedBy: Anchored | undefined;
  const reposter = info ? profileLinks.find((link) => info.contains(link.element)) : undefined;
  if (reposter) repostedBy = anchoredLink(reposter);

  const candidates = profileLinks.filter(
    (link) =>
      !info?.contains(link.element) && textOf(link.element) !== '' && !textOf(link.element).startsWith('@'),
  );
  const authorLink = candidates.find((link) => accountBlock?.contains(link.element)) ?? candidates[0];
  const authorUser = authorLink ? PROFILE_PATH.exec(authorLink.url.pathname)?.[1] : undefined;

  const postLinks = links.filter((link) => isLocal(link.url) && POST_PATH.test(link.url.pathname));
  const permalinkLink =
    postLinks.find((link) => sameHandle(POST_PATH.exec(link.url.pathname)?.[1], authorUser)) ?? postLinks[0];

  return {
    element: root,
    permalink: permalinkLink?.url.href,
    author: authorLink && anchoredLink(authorLink),
    time: timeOf(permalinkLink?.element),
    links: offSiteLinks(links, isLocal),
    repostedBy,
  };
}

export const truthsocialAdapter: SiteAdapter = {
  id: 'truthsocial',
  name: truthsocialSite.name,
  keyRules: [mastodonKeys, truthsocialKeys],
  matches(location) {
    return isTruthSocial(location);
  },
  postSelector: POST,
  // Keys come from hrefs (relative ones on the page's host); the text only picks links.
  quickRead: { attributes: ['href'] },
  parsePost(element, location) {
    if (!element.matches(POST)) return null;
    const quote = [...element.querySelectorAll(QUOTE)].find(
      (box) => box.parentElement?.closest(QUOTE) === null,
    );
    const post = readPost(element, location, quote);
    if (!post.author && post.permalink === undefined) return null;
    if (quote) post.quoted = readPost(quote, location);
    return post;
  },
  findProfileHeader(doc, location) {
    const user = PROFILE_PAGE.exec(location.pathname)?.[1];
    if (user === undefined) return null;
    // The handle as the page shows it (`@realDonaldTrump`), outside any post.
    let handle: Element | undefined;
    for (const element of doc.querySelectorAll('body *')) {
      if (element.closest(POST) || element.children.length > 0) continue;
      if (textOf(element).toLowerCase() === `@${user.toLowerCase()}`) {
        handle = element;
        break;
      }
    }
    if (!handle) return null;
    return {
      element: handle.parentElement ?? handle,
      account: { url: new URL(`/@${user}`, location).href, anchor: handle },
    };
  },
};
