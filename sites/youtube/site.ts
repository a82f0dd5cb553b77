/**
 * YouTube (www.youtube.com, youtu.be): the site's hosts, what its account and post URLs look like, and its link wrappers.
 * Pure data and functions over parsed URLs (sites/url.ts): no DOM, no extension API, no tldts.
 * The DOM adapter is ./adapter.ts; the URL table that proves these rules is ./examples.ts.
 */

import { defineKeys, defineSite, type UrlRules, wordSet } from '../url.ts';

const YOUTUBE_HOSTS = new Set(['youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtube-nocookie.com']);
const YOUTUBE_VIDEO = /^[A-Za-z0-9_-]{11}$/;
const YOUTUBE_CHANNEL = /^UC[A-Za-z0-9_-]{22}$/;
/** Comment ids: `Ugz…AaABAg`, replies add `.` and the reply's own id. */
const YOUTUBE_COMMENT = /^[A-Za-z0-9_-]{10,60}(\.[A-Za-z0-9_-]{10,60})?$/;
const YOUTUBE_NAME = /^[^\s/?#@]{1,100}$/u;
const YOUTUBE_TABS = wordSet(
  'featured videos shorts streams playlists community posts about podcasts releases store channels',
);

const youtubeRules: UrlRules = {
  hosts: [...YOUTUBE_HOSTS],
  account({ segs, lower }) {
    const [first = '', second = ''] = segs;
    let id: string | null = null;
    let rest: string[];
    if (first.startsWith('@')) {
      const handle = first.slice(1).toLowerCase();
      id = YOUTUBE_NAME.test(handle) ? `@${handle}` : null;
      rest = lower.slice(1);
    } else {
      rest = lower.slice(2);
      if (lower[0] === 'channel' && YOUTUBE_CHANNEL.test(second)) id = `channel/${second}`;
      else if ((lower[0] === 'c' || lower[0] === 'user') && YOUTUBE_NAME.test(second)) {
        id = `${lower[0]}/${second.toLowerCase()}`;
      }
    }
    if (!id || rest.length > 1 || (rest[0] !== undefined && !YOUTUBE_TABS.has(rest[0]))) return null;
    return `youtube:${id}`;
  },
  post({ url, segs, lower }) {
    let id: string | null | undefined;
    // A comment's permalink (`watch?v=ID&lc=COMMENT`) is the comment, not the video: a label on the
    // video must not badge every comment under it.
    const comment = url.searchParams.get('lc');
    if (lower[0] === 'watch' && comment !== null) {
      return YOUTUBE_COMMENT.test(comment) ? `youtube:comment/${comment}` : null;
    }
    if (lower[0] === 'watch' && segs.length === 1) id = url.searchParams.get('v');
    else if (['shorts', 'live', 'embed', 'v', 'e'].includes(lower[0] ?? '')) id = segs[1];
    return id && YOUTUBE_VIDEO.test(id) ? `youtube:${id}` : null;
  },
};

const youtuBeRules: UrlRules = {
  hosts: ['youtu.be'],
  account: () => null,
  post: ({ segs }) => (segs.length === 1 && YOUTUBE_VIDEO.test(segs[0] ?? '') ? `youtube:${segs[0]}` : null),
};

export const youtubeSite = defineSite({
  id: 'youtube',
  name: 'YouTube',
  home: 'https://www.youtube.com/',
  pageHosts: ['www.youtube.com'],
  domains: ['youtube.com', 'youtu.be', 'youtube-nocookie.com'],
  unwrap: (url, host) =>
    YOUTUBE_HOSTS.has(host) && url.pathname === '/redirect' ? url.searchParams.get('q') : undefined,
});

export const youtubeKeys = defineKeys({ site: 'youtube', rules: [youtubeRules, youtuBeRules] });
