/**
 * From a post as an adapter read it to the places a badge can go ("slots") and the lookup keys each
 * place stands for: the author's name (author account + the post itself), the "X reposted" line,
 * each body link, and the same again inside a quoted post. Pure: reads PostData, never the page.
 */
import { type KeyReader, unwrapLink } from '../feed/site-keys';
import { LINK_URL_PREFIX } from '../messaging/link-url';
import type { PostData, ProfileHeader } from '../sites/types';

/**
 * Links of one post (with its quoted post) that get a badge place and a look-up; later ones are left
 * unlabelled. A post with thousands of links (a hostile or broken page) costs no more than this.
 */
export const MAX_LINKS_PER_POST = 20;
/** Longer link URLs are not looked up (the background refuses them too). */
export const MAX_LINK_URL_LENGTH = 2048;

export type SlotKind = 'author' | 'reposter' | 'link' | 'header';

export interface Slot {
  kind: SlotKind;
  /** The element a warn/hide for this slot's labels covers: the post, or the quoted post inside it. */
  scope: Element;
  /** The badge goes after this element, or, with `append: 'first'`, inside it at the start. */
  anchor: Element;
  append: 'after' | 'first';
  keys: string[];
  /** The account this place stands for (its own key), where "Not on this account" applies. */
  account?: string;
}

/**
 * `fn` remembered for the last ~1,000 inputs: the same author (and the same link) comes back again
 * and again as a timeline scrolls, and turning a URL into keys is the same work each time. The
 * arrays given out are shared: read them, never change them.
 */
function remembered<T>(fn: (url: string) => T): (url: string) => T {
  const memo = new Map<string, T>();
  return (url) => {
    let value = memo.get(url);
    if (value === undefined && !memo.has(url)) {
      value = fn(url);
      if (memo.size >= 1024) memo.clear();
      memo.set(url, value);
    }
    return value as T;
  };
}

const destinationOf = remembered(unwrapLink);

interface RememberedKeys {
  accountKeysOf(url: string): string[];
  postKeysOf(url: string): string[];
}

/** Each reader's remembered account and post keys. */
const rememberedKeys = new WeakMap<KeyReader, RememberedKeys>();

function rememberedBy(keys: KeyReader): RememberedKeys {
  let memo = rememberedKeys.get(keys);
  if (!memo) {
    memo = { accountKeysOf: remembered(keys.accountKeys), postKeysOf: remembered(keys.postKeys) };
    rememberedKeys.set(keys, memo);
  }
  return memo;
}

/** `a` then `b`, each key once, in a new array (as `[...new Set([...a, ...b])]`, without the Set). */
function union(a: readonly string[], b: readonly string[]): string[] {
  const keys: string[] = [];
  for (const list of [a, b]) for (const key of list) if (!keys.includes(key)) keys.push(key);
  return keys;
}

function addSlot(slots: Slot[], slot: Slot): void {
  if (slot.keys.length === 0) return;
  const same = slots.find(
    (s) => s.anchor === slot.anchor && s.scope === slot.scope && s.append === slot.append,
  );
  if (same) {
    same.keys = union(same.keys, slot.keys);
    same.account ??= slot.account;
  } else slots.push(slot);
}

function collect(post: PostData, slots: Slot[], budget: { links: number }, keys: RememberedKeys): void {
  const { accountKeysOf, postKeysOf } = keys;
  const scope = post.element;
  const ownKeys = post.permalink ? postKeysOf(post.permalink) : [];
  if (post.author) {
    const account = accountKeysOf(post.author.url);
    addSlot(slots, {
      kind: 'author',
      scope,
      anchor: post.author.anchor,
      append: 'after',
      keys: union(account, ownKeys),
      ...(account[0] ? { account: account[0] } : {}),
    });
  } else {
    addSlot(slots, { kind: 'author', scope, anchor: scope, append: 'first', keys: ownKeys });
  }
  if (post.repostedBy) {
    const account = accountKeysOf(post.repostedBy.url);
    addSlot(slots, {
      kind: 'reposter',
      scope,
      anchor: post.repostedBy.anchor,
      append: 'after',
      keys: account,
      ...(account[0] ? { account: account[0] } : {}),
    });
  }
  for (const link of post.links) {
    if (budget.links <= 0) break;
    // A wrapper (t.co…) whose destination the page does not show stands for no link.
    const destination = link.url.length > MAX_LINK_URL_LENGTH ? null : destinationOf(link.url);
    if (!destination) continue;
    budget.links--;
    addSlot(slots, {
      kind: 'link',
      scope,
      anchor: link.anchor,
      append: 'after',
      // The background turns the URL into link keys (Public Suffix List); see sync/page-lookup.ts.
      keys: [`${LINK_URL_PREFIX}${destination}`],
    });
  }
  if (post.quoted) collect(post.quoted, slots, budget, keys);
}

/**
 * Every place in a post (and its quoted post) a badge may go, with its keys (account and post keys
 * read by `keys`, the tab's own sites' rules); places without keys are left out.
 */
export function postSlots(post: PostData, keys: KeyReader): Slot[] {
  const slots: Slot[] = [];
  collect(post, slots, { links: MAX_LINKS_PER_POST }, rememberedBy(keys));
  return slots;
}

export function headerSlot(header: ProfileHeader, reader: KeyReader): Slot | null {
  const keys = reader.accountKeys(header.account.url);
  if (keys.length === 0) return null;
  return {
    kind: 'header',
    scope: header.element,
    anchor: header.account.anchor,
    append: 'after',
    keys,
    account: keys[0] as string,
  };
}

/**
 * What makes a post this post: when a site reuses an element for another post, this changes and the
 * element is read again.
 */
export function postSignature(post: PostData): string {
  const parts = [post.permalink ?? '', post.author?.url ?? '', post.repostedBy?.url ?? '', post.time ?? ''];
  for (const link of post.links) parts.push(link.url);
  if (post.quoted) parts.push(`[${postSignature(post.quoted)}]`);
  return parts.join('\n');
}
