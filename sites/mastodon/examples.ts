/**
 * Real URLs of Mastodon and the fediverse, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type UrlExample } from '../url-examples.ts';

export const urls: UrlExample[] = [
  ...account(
    'account:fedi:gargron@mastodon.social',
    'https://mastodon.social/@Gargron',
    'https://mastodon.social/@gargron/',
    'https://mastodon.social/@Gargron/with_replies',
    'https://mastodon.social/@Gargron/media',
    'https://mastodon.social/users/Gargron',
    'https://chaos.social/@Gargron@mastodon.social',
    'https://fosstodon.org/@gargron@Mastodon.Social/',
    'https://MASTODON.SOCIAL/@Gargron?foo=bar',
  ),
  ...account(
    'account:fedi:realdonaldtrump@truthsocial.com',
    // A Truth Social account as a Mastodon server shows it: read by this site's rules (mastodon.social).
    'https://mastodon.social/@realDonaldTrump@truthsocial.com',
  ),
  ...account('account:fedi:user@example.com', 'https://example.com/@user'),
  ...post(
    'post:fedi:mastodon.social/109318341152137473',
    'https://mastodon.social/@Gargron/109318341152137473',
    'https://mastodon.social/@someone/109318341152137473/',
    'https://mastodon.social/users/Gargron/statuses/109318341152137473',
    'https://mastodon.social/@Gargron/109318341152137473/embed',
  ),
  ...post(
    'post:fedi:chaos.social/110000000000000001',
    'https://chaos.social/@Gargron@mastodon.social/110000000000000001',
  ),
  ...post('post:fedi:gts.example.org/01HZZY8J6Q3V', 'https://gts.example.org/@alice/statuses/01HZZY8J6Q3V'),
  ...neither(
    'https://mastodon.social/',
    'https://mastodon.social/explore',
    'https://mastodon.social/@Gargron/notanid',
    'https://mastodon.social/@a@b@c',
    'https://mastodon.social/tags/fediverse',
    'https://mastodon.social/@user@not_a_host',
  ),
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
    '5: jan6-reporting',
    '6: app-store-removed',
    '6: app-store-removed',
    '6: account-suspended',
    '7: hosting-terminated',
    '8: account-reinstated account-suspended',
  ],
  profile: ['header: jan6-reporting', '0: jan6-reporting', '1: jan6-reporting'],
  status: ['0: jan6-reporting', '1: hosting-terminated'],
};
