/**
 * Real URLs of Facebook, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type SiteExamples, type UrlExample } from '../url-examples.ts';

export const urls: UrlExample[] = [
  ...account(
    'account:facebook:johnsmith',
    'https://www.facebook.com/john.smith',
    'https://facebook.com/John.Smith/',
    'https://m.facebook.com/johnsmith',
    'https://web.facebook.com/john.smith?ref=bookmarks',
    'https://www.facebook.com/john.smith/about',
    'https://www.facebook.com/john.smith/photos',
    'https://www.facebook.com/john.smith/about_contact_and_basic_info',
  ),
  ...account(
    'account:facebook:100044385208817',
    'https://www.facebook.com/profile.php?id=100044385208817',
    'https://m.facebook.com/profile.php?id=100044385208817&sk=about',
    'https://www.facebook.com/people/John-Smith/100044385208817/',
    'https://www.facebook.com/100044385208817',
    'https://www.facebook.com/Some-Page-Name-100044385208817/',
  ),
  ...account('account:facebook:groups/flatearthsociety', 'https://www.facebook.com/groups/FlatEarthSociety/'),
  ...post(
    'post:facebook:10158102519256841',
    'https://www.facebook.com/john.smith/posts/10158102519256841',
    'https://www.facebook.com/permalink.php?story_fbid=10158102519256841&id=100044385208817',
    'https://m.facebook.com/story.php?story_fbid=10158102519256841&id=100044385208817',
    'https://www.facebook.com/groups/flatearthsociety/posts/10158102519256841/',
    'https://www.facebook.com/groups/123456789/permalink/10158102519256841/',
  ),
  ...post(
    'post:facebook:pfbid02Lw8hRq4JrM1Yk6Xw9sTnB3aUcF5vD7eG',
    'https://www.facebook.com/john.smith/posts/pfbid02Lw8hRq4JrM1Yk6Xw9sTnB3aUcF5vD7eG',
    'https://www.facebook.com/permalink.php?story_fbid=pfbid02Lw8hRq4JrM1Yk6Xw9sTnB3aUcF5vD7eG&id=100044385208817',
  ),
  ...post(
    'post:facebook:comment/987654321098765',
    'https://www.facebook.com/john.smith/posts/10158102519256841?comment_id=987654321098765',
    'https://www.facebook.com/permalink.php?story_fbid=10158102519256841&id=100044385208817&comment_id=987654321098765',
  ),
  ...post(
    'post:facebook:3152365831706473',
    'https://www.facebook.com/photo/?fbid=3152365831706473&set=a.123',
    'https://www.facebook.com/photo.php?fbid=3152365831706473',
    'https://www.facebook.com/john.smith/photos/a.1234567890/3152365831706473/',
  ),
  ...post(
    'post:facebook:1234567890123456',
    'https://www.facebook.com/watch/?v=1234567890123456',
    'https://www.facebook.com/watch?v=1234567890123456',
    'https://www.facebook.com/john.smith/videos/1234567890123456/',
    'https://www.facebook.com/john.smith/videos/a-video-title/1234567890123456/',
    'https://www.facebook.com/reel/1234567890123456',
  ),
  ...neither(
    'https://www.facebook.com/',
    'https://www.facebook.com/home.php',
    'https://www.facebook.com/watch/',
    'https://www.facebook.com/marketplace/item/123',
    'https://www.facebook.com/events/123456',
    'https://www.facebook.com/share/p/1AbCdEfGh/',
    'https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample.com',
    'https://www.facebook.com/profile.php',
    'https://www.facebook.com/john.smith/posts/not-an-id',
  ),
];

/** The site's link wrappers and where each leads (null: the wrapper hides it). */
export const wrappers: SiteExamples['wrappers'] = [
  ['https://l.facebook.com/l.php?u=https%3A%2F%2Fparler.com%2F&h=AT0', 'https://parler.com/'],
  ['https://www.facebook.com/l.php?u=https%3A%2F%2Fparler.com%2F', 'https://parler.com/'],
  ['https://l.messenger.com/l.php?u=https%3A%2F%2Fparler.com%2F', 'https://parler.com/'],
];

/** The fixture pages (`./fixtures/<name>.html`) `npm run demo` shows for this site. */
export const demo = ['feed'];

/**
 * What the bundled seed feed puts on each fixture page, checked by the browser tests in Chromium and
 * Firefox: one line per badge, `<index of the post holding it>: <definition ids>` (`header`: the
 * profile header). Regenerate a fixture's row when the fixture changes.
 */
export const badges: Record<string, string[]> = {
  feed: [
    '0: account-reinstated account-suspended',
    '1: hosting-terminated',
    '3: account-reinstated account-suspended',
    '3: app-store-removed',
    '6: app-store-removed',
    '7: account-reinstated account-suspended',
    '7: account-suspended',
    '8: account-reinstated account-suspended',
  ],
  page: [
    'header: account-reinstated account-suspended',
    '0: account-reinstated account-suspended',
    '1: account-reinstated account-suspended',
    '1: app-store-removed',
    '2: account-reinstated account-suspended',
    '2: account-suspended',
    '3: account-reinstated account-suspended',
    '4: account-reinstated account-suspended',
    '4: hosting-terminated',
    '5: account-reinstated account-suspended',
  ],
};
