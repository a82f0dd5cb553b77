/**
 * Real URLs of Truth Social, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type UrlExample } from '../url-examples.ts';

export const urls: UrlExample[] = [
  ...account(
    'account:fedi:realdonaldtrump@truthsocial.com',
    'https://truthsocial.com/@realDonaldTrump',
    'https://www.truthsocial.com/@realDonaldTrump/',
  ),
  ...post(
    'post:fedi:truthsocial.com/113489426917153425',
    'https://truthsocial.com/@realDonaldTrump/posts/113489426917153425',
    'https://truthsocial.com/@realDonaldTrump/113489426917153425',
    'https://truthsocial.com/@realDonaldTrump/posts/113489426917153425?utm_source=share',
  ),
  ...neither('https://truthsocial.com/', 'https://truthsocial.com/group/patriots'),
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
    '0: jan6-reporting',
    '1: jan6-reporting',
    '3: hosting-terminated',
    '4: jan6-reporting',
    '5: app-store-removed',
    '5: app-store-removed',
    '5: account-suspended',
    '6: hosting-terminated',
    '7: account-reinstated account-suspended',
  ],
  profile: ['header: jan6-reporting', '0: jan6-reporting', '1: jan6-reporting'],
};
