/**
 * Instagram (www.instagram.com): the site's hosts, what its account and post URLs look like, and its link wrappers.
 * Pure data and functions over parsed URLs (sites/url.ts): no DOM, no extension API, no tldts.
 * The DOM adapter is ./adapter.ts; the URL table that proves these rules is ./examples.ts.
 */

import { defineKeys, defineSite, type UrlRules, wordSet } from '../url.ts';

const INSTAGRAM_HOSTS = new Set(['instagram.com', 'm.instagram.com']);
export const INSTAGRAM_USER = /^[A-Za-z0-9._]{1,30}$/;
export const INSTAGRAM_CODE = /^[A-Za-z0-9_-]{5,64}$/;
const INSTAGRAM_POST_PATHS = new Set(['p', 'reel', 'reels', 'tv']);
const INSTAGRAM_RESERVED = wordSet(
  'about accounts api challenge developer direct directory emails explore graphql legal oauth p privacy reel reels session static stories terms tv web your_activity',
);
const INSTAGRAM_TABS = wordSet('tagged reels saved followers following guides igtv channel');

const instagramRules: UrlRules = {
  hosts: [...INSTAGRAM_HOSTS],
  account({ segs, lower }) {
    const [user = ''] = lower;
    if (!INSTAGRAM_USER.test(user) || INSTAGRAM_RESERVED.has(user)) return null;
    if (segs.length === 1 || (segs.length === 2 && INSTAGRAM_TABS.has(lower[1] ?? '')))
      return `instagram:${user}`;
    return null;
  },
  post({ segs, lower }) {
    // /p/CODE or /user/p/CODE (also reel, reels, tv)
    const at = INSTAGRAM_POST_PATHS.has(lower[0] ?? '')
      ? 0
      : INSTAGRAM_POST_PATHS.has(lower[1] ?? '')
        ? 1
        : -1;
    if (at < 0 || segs.length > at + 2) return null;
    if (at === 1 && (!INSTAGRAM_USER.test(lower[0] ?? '') || INSTAGRAM_RESERVED.has(lower[0] ?? '')))
      return null;
    const code = segs[at + 1];
    return code && INSTAGRAM_CODE.test(code) ? `instagram:${code}` : null;
  },
};

export const instagramSite = defineSite({
  id: 'instagram',
  name: 'Instagram',
  home: 'https://www.instagram.com/',
  pageHosts: ['www.instagram.com'],
  domains: ['instagram.com'],
  unwrap: (url, host) => (host === 'l.instagram.com' ? url.searchParams.get('u') : undefined),
});

export const instagramKeys = defineKeys({ site: 'instagram', rules: [instagramRules] });
