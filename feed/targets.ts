/**
 * Target normalisation: turns a label's target as a curator wrote it into the short lookup key labels
 * are matched by, and gathers the page-side key functions in one place for the feed library and the CLI.
 * Equivalent URLs give one key, so the feed builder, the background cache and the content script agree.
 *
 *   curator's target ──normalizeTarget──▶ key ─┐
 *   page author URL ───accountKeys─────▶ keys ─┼─▶ equal strings = the label applies
 *   page permalink ────postKeys────────▶ keys ─┤     (feed/site-keys.ts, rules from sites/<id>/site.ts)
 *   body link ─unwrap─linkLookupKeys───▶ keys ─┘     (feed/link-keys.ts, Public Suffix List)
 *
 * Key format `<kind>:<site>:<id>` (docs/targets.md): account:x:jack, post:x:20, account:bsky:alice.bsky.social,
 * account:fedi:user@host, post:fedi:host/ID, account:reddit:u/name, account:reddit:r/name, post:reddit:ID,
 * account:youtube:@handle, post:youtube:ID, account:facebook:name, post:facebook:ID, account:instagram:name,
 * post:instagram:CODE, account:threads:name, post:threads:CODE, link:domain:host, link:url:host/path?query,
 * server:fedi:host (a label on a whole fediverse server; accounts and links on it are looked up by it too).
 *
 * A content script that needs only account and post keys imports feed/site-keys.ts, which loads no
 * Public Suffix List. Pure: no network, no extension API. Never throws, whatever string it is given,
 * and never makes a link wrapper (t.co…) a target.
 */

import { BSKY_RKEY, bskyActor } from '../sites/bluesky/site.ts';
import { fediHandle } from '../sites/mastodon/site.ts';
import { decodeSegment, parseHttpUrl } from '../sites/url.ts';
import { bareHost, hasRegistrableDomain, linkLookupKeys, linkUrlKey } from './link-keys.ts';
import {
  accountKeys,
  isWrapperUrl,
  postKeys,
  serverKeys,
  unwrapLink,
  wrapperDestination,
} from './site-keys.ts';
import type { Label, TargetKind } from './types';

export { accountKeys, isWrapperUrl, linkLookupKeys, postKeys, serverKeys, unwrapLink };

/**
 * The version of the target rules above and in site-keys/link-keys (and the Public Suffix List
 * they use): a format-2 feed carries the keys its builder made and this number (`keyRules`), and a
 * reader whose number differs normalises every target itself instead of trusting them. Bump it with
 * any change that gives some target a different key.
 */
export const KEY_RULES = 1;

export type NormalizeResult = { ok: true; key: string } | { ok: false; message: string };

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

/**
 * A server target: the bare domain of a fediverse server (`blocked.example`) as `server:fedi:<host>`,
 * under the same rules as a bare-domain link (lowercase, punycode, no `www.`, not a public suffix).
 */
export function normalizeServer(input: string): NormalizeResult {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!BARE_DOMAIN.test(text)) {
    return fail(
      `${quote(text)} is not a bare domain; a server label names the server's domain, like blocked.example`,
    );
  }
  const link = normalizeLink(text);
  return link.ok ? { ok: true, key: `server:fedi:${link.key.slice('link:domain:'.length)}` } : link;
}

/** The key a label is stored under: its target's, or `server:fedi:<host>` for a server label. */
export function labelKey(label: Pick<Label, 'account' | 'post' | 'link' | 'server'>): NormalizeResult {
  if (label.server === true) return normalizeServer(label.link ?? '');
  if (label.account !== undefined) return normalizeTarget('account', label.account);
  if (label.post !== undefined) return normalizeTarget('post', label.post);
  return normalizeTarget('link', label.link ?? '');
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
