/**
 * Labels drawn by a scroll page's own script, with no extension and nothing read to find them (an
 * init script: a MutationObserver that draws in the task that appended the posts). floor.ts weighs
 * every kind of label this way (its header says what each variant draws); the page suite
 * (index.ts) draws the extension's real badge so (`badge`, which needs insert.ts `badgeScript` in
 * the page too) beside every run, for context. The observer knows which posts carry labels from
 * their `data-bench-i` (scroll.ts's rules, which the bench's feeds follow) and logs
 * `floor-draw-ms <ms>`, its own script time, once the scroll is done.
 */
import { ANCHOR, SHADOW_CSS } from './insert';
import {
  LABELLED_HANDLE,
  labelledAuthor,
  labelledDomain,
  labelledLink,
  POSTS,
  SCROLL_URL,
  type ScrollSite,
} from './scroll';

export type DrawVariant =
  | 'text'
  | 'shadow'
  | 'read'
  | 'button'
  | 'chip'
  | 'slim'
  | 'chip+icon'
  | 'chip+name'
  | 'sheet'
  | 'badge'
  | 'badge+css'
  | `badge+css${number}`;

/**
 * The `chip` variant's one sheet: the host itself is the chip (coloured, rounded, focusable), its
 * shadow root holding only the text.
 */
const CHIP_CSS =
  ':host { all: initial; display: inline; margin-inline-start: 4px; padding: 0 6px; border-radius: 9px; ' +
  'background: #fde68a; color: #713f12; font: 600 12px system-ui, sans-serif; white-space: nowrap; cursor: pointer } ' +
  ':host(:focus-visible) { outline: 2px solid #1d4ed8; outline-offset: 1px }';

/**
 * The `slim` variant's one sheet: the badge's host and chip (badge.css's sizes and colours, light
 * caution) as one `<button>` holding only its text, the icon drawn as the button's own background
 * layers and the ellipsis on the button: the badge with one box inside its host.
 */
const SLIM_CSS = `:host { all: initial; display: inline-block; position: relative; vertical-align: middle;
  margin: 0 4px; line-height: normal; max-width: 100% }
button { display: inline-block; box-sizing: border-box; max-width: 240px; height: 20px;
  padding: 0 7px 0 23px; border: 1px solid #d97706; border-radius: 10px; color: #713f12;
  font: 600 12px system-ui, sans-serif; line-height: 18px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; cursor: pointer; --cut: #0000 calc(50% - 0.5px), #713f12 calc(50% + 0.5px);
  background: linear-gradient(#fde68a 0 0) 11px 6px / 2px 4px no-repeat,
    linear-gradient(#fde68a 0 0) 11px 11px / 2px 2px no-repeat,
    linear-gradient(to bottom right, var(--cut)) 5px 2px / 7px 14px no-repeat,
    linear-gradient(to bottom left, var(--cut)) 12px 2px / 7px 14px no-repeat, #fde68a }
button:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 2px }`;

/** The `chip+icon` variant's sheet: `chip`'s, with the caution icon drawn as the host's own background layers. */
const CHIP_ICON_CSS = `${CHIP_CSS} :host { padding-inline-start: 22px;
  --cut: #0000 calc(50% - 0.5px), #713f12 calc(50% + 0.5px);
  background: linear-gradient(#fde68a 0 0) 10px 4px / 2px 4px no-repeat,
    linear-gradient(#fde68a 0 0) 10px 9px / 2px 2px no-repeat,
    linear-gradient(to bottom right, var(--cut)) 4px 0 / 7px 14px no-repeat,
    linear-gradient(to bottom left, var(--cut)) 11px 0 / 7px 14px no-repeat, #fde68a }`;

/** The one sheet of each variant's shadow roots (`sheet`: the badge's own; the real badge brings its own). */
function sheetOf(variant: DrawVariant, lensCss: string): string {
  if (variant === 'sheet') return lensCss;
  if (variant === 'chip' || variant === 'chip+name') return CHIP_CSS;
  if (variant === 'chip+icon') return CHIP_ICON_CSS;
  if (variant === 'slim') return SLIM_CSS;
  return SHADOW_CSS;
}

/** Where a link's badge goes in a post of each site (after the post's outbound link). */
const LINK_ANCHOR: Record<ScrollSite, string> = {
  x: '[data-testid="tweetText"] a',
  bluesky: 'a.r-link',
  reddit: '[slot="post-media-container"] a',
};

/**
 * The page-side observer that draws `variant`'s labels on every labelled post of `site`, in the
 * task that appended them (an init script; it does nothing on any other page).
 */
export function drawScript(site: ScrollSite, variant: DrawVariant, css: string, lensCss: string): string {
  const authors: number[] = [];
  const links: number[] = [];
  const handles: string[] = [];
  const domains: string[] = [];
  for (let n = 0; n < POSTS; n++) {
    const author = labelledAuthor(n, site);
    const link = labelledLink(n);
    if (author) authors.push(n);
    if (link) links.push(n);
    if (author) handles.push(LABELLED_HANDLE[site](author.feed, author.index));
    if (link) domains.push(labelledDomain(link.feed, link.index));
  }
  const config = {
    site,
    url: SCROLL_URL[site],
    handles,
    domains,
    variant,
    css: variant.startsWith('badge+css') ? css : '',
    sheet: sheetOf(variant, lensCss),
    authors,
    links,
    author: ANCHOR[site],
    link: { selector: LINK_ANCHOR[site], append: 'after' },
  };
  return `(() => {
  const C = ${JSON.stringify(config)};
  if (location.href !== C.url) return;
  const authors = new Set(C.authors);
  const links = new Set(C.links);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(C.sheet);
  const draw = (anchor, append) => {
    if (!anchor) return;
    if (C.variant.startsWith('badge')) return window.__insertBadge(anchor, append, C.css);
    let label = document.createTextNode(' \\u26a0 Account suspended');
    if (C.variant !== 'text') {
      const host = document.createElement('context-lens-label');
      if (C.variant.startsWith('chip'))
        for (const [name, value] of [['role', 'button'], ['tabindex', '0'], ['aria-haspopup', 'dialog']])
          host.setAttribute(name, value);
      const root = host.attachShadow({ mode: 'closed' });
      root.adoptedStyleSheets = [sheet];
      if (C.variant === 'chip+name') {
        const name = document.createElement('span');
        name.setAttribute('aria-label', 'Context labels: 1 — Account suspended');
        name.append(label);
        label = name;
      }
      if (C.variant === 'button' || C.variant === 'slim') {
        const button = document.createElement('button');
        button.className = 'cl-badge';
        button.append(label);
        label = button;
      }
      root.append(label);
      label = host;
    }
    if (append === 'last') anchor.append(label);
    else anchor.after(label);
  };
  let spent = 0;
  let told = false;
  const handles = new Set(C.handles);
  const domains = new Set(C.domains);
  // 'read': find the labelled author and link by reading the post, as cheaply as a reader can.
  const read = (post) => {
    let author = null;
    let link = null;
    const shreddit = C.site === 'reddit' ? post.querySelector('shreddit-post') : null;
    if (shreddit) {
      if (handles.has(shreddit.getAttribute('author'))) author = post.querySelector(C.author.selector);
      const href = shreddit.getAttribute('content-href') || '';
      if (domains.has(href.slice(href.indexOf('//') + 2).split('/')[0])) link = post.querySelector(C.link.selector);
    }
    for (const a of post.querySelectorAll('a[href]')) {
      const href = a.getAttribute('href');
      if (href.charCodeAt(0) === 47) {
        const parts = href.split('/');
        const handle = parts[1] === 'profile' || parts[1] === 'user' ? parts[2] : parts[1];
        if (!author && handles.has(handle)) author = post.querySelector(C.author.selector);
      } else {
        const text = href.startsWith('https://t.co/') ? a.textContent : href;
        if (!link && domains.has(text.slice(text.indexOf('//') + 2).split('/')[0])) link = a;
      }
    }
    if (author) draw(author, C.author.append);
    if (link) draw(link, 'after');
  };
  new MutationObserver(function drawLabels(records) {
    const started = performance.now();
    for (const record of records)
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1 || !node.hasAttribute('data-bench-i')) continue;
        if (C.variant === 'read') {
          read(node);
          continue;
        }
        const n = Number(node.getAttribute('data-bench-i'));
        if (authors.has(n)) draw(node.querySelector(C.author.selector), C.author.append);
        if (links.has(n)) draw(node.querySelector(C.link.selector), C.link.append);
      }
    spent += performance.now() - started;
    if (!told && window.__bench && window.__bench.done) {
      told = true;
      console.log('floor-draw-ms ' + spent);
    }
  }).observe(document, { childList: true, subtree: true });
})();`;
}
