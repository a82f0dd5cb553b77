// The content script of Bluesky: the lens with this site's adapter only (entrypoints/content/run.ts).
import { blueskyAdapter } from '../sites/bluesky/adapter';
import { siteContentScript } from './content/run';

export default siteContentScript(blueskyAdapter);
