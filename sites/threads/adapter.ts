/**
 * Threads (www.threads.net, www.threads.com): reads posts and the profile header. Pure reads of the
 * DOM; never mutates the page, no extension API, no network.
 *
 * Threads' class names are generated and change often, and its source is not public, so this
 * adapter relies on the few stable signals public tools use:
 * - the post root `div[data-pressable-container="true"]` (official5ETa/ThreadsAutoComment
 *   src/share/threadsQs.ts: `[data-pressable-container][data-interactive-id]`; also the post
 *   selector of several public Threads scrapers);
 * - profile links `a[href^="/@"]` and `time[datetime]` (beak2825/greasyfork_archives
 *   js_greasyfork/535788.js reads the author from `a[href^="/@"]` and the time from `time`'s
 *   `datetime`), and permalinks `/@user/post/<code>` whose link holds that `<time>`.
 * Not confirmed, and read from link shapes instead of markup: the repost line ("<user> reposted",
 * a profile link above the author's), a quoted post (a nested pressable container holding its own
 * author link and permalink) and the profile header (the page's `h1` on a `/@user` page).
 * Outbound links are `l.threads.com/?u=…` / `l.threads.net/?u=…` redirects: they are returned as
 * they are, and feed/targets.ts reads the destination from them.
 */

import { anchoredLink, isHostOn, linksIn, offSiteLinks, sameHandle, textOf, timeOf } from '../dom.ts';
import type { Anchored, PostData, SiteAdapter } from '../types.ts';
import { threadsKeys, threadsSite } from './site.ts';

const POST = 'div[data-pressable-container="true"]';
const PROFILE_PATH = /^\/@([A-Za-z0-9._]+)\/?$/;
const POST_PATH = /^\/@([A-Za-z0-9._]+)\/post\/([A-Za-z0-9_-]+)\/?$/;
const PROFILE_PAGE = /^\/@([A-Za-z0-9._]+)(?:\/(?:replies|reposts|media))?\/?$/;

function isThreads(url: URL): boolean {
  return isHostOn(url.hostname, 'threads.net') || isHostOn(url.hostname, 'threads.com');
}

/** A link to Threads' own pages (profiles, posts, search); its outbound redirector `l.threads.*` is not. */
function isThreadsPage(url: URL): boolean {
  return /^(?:www\.)?threads\.(?:net|com)$/i.test(url.hostname);
}

function readPost(root: Element, location: URL, skip?: Element): PostData | null {
  const links = linksIn(root, location, skip);
  const onThreads = links.filter((link) => isThreadsPage(link.url));
  const postLinks = onThreads.filter((link) => POST_PATH.test(link.url.pathname));
  const profileLinks = onThreads.filter(
    (link) => PROFILE_PATH.test(link.url.pathname) && textOf(link.element) !== '',
  );

  const permalinkLink = postLinks.find((link) => link.element.querySelector('time')) ?? postLinks[0];
  const permalinkUser = permalinkLink ? POST_PATH.exec(permalinkLink.url.pathname)?.[1] : undefined;
  const authorLink =
    profileLinks.find((link) => sameHandle(PROFILE_PATH.exec(link.url.pathname)?.[1], permalinkUser)) ??
    (permalinkUser === undefined ? profileLinks[0] : undefined);
  if (!authorLink && !permalinkLink) return null;
  const authorUser = authorLink ? PROFILE_PATH.exec(authorLink.url.pathname)?.[1] : permalinkUser;

  let repostedBy: Anchored | undefined;
  if (authorLink) {
    const reposter = profileLinks.find(
      (link) =>
        !sameHandle(PROFILE_PATH.exec(link.url.pathname)?.[1], authorUser) &&
        (link.element.compareDocumentPosition(authorLink.element) & 4) !== 0,
    );
    if (reposter) repostedBy = anchoredLink(reposter);
  }

  return {
    element: root,
    permalink: permalinkLink?.url.href,
    author: authorLink && anchoredLink(authorLink),
    time: timeOf(permalinkLink?.element),
    links: offSiteLinks(links, isThreadsPage),
    repostedBy,
  };
}

export const threadsAdapter: SiteAdapter = {
  id: 'threads',
  name: threadsSite.name,
  keyRules: [threadsKeys],
  matches(location) {
    return isThreads(location);
  },
  postSelector: POST,
  // Keys come from hrefs; the text only picks the author's link.
  quickRead: { attributes: ['href'] },
  parsePost(element, location) {
    if (!element.matches(POST)) return null;
    // A quoted post is a pressable container inside the post quoting it: read it as part of that post.
    if (element.parentElement?.closest(POST)) return null;
    const quote = [...element.querySelectorAll(POST)].find(
      (box) => box.parentElement?.closest(POST) === element,
    );
    const post = readPost(element, location, quote);
    if (!post) return null;
    const quoted = quote ? readPost(quote, location) : null;
    if (quoted) post.quoted = quoted;
    return post;
  },
  findProfileHeader(doc, location) {
    const user = PROFILE_PAGE.exec(location.pathname)?.[1];
    if (user === undefined) return null;
    const name = [...doc.querySelectorAll('h1')].find((h1) => !h1.closest(POST) && textOf(h1) !== '');
    if (!name) return null;
    return {
      element: name.parentElement ?? name,
      account: { url: new URL(`/@${user}`, location).href, anchor: name },
    };
  },
};
