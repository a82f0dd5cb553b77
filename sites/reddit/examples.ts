/**
 * Real URLs of Reddit, each with the one account or post key it stands for (or none): the table
 * that proves ./site.ts, checked by feed/targets.test.ts and, against every other site's rules, by
 * sites/meta.test.ts. Test and demo data only: product code never imports it.
 */
import { account, neither, post, type UrlExample } from '../url-examples.ts';

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

/** The fixture pages (`./fixtures/<name>.html`) `npm run demo` shows for this site. */
export const demo = ['www-home', 'old-listing'];
