/**
 * Real URLs of Bluesky, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type UrlExample } from '../url-examples.ts';

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

/** The fixture pages (`./fixtures/<name>.html`) `npm run demo` shows for this site. */
export const demo = ['home'];
