/**
 * The page benchmark's infinite-scroll pages, generated at bench time (never committed): X, Bluesky
 * and Reddit timelines that grow by `BATCH` posts every `INTERVAL_MS` until `POSTS`, each post in the
 * site's own markup (the structure of the committed fixtures in sites/fixtures/). Which authors and
 * links carry labels is decided by `labelledAuthor`/`labelledLink`, the same functions the generated
 * feeds use (feeds.ts), so a page knows how many badges to expect.
 *
 * In the page (main world): `window.__bench.start()` begins the scroll; every post wrapper carries
 * `data-bench-i` and its insertion time; a MutationObserver stamps each `<context-lens-label>` as it
 * is inserted (`stampBadges`; latency = badge inserted − post inserted); a PerformanceObserver keeps
 * long tasks. The trace of a run names the two writers by these functions (`batch`, `stampBadges`:
 * frames.ts).
 */

export type ScrollSite = 'x' | 'bluesky' | 'reddit';

export const POSTS = 1000;
export const BATCH = 20;
export const INTERVAL_MS = 50;

export const SCROLL_URL: Record<ScrollSite, string> = {
  x: 'https://x.com/home',
  bluesky: 'https://bsky.app/',
  reddit: 'https://www.reddit.com/',
};

const SITE_INDEX: Record<ScrollSite, number> = { x: 0, bluesky: 1, reddit: 2 };

/** Every fifth post's author is labelled (by feed n % 3); the others are unlabelled readers. */
export function labelledAuthor(n: number, site: ScrollSite): { feed: number; index: number } | null {
  if (n % 5 !== 0) return null;
  // Label index i of feed f is an account of site i % 4 (0 X, 1 Bluesky, 2 Reddit, 3 link domain).
  return { feed: n % 3, index: n * 4 + SITE_INDEX[site] };
}

/** Every tenth post (from the third) links to a labelled domain; the rest link to unlabelled blogs. */
export function labelledLink(n: number): { feed: number; index: number } | null {
  if (n % 10 !== 3) return null;
  return { feed: (n + 1) % 3, index: n * 4 + 3 };
}

export function xHandle(feed: number, index: number): string {
  return `xf${feed}u${index}`;
}
export function blueskyHandle(feed: number, index: number): string {
  return `bf${feed}u${index}.bsky.social`;
}
export function redditUser(feed: number, index: number): string {
  return `rf${feed}u${index}`;
}
export function labelledDomain(feed: number, index: number): string {
  return `lnk${feed}-${index}.example.com`;
}

/** The handle a labelled author of each site's page has (feed.ts labels the same accounts). */
export const LABELLED_HANDLE: Record<ScrollSite, (feed: number, index: number) => string> = {
  x: xHandle,
  bluesky: blueskyHandle,
  reddit: redditUser,
};

interface PostSpec {
  n: number;
  author: string;
  linkHost: string;
  linkPath: string;
}

function spec(site: ScrollSite, n: number): PostSpec {
  const labelled = labelledAuthor(n, site);
  const author = labelled
    ? LABELLED_HANDLE[site](labelled.feed, labelled.index)
    : site === 'bluesky'
      ? `reader${n}.bsky.social`
      : `reader${n}`;
  const link = labelledLink(n);
  return {
    n,
    author,
    linkHost: link ? labelledDomain(link.feed, link.index) : `blog${n}.example.org`,
    linkPath: `/2024/story-${n}`,
  };
}

/** Badges the page should end with: one beside each labelled author, one beside each labelled link. */
export function expectedBadges(): number {
  let count = 0;
  for (let n = 0; n < POSTS; n++) {
    if (labelledAuthor(n, 'x')) count++;
    if (labelledLink(n)) count++;
  }
  return count;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** One X post (sites/fixtures/x/home.html): name, handle, permalink with time, text with a t.co link. */
function xPost(p: PostSpec): string {
  const id = String(1300000000000000000n + BigInt(p.n) * 7919n);
  const when = new Date(Date.UTC(2024, 0, 1) + p.n * 3600_000).toISOString();
  const h = esc(p.author);
  return `<div data-testid="cellInnerDiv"><article data-testid="tweet" role="article" tabindex="0">
<div class="r-row"><div data-testid="Tweet-User-Avatar"></div><div class="r-body">
<div data-testid="User-Name"><div><a href="/${h}" role="link"><div dir="ltr"><span><span>Reader ${p.n}</span></span></div></a></div>
<div><div><a href="/${h}" role="link" tabindex="-1"><div dir="ltr"><span>@${h}</span></div></a></div>
<div dir="ltr" aria-hidden="true"><span>·</span></div>
<div><a href="/${h}/status/${id}" dir="ltr" role="link"><time datetime="${when}">${when.slice(0, 10)}</time></a></div></div></div>
<div data-testid="tweetText" lang="en" dir="auto"><span>Post ${p.n + 1} of the timeline, with a link: </span><a dir="ltr" href="https://t.co/b${p.n.toString(36)}" rel="noopener noreferrer nofollow" target="_blank" role="link"><span aria-hidden="true">https://</span>${esc(p.linkHost)}${esc(p.linkPath.slice(0, 8))}<span aria-hidden="true">${esc(p.linkPath.slice(8))}</span><span aria-hidden="true">…</span></a></div>
<div role="group" aria-label="4 replies, 2 reposts, 31 likes"><span>4</span><span>2</span><span>31</span></div>
</div></div></article></div>`;
}

/** One Bluesky feed item (sites/fixtures/bluesky/home.html). */
function blueskyPost(p: PostSpec): string {
  const rkey = `3l${p.n.toString(32).padStart(11, 'a')}`;
  const h = esc(p.author);
  return `<div style="display: contents;"><div role="link" tabindex="0" data-testid="feedItem-by-${h}" class="css-175oi2r r-feeditem">
<div class="css-175oi2r" style="flex-direction: row; gap: 10px; padding-left: 8px;"><div class="css-175oi2r" style="width: 52px;"></div><div class="css-175oi2r" style="padding-top: 8px; flex-shrink: 1;"></div></div>
<div class="css-175oi2r" style="flex-direction: row; margin-top: 1px; gap: 10px;">
<div class="css-175oi2r" style="padding-left: 8px;"><a href="/profile/${h}" aria-label="${h}'s avatar" role="link" class="css-175oi2r"><div data-testid="userAvatarImage" class="css-175oi2r r-avatar"></div></a></div>
<div class="css-175oi2r" style="flex: 1;"><div class="css-175oi2r" style="flex-direction: row; align-items: flex-end; padding-bottom: 4px; gap: 4px;">
<a href="/profile/${h}" aria-label="View profile" role="link" dir="auto" class="css-146c3p1 r-name">Reader ${p.n}</a>
<a href="/profile/${h}" aria-label="View profile" role="link" dir="auto" class="css-146c3p1 r-muted">&nbsp;@${h}</a>
<a href="/profile/${h}/post/${rkey}" aria-label="January 1, 2024 at 1:04 PM" title="January 1, 2024 at 1:04 PM" role="link" dir="auto" class="css-146c3p1 r-muted">· 2h</a></div>
<div data-testid="contentHider-post" class="css-175oi2r"><div dir="auto" data-testid="postText" data-word-wrap="1" class="css-146c3p1 r-text">Post ${p.n + 1}, with a link: <a href="https://${esc(p.linkHost)}${esc(p.linkPath)}" role="link" dir="auto" class="css-146c3p1 r-link">${esc(p.linkHost)}${esc(p.linkPath.slice(0, 6))}...</a></div></div>
<div class="css-175oi2r r-ctrls"><div data-testid="replyBtn">Reply</div><div data-testid="repostBtn">Repost</div><div data-testid="likeBtn">Like</div></div>
</div></div></div></div>`;
}

/** One Reddit link post (sites/fixtures/reddit/www-home.html). */
function redditPost(p: PostSpec): string {
  const id = (1_000_000 + p.n).toString(36);
  const permalink = `/r/news/comments/${id}/post_${p.n}/`;
  const href = `https://${esc(p.linkHost)}${esc(p.linkPath)}`;
  const when = new Date(Date.UTC(2024, 0, 1) + p.n * 3600_000).toISOString();
  return `<article class="w-full m-0" aria-label="Post ${p.n + 1}"><shreddit-post id="t3_${id}" permalink="${permalink}" content-href="${href}" comment-count="12" created-timestamp="${when.replace('Z', '000+0000')}" post-title="Post ${p.n + 1}" post-type="link" score="100" subreddit-name="news" subreddit-prefixed-name="r/news" author="${esc(p.author)}" domain="${esc(p.linkHost)}" view-context="AggregateFeed">
<span slot="credit-bar"><span class="flex items-center"><faceplate-tracker noun="community"><a class="subreddit-name" href="/r/news/">r/news</a></faceplate-tracker><span class="created-separator">&bull;</span><faceplate-timeago ts="${when}" format="short"><time datetime="${when}">2 yr. ago</time></faceplate-timeago></span></span>
<a slot="title" href="${permalink}">Post ${p.n + 1} of the timeline</a>
<div slot="post-media-container"><a href="${href}" target="_blank" rel="noopener nofollow ugc">${esc(p.linkHost)} &#8599;</a></div>
<a slot="full-post-link" href="${permalink}"><faceplate-screen-reader-content>Post ${p.n + 1}</faceplate-screen-reader-content></a>
</shreddit-post></article><hr>`;
}

const RENDER: Record<ScrollSite, (p: PostSpec) => string> = {
  x: xPost,
  bluesky: blueskyPost,
  reddit: redditPost,
};

const SHELL: Record<ScrollSite, { title: string; open: string; close: string }> = {
  x: {
    title: 'Home / X',
    open: '<div id="react-root"><main role="main"><section role="region" aria-label="Timeline: Your Home Timeline"><div aria-label="Timeline: Your Home Timeline" id="timeline">',
    close: '</div></section></main></div>',
  },
  bluesky: {
    title: 'Bluesky',
    open: '<div id="root"><main role="main"><div class="r-header">Following</div><div class="css-175oi2r" id="timeline">',
    close: '</div></main></div>',
  },
  reddit: {
    title: 'Reddit - Dive into anything',
    open: '<shreddit-app><main id="main-content"><shreddit-feed id="timeline">',
    close: '</shreddit-feed></main></shreddit-app>',
  },
};

/** The whole scroll page for a site: its posts as HTML strings, added by the page's own script. */
export function scrollPage(site: ScrollSite): string {
  const posts = Array.from({ length: POSTS }, (_, n) => RENDER[site](spec(site, n)));
  const shell = SHELL[site];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${shell.title}</title>
<style>body{margin:0;font:15px/20px sans-serif;color:#0f1419;background:#fff}#timeline{max-width:600px;margin:0 auto}article,[data-testid=cellInnerDiv],.r-feeditem{display:block;padding:12px 16px;border-bottom:1px solid #eff3f4}</style>
</head><body>${shell.open}${shell.close}
<script>
(() => {
  const POSTS = ${JSON.stringify(posts)};
  const BATCH = ${BATCH};
  const INTERVAL = ${INTERVAL_MS};
  const timeline = document.getElementById('timeline');
  const inserted = new Float64Array(POSTS.length);
  const badges = [];
  const longTasks = [];
  const bench = (window.__bench = { appended: 0, done: false, inserted, badges, longTasks, start });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver(function stampBadges(records) {
    const now = performance.now();
    for (const r of records)
      for (const node of r.addedNodes)
        if (node.nodeName === 'CONTEXT-LENS-LABEL') {
          const owner = node.parentElement && node.parentElement.closest('[data-bench-i]');
          if (owner) badges.push([Number(owner.getAttribute('data-bench-i')), now]);
        }
  }).observe(timeline, { childList: true, subtree: true });
  const template = document.createElement('template');
  function batch() {
    const end = Math.min(POSTS.length, bench.appended + BATCH);
    const fragment = document.createDocumentFragment();
    const first = bench.appended;
    for (let n = first; n < end; n++) {
      template.innerHTML = POSTS[n];
      const wrapper = template.content.firstElementChild;
      wrapper.setAttribute('data-bench-i', String(n));
      fragment.append(template.content);
    }
    timeline.append(fragment);
    const now = performance.now();
    for (let n = first; n < end; n++) inserted[n] = now;
    bench.appended = end;
    if (end < POSTS.length) setTimeout(batch, INTERVAL);
    else bench.done = true;
  }
  function start() { setTimeout(batch, 0); }
})();
</script></body></html>`;
}
