// The content script of Instagram: the lens with this site's adapter only (entrypoints/content/run.ts).
import { instagramAdapter } from '../sites/instagram/adapter';
import { siteContentScript } from './content/run';

export default siteContentScript(instagramAdapter);
