/**
 * The one word every page that leads to a label's key shows (feed/key-words.ts), for the page
 * index's word filter (sync/page-index.ts): the background's side of passing over posts unread.
 *
 *   label key ──keyToken──▶ a word of the part of the key the page gave ──▶ the word filter
 *
 * The word is taken from the part of the key that comes from the page (an account's name, a post's
 * id, a host's first label), never from the part the rules write themselves (`account:x:`, `u/`,
 * `comment/`), so a page that leads to the key shows the word: the URL tables of every site check
 * this (feed/key-token.test.ts), and every fixture post (lens/quiet.test.ts). Where a site's rules
 * rewrite names (sites/url.ts `rewritesNames`), the word is the site's domain's.
 */
import { SITES } from '../sites/catalog';
import { percentDecoded, wordsOf } from './key-words';

/** Keys that name a host, and so match only links on it or under it. */
const HOST_KEYS = ['link:url:', 'link:domain:', 'server:fedi:'];

/** The host a link, domain or server key names (`link:url:a.example:8080/x` → `a.example`); null for others. */
export function keyHost(key: string): string | null {
  const prefix = HOST_KEYS.find((p) => key.startsWith(p));
  if (prefix === undefined) return null;
  const rest = key.slice(prefix.length);
  if (rest.startsWith('[')) return rest.slice(0, rest.indexOf(']') + 1);
  const end = rest.search(/[:/?]/);
  return end < 0 ? rest : rest.slice(0, end);
}

/** `account:<site>:` of each site whose rules rewrite names, and the word its domain shows. */
const REWRITTEN_ACCOUNTS = SITES.filter((site) => site.rewritesNames).map(
  (site) => [`account:${site.id}:`, wordsOf(site.domains[0] ?? '')[0] ?? ''] as const,
);

/** The part of a key that comes from the page: a host for host keys, else what follows `<kind>:<site>:`. */
function fromPage(key: string): string {
  const host = keyHost(key);
  if (host !== null) return host;
  const second = key.indexOf(':', key.indexOf(':') + 1);
  return second < 0 ? '' : key.slice(second + 1);
}

/**
 * The word every page that leads to this key shows (in a URL, a handle, an attribute), or null when
 * there is none to rely on: the longest word of the first label (punycode labels skipped) of the
 * last `/` part of what the page gave, before any `@` (`post:reddit:comment/kx9y8z7` → `kx9y8z7`,
 * `account:fedi:gargron@mastodon.social` → `gargron`, `link:domain:news.example.com` → `news`).
 */
export function keyToken(key: string): string | null {
  for (const [prefix, word] of REWRITTEN_ACCOUNTS) if (key.startsWith(prefix)) return word || null;
  let part = percentDecoded(fromPage(key));
  part = part.slice(part.lastIndexOf('/', part.length - 2) + 1);
  const at = part.indexOf('@');
  if (at > 0) part = part.slice(0, at);
  const labels = part.split('.');
  // `www.` is not the name; the labels after it are in the same text.
  if (labels[0] === 'www' && labels.length > 1) labels.shift();
  for (const label of labels) {
    if (label.startsWith('xn--')) continue;
    let best = '';
    for (const word of wordsOf(label)) if (word.length > best.length) best = word;
    if (best) return best;
  }
  return null;
}
