/**
 * Reddit (www, old and new.reddit.com; redd.it): the site's hosts, what its account and post URLs look like, and its link wrappers.
 * Pure data and functions over parsed URLs (sites/url.ts): no DOM, no extension API, no tldts.
 * The DOM adapter is ./adapter.ts; the URL table that proves these rules is ./examples.ts.
 */

import { defineKeys, defineSite, type UrlRules, wordSet } from '../url.ts';

const REDDIT_HOSTS = wordSet(
  'reddit.com old.reddit.com new.reddit.com np.reddit.com m.reddit.com i.reddit.com amp.reddit.com sh.reddit.com',
);
const REDDIT_USER = /^[A-Za-z0-9_-]{1,20}$/;
const SUBREDDIT = /^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/;
const REDDIT_ID = /^[a-z0-9]{1,12}$/;
const REDDIT_PSEUDO_SUBS = new Set(['all', 'popular', 'friends', 'mod', 'random', 'randnsfw', 'home']);
const REDDIT_USER_TABS = wordSet('overview submitted comments gilded upvoted downvoted saved hidden');
const SUBREDDIT_TABS = new Set(['hot', 'new', 'top', 'rising', 'controversial', 'gilded', 'about']);

const redditRules: UrlRules = {
  hosts: [...REDDIT_HOSTS],
  account({ segs, lower }) {
    const [area, name] = lower;
    if (!name || segs.length > 3) return null;
    if (area === 'u' || area === 'user') {
      if (!REDDIT_USER.test(name) || (segs.length === 3 && !REDDIT_USER_TABS.has(lower[2] ?? '')))
        return null;
      return `reddit:u/${name}`;
    }
    if (area === 'r') {
      if (!SUBREDDIT.test(name) || REDDIT_PSEUDO_SUBS.has(name)) return null;
      if (segs.length === 3 && !SUBREDDIT_TABS.has(lower[2] ?? '')) return null;
      return `reddit:r/${name}`;
    }
    return null;
  },
  post({ lower }) {
    if (lower[0] === 'gallery') return lower[1] && REDDIT_ID.test(lower[1]) ? `reddit:${lower[1]}` : null;
    // /comments/ID, /r/sub/comments/ID/slug, /user/name/comments/ID; a comment adds /slug/CID or /comment/CID.
    const at = lower[0] === 'comments' ? 0 : lower[2] === 'comments' ? 2 : -1;
    if (at < 0 || (at === 2 && !['r', 'u', 'user'].includes(lower[0] ?? ''))) return null;
    const id = lower[at + 1];
    if (!id || !REDDIT_ID.test(id)) return null;
    const commentId = lower[at + 3];
    if (commentId === undefined) return `reddit:${id}`;
    return REDDIT_ID.test(commentId) ? `reddit:comment/${commentId}` : null;
  },
};

const reddItRules: UrlRules = {
  hosts: ['redd.it'],
  account: () => null,
  post: ({ lower }) => (lower.length === 1 && REDDIT_ID.test(lower[0] ?? '') ? `reddit:${lower[0]}` : null),
};

export const redditSite = defineSite({
  id: 'reddit',
  name: 'Reddit',
  home: 'https://www.reddit.com/',
  pageHosts: ['www.reddit.com', 'old.reddit.com', 'new.reddit.com'],
  domains: ['reddit.com', 'redd.it'],
  unwrap: (url, host) => (host === 'out.reddit.com' ? url.searchParams.get('url') : undefined),
});

export const redditKeys = defineKeys({ site: 'reddit', rules: [redditRules, reddItRules] });
