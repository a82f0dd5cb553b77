/**
 * Facebook (www.facebook.com): the site's hosts, what its account and post URLs look like, and its link wrappers.
 * Pure data and functions over parsed URLs (sites/url.ts): no DOM, no extension API, no tldts.
 * The DOM adapter is ./adapter.ts; the URL table that proves these rules is ./examples.ts.
 */

import { DIGITS_ID, defineKeys, defineSite, type UrlRules, wordSet } from '../url.ts';

const FACEBOOK_HOSTS = new Set([
  'facebook.com',
  'm.facebook.com',
  'web.facebook.com',
  'mbasic.facebook.com',
  'touch.facebook.com',
  'mobile.facebook.com',
]);
/** A username: letters, digits and dots (dots and case do not count), or a numeric profile id. */
const FACEBOOK_NAME = /^[A-Za-z0-9.]{1,50}$/;
/** Old page URLs end with the page id: `/Some-Page-123456789`. */
const FACEBOOK_NAME_WITH_ID = /^[^/]+-(\d{6,25})$/;
const FACEBOOK_POST_ID = /^(\d{1,25}|pfbid[0-9A-Za-z]{10,200})$/;
const FACEBOOK_RESERVED = wordSet(
  'about ads bookmarks business careers dialog events friends fundraisers gaming groups hashtag help home.php l.php legal live login login.php logout.php marketplace me media memories messages notifications pages people permalink.php pg photo photo.php photos places plugins policies privacy profile.php reel reels saved search settings share share.php sharer sharer.php stories story.php video.php videos watch',
);
const FACEBOOK_TABS = wordSet(
  'about photos videos posts reels friends followers following events reviews community mentions live_videos groups',
);

/** A username without dots, lowercased; a numeric id as is; an old `Name-123456` page URL as its id. */
function facebookName(segment: string | undefined): string | null {
  if (!segment) return null;
  const withId = FACEBOOK_NAME_WITH_ID.exec(segment);
  if (withId?.[1]) return withId[1];
  if (!FACEBOOK_NAME.test(segment)) return null;
  const name = segment.replaceAll('.', '').toLowerCase();
  return name ? name : null;
}

const facebookRules: UrlRules = {
  hosts: [...FACEBOOK_HOSTS],
  account({ url, segs, lower }) {
    const query = url.searchParams;
    const [first = ''] = lower;
    const isTab = (at: number) =>
      segs.length === at || (segs.length === at + 1 && FACEBOOK_TABS.has(lower[at] ?? ''));
    let id: string | null = null;
    if (first === 'profile.php' && segs.length === 1) {
      const profile = query.get('id');
      id = profile && DIGITS_ID.test(profile) ? profile : null;
    } else if ((first === 'people' || first === 'pages') && segs.length >= 3 && isTab(3)) {
      id = DIGITS_ID.test(segs[2] ?? '') ? (segs[2] ?? null) : null;
    } else if (first === 'pg' && isTab(2)) {
      id = facebookName(segs[1]);
    } else if (first === 'groups' && segs.length >= 2 && isTab(2)) {
      const group = facebookName(segs[1]);
      id = group ? `groups/${group}` : null;
    } else if (
      !FACEBOOK_RESERVED.has(first) &&
      (isTab(1) || (segs.length === 2 && lower[1]?.startsWith('about')))
    ) {
      id = facebookName(segs[0]);
    }
    return id ? `facebook:${id}` : null;
  },
  post({ url, segs, lower }) {
    const query = url.searchParams;
    const [first = ''] = lower;
    const digits = (id: string | null | undefined) => (id && DIGITS_ID.test(id) ? id : null);
    // `…?comment_id=N` is a comment under the post, not the post itself.
    const comment = query.get('comment_id');
    if (comment !== null) return digits(comment) ? `facebook:comment/${comment}` : null;
    let id: string | null | undefined = null;
    if (segs.length === 1) {
      if (first === 'permalink.php' || first === 'story.php') id = query.get('story_fbid');
      else if (first === 'photo' || first === 'photo.php') id = digits(query.get('fbid'));
      else if (first === 'watch' || first === 'video.php') id = digits(query.get('v'));
    } else if (first === 'reel' && segs.length === 2) {
      id = digits(segs[1]);
    } else if (
      first === 'groups' &&
      segs.length === 4 &&
      (lower[2] === 'posts' || lower[2] === 'permalink')
    ) {
      id = segs[3];
    } else if (!FACEBOOK_RESERVED.has(first) && facebookName(segs[0])) {
      // /name/posts/ID, /name/videos/ID, /name/videos/slug/ID, /name/photos/album/ID
      if (lower[1] === 'posts' && segs.length === 3) id = segs[2];
      else if ((lower[1] === 'videos' || lower[1] === 'photos') && segs.length <= 4)
        id = digits(segs[segs.length - 1]);
    }
    return id && FACEBOOK_POST_ID.test(id) ? `facebook:${id}` : null;
  },
};

const SHIM_HOSTS = new Set(['l.facebook.com', 'lm.facebook.com', 'l.messenger.com']);

export const facebookSite = defineSite({
  id: 'facebook',
  name: 'Facebook',
  home: 'https://www.facebook.com/',
  pageHosts: ['www.facebook.com'],
  domains: ['facebook.com'],
  // `john.smith` is `account:facebook:johnsmith`.
  rewritesNames: true,
  unwrap: (url, host) =>
    SHIM_HOSTS.has(host) || (FACEBOOK_HOSTS.has(host) && url.pathname === '/l.php')
      ? url.searchParams.get('u')
      : undefined,
});

export const facebookKeys = defineKeys({ site: 'facebook', rules: [facebookRules] });
