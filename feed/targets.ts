/**
 * Target normalisation: turns a URL (a label's target as a curator wrote it, or an author, permalink
 * or body link seen on a page) into the short lookup keys that labels are matched by. Equivalent URLs
 * give one key, so the feed builder, the background cache and the content script all call this module.
 *
 *   curator's target ──normalizeTarget──▶ key ─┐
 *   page author URL ───accountKeys─────▶ keys ─┼─▶ equal strings = the label applies
 *   page permalink ────postKeys────────▶ keys ─┤
 *   body link ─unwrap─linkLookupKeys───▶ keys ─┘
 *
 * Key format `<kind>:<site>:<id>` (docs/targets.md): account:x:jack, post:x:20, account:bsky:alice.bsky.social,
 * account:fedi:user@host, post:fedi:host/ID, account:reddit:u/name, account:reddit:r/name, post:reddit:ID,
 * account:youtube:@handle, post:youtube:ID, account:facebook:name, post:facebook:ID, account:instagram:name,
 * post:instagram:CODE, account:threads:name, post:threads:CODE, link:domain:host, link:url:host/path?query.
 *
 * Pure: imports only tldts (the Public Suffix List) and feed/types.ts; no network, no extension API.
 * It must never throw, whatever string it is given, and never make a link wrapper (t.co…) a target.
 */

import { parse as parseDomain } from 'tldts';
import type { TargetKind } from './types';

export type NormalizeResult = { ok: true; key: string } | { ok: false; message: string };

/** Private PSL entries count, so `name.blogspot.com` is its own registrable domain. */
const PSL_OPTIONS = { allowPrivateDomains: true } as const;

/** `words('a b c')` → ['a', 'b', 'c']: keeps the long word lists below readable. */
function words(list: string): string[] {
  return list.split(' ');
}

/** A parsed http(s) URL with what the site rules read from it. */
interface Place {
  url: URL;
  /** Lowercase hostname without a trailing dot or a leading `www.`. */
  host: string;
  /** Non-empty path segments, percent-decoded where that is valid. */
  segs: string[];
  /** Path segments lowercased, for comparing with fixed words. */
  lower: string[];
}

// ---------------------------------------------------------------------------------------------------------
// Parsing helpers

function parseHttpUrl(input: string): URL | null {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // `https:.//host/…` parses with the host "."; a name of dots alone names no site.
  if (!url.hostname.replace(/\./g, '')) return null;
  return url;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Lowercase, no trailing dot, no leading `www.` label above the registrable domain (`www.com` and
 * `www.co.uk` keep theirs). The URL parser has already lowercased and punycoded the name.
 */
function bareHost(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  if (!host.startsWith('www.')) return host;
  const { domain } = parseDomain(host, PSL_OPTIONS);
  return domain && domain !== host ? host.slice(4) : host;
}

function toPlace(url: URL, path = url.pathname): Place {
  const segs = path
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeSegment);
  return { url, host: bareHost(url.hostname), segs, lower: segs.map((segment) => segment.toLowerCase()) };
}

function placeOf(input: string): Place | null {
  const url = parseHttpUrl(input);
  return url ? toPlace(url) : null;
}

/** A DNS name with at least one dot, e.g. `alice.bsky.social` (lowercase). */
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

// ---------------------------------------------------------------------------------------------------------
// Sites. Each returns the id part of a key (`x:jack`) or null.

interface SiteRules {
  account(place: Place): string | null;
  post(place: Place): string | null;
}

// X / Twitter ---------------------------------------------------------------------------------------------

const X_HOSTS = new Set(['x.com', 'twitter.com', 'mobile.twitter.com', 'mobile.x.com']);
const X_HANDLE = /^[A-Za-z0-9_]{1,15}$/;
const X_RESERVED = new Set(
  words(
    'about account bookmarks communities compose connect download explore follower_requests hashtag help home i intent jobs lists login logout messages notifications oauth personalization premium privacy rules search settings share signup topics tos verified who_to_follow',
  ),
);
const X_ACCOUNT_TABS = new Set(
  words(
    'with_replies media likes highlights articles followers following verified_followers followers_you_follow superfollows',
  ),
);
const DIGITS_ID = /^\d{1,25}$/;

function xPlace(place: Place): Place {
  // Legacy `twitter.com/#!/jack` links keep the path in the fragment.
  return place.url.hash.startsWith('#!/') ? toPlace(place.url, place.url.hash.slice(2)) : place;
}

const xRules: SiteRules = {
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

// Bluesky -------------------------------------------------------------------------------------------------

const DID = /^did:[a-z]+:[A-Za-z0-9._:%-]{1,2000}$/;
const BSKY_RKEY = /^[A-Za-z0-9._~:-]{1,512}$/;
const BSKY_ACCOUNT_TABS = new Set([
  'follows',
  'followers',
  'known-followers',
  'lists',
  'feeds',
  'starter-packs',
]);

/** A handle (lowercased) or a DID (as is); null when neither. */
function bskyActor(actor: string | undefined): string | null {
  if (!actor) return null;
  if (actor.startsWith('did:')) return DID.test(actor) ? actor : null;
  const handle = actor.toLowerCase().replace(/^@/, '');
  return HOSTNAME.test(handle) ? handle : null;
}

const bskyRules: SiteRules = {
  account({ segs, lower }) {
    if (lower[0] !== 'profile') return null;
    const actor = bskyActor(segs[1]);
    if (!actor) return null;
    if (segs.length === 2 || (segs.length === 3 && BSKY_ACCOUNT_TABS.has(lower[2] ?? '')))
      return `bsky:${actor}`;
    return null;
  },
  post({ segs, lower }) {
    if (lower[0] !== 'profile' || lower[2] !== 'post') return null;
    const actor = bskyActor(segs[1]);
    const rkey = segs[3];
    return actor && rkey && BSKY_RKEY.test(rkey) ? `bsky:${actor}/${rkey}` : null;
  },
};

// Mastodon and the rest of the fediverse (Truth Social included) ------------------------------------------

const FEDI_USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const FEDI_POST_ID = /^[A-Za-z0-9]{1,64}$/;
const FEDI_ACCOUNT_TABS = new Set(['with_replies', 'media', 'followers', 'following']);

/** `user@host` lowercased, or null when either part is not valid. */
function fediHandle(user: string, host: string): string | null {
  if (!FEDI_USER.test(user)) return null;
  let domain: string;
  try {
    domain = bareHost(new URL(`https://${host}`).hostname);
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

const fediRules: SiteRules = {
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

// Reddit --------------------------------------------------------------------------------------------------

const REDDIT_HOSTS = new Set(
  words(
    'reddit.com old.reddit.com new.reddit.com np.reddit.com m.reddit.com i.reddit.com amp.reddit.com sh.reddit.com',
  ),
);
const REDDIT_USER = /^[A-Za-z0-9_-]{1,20}$/;
const SUBREDDIT = /^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/;
const REDDIT_ID = /^[a-z0-9]{1,12}$/;
const REDDIT_PSEUDO_SUBS = new Set(['all', 'popular', 'friends', 'mod', 'random', 'randnsfw', 'home']);
const REDDIT_USER_TABS = new Set(words('overview submitted comments gilded upvoted downvoted saved hidden'));
const SUBREDDIT_TABS = new Set(['hot', 'new', 'top', 'rising', 'controversial', 'gilded', 'about']);

const redditRules: SiteRules = {
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

const reddItRules: SiteRules = {
  account: () => null,
  post: ({ lower }) => (lower.length === 1 && REDDIT_ID.test(lower[0] ?? '') ? `reddit:${lower[0]}` : null),
};

// YouTube -------------------------------------------------------------------------------------------------

const YOUTUBE_HOSTS = new Set(['youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtube-nocookie.com']);
const YOUTUBE_VIDEO = /^[A-Za-z0-9_-]{11}$/;
const YOUTUBE_CHANNEL = /^UC[A-Za-z0-9_-]{22}$/;
/** Comment ids: `Ugz…AaABAg`, replies add `.` and the reply's own id. */
const YOUTUBE_COMMENT = /^[A-Za-z0-9_-]{10,60}(\.[A-Za-z0-9_-]{10,60})?$/;
const YOUTUBE_NAME = /^[^\s/?#@]{1,100}$/u;
const YOUTUBE_TABS = new Set(
  words('featured videos shorts streams playlists community posts about podcasts releases store channels'),
);

const youtubeRules: SiteRules = {
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

const youtuBeRules: SiteRules = {
  account: () => null,
  post: ({ segs }) => (segs.length === 1 && YOUTUBE_VIDEO.test(segs[0] ?? '') ? `youtube:${segs[0]}` : null),
};

// Facebook ------------------------------------------------------------------------------------------------

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
const FACEBOOK_RESERVED = new Set(
  words(
    'about ads bookmarks business careers dialog events friends fundraisers gaming groups hashtag help home.php l.php legal live login login.php logout.php marketplace me media memories messages notifications pages people permalink.php pg photo photo.php photos places plugins policies privacy profile.php reel reels saved search settings share share.php sharer sharer.php stories story.php video.php videos watch',
  ),
);
const FACEBOOK_TABS = new Set(
  words(
    'about photos videos posts reels friends followers following events reviews community mentions live_videos groups',
  ),
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

const facebookRules: SiteRules = {
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

// Instagram -----------------------------------------------------------------------------------------------

const INSTAGRAM_HOSTS = new Set(['instagram.com', 'm.instagram.com']);
const INSTAGRAM_USER = /^[A-Za-z0-9._]{1,30}$/;
const INSTAGRAM_CODE = /^[A-Za-z0-9_-]{5,64}$/;
const INSTAGRAM_POST_PATHS = new Set(['p', 'reel', 'reels', 'tv']);
const INSTAGRAM_RESERVED = new Set(
  words(
    'about accounts api challenge developer direct directory emails explore graphql legal oauth p privacy reel reels session static stories terms tv web your_activity',
  ),
);
const INSTAGRAM_TABS = new Set(words('tagged reels saved followers following guides igtv channel'));

const instagramRules: SiteRules = {
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

// Threads -------------------------------------------------------------------------------------------------

const THREADS_HOSTS = new Set(['threads.net', 'threads.com']);
const THREADS_TABS = new Set(['replies', 'reposts', 'media']);

const threadsRules: SiteRules = {
  account({ segs, lower }) {
    const [first = ''] = lower;
    const user = first.slice(1);
    if (!first.startsWith('@') || !INSTAGRAM_USER.test(user)) return null;
    if (segs.length === 1 || (segs.length === 2 && THREADS_TABS.has(lower[1] ?? '')))
      return `threads:${user}`;
    return null;
  },
  post({ segs, lower }) {
    let code: string | undefined;
    if (lower[0] === 't' && segs.length === 2) code = segs[1];
    else if (lower[0]?.startsWith('@') && INSTAGRAM_USER.test(lower[0].slice(1)) && lower[1] === 'post') {
      code = segs[2];
    }
    return code && INSTAGRAM_CODE.test(code) ? `threads:${code}` : null;
  },
};

// Dispatch ------------------------------------------------------------------------------------------------

/** Registrable domains of the sites above: a path on them never falls back to the fediverse rules. */
const KNOWN_DOMAINS = new Set(
  words(
    'x.com twitter.com bsky.app reddit.com redd.it youtube.com youtu.be youtube-nocookie.com facebook.com instagram.com threads.net threads.com',
  ),
);
const NO_RULES: SiteRules = { account: () => null, post: () => null };

function rulesFor(host: string): SiteRules {
  if (X_HOSTS.has(host)) return xRules;
  if (host === 'bsky.app') return bskyRules;
  if (REDDIT_HOSTS.has(host)) return redditRules;
  if (host === 'redd.it') return reddItRules;
  if (YOUTUBE_HOSTS.has(host)) return youtubeRules;
  if (host === 'youtu.be') return youtuBeRules;
  if (FACEBOOK_HOSTS.has(host)) return facebookRules;
  if (INSTAGRAM_HOSTS.has(host)) return instagramRules;
  if (THREADS_HOSTS.has(host)) return threadsRules;
  const domain = parseDomain(host, PSL_OPTIONS).domain;
  if (domain && KNOWN_DOMAINS.has(domain)) return NO_RULES;
  // Any other host may run Mastodon (Truth Social does): read `/@user` and `/users/user` paths as fediverse.
  return fediRules;
}

// ---------------------------------------------------------------------------------------------------------
// Link wrappers

const FACEBOOK_SHIM_HOSTS = new Set(['l.facebook.com', 'lm.facebook.com', 'l.messenger.com']);
const META_SHIM_HOSTS = new Set(['l.instagram.com', 'l.threads.net', 'l.threads.com']);

/**
 * Whether the URL is a link wrapper, and where it points: a string when the destination is in the URL,
 * null when it is not (t.co), undefined when the URL is no wrapper.
 */
function wrapperDestination(url: URL): string | null | undefined {
  const host = bareHost(url.hostname);
  const path = url.pathname;
  const query = url.searchParams;
  if (host === 't.co') return null;
  if (FACEBOOK_SHIM_HOSTS.has(host) || (FACEBOOK_HOSTS.has(host) && path === '/l.php')) return query.get('u');
  if (META_SHIM_HOSTS.has(host)) return query.get('u');
  if (YOUTUBE_HOSTS.has(host) && path === '/redirect') return query.get('q');
  if (host === 'out.reddit.com') return query.get('url');
  if (host === 'go.bsky.app' && path === '/redirect') return query.get('u');
  if (host === 'href.li') return decodeSegment(url.search.slice(1)) || null;
  if (path === '/url' && parseDomain(host, PSL_OPTIONS).domainWithoutSuffix === 'google') {
    return query.get('q') ?? query.get('url');
  }
  return undefined;
}

export function isWrapperUrl(url: string): boolean {
  const parsed = parseHttpUrl(url);
  return parsed !== null && wrapperDestination(parsed) !== undefined;
}

/**
 * The URL a link really goes to: the URL itself when it is no wrapper, the destination of a wrapper that
 * carries it (several hops at most), or null when the destination is not in the URL or is not http(s).
 */
export function unwrapLink(url: string): string | null {
  let current = url;
  for (let hop = 0; hop < 5; hop++) {
    const parsed = parseHttpUrl(current);
    if (!parsed) return null;
    const destination = wrapperDestination(parsed);
    if (destination === undefined) return parsed.href;
    if (!destination) return null;
    current = destination;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Links

/** Query parameters that track the click and never say which page it is. */
const TRACKING_PARAMS = new Set(
  words(
    '_ga _gl dclid fbclid gbraid gclid igsh igshid mc_cid mc_eid mibextid msclkid ref_src ref_url si ttclid twclid wbraid yclid',
  ),
);

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower.startsWith('utm_') ||
    lower.startsWith('__cft__') ||
    lower === '__tn__' ||
    TRACKING_PARAMS.has(lower)
  );
}

/** `%41` → `A` for unreserved letters, digits, `-`, `_`, `~`; other escapes in upper case. */
function normalizeEscapes(path: string): string {
  return path.replace(/%[0-9a-fA-F]{2}/g, (encoded) => {
    const char = String.fromCharCode(Number.parseInt(encoded.slice(1), 16));
    return /^[A-Za-z0-9_~-]$/.test(char) ? char : encoded.toUpperCase();
  });
}

function linkUrlKey(url: URL): string {
  const params = new URLSearchParams(url.search);
  // forEach, not keys(): in a Firefox content script URLSearchParams iterators are not iterable.
  const tracking: string[] = [];
  params.forEach((_value, name) => {
    if (isTrackingParam(name)) tracking.push(name);
  });
  for (const name of tracking) params.delete(name);
  params.sort();
  const query = params.toString();
  const path = normalizeEscapes(url.pathname).replace(/\/+$/, '');
  const port = url.port ? `:${url.port}` : '';
  return `link:url:${bareHost(url.hostname)}${port}${path}${query ? `?${query}` : ''}`;
}

/** The host and each parent down to the registrable domain; an IP or a host without one alone. */
function domainChain(hostname: string): string[] {
  const host = bareHost(hostname);
  const { domain, isIp } = parseDomain(host, PSL_OPTIONS);
  if (isIp || !domain || !host.endsWith(domain)) return [host];
  const chain = [host];
  let rest = host;
  while (rest !== domain) {
    rest = rest.slice(rest.indexOf('.') + 1);
    chain.push(rest);
  }
  return chain;
}

/** Whether a host can be labelled as a site: an IP, or a name under a public suffix (not the suffix itself). */
function hasRegistrableDomain(hostname: string): boolean {
  const { domain, isIp } = parseDomain(bareHost(hostname), PSL_OPTIONS);
  return Boolean(isIp || domain);
}

// ---------------------------------------------------------------------------------------------------------
// Public API

export function accountKeys(url: string): string[] {
  const place = placeOf(url);
  if (!place || wrapperDestination(place.url) !== undefined) return [];
  const id = rulesFor(place.host).account(place);
  return id ? [`account:${id}`] : [];
}

export function postKeys(url: string): string[] {
  const place = placeOf(url);
  if (!place || wrapperDestination(place.url) !== undefined) return [];
  const id = rulesFor(place.host).post(place);
  return id ? [`post:${id}`] : [];
}

export function linkLookupKeys(url: string): string[] {
  const destination = unwrapLink(url);
  const parsed = destination ? parseHttpUrl(destination) : null;
  if (!destination || !parsed) return [];
  const keys = [
    linkUrlKey(parsed),
    ...domainChain(parsed.hostname).map((host) => `link:domain:${host}`),
    ...accountKeys(destination),
    ...postKeys(destination),
  ];
  return [...new Set(keys)];
}

/** A curator's target quoted in a message, shortened so a pasted essay does not flood the screen. */
function quote(input: string): string {
  return JSON.stringify(input.length > 100 ? `${input.slice(0, 97)}...` : input);
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A URL with a scheme, or `https://` + a scheme-less `host/path`. An error message when it is not http(s). */
function curatorUrl(text: string): URL | string {
  const hasScheme = SCHEME.test(text) && !/^[^/:]+:\d/.test(text);
  if (hasScheme && !/^https?:/i.test(text)) return `${quote(text)}: only http(s) URLs are allowed`;
  const url = parseHttpUrl(hasScheme ? text : `https://${text}`);
  return url ?? `${quote(text)} is not a valid URL`;
}

function wrapperMessage(text: string, url: URL): string {
  const destination = unwrapLink(url.href);
  const hint = destination ? `; use where it points: ${quote(destination)}` : '';
  return `${quote(text)} is a link wrapper, not a target${hint}`;
}

/** `@user@host` or `user@host`: a fediverse account, as Mastodon writes it. */
const FEDI_ADDRESS = /^@?([^@\s/:]+)@([^@\s/:]+)$/;
/** `at://actor` or `at://actor/app.bsky.feed.post/rkey`. */
const AT_URI = /^at:\/\/([^/]+)(?:\/app\.bsky\.feed\.post\/([^/]+))?\/?$/;

function normalizeAccount(text: string): NormalizeResult {
  const address = FEDI_ADDRESS.exec(text);
  if (address) {
    const handle = fediHandle(address[1] ?? '', address[2] ?? '');
    return handle
      ? { ok: true, key: `account:fedi:${handle}` }
      : fail(`${quote(text)} is not a valid user@host address`);
  }
  const isAtUri = /^at:\/\//i.test(text);
  if (isAtUri || text.startsWith('did:')) {
    const atUri = AT_URI.exec(text);
    const actor = isAtUri ? atUri && !atUri[2] && bskyActor(decodeSegment(atUri[1] ?? '')) : bskyActor(text);
    return actor
      ? { ok: true, key: `account:bsky:${actor}` }
      : fail(`${quote(text)} is not a valid Bluesky DID or handle`);
  }
  const url = curatorUrl(text);
  if (typeof url === 'string') return fail(url);
  if (wrapperDestination(url) !== undefined) return fail(wrapperMessage(text, url));
  const [key] = accountKeys(url.href);
  if (key) return { ok: true, key };
  if (postKeys(url.href).length > 0) return fail(`${quote(text)} is a post URL, not an account URL`);
  return fail(
    `${quote(text)} is not an account URL (write the profile's URL, or user@host for the fediverse)`,
  );
}

function normalizePost(text: string): NormalizeResult {
  if (/^at:\/\//i.test(text)) {
    const atUri = AT_URI.exec(text);
    const actor = bskyActor(decodeSegment(atUri?.[1] ?? ''));
    const rkey = atUri?.[2];
    return actor && rkey && BSKY_RKEY.test(rkey)
      ? { ok: true, key: `post:bsky:${actor}/${rkey}` }
      : fail(`${quote(text)} is not a Bluesky post URI`);
  }
  const url = curatorUrl(text);
  if (typeof url === 'string') return fail(url);
  if (wrapperDestination(url) !== undefined) return fail(wrapperMessage(text, url));
  const [key] = postKeys(url.href);
  if (key) return { ok: true, key };
  if (accountKeys(url.href).length > 0) return fail(`${quote(text)} is an account URL, not a post URL`);
  return fail(`${quote(text)} is not a post URL (write the post's permalink)`);
}

/** A bare host name: no scheme, no path beyond an optional `/`, no query, no fragment, no user. */
const BARE_DOMAIN = /^[^/?#@\s:]+\/?$/;

function normalizeLink(text: string): NormalizeResult {
  if (BARE_DOMAIN.test(text)) {
    const url = parseHttpUrl(`https://${text.replace(/\/$/, '')}`);
    const host = url ? bareHost(url.hostname) : '';
    if (!url || !host.includes('.')) return fail(`${quote(text)} is not a domain or URL`);
    if (wrapperDestination(url) !== undefined) return fail(`${quote(text)} is a link wrapper, not a target`);
    if (!hasRegistrableDomain(host)) {
      return fail(`${quote(text)} is a public suffix shared by many sites; label a site under it`);
    }
    return { ok: true, key: `link:domain:${host}` };
  }
  const url = curatorUrl(text);
  if (typeof url === 'string') return fail(url);
  if (wrapperDestination(url) !== undefined) return fail(wrapperMessage(text, url));
  if (!hasRegistrableDomain(url.hostname)) return fail(`${quote(text)} has no registrable domain`);
  return { ok: true, key: linkUrlKey(url) };
}

function fail(message: string): NormalizeResult {
  return { ok: false, message };
}

export function normalizeTarget(kind: TargetKind, input: string): NormalizeResult {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!text) return fail('the target is empty');
  try {
    if (kind === 'account') return normalizeAccount(text);
    if (kind === 'post') return normalizePost(text);
    if (kind === 'link') return normalizeLink(text);
    return fail(`${quote(String(kind))} is not a target kind (account, post or link)`);
  } catch {
    // Defensive only: every branch above returns a value; this keeps the promise never to throw.
    return fail(`${quote(text)} could not be read as a target`);
  }
}
