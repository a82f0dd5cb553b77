/**
 * Real URLs of Bluesky, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type SiteExamples, type UrlExample } from '../url-examples.ts';

export const urls: UrlExample[] = [
  ...account(
    'account:bsky:alice.bsky.social',
    'https://bsky.app/profile/alice.bsky.social',
    'https://bsky.app/profile/Alice.Bsky.Social/',
    'https://bsky.app/profile/alice.bsky.social/followers',
    'https://bsky.app/profile/alice.bsky.social?ref=x',
  ),
  ...account(
    'account:bsky:did:plc:z72i7hdynmk6r22z27h6tvur',
    'https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur',
  ),
  ...account('account:bsky:nytimes.com', 'https://bsky.app/profile/nytimes.com'),
  ...post(
    'post:bsky:alice.bsky.social/3l6oveex3ii2l',
    'https://bsky.app/profile/alice.bsky.social/post/3l6oveex3ii2l',
    'https://bsky.app/profile/ALICE.bsky.social/post/3l6oveex3ii2l/',
    'https://bsky.app/profile/alice.bsky.social/post/3l6oveex3ii2l/liked-by',
  ),
  ...post(
    'post:bsky:did:plc:z72i7hdynmk6r22z27h6tvur/3l6oveex3ii2l',
    'https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3l6oveex3ii2l',
  ),
  ...neither(
    'https://bsky.app/',
    'https://bsky.app/search?q=x',
    'https://bsky.app/profile/',
    'https://bsky.app/profile/alice.bsky.social/feed/aaa',
    'https://bsky.app/profile/not_a_handle',
    'https://bsky.app/settings',
  ),
];

/** The site's link wrappers and where each leads (null: the wrapper hides it). */
export const wrappers: SiteExamples['wrappers'] = [
  ['https://go.bsky.app/redirect?u=https%3A%2F%2Fparler.com%2Fx', 'https://parler.com/x'],
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
    '3: hosting-terminated',
    '4: app-store-removed',
    '4: account-suspended',
    '5: hosting-terminated',
    '6: account-reinstated account-suspended',
    '9: hosting-terminated',
  ],
  profile: ['0: hosting-terminated', '1: app-store-removed'],
  thread: ['0: hosting-terminated'],
};
