/**
 * Mastodon instances beyond the built-in ones: the content script is registered at runtime for every
 * host the reader enabled (mastodonHostsItem) AND granted (host permission), under one registration
 * id. Owns that registration only; re-run at every worker start and whenever the hosts or the
 * granted permissions change. Never asks for a permission itself (the popup does, on a gesture).
 */
import { browser } from 'wxt/browser';
import { mastodonHostsItem } from '../storage/settings';

export const MASTODON_SCRIPT_ID = 'mastodon-hosts';
/** Where WXT builds entrypoints/mastodon.content.ts (Mastodon's adapter; entrypoints/content/run.ts). */
export const CONTENT_SCRIPT_FILE = 'content-scripts/mastodon.js';

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** `https://<host>/*` for each valid hostname, lowercased, without duplicates. */
export function hostPatterns(hosts: readonly unknown[]): string[] {
  const valid = hosts
    .filter((h): h is string => typeof h === 'string')
    .map((h) => h.trim().toLowerCase().replace(/\.$/, ''))
    .filter((h) => HOSTNAME.test(h));
  return [...new Set(valid)].map((h) => `https://${h}/*`);
}

export async function syncMastodonRegistrations(hosts?: readonly string[]): Promise<string[]> {
  const patterns = hostPatterns(hosts ?? (await mastodonHostsItem.getValue()));
  const granted: string[] = [];
  for (const pattern of patterns) {
    if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [MASTODON_SCRIPT_ID] });
  if (granted.length === 0) {
    if (existing.length) await browser.scripting.unregisterContentScripts({ ids: [MASTODON_SCRIPT_ID] });
    return granted;
  }
  const script = { id: MASTODON_SCRIPT_ID, matches: granted, js: [CONTENT_SCRIPT_FILE] };
  if (existing.length) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
  return granted;
}
