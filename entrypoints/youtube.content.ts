// The content script of YouTube: the lens with this site's adapter only (entrypoints/content/run.ts).
import { youtubeAdapter } from '../sites/youtube/adapter';
import { siteContentScript } from './content/run';

export default siteContentScript(youtubeAdapter);
