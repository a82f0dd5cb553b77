/**
 * Real URLs of Reddit, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type SiteExamples, type UrlExample } from '../url-examples.ts';

export const urls: UrlExample[] = [
  ...account(
    'account:reddit:u/spez',
    'https://www.reddit.com/user/spez',
    'https://www.reddit.com/u/spez/',
    'https://old.reddit.com/user/Spez',
    'https://reddit.com/u/SPEZ',
    'https://new.reddit.com/user/spez/submitted',
    'https://np.reddit.com/user/spez/comments/',
  ),
  ...account(
    'account:reddit:r/the_donald',
    'https://www.reddit.com/r/The_Donald',
    'https://old.reddit.com/r/the_donald/',
    'https://reddit.com/r/The_Donald/top?t=all',
    'https://np.reddit.com/r/THE_DONALD/new/',
  ),
  ...post(
    'post:reddit:1abc2de',
    'https://www.reddit.com/r/news/comments/1abc2de/some_title_here/',
    'https://old.reddit.com/r/news/comments/1abc2de/',
    'https://www.reddit.com/comments/1abc2de',
    'https://redd.it/1abc2de',
    'https://reddit.com/r/News/comments/1ABC2DE/some_title_here?utm_source=share&utm_medium=web2x',
    'https://www.reddit.com/user/spez/comments/1abc2de/a_profile_post/',
    'https://www.reddit.com/gallery/1abc2de',
  ),
  ...post(
    'post:reddit:comment/kx9y8z7',
    'https://www.reddit.com/r/news/comments/1abc2de/some_title_here/kx9y8z7/',
    'https://www.reddit.com/r/news/comments/1abc2de/comment/kx9y8z7/',
  ),
  ...neither(
    'https://www.reddit.com/',
    'https://www.reddit.com/r/all',
    'https://www.reddit.com/r/popular/',
    'https://www.reddit.com/r/news/wiki/index',
    'https://www.reddit.com/r/news/s/AbCdEf123',
    'https://www.reddit.com/search/?q=x',
    'https://redd.it/',
  ),
];

/** The site's link wrappers and where each leads (null: the wrapper hides it). */
export const wrappers: SiteExamples['wrappers'] = [
  ['https://out.reddit.com/t3_1abc2de?url=https%3A%2F%2Fparler.com%2Fx&token=abc', 'https://parler.com/x'],
  ['https://out.reddit.com/t3_1abc2de', null],
];

/** The fixture pages (`./fixtures/<name>.html`) `npm run demo` shows for this site. */
export const demo = ['www-home', 'old-listing'];

/**
 * What the bundled seed feed puts on each fixture page, checked by the browser tests in Chromium and
 * Firefox: one line per badge, `<index of the post holding it>: <definition ids>` (`header`: the
 * profile header). Regenerate a fixture's row when the fixture changes.
 */
export const badges: Record<string, string[]> = {
  'old-comments': [
    '0: hosting-terminated',
    '0: app-store-removed',
    '2: app-store-removed',
    '5: account-suspended',
  ],
  'old-listing': [
    '1: hosting-terminated',
    '2: app-store-removed',
    '3: app-store-removed',
    '4: hosting-terminated',
    '6: account-reinstated account-suspended',
  ],
  'www-comments': [
    '1: account-reinstated account-suspended',
    '3: hosting-terminated',
    '6: app-store-removed',
    '7: app-store-removed',
  ],
  'www-home': [
    '0: app-store-removed',
    '2: hosting-terminated',
    '4: app-store-removed',
    '6: account-suspended',
    '7: account-reinstated account-suspended',
  ],
  'www-profile': ['0: hosting-terminated'],
};
