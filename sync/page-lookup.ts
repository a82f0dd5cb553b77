/**
 * The content script's `lookup`: account and post keys it normalised itself, and link URLs as found
 * on the page, sent as `url:<absolute URL>` (messaging/protocol.ts LINK_URL_PREFIX). Link keys need
 * the Public Suffix List (tldts, feed/link-keys.ts), which lives here in the background so the
 * content script never ships it: each URL becomes its link keys (url, domain chain, and the account
 * or post it points at), remembered in a small cache while the worker lives. A label found through a
 * URL is answered once more with `asked` set to that `url:` key, so the tab files it under what it asked.
 */
import { linkLookupKeys } from '../feed/link-keys';
import { LINK_URL_PREFIX, type MatchedLabel } from '../messaging/protocol';
import type { CacheDb } from '../storage/db';
import { lookupLabels, MAX_LOOKUP_KEYS } from './lookup';

/** URLs in one message at most (each becomes up to ~8 keys); the rest are answered with nothing. */
export const MAX_LINK_URLS = 500;
/** Longer URLs are not looked up (no real link needs more). */
export const MAX_LINK_URL_LENGTH = 2048;
const CACHE_SIZE = 4096;

/** A memo, not state: losing it (the worker stopped) only costs recomputing. */
const linkKeyCache = new Map<string, string[]>();

export function linkKeysOf(url: string): string[] {
  let keys = linkKeyCache.get(url);
  if (keys) return keys;
  keys = url.length > MAX_LINK_URL_LENGTH ? [] : linkLookupKeys(url);
  if (linkKeyCache.size >= CACHE_SIZE) linkKeyCache.clear();
  linkKeyCache.set(url, keys);
  return keys;
}

export async function lookupPageKeys(db: CacheDb, asked: readonly string[]): Promise<MatchedLabel[]> {
  const direct: string[] = [];
  /** link key → the `url:` keys it came from */
  const viaUrl = new Map<string, string[]>();
  let urls = 0;
  for (const key of new Set(asked)) {
    if (typeof key !== 'string' || key.length === 0) continue;
    if (!key.startsWith(LINK_URL_PREFIX)) {
      if (direct.length < MAX_LOOKUP_KEYS) direct.push(key);
      continue;
    }
    if (++urls > MAX_LINK_URLS) continue;
    for (const linkKey of linkKeysOf(key.slice(LINK_URL_PREFIX.length))) {
      const from = viaUrl.get(linkKey);
      if (from) from.push(key);
      else viaUrl.set(linkKey, [key]);
    }
  }
  const directSet = new Set(direct);
  const all = [...new Set([...direct, ...viaUrl.keys()])];
  const labels: MatchedLabel[] = [];
  for (let start = 0; start < all.length; start += MAX_LOOKUP_KEYS) {
    labels.push(...(await lookupLabels(db, all.slice(start, start + MAX_LOOKUP_KEYS))));
  }
  const answer: MatchedLabel[] = [];
  for (const label of labels) {
    if (directSet.has(label.key)) answer.push(label);
    for (const url of viaUrl.get(label.key) ?? []) answer.push({ ...label, asked: url });
  }
  return answer;
}
