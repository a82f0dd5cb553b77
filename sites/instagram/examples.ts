/**
 * Real URLs of Instagram, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type SiteExamples, type UrlExample } from '../url-examples.ts';

export const urls: UrlExample[] = [
  ...account(
    'account:instagram:nasa',
    'https://www.instagram.com/nasa/',
    'https://instagram.com/NASA',
    'https://www.instagram.com/nasa/?hl=en',
    'https://www.instagram.com/nasa/tagged/',
    'https://www.instagram.com/nasa/reels/',
  ),
  ...account('account:instagram:some.user_1', 'https://www.instagram.com/Some.User_1/'),
  ...post(
    'post:instagram:C1a2B3c4D5e',
    'https://www.instagram.com/p/C1a2B3c4D5e/',
    'https://instagram.com/p/C1a2B3c4D5e?igsh=MWQ1ZGUxMzBkMA==',
    'https://www.instagram.com/reel/C1a2B3c4D5e/',
    'https://www.instagram.com/reels/C1a2B3c4D5e/',
    'https://www.instagram.com/tv/C1a2B3c4D5e',
    'https://www.instagram.com/nasa/p/C1a2B3c4D5e/',
    'https://www.instagram.com/nasa/reel/C1a2B3c4D5e/',
  ),
  ...post('post:instagram:c1a2b3c4d5e', 'https://www.instagram.com/p/c1a2b3c4d5e/'),
  ...neither(
    'https://www.instagram.com/',
    'https://www.instagram.com/explore/',
    'https://www.instagram.com/explore/tags/cats/',
    'https://www.instagram.com/accounts/login/',
    'https://www.instagram.com/direct/inbox/',
    'https://www.instagram.com/stories/nasa/3141592653589793/',
    'https://www.instagram.com/p/',
  ),
];

/** The site's link wrappers and where each leads (null: the wrapper hides it). */
export const wrappers: SiteExamples['wrappers'] = [
  ['https://l.instagram.com/?u=https%3A%2F%2Fparler.com%2Fx&e=AT1', 'https://parler.com/x'],
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
    '0: account-reinstated account-suspended',
    '2: account-reinstated account-suspended',
    '5: account-reinstated account-suspended',
  ],
  profile: ['header: account-reinstated account-suspended'],
};
