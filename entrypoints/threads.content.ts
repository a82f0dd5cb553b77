// The content script of Threads: the lens with this site's adapter only (entrypoints/content/run.ts).
import { threadsAdapter } from '../sites/threads/adapter';
import { siteContentScript } from './content/run';

export default siteContentScript(threadsAdapter);
