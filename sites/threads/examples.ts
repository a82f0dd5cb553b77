/**
 * Real URLs of Threads, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type SiteExamples, type UrlExample } from '../url-examples.ts';

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

/** The site's link wrappers and where each leads (null: the wrapper hides it). */
export const wrappers: SiteExamples['wrappers'] = [
  ['https://l.threads.net/?u=https%3A%2F%2Fparler.com%2Fx', 'https://parler.com/x'],
  ['https://l.threads.com/?u=https%3A%2F%2Fparler.com%2Fx', 'https://parler.com/x'],
];

/** The fixture pages (`./fixtures/<name>.html`) `npm run demo` shows for this site. */
export const demo = ['home'];

/**
 * What the bundled seed feed puts on each fixture page, checked by the browser tests in Chromium and
 * Firefox: one line per badge, `<index of the post holding it>: <definition ids>` (`header`: the
 * profile header). Regenerate a fixture's row when the fixture changes.
 */
export const badges: Record<string, string[]> = {
  home: [
    '1: hosting-terminated',
    '2: app-store-removed',
    '4: hosting-terminated',
    '5: app-store-removed',
    '5: account-suspended',
    '6: account-reinstated account-suspended',
  ],
  profile: ['0: hosting-terminated', '1: app-store-removed'],
};
