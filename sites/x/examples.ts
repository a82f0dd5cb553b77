/**
 * Real URLs of X, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type SiteExamples, type UrlExample } from '../url-examples.ts';

export const urls: UrlExample[] = [
  ...account(
    'account:x:realdonaldtrump',
    'https://x.com/realDonaldTrump',
    'https://twitter.com/realDonaldTrump',
    'https://www.twitter.com/realdonaldtrump',
    'https://mobile.twitter.com/RealDonaldTrump',
    'https://www.x.com/realDonaldTrump/',
    'https://x.com/realDonaldTrump?lang=en',
    'https://x.com/realDonaldTrump#x',
    'http://twitter.com/realDonaldTrump',
    'https://x.com/realDonaldTrump/with_replies',
    'https://x.com/realDonaldTrump/media',
    'https://x.com/realDonaldTrump/likes',
    'https://twitter.com/#!/realDonaldTrump',
  ),
  ...account('account:x:jack', 'https://x.com/jack/followers', 'https://X.COM/JACK'),
  ...post(
    'post:x:1346928882595885058',
    'https://x.com/realDonaldTrump/status/1346928882595885058',
    'https://twitter.com/realDonaldTrump/status/1346928882595885058?s=20&t=abc',
    'https://mobile.twitter.com/realDonaldTrump/status/1346928882595885058',
    'https://x.com/i/status/1346928882595885058',
    'https://twitter.com/i/web/status/1346928882595885058',
    'https://x.com/someone_else/status/1346928882595885058/photo/1',
    'https://x.com/realDonaldTrump/status/1346928882595885058/analytics',
    'https://twitter.com/realDonaldTrump/statuses/1346928882595885058',
    'https://www.x.com/realDonaldTrump/status/1346928882595885058/',
  ),
  ...neither(
    'https://x.com/home',
    'https://x.com/explore',
    'https://x.com/search?q=parler',
    'https://x.com/i/flow/login',
    'https://x.com/settings/account',
    'https://x.com/notifications',
    'https://x.com/messages',
    'https://x.com/compose/post',
    'https://x.com/hashtag/MAGA',
    'https://twitter.com/intent/tweet?text=hi',
    'https://x.com/tos',
    'https://x.com/',
    'https://x.com/jack/status/notanumber',
    'https://x.com/jack/lists/extra',
    'https://x.com/this_handle_is_far_too_long',
    'https://developer.x.com/@jack',
  ),
];

/** The site's link wrappers and where each leads (null: the wrapper hides it). */
export const wrappers: SiteExamples['wrappers'] = [['https://t.co/abc123XYZ', null]];

/** The fixture pages (`./fixtures/<name>.html`) `npm run demo` shows for this site. */
export const demo = ['home'];

/**
 * What the bundled seed feed puts on each fixture page, checked by the browser tests in Chromium and
 * Firefox: one line per badge, `<index of the post holding it>: <definition ids>` (`header`: the
 * profile header). Regenerate a fixture's row when the fixture changes.
 */
export const badges: Record<string, string[]> = {
  home: [
    '0: account-reinstated account-suspended post-removed',
    '2: hosting-terminated',
    '3: account-reinstated account-suspended',
    '4: account-reinstated account-suspended post-cited-in-ban',
    '5: app-store-removed',
    '5: app-store-removed',
    '6: hosting-terminated',
    '7: account-reinstated account-suspended',
    '7: account-suspended',
  ],
  profile: [
    'header: account-reinstated account-suspended',
    '0: account-reinstated account-suspended post-removed',
    '1: account-reinstated account-suspended post-cited-in-ban',
    '2: account-reinstated account-suspended',
  ],
  status: ['0: account-reinstated account-suspended post-cited-in-ban', '1: hosting-terminated'],
};
