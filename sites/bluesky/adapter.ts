/**
 * Bluesky (bsky.app): reads feed and thread posts and the profile header from Bluesky's web app
 * (React Native Web, so `testID` props become `data-testid`). Pure reads of the DOM; never mutates
 * the page, no extension API, no network.
 *
 * Markup confirmed from Bluesky's public source (bluesky-social/social-app):
 * - src/view/com/posts/FeedItem.tsx: the post root `testID="feedItem-by-<author handle>"`; a repost
 *   shows first a link to the reposter's profile ("Reposted by …", `makeProfileLink(reason.by)`);
 *   the body is `testID="contentHider-post"` with `testID="postText"`, embeds in
 *   `testID="contentHider-embed"`.
 * - src/view/com/util/PostMeta.tsx: the author's display name and handle are links to
 *   `/profile/<handle>`, the time is a link to `/profile/<handle>/post/<rkey>` whose text is relative
 *   and whose title is a localised date: Bluesky shows no machine-readable time, so `time` is left out.
 * - src/view/com/util/post-embeds/QuoteEmbed.tsx: a quoted post is a link-like box (title
 *   "Post by <handle>") holding its own PostMeta and text.
 * - Thread items use `postThreadItem-by-<handle>` (kawarimidoll/bluespy scripts/content_scripts.js
 *   selects `div[role="link"][data-testid^="feedItem-by-"]` and `…postThreadItem-by-…`); the profile
 *   header's name is `testID="profileHeaderDisplayName"` (social-app's ProfileHeaderDisplayName
 *   component; the file was found by content, its path not confirmed).
 * Links in post text carry their real destination as href (Bluesky does not wrap links).
 */

import { anchoredLink, isHostOn, linksIn, offSiteLinks, sameHandle } from '../dom.ts';
import { mastodonKeys } from '../mastodon/site.ts';
import { truthsocialKeys } from '../truthsocial/site.ts';
import type { Anchored, PostData, SiteAdapter } from '../types.ts';
import { blueskyKeys, blueskySite } from './site.ts';

const POST = '[data-testid^="feedItem-by-"], [data-testid^="postThreadItem-by-"]';
const EMBED = '[data-testid="contentHider-embed"]';
const PROFILE_PATH = /^\/profile\/([^/]+)\/?$/;
const POST_PATH = /^\/profile\/([^/]+)\/post\/([^/]+)\/?$/;

function handleOf(element: Element): string | undefined {
  const testId = element.getAttribute('data-testid') ?? '';
  const match = /^(?:feedItem|postThreadItem)-by-(.+)$/.exec(testId);
  return match?.[1];
}

function isBluesky(url: URL): boolean {
  return isHostOn(url.hostname, 'bsky.app');
}

/** A link to the app's own pages (profiles, posts, hashtags); its redirector `go.bsky.app` is not. */
function isAppPage(url: URL): boolean {
  return url.hostname === 'bsky.app';
}

/** The quoted post: the first element inside the post's embed area that links to a post. */
function findQuote(post: Element, location: URL): Element | undefined {
  for (const embed of post.querySelectorAll(EMBED)) {
    if (embed.parentElement?.closest(EMBED)) continue;
    const postLink = linksIn(embed, location).find(
      (link) => isAppPage(link.url) && POST_PATH.test(link.url.pathname),
    );
    if (!postLink) continue;
    const box = [...embed.querySelectorAll('div[role="link"]')].find((el) => el.contains(postLink.element));
    return box ?? embed;
  }
  return undefined;
}

function readPost(root: Element, location: URL, handle: string | undefined, skip?: Element): PostData {
  const links = linksIn(root, location, skip);
  const profileLinks = links.filter(
    (link) => isAppPage(link.url) && PROFILE_PATH.test(link.url.pathname) && link.element.textContent?.trim(),
  );
  const postLinks = links.filter((link) => isAppPage(link.url) && POST_PATH.test(link.url.pathname));
  const permalinkLink =
    postLinks.find((link) => sameHandle(POST_PATH.exec(link.url.pathname)?.[1], handle)) ?? postLinks[0];
  // Links name the author by handle, or by DID when the handle does not verify ("handle.invalid"):
  // the permalink names the author the same way as the author's own links do.
  const linkedAs = permalinkLink ? POST_PATH.exec(permalinkLink.url.pathname)?.[1] : undefined;
  const authorLink =
    profileLinks.find((link) => sameHandle(PROFILE_PATH.exec(link.url.pathname)?.[1], handle)) ??
    profileLinks.find((link) => sameHandle(PROFILE_PATH.exec(link.url.pathname)?.[1], linkedAs)) ??
    (handle === undefined && linkedAs === undefined ? profileLinks[0] : undefined);
  const authorHandle = authorLink ? PROFILE_PATH.exec(authorLink.url.pathname)?.[1] : handle;

  let permalink = permalinkLink?.url.href;
  // The focused post of a thread page shows no link to itself: the page is its permalink.
  const here = POST_PATH.exec(location.pathname);
  if (
    permalink === undefined &&
    root.matches('[data-testid^="postThreadItem-by-"]') &&
    sameHandle(here?.[1], handle)
  ) {
    permalink = new URL(location.pathname, location).href;
  }

  let repostedBy: Anchored | undefined;
  if (authorLink) {
    const reposter = profileLinks.find(
      (link) =>
        link !== authorLink &&
        !sameHandle(PROFILE_PATH.exec(link.url.pathname)?.[1], authorHandle) &&
        (link.element.compareDocumentPosition(authorLink.element) & 4) !== 0,
    );
    if (reposter) repostedBy = anchoredLink(reposter);
  }

  return {
    element: root,
    permalink,
    author: authorLink && anchoredLink(authorLink),
    links: offSiteLinks(links, isAppPage),
    repostedBy,
  };
}

export const blueskyAdapter: SiteAdapter = {
  id: 'bluesky',
  name: blueskySite.name,
  keyRules: [blueskyKeys, mastodonKeys, truthsocialKeys],
  matches(location) {
    return isBluesky(location);
  },
  postSelector: POST,
  // Keys come from hrefs and (a thread's focused post) the page's URL; the test id only picks a link.
  quickRead: { attributes: ['href'] },
  parsePost(element, location) {
    if (!element.matches(POST)) return null;
    const quote = findQuote(element, location);
    const post = readPost(element, location, handleOf(element), quote);
    if (!post.author && post.permalink === undefined) return null;
    if (quote) post.quoted = readPost(quote, location, undefined);
    return post;
  },
  findProfileHeader(doc, location) {
    const handle = PROFILE_PATH.exec(location.pathname)?.[1];
    // Only a profile page has the header: other pages are not searched for it.
    if (handle === undefined) return null;
    const name = doc.querySelector('[data-testid="profileHeaderDisplayName"]');
    if (!name) return null;
    return {
      element: name.parentElement ?? name,
      account: { url: new URL(`/profile/${handle}`, location).href, anchor: name },
    };
  },
};
