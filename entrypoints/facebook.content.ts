// The content script of Facebook: the lens with this site's adapter only (entrypoints/content/run.ts).
import { facebookAdapter } from '../sites/facebook/adapter';
import { siteContentScript } from './content/run';

export default siteContentScript(facebookAdapter);
