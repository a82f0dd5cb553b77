/**
 * X (x.com, twitter.com): the site's hosts, what its account and post URLs look like, and its link wrappers.
 * Pure data and functions over parsed URLs (sites/url.ts): no DOM, no extension API, no tldts.
 * The DOM adapter is ./adapter.ts; the URL table that proves these rules is ./examples.ts.
 */

import { DIGITS_ID, defineKeys, defineSite, type Place, toPlace, type UrlRules, wordSet } from '../url.ts';

export const X_HOSTS = new Set(['x.com', 'twitter.com', 'mobile.twitter.com', 'mobile.x.com']);
export const X_HANDLE = /^[A-Za-z0-9_]{1,15}$/;
export const X_RESERVED = wordSet(
  'about account bookmarks communities compose connect download explore follower_requests hashtag help home i intent jobs lists login logout messages notifications oauth personalization premium privacy rules search settings share signup topics tos verified who_to_follow',
);
const X_ACCOUNT_TABS = wordSet(
  'with_replies media likes highlights articles followers following verified_followers followers_you_follow superfollows',
);

function xPlace(place: Place): Place {
  // Legacy `twitter.com/#!/jack` links keep the path in the fragment.
  return place.url.hash.startsWith('#!/') ? toPlace(place.url, place.url.hash.slice(2)) : place;
}

const xRules: UrlRules = {
  hosts: [...X_HOSTS],
  account(input) {
    const { segs, lower } = xPlace(input);
    const [handle, tab] = segs;
    if (!handle || !X_HANDLE.test(handle) || X_RESERVED.has(handle.toLowerCase())) return null;
    if (segs.length === 1 || (segs.length === 2 && tab && X_ACCOUNT_TABS.has(lower[1] ?? ''))) {
      return `x:${handle.toLowerCase()}`;
    }
    return null;
  },
  post(input) {
    const { segs, lower } = xPlace(input);
    let id: string | undefined;
    if (lower[0] === 'i' && lower[1] === 'status') id = segs[2];
    else if (lower[0] === 'i' && lower[1] === 'web' && lower[2] === 'status') id = segs[3];
    else if (segs[0] && X_HANDLE.test(segs[0]) && (lower[1] === 'status' || lower[1] === 'statuses')) {
      id = segs[2];
    }
    return id && DIGITS_ID.test(id) ? `x:${id}` : null;
  },
};

export const xSite = defineSite({
  id: 'x',
  name: 'X',
  home: 'https://x.com/home',
  pageHosts: ['x.com', 'twitter.com', 'mobile.twitter.com'],
  domains: ['x.com', 'twitter.com'],
  // t.co hides where it goes: never a target. The adapter reads the destination from the link text.
  unwrap: (_url, host) => (host === 't.co' ? null : undefined),
});

export const xKeys = defineKeys({ site: 'x', rules: [xRules] });
