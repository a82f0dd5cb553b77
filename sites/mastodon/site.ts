/**
 * Mastodon and the rest of the fediverse (any host): the site's hosts, what its account and post URLs look like, and its link wrappers.
 * Pure data and functions over parsed URLs (sites/url.ts): no DOM, no extension API, no tldts.
 * The DOM adapter is ./adapter.ts; the URL table that proves these rules is ./examples.ts.
 * Any host may run Mastodon, so its rules read every host that no other site folder claims
 * (`anyHostRules`); Truth Social, a Mastodon fork, uses them for its own host.
 */

import { DIGITS_ID, defineKeys, defineSite, HOSTNAME, type Place, siteHost, type UrlRules } from '../url.ts';

const FEDI_USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const FEDI_POST_ID = /^[A-Za-z0-9]{1,64}$/;
const FEDI_ACCOUNT_TABS = new Set(['with_replies', 'media', 'followers', 'following']);

/** `user@host` lowercased, or null when either part is not valid. */
export function fediHandle(user: string, host: string): string | null {
  if (!FEDI_USER.test(user)) return null;
  let domain: string;
  try {
    domain = siteHost(new URL(`https://${host}`).hostname);
  } catch {
    return null;
  }
  if (!HOSTNAME.test(domain)) return null;
  return `${user.toLowerCase()}@${domain}`;
}

/** The account a `/@user`, `/@user@host` or `/users/user` path names, seen on `host`. */
function fediAccountOf(place: Place): string | null {
  const [first, second] = place.segs;
  if (first?.startsWith('@')) {
    const parts = first.slice(1).split('@');
    if (parts.length > 2) return null;
    return fediHandle(parts[0] ?? '', parts[1] ?? place.host);
  }
  if (place.lower[0] === 'users' && second) return fediHandle(second, place.host);
  return null;
}

export const fediRules: Omit<UrlRules, 'hosts'> = {
  account(place) {
    const { segs, lower } = place;
    const isProfilePath = segs.length === 1 || (segs.length === 2 && FEDI_ACCOUNT_TABS.has(lower[1] ?? ''));
    const isUsersPath = lower[0] === 'users' && segs.length === 2;
    if (!(segs[0]?.startsWith('@') && isProfilePath) && !isUsersPath) return null;
    const handle = fediAccountOf(place);
    return handle ? `fedi:${handle}` : null;
  },
  post(place) {
    const { segs, lower } = place;
    if (!fediAccountOf(place)) return null;
    let id: string | undefined;
    if (segs[0]?.startsWith('@')) {
      // Mastodon `/@user/ID`; Truth Social `/@user/posts/ID`; GoToSocial `/@user/statuses/ID`.
      if (lower[1] === 'posts' || lower[1] === 'statuses') id = segs[2];
      else if (DIGITS_ID.test(segs[1] ?? '')) id = segs[1];
    } else if (lower[2] === 'statuses') {
      id = segs[3];
    }
    return id && FEDI_POST_ID.test(id) ? `fedi:${place.host}/${id}` : null;
  },
};

export const mastodonSite = defineSite({
  id: 'mastodon',
  name: 'Mastodon',
  home: 'https://mastodon.social/home',
  // Other servers are registered at runtime, after the reader grants that host from the popup.
  pageHosts: ['mastodon.social'],
  domains: [],
});

export const mastodonKeys = defineKeys({ site: 'mastodon', rules: [], anyHostRules: fediRules });
