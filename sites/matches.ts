/**
 * The pages the content script is declared on (manifest match patterns), derived from the site
 * folders (sites/catalog.ts). Mastodon servers other than mastodon.social are registered at
 * runtime, after the reader grants that host from the popup.
 */
export { SITE_MATCHES } from './catalog.ts';
