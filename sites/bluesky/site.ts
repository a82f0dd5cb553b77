/**
 * Bluesky (bsky.app): the site's hosts, what its account and post URLs look like, and its link wrappers.
 * Pure data and functions over parsed URLs (sites/url.ts): no DOM, no extension API, no tldts.
 * The DOM adapter is ./adapter.ts; the URL table that proves these rules is ./examples.ts.
 */

import { defineKeys, defineSite, HOSTNAME, type UrlRules } from '../url.ts';

const DID = /^did:[a-z]+:[A-Za-z0-9._:%-]{1,2000}$/;
export const BSKY_RKEY = /^[A-Za-z0-9._~:-]{1,512}$/;
const BSKY_ACCOUNT_TABS = new Set([
  'follows',
  'followers',
  'known-followers',
  'lists',
  'feeds',
  'starter-packs',
]);

/** A handle (lowercased) or a DID (as is); null when neither. */
export function bskyActor(actor: string | undefined): string | null {
  if (!actor) return null;
  if (actor.startsWith('did:')) return DID.test(actor) ? actor : null;
  const handle = actor.toLowerCase().replace(/^@/, '');
  return HOSTNAME.test(handle) ? handle : null;
}

const bskyRules: UrlRules = {
  hosts: ['bsky.app'],
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

export const blueskySite = defineSite({
  id: 'bluesky',
  name: 'Bluesky',
  home: 'https://bsky.app/',
  pageHosts: ['bsky.app'],
  domains: ['bsky.app'],
  unwrap: (url, host) =>
    host === 'go.bsky.app' && url.pathname === '/redirect' ? url.searchParams.get('u') : undefined,
});

export const blueskyKeys = defineKeys({ site: 'bluesky', rules: [bskyRules] });
