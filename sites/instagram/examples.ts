/**
 * Real URLs of Instagram, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type UrlExample } from '../url-examples.ts';

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

/** The fixture pages (`./fixtures/<name>.html`) `npm run demo` shows for this site. */
export const demo = ['home'];
