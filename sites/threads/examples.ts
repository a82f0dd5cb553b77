/**
 * Real URLs of Threads, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type UrlExample } from '../url-examples.ts';

export const urls: UrlExample[] = [
  ...account(
    'account:threads:zuck',
    'https://www.threads.net/@zuck',
    'https://threads.net/@Zuck/',
    'https://www.threads.com/@zuck',
    'https://threads.com/@zuck/replies',
  ),
  ...post(
    'post:threads:CuXFPIeLLod',
    'https://www.threads.net/@zuck/post/CuXFPIeLLod',
    'https://www.threads.com/@zuck/post/CuXFPIeLLod?xmt=AQGz',
    'https://threads.net/@someone/post/CuXFPIeLLod/media',
    'https://www.threads.net/t/CuXFPIeLLod',
  ),
  ...neither('https://www.threads.net/', 'https://www.threads.net/search', 'https://www.threads.net/zuck'),
];

/** The fixture pages (`./fixtures/<name>.html`) `npm run demo` shows for this site. */
export const demo = ['home'];
