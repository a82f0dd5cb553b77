/**
 * Instagram adapter: posts and reels in the home feed and on a post's own page, and the header of a
 * profile page. Pure reads of the DOM; never mutates the page, no extension API, no network.
 *
 * Instagram's class names are generated (`x1lliihq x1n2onr6 …`) and never used here. What we rely on,
 * with the public tools that rely on it too (found with the code search):
 * - a post is an `article` (`article[role="presentation"]` in some views): post selectors of several
 *   feed extensions and scrapers;
 * - the author is the `header` link to `/username/` that holds the name, not the avatar
 *   (`article header a[role="link"]`; a public userscript picks `a[href="/user/"]:not(:has(img))`,
 *   "the header's comes before the caption's");
 * - the permalink is the link around the post's `time`: `a[href*="/p/"] time[datetime]` (also `/reel/`),
 *   with the ISO time in `datetime`: many scrapers read exactly this pair;
 * - the profile page header is `main header section` with the username in `h2`: several scrapers
 *   ("header section h2"); the account is taken from the URL, the heading is where the badge goes.
 * Captions carry no outbound links (Instagram does not linkify URLs there): mentions and hashtags are
 * Instagram links and are left out; a link wrapped in `l.instagram.com/?u=` is unwrapped.
 * Not confirmed: sponsored posts have no stable marker we could confirm, so they are read like others.
 */

import {
  absoluteUrl,
  anchoredHref,
  collectLinks,
  isHostOn,
  ownElements,
  timeOf,
  unwrapRedirect,
} from '../dom.ts';
import type { PostData, ProfileHeader, SiteAdapter } from '../types.ts';
import { instagramKeys, instagramSite } from './site.ts';

const POST = 'article';
const USERNAME = /^[A-Za-z0-9._]{1,30}$/;
const RESERVED = new Set(
  'about accounts api challenge developer direct directory emails explore legal p privacy reel reels stories terms tv web'.split(
    ' ',
  ),
);

function isInstagram(hostname: string): boolean {
  return isHostOn(hostname, 'instagram.com') || isHostOn(hostname, 'cdninstagram.com');
}

/** The profile URL `https://www.instagram.com/name/` when `url` is a profile link, else undefined. */
function profileUrl(url: URL): string | undefined {
  if (!isInstagram(url.hostname)) return undefined;
  const segs = url.pathname.split('/').filter(Boolean);
  const name = segs[0] ?? '';
  if (segs.length !== 1 || RESERVED.has(name.toLowerCase()) || !USERNAME.test(name)) return undefined;
  return `https://www.instagram.com/${name}/`;
}

function isPostUrl(url: URL): boolean {
  const segs = url.pathname.split('/').filter(Boolean);
  return isInstagram(url.hostname) && segs.length === 2 && ['p', 'reel', 'tv'].includes(segs[0] ?? '');
}

function parsePost(element: Element, location: URL): PostData | null {
  const own = (selector: string) => ownElements(element, selector, POST);

  let author: PostData['author'];
  for (const anchor of own('header a[href]')) {
    if (anchor.querySelector('img')) continue;
    const href = absoluteUrl(anchor.getAttribute('href'), location);
    const url = href === undefined ? undefined : profileUrl(new URL(href));
    if (url !== undefined) {
      author = { url, anchor };
      break;
    }
  }

  let permalink: string | undefined;
  let time: string | undefined;
  for (const stamp of own('a[href] time[datetime]')) {
    const link = anchoredHref(stamp.closest('a[href]'), location);
    if (link && isPostUrl(new URL(link.url))) {
      const url = new URL(link.url);
      permalink = `${url.origin}${url.pathname}`;
      time = timeOf(stamp);
      break;
    }
  }
  if (permalink === undefined) {
    const link = own('a[href]')
      .map((anchor) => absoluteUrl(anchor.getAttribute('href'), location))
      .find((href) => href !== undefined && isPostUrl(new URL(href)));
    if (link !== undefined) permalink = `${new URL(link).origin}${new URL(link).pathname}`;
  }
  if (!author && permalink === undefined) return null;

  const links = collectLinks(element, location, {
    skipInside: POST,
    unwrap: (url) => unwrapRedirect(url, { host: 'l.instagram.com', paths: ['/', ''], params: ['u'] }),
    keep: (url) => !isInstagram(url.hostname),
  });
  return {
    element,
    ...(permalink !== undefined ? { permalink } : {}),
    ...(author ? { author } : {}),
    ...(time !== undefined ? { time } : {}),
    links,
  };
}

const PROFILE_TABS = new Set(['tagged', 'reels', 'saved']);

function findProfileHeader(doc: Document, location: URL): ProfileHeader | null {
  const [name = '', tab] = location.pathname.split('/').filter(Boolean);
  if (name === '' || (tab !== undefined && !PROFILE_TABS.has(tab))) return null;
  const url = profileUrl(new URL(`/${name}/`, location));
  if (url === undefined) return null;
  const heading = doc.querySelector('main header section h2') ?? doc.querySelector('header section h2');
  const header = heading?.closest('header');
  if (!heading || !header) return null;
  return { element: header, account: { url, anchor: heading } };
}

export const instagramAdapter: SiteAdapter = {
  id: 'instagram',
  name: instagramSite.name,
  keyRules: [instagramKeys],
  matches: (location) => isHostOn(location.hostname, 'instagram.com'),
  postSelector: POST,
  parsePost,
  findProfileHeader,
};
