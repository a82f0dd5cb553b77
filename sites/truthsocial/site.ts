/**
 * Truth Social (truthsocial.com): the site's hosts and URL rules. It runs a Mastodon fork, so its
 * accounts and posts are fediverse keys read by Mastodon's rules (`/@user`, `/@user/posts/ID`);
 * it has its own folder for its own web front end (./adapter.ts) and its own switch.
 * Pure: no DOM, no extension API, no tldts. The URL table that proves the rules is ./examples.ts.
 */

import { fediRules } from '../mastodon/site.ts';
import { defineKeys, defineSite } from '../url.ts';

export const truthsocialSite = defineSite({
  id: 'truthsocial',
  name: 'Truth Social',
  home: 'https://truthsocial.com/',
  pageHosts: ['truthsocial.com'],
  // Not listed as an owned domain: other truthsocial.com hosts keep the fediverse reading.
  domains: [],
});

export const truthsocialKeys = defineKeys({
  site: 'truthsocial',
  rules: [{ hosts: ['truthsocial.com'], ...fediRules }],
});
