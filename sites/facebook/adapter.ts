/**
 * Facebook adapter: feed posts (home feed, Pages, profiles, groups), the comments shown under them, and
 * the header of a profile or Page. Pure reads of the DOM; never mutates the page, no extension API, no
 * network.
 *
 * Facebook's markup is generated: class names (`x1yztbdb x1n2onr6 …`) change with every build and are
 * never used here. We rely only on signals that carry meaning and that public tools keep relying on:
 * - post containers: `div[aria-posinset]` (feed units, with `aria-labelledby` → the author heading and
 *   `aria-describedby` → the message) and `[role="article"]` (posts on some surfaces, and comments, whose
 *   `aria-label` is "Comment by …"): Facebook scrapers' selector tables ("div[aria-posinset]: positional
 *   index in feed, very stable", `div[role="article"]`) and a Playwright feed crawler;
 * - `[data-ad-rendering-role="profile_name"]` (the author's name) and `[data-ad-rendering-role="story_message"]`,
 *   `[data-ad-preview="message"]`, `[data-ad-comet-preview="message"]` (the message): several public
 *   crawlers and a Facebook-cleanup app's tests, which note the old `._5rgt` class pair matches nothing today;
 * - sponsored posts: an `a[aria-label="Sponsored"]` or a link to `/ads/`: a public ad-detection extension;
 * - URLs: profile links (`/name`, `/profile.php?id=`), permalinks (`/name/posts/ID`, `/permalink.php?story_fbid=`,
 *   `/name/videos/ID`, `/photo/?fbid=`, `/reel/ID`, `/groups/G/posts/ID`), and the outbound-link wrapper
 *   `https://l.facebook.com/l.php?u=<destination>`, all from Facebook's public URL shapes.
 * Facebook appends tracking parameters (`__cft__[0]`, `__tn__`, `__xts__`) to its links; they are dropped.
 * Not confirmed: the post header's time link carries the permalink (on the live site its href is only filled
 * in once the reader hovers it, so a post may have no permalink until then), and no machine-readable post
 * time is exposed (relative, obfuscated text), so `time` is never set. Shared posts are not split into
 * `quoted`: the shared original has no stable container of its own that we could confirm. The profile header
 * is the page's first `h1` outside any post, with the account taken from the URL.
 */

import { collectLinks, isHostOn, linksIn, type PageLink, unwrapRedirect } from '../dom.ts';
import type { Anchored, PostData, ProfileHeader, SiteAdapter } from '../types.ts';
import { facebookKeys, facebookSite } from './site.ts';

const POST = 'div[aria-posinset], [role="article"]';
/** What separates one post from another inside the page: feed units and labelled articles (comments). */
const BOUNDARY = 'div[aria-posinset], [role="article"][aria-label]';

const RESERVED = new Set(
  'about ads bookmarks business events friends gaming groups hashtag help home.php l.php login marketplace me messages notifications pages people permalink.php photo photo.php photos plugins policies privacy reel reels saved search settings share sharer sharer.php stories story.php video.php videos watch'.split(
    ' ',
  ),
);

function isFacebook(hostname: string): boolean {
  return (
    isHostOn(hostname, 'facebook.com') || isHostOn(hostname, 'fb.com') || isHostOn(hostname, 'fbcdn.net')
  );
}

/** The URL without Facebook's tracking parameters; the only query kept is what names the thing. */
function clean(href: string): string {
  const url = new URL(href);
  const keep = new Set<string>();
  const path = url.pathname.toLowerCase();
  if (path === '/profile.php') keep.add('id');
  if (path === '/permalink.php' || path === '/story.php') {
    keep.add('story_fbid');
    keep.add('id');
  }
  if (path === '/photo/' || path === '/photo' || path === '/photo.php') keep.add('fbid');
  if (path === '/watch/' || path === '/watch') keep.add('v');
  if (url.searchParams.has('comment_id')) keep.add('comment_id');
  // forEach, not keys(): in a Firefox content script URLSearchParams iterators are not iterable.
  const drop: string[] = [];
  url.searchParams.forEach((_value, name) => {
    if (!keep.has(name)) drop.push(name);
  });
  for (const name of drop) url.searchParams.delete(name);
  url.hash = '';
  return url.href;
}

function segments(url: URL): string[] {
  return url.pathname.split('/').filter(Boolean);
}

/** Whether a facebook.com URL is a profile, Page or group (not a post, photo, or app page). */
function isProfileUrl(url: URL): boolean {
  if (!isFacebook(url.hostname)) return false;
  const segs = segments(url);
  const first = (segs[0] ?? '').toLowerCase();
  if (first === 'profile.php') return /^\d+$/.test(url.searchParams.get('id') ?? '');
  if (first === 'groups') return segs.length === 2;
  return segs.length === 1 && !RESERVED.has(first) && /^[A-Za-z0-9.-]{1,80}$/.test(segs[0] ?? '');
}

/** Whether a facebook.com URL is the permalink of a post, video, photo or reel. */
function isPermalinkUrl(url: URL): boolean {
  if (!isFacebook(url.hostname)) return false;
  const segs = segments(url);
  const lower = segs.map((segment) => segment.toLowerCase());
  const first = lower[0] ?? '';
  if (first === 'permalink.php' || first === 'story.php') return url.searchParams.has('story_fbid');
  if (first === 'photo' || first === 'photo.php') return url.searchParams.has('fbid');
  if (first === 'reel') return segs.length === 2;
  if (first === 'groups') return segs.length === 4 && (lower[2] === 'posts' || lower[2] === 'permalink');
  return segs.length >= 3 && !RESERVED.has(first) && (lower[1] === 'posts' || lower[1] === 'videos');
}

function unwrapFacebook(url: string): string {
  for (const host of ['l.facebook.com', 'lm.facebook.com']) {
    const destination = unwrapRedirect(url, { host, paths: ['/l.php'], params: ['u'] });
    if (destination !== url) return destination;
  }
  return url;
}

/** Whether `node` belongs to `element` itself, not to a comment or post nested inside it. */
function belongs(element: Element, node: Element): boolean {
  const boundary = node.parentElement?.closest(BOUNDARY);
  return !boundary || boundary === element || !element.contains(boundary);
}

function own(element: Element, selector: string): Element[] {
  return [...element.querySelectorAll(selector)].filter((node) => belongs(element, node));
}

/** This post's own anchors: not those of a comment or post nested inside it. */
function ownAnchors(element: Element, location: URL): PageLink[] {
  return linksIn(element, location).filter((link) => belongs(element, link.element));
}

function isSponsored(element: Element, location: URL): boolean {
  return ownAnchors(element, location).some(
    ({ element: anchor, url }) =>
      anchor.getAttribute('aria-label') === 'Sponsored' ||
      (isFacebook(url.hostname) && segments(url)[0] === 'ads'),
  );
}

function findAuthor(element: Element, location: URL): Anchored | undefined {
  const anchors = ownAnchors(element, location);
  const doc = element.ownerDocument;
  const labelledBy = element.getAttribute('aria-labelledby');
  const heading = labelledBy ? doc.getElementById(labelledBy) : null;
  const areas = [
    ...own(element, '[data-ad-rendering-role="profile_name"]'),
    ...(heading && element.contains(heading) ? [heading] : []),
    ...own(element, 'h2, h3, h4'),
  ];
  for (const area of areas) {
    const found = anchors.find(({ element: anchor, url }) => area.contains(anchor) && isProfileUrl(url));
    if (found) return { url: clean(found.url.href), anchor: found.element };
  }
  // A comment names its author with the first profile link in it.
  if (element.getAttribute('role') === 'article' && !element.hasAttribute('aria-posinset')) {
    const found = anchors.find(({ url }) => isProfileUrl(url) || url.searchParams.has('comment_id'));
    if (found) {
      const url = new URL(found.url.href);
      url.searchParams.delete('comment_id');
      if (isProfileUrl(url)) return { url: clean(url.href), anchor: found.element };
    }
  }
  return undefined;
}

function findPermalink(element: Element, location: URL): string | undefined {
  const isComment = element.getAttribute('role') === 'article' && !element.hasAttribute('aria-posinset');
  for (const { url } of ownAnchors(element, location)) {
    if (isComment) {
      if (url.searchParams.has('comment_id') && isPermalinkUrl(url)) return clean(url.href);
    } else if (isPermalinkUrl(url)) {
      return clean(url.href);
    }
  }
  return undefined;
}

function parsePost(element: Element, location: URL): PostData | null {
  // A role="article" wrapper inside a feed unit is part of it; a nested one with a label is a comment.
  const outer = element.parentElement?.closest(POST);
  if (outer && !element.matches('div[aria-posinset]') && !element.hasAttribute('aria-label')) return null;
  if (isSponsored(element, location)) return null;
  const author = findAuthor(element, location);
  const permalink = findPermalink(element, location);
  if (!author && permalink === undefined) return null;
  const links = collectLinks(element, location, {
    skipInside: BOUNDARY,
    unwrap: unwrapFacebook,
    keep: (url) => !isFacebook(url.hostname),
  });
  return {
    element,
    ...(permalink !== undefined ? { permalink } : {}),
    ...(author ? { author } : {}),
    links,
  };
}

function findProfileHeader(doc: Document, location: URL): ProfileHeader | null {
  if (!isProfileUrl(location)) return null;
  for (const heading of doc.querySelectorAll('h1')) {
    if (heading.closest(POST)) continue;
    return {
      element: heading.parentElement ?? heading,
      account: { url: clean(location.href), anchor: heading },
    };
  }
  return null;
}

export const facebookAdapter: SiteAdapter = {
  id: 'facebook',
  name: facebookSite.name,
  keyRules: [facebookKeys],
  matches: (location) => isHostOn(location.hostname, 'facebook.com'),
  postSelector: POST,
  parsePost,
  findProfileHeader,
};
