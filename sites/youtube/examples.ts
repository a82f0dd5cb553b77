/**
 * Real URLs of YouTube, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type SiteExamples, type UrlExample } from '../url-examples.ts';

export const urls: UrlExample[] = [
  ...account(
    'account:youtube:@mrbeast',
    'https://www.youtube.com/@MrBeast',
    'https://youtube.com/@mrbeast/',
    'https://m.youtube.com/@MrBeast/videos',
    'https://www.youtube.com/@MrBeast/featured?si=abc',
  ),
  ...account(
    'account:youtube:channel/UCX6OQ3DkcsbYNE6H8uQQuVA',
    'https://www.youtube.com/channel/UCX6OQ3DkcsbYNE6H8uQQuVA',
    'https://music.youtube.com/channel/UCX6OQ3DkcsbYNE6H8uQQuVA',
    'https://www.youtube.com/channel/UCX6OQ3DkcsbYNE6H8uQQuVA/videos',
  ),
  ...account(
    'account:youtube:channel/UCx6oq3dkcsbyne6h8uqquva',
    'https://www.youtube.com/channel/UCx6oq3dkcsbyne6h8uqquva',
  ),
  ...account(
    'account:youtube:c/infowars',
    'https://www.youtube.com/c/InfoWars',
    'https://youtube.com/c/infowars/about',
  ),
  ...account('account:youtube:user/pewdiepie', 'https://www.youtube.com/user/PewDiePie'),
  ...post(
    'post:youtube:dQw4w9WgXcQ',
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    'https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s&list=PL123',
    'https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ',
    'https://music.youtube.com/watch?v=dQw4w9WgXcQ',
    'https://youtu.be/dQw4w9WgXcQ',
    'https://youtu.be/dQw4w9WgXcQ?si=AbCdEfGh&t=10',
    'https://www.youtube.com/shorts/dQw4w9WgXcQ',
    'https://www.youtube.com/live/dQw4w9WgXcQ?feature=share',
    'https://www.youtube.com/embed/dQw4w9WgXcQ',
    'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
  ),
  ...post('post:youtube:DQW4W9WGXCQ', 'https://www.youtube.com/watch?v=DQW4W9WGXCQ'),
  ...post(
    'post:youtube:comment/UgzF3nPlSR3kq5rUAHx4AaABAg',
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc=UgzF3nPlSR3kq5rUAHx4AaABAg',
    'https://m.youtube.com/watch?lc=UgzF3nPlSR3kq5rUAHx4AaABAg&v=dQw4w9WgXcQ',
  ),
  ...neither(
    'https://www.youtube.com/',
    'https://www.youtube.com/feed/subscriptions',
    'https://www.youtube.com/results?search_query=x',
    'https://www.youtube.com/watch?v=tooshort',
    'https://www.youtube.com/playlist?list=PL123',
    'https://www.youtube.com/channel/notachannelid',
    'https://youtu.be/',
    'https://www.youtube.com/MrBeast',
  ),
];

/** The site's link wrappers and where each leads (null: the wrapper hides it). */
export const wrappers: SiteExamples['wrappers'] = [
  [
    'https://www.youtube.com/redirect?event=video_description&q=https%3A%2F%2Fparler.com%2Fx',
    'https://parler.com/x',
  ],
  ['https://m.youtube.com/redirect?q=https://parler.com/x', 'https://parler.com/x'],
];

/** The fixture pages (`./fixtures/<name>.html`) `npm run demo` shows for this site. */
export const demo = ['watch'];

/**
 * What the bundled seed feed puts on each fixture page, checked by the browser tests in Chromium and
 * Firefox: one line per badge, `<index of the post holding it>: <definition ids>` (`header`: the
 * profile header). Regenerate a fixture's row when the fixture changes.
 */
export const badges: Record<string, string[]> = {
  channel: ['header: account-reinstated account-suspended'],
  watch: [
    '0: account-reinstated account-suspended',
    '0: hosting-terminated',
    '1: hosting-terminated',
    '3: account-reinstated account-suspended',
    '6: app-store-removed',
    '6: app-store-removed',
    '8: account-suspended',
  ],
};
