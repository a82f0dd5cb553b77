// The content script of Truth Social: the lens with this site's adapter only (entrypoints/content/run.ts).
import { truthsocialAdapter } from '../sites/truthsocial/adapter';
import { siteContentScript } from './content/run';

export default siteContentScript(truthsocialAdapter);
