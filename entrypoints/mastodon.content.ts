// The content script of Mastodon servers: mastodon.social and every host the reader adds, for which
// the background registers this same file (sync/mastodon.ts). The lens with Mastodon's adapter only
// (entrypoints/content/run.ts).
import { mastodonAdapter } from '../sites/mastodon/adapter';
import { siteContentScript } from './content/run';

export default siteContentScript(mastodonAdapter);
