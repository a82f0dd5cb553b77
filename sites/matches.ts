/**
 * The pages the content script is declared on (manifest match patterns). Mastodon instances other
 * than mastodon.social are registered at runtime, after the reader grants that host from the popup.
 */
export const SITE_MATCHES = [
  '*://x.com/*',
  '*://twitter.com/*',
  '*://mobile.twitter.com/*',
  '*://bsky.app/*',
  '*://mastodon.social/*',
  '*://truthsocial.com/*',
  '*://www.reddit.com/*',
  '*://old.reddit.com/*',
  '*://new.reddit.com/*',
  '*://www.threads.net/*',
  '*://www.threads.com/*',
  '*://www.youtube.com/*',
  '*://www.facebook.com/*',
  '*://www.instagram.com/*',
];
