// The content script of Reddit: the lens with this site's adapter only (entrypoints/content/run.ts).
import { redditAdapter } from '../sites/reddit/adapter';
import { siteContentScript } from './content/run';

export default siteContentScript(redditAdapter);
