/**
 * YouTube adapter: on a watch page, the video itself (its metadata block: channel, description links)
 * and every comment and reply; on a channel page, the channel header. Pure reads of the DOM; never
 * mutates the page, no extension API, no network. Outbound links are unwrapped from YouTube's
 * `/redirect?q=` wrapper; links to YouTube itself are left out.
 *
 * Where the markup comes from (public sources, found with the code search):
 * - watch page: `ytd-watch-flexy[video-id]` › `ytd-watch-metadata` › `#owner` › `ytd-video-owner-renderer` ›
 *   `#upload-info` › `ytd-channel-name#channel-name` › `#container` › `#text-container` › `yt-formatted-string#text` › `a`
 *   (a Selenium scraper's full XPath, and selectors such as "ytd-video-owner-renderer #channel-name a" in
 *   several extensions); `#description-inline-expander`.
 * - the microformat `meta[itemprop="channelId"]`, `meta[itemprop="videoId"]`, `meta[itemprop="datePublished"]`
 *   (scrapers of the served watch page), and the warning in a public extension's test that this head
 *   metadata goes stale on in-app navigation: we only trust it when its videoId is the page's video.
 * - comments: `ytd-comment-thread-renderer` › `ytd-comment-view-model#comment` › `#header-author` ›
 *   `h3 > a#author-text[href="/@handle"] > span`, `#published-time-text a[href="/watch?v=ID&lc=COMMENT"]`,
 *   `#comment-content ytd-expander #content yt-attributed-string#content-text`, replies under
 *   `#replies ytd-comment-replies-renderer` (comment scrapers and a YouTube comment XPath); the older
 *   `ytd-comment-renderer` with the same ids is read the same way.
 * - channel page: `#page-header yt-page-header-renderer yt-page-header-view-model … yt-dynamic-text-view-model h1`
 *   (scrapers' XPaths and the "yt-page-header-renderer h1" selector of several extensions).
 * Not confirmed from a public source: the class names of links inside comments and the description
 * (`a.yt-core-attributed-string__link`); we read any `a[href]` there.
 *
 * Authorship: the video's author is the channel. When the verified microformat names the channel id we
 * return https://www.youtube.com/channel/UC… (stable, what curators copy from the channel page's own
 * URL); otherwise the channel link as shown (usually /@handle). Comment authors are their /@handle links.
 * Comments have no machine-readable time on the page ("4 years ago"), so they carry none.
 */

import {
  absoluteUrl,
  anchoredHref,
  collectLinks,
  isHostOn,
  isoTime,
  ownElement,
  unwrapRedirect,
} from '../dom.ts';
import type { Anchored, PostData, ProfileHeader, SiteAdapter } from '../types.ts';
import { youtubeKeys, youtubeSite } from './site.ts';

const WATCH_METADATA = 'ytd-watch-metadata';
const COMMENT = 'ytd-comment-view-model, ytd-comment-renderer';
const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

function isYouTube(hostname: string): boolean {
  return isHostOn(hostname, 'youtube.com') || hostname === 'youtu.be';
}

function unwrapYouTube(url: string): string {
  return unwrapRedirect(url, { host: 'youtube.com', paths: ['/redirect'], params: ['q'] });
}

function outboundLinks(root: Element, selector: string, location: URL, skipInside?: string): Anchored[] {
  return collectLinks(root, location, {
    selector,
    unwrap: unwrapYouTube,
    keep: (url) => !isYouTube(url.hostname),
    ...(skipInside ? { skipInside } : {}),
  });
}

/** The id of the video the page shows now: the watch element's attribute, else the URL's `v`. */
function currentVideoId(element: Element, location: URL): string | undefined {
  const fromPage = element.closest('ytd-watch-flexy')?.getAttribute('video-id') ?? '';
  if (VIDEO_ID.test(fromPage)) return fromPage;
  const fromUrl = location.pathname === '/watch' ? (location.searchParams.get('v') ?? '') : '';
  return VIDEO_ID.test(fromUrl) ? fromUrl : undefined;
}

/** A microformat `meta[itemprop=name]` value, only when the microformat describes `videoId`. */
function microformat(doc: Document, videoId: string, name: string): string | undefined {
  const described = doc.querySelector('meta[itemprop="videoId"]')?.getAttribute('content');
  if (described !== videoId) return undefined;
  return doc.querySelector(`meta[itemprop="${name}"]`)?.getAttribute('content') ?? undefined;
}

function parseVideo(element: Element, location: URL): PostData | null {
  const videoId = currentVideoId(element, location);
  if (videoId === undefined) return null;
  const permalink = `https://www.youtube.com/watch?v=${videoId}`;
  const doc = element.ownerDocument;

  const shown = anchoredHref(
    element.querySelector(
      'ytd-video-owner-renderer #channel-name a[href], ytd-video-owner-renderer ytd-channel-name a[href]',
    ),
    location,
  );
  let author: Anchored | undefined = shown;
  const channelId = microformat(doc, videoId, 'channelId');
  if (shown && channelId !== undefined && CHANNEL_ID.test(channelId)) {
    author = { url: `https://www.youtube.com/channel/${channelId}`, anchor: shown.anchor };
  }

  const time = isoTime(
    microformat(doc, videoId, 'datePublished') ?? microformat(doc, videoId, 'uploadDate') ?? null,
  );
  const links = outboundLinks(
    element,
    '#description a[href], #description-inline-expander a[href]',
    location,
  );
  return { element, permalink, ...(author ? { author } : {}), ...(time ? { time } : {}), links };
}

function parseComment(element: Element, location: URL): PostData | null {
  // A reply is a comment element of its own: read only this comment's parts.
  const author = anchoredHref(ownElement(element, 'a#author-text[href]', COMMENT), location);
  const permalink = absoluteUrl(
    ownElement(element, '#published-time-text a[href]', COMMENT)?.getAttribute('href'),
    location,
  );
  if (permalink === undefined && author === undefined) return null;
  return {
    element,
    ...(permalink !== undefined ? { permalink } : {}),
    ...(author ? { author } : {}),
    links: outboundLinks(element, '#content-text a[href]', location, COMMENT),
  };
}

/** The account a channel page is about, from its URL: /channel/UC…, /@handle, /c/name or /user/name. */
function channelUrl(location: URL): string | undefined {
  const [first = '', second = ''] = location.pathname.split('/').filter(Boolean);
  if (first === 'channel' && CHANNEL_ID.test(second)) return `https://www.youtube.com/channel/${second}`;
  if (first.startsWith('@') && first.length > 1) return `https://www.youtube.com/${first}`;
  if ((first === 'c' || first === 'user') && second !== '')
    return `https://www.youtube.com/${first}/${second}`;
  return undefined;
}

function findProfileHeader(doc: Document, location: URL): ProfileHeader | null {
  const url = channelUrl(location);
  if (url === undefined) return null;
  const header = doc.querySelector('yt-page-header-renderer');
  const title = header?.querySelector('h1');
  if (!header || !title) return null;
  return { element: header, account: { url, anchor: title } };
}

export const youtubeAdapter: SiteAdapter = {
  id: 'youtube',
  name: youtubeSite.name,
  keyRules: [youtubeKeys],
  matches: (location) => isHostOn(location.hostname, 'youtube.com'),
  postSelector: `${WATCH_METADATA}, ${COMMENT}`,
  parsePost(element, location) {
    if (element.matches(WATCH_METADATA)) return parseVideo(element, location);
    if (element.matches(COMMENT)) return parseComment(element, location);
    return null;
  },
  findProfileHeader,
};
