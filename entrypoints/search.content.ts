// The content script of Search result pages: the lens with this site's adapter only (entrypoints/content/run.ts).
import { searchAdapter } from '../sites/search/adapter';
import { siteContentScript } from './content/run';

export default siteContentScript(searchAdapter);
