// The content script of X: the lens with this site's adapter only (entrypoints/content/run.ts).
import { xAdapter } from '../sites/x/adapter';
import { siteContentScript } from './content/run';

export default siteContentScript(xAdapter);
