/**
 * Threads (www.threads.net, www.threads.com): the site's hosts, what its account and post URLs look like, and its link wrappers.
 * Pure data and functions over parsed URLs (sites/url.ts): no DOM, no extension API, no tldts.
 * The DOM adapter is ./adapter.ts; the URL table that proves these rules is ./examples.ts.
 */

import { INSTAGRAM_CODE, INSTAGRAM_USER } from '../instagram/site.ts';
import { defineKeys, defineSite, type UrlRules } from '../url.ts';

const THREADS_HOSTS = new Set(['threads.net', 'threads.com']);
const THREADS_TABS = new Set(['replies', 'reposts', 'media']);

const threadsRules: UrlRules = {
  hosts: [...THREADS_HOSTS],
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

const SHIM_HOSTS = new Set(['l.threads.net', 'l.threads.com']);

export const threadsSite = defineSite({
  id: 'threads',
  name: 'Threads',
  home: 'https://www.threads.net/',
  pageHosts: ['www.threads.net', 'www.threads.com'],
  domains: ['threads.net', 'threads.com'],
  unwrap: (url, host) => (SHIM_HOSTS.has(host) ? url.searchParams.get('u') : undefined),
});

export const threadsKeys = defineKeys({ site: 'threads', rules: [threadsRules] });
