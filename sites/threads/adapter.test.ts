// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { linkLookupKeys } from '../../feed/targets.ts';
import { labelsHit, loadFixture, parseAll, summarizeTargets } from '../../tests/site-fixtures.ts';
import { threadsAdapter } from './adapter.ts';

const NET = 'https://www.threads.net';

/** How Threads wraps an outbound link. */
function wrapped(url: string): string {
  return `https://l.threads.com/?u=${encodeURIComponent(url)}&e=AT0x9kLm2Qw`;
}

describe('threadsAdapter.matches', () => {
  it('handles www.threads.net and www.threads.com and nothing else', () => {
    const { document: doc } = loadFixture('threads', 'home', `${NET}/`);
    expect(threadsAdapter.matches(new URL(`${NET}/`), doc)).toBe(true);
    expect(threadsAdapter.matches(new URL('https://www.threads.com/@zuck'), doc)).toBe(true);
    const x = loadFixture('x', 'home', 'https://x.com/home');
    expect(threadsAdapter.matches(x.location, x.document)).toBe(false);
    expect(threadsAdapter.matches(new URL('https://www.instagram.com/'), doc)).toBe(false);
  });
});

describe('threadsAdapter on the home feed', () => {
  const page = loadFixture('threads', 'home', `${NET}/`);
  const { document: doc, location } = page;
  const posts = parseAll(threadsAdapter, page);

  it('hits the seed feed’s demo labels with the keys the content script looks up (own part, quoted part)', () => {
    expect(posts.map((post) => [labelsHit(post), post.quoted ? labelsHit(post.quoted) : []])).toEqual([
      [[], []],
      [['parler-aws-terminated'], []],
      [['parler-app-store-suspended'], []],
      [[], ['parler-aws-terminated']],
      [['parler-google-play-suspended', 'snapchat-trump-terminated'], []],
      [['instagram-trump-reinstated', 'instagram-trump-suspended'], []],
      [[], []],
      [[], []],
    ]);
  });

  it('reads every post once (a quoted post only inside its quoting post)', () => {
    expect(doc.querySelectorAll(threadsAdapter.postSelector)).toHaveLength(9);
    expect(posts.map(summarizeTargets)).toEqual([
      {
        permalink: `${NET}/@mayachen.codes/post/DCt0aQxPz1a`,
        author: `${NET}/@mayachen.codes`,
        time: '2024-11-25T13:04:00.000Z',
        links: [],
      },
      {
        permalink: `${NET}/@libertydaily/post/DCtz8kLNq2b`,
        author: `${NET}/@libertydaily`,
        time: '2024-11-25T12:11:00.000Z',
        links: [wrapped('https://parler.com/profile/LibertyDaily')],
      },
      {
        permalink: `${NET}/@appwatch.sam/post/DCtm3RkvYc7`,
        author: `${NET}/@appwatch.sam`,
        time: '2024-11-25T06:02:00.000Z',
        links: [wrapped('https://apps.apple.com/us/app/parler/id1467880070')],
        repostedBy: `${NET}/@dan.ortiz`,
      },
      {
        permalink: `${NET}/@hvaldes.news/post/DCtw1pXaB3d`,
        author: `${NET}/@hvaldes.news`,
        time: '2024-11-25T11:20:00.000Z',
        links: [],
        quoted: {
          permalink: `${NET}/@libertydaily/post/DCtz8kLNq2b`,
          author: `${NET}/@libertydaily`,
          time: '2024-11-25T12:11:00.000Z',
          links: [wrapped('https://parler.com/profile/LibertyDaily')],
        },
      },
      {
        permalink: `${NET}/@appwatch.sam/post/DCtl9QwErT4`,
        author: `${NET}/@appwatch.sam`,
        time: '2024-11-25T05:40:00.000Z',
        links: [
          wrapped('https://play.google.com/store/apps/details?id=com.parler.parler'),
          wrapped('https://www.snapchat.com/add/realdonaldtrump'),
          wrapped('https://www.theverge.com/2021/1/8/app-store-review'),
        ],
      },
      {
        permalink: `${NET}/@campaign.desk/post/DCtj2ZxCvB5`,
        author: `${NET}/@campaign.desk`,
        time: '2024-11-25T03:30:00.000Z',
        links: [wrapped('https://www.instagram.com/realdonaldtrump')],
      },
      {
        permalink: `${NET}/@ana.ferreira/post/DCti7YuIoP6`,
        author: `${NET}/@ana.ferreira`,
        time: '2024-11-25T02:58:00.000Z',
        links: [],
      },
      {
        permalink: `${NET}/@tomasz.k/post/DCth4TrEwQ8`,
        author: `${NET}/@tomasz.k`,
        time: '2024-11-25T01:45:00.000Z',
        links: [wrapped('https://blog.example.org/ci-in-half')],
      },
    ]);
  });

  it('returns outbound links as the page has them, which the target keys unwrap to the real site', () => {
    const [link] = posts[1]?.links ?? [];
    expect(link && linkLookupKeys(link.url)).toContain('link:domain:parler.com');
  });

  it('anchors the author at the username link, the reposter on the “reposted” line', () => {
    for (const post of posts) {
      expect(post.author?.anchor.tagName).toBe('A');
      expect(post.author?.anchor.querySelector('time')).toBeNull();
    }
    expect(posts[0]?.author?.anchor.textContent).toBe('mayachen.codes');
    expect(posts[2]?.repostedBy?.anchor.textContent).toBe('dan.ortiz');
    expect(posts[2]?.repostedBy?.anchor.parentElement?.textContent).toContain('reposted');
  });

  it('keeps the quote apart: its element is the nested box, its links are not the quoting post’s', () => {
    const quote = posts[3]?.quoted;
    expect(quote?.element.matches(threadsAdapter.postSelector)).toBe(true);
    expect(posts[3]?.element.contains(quote?.element ?? null)).toBe(true);
    expect(posts[3]?.links).toEqual([]);
  });

  it('finds no profile header on the home feed', () => {
    expect(threadsAdapter.findProfileHeader(doc, location)).toBeNull();
  });
});

describe('threadsAdapter on a profile page (threads.com)', () => {
  const page = loadFixture('threads', 'profile', 'https://www.threads.com/@libertydaily');
  const { document: doc, location } = page;

  it('reads the account being viewed, anchored at the name heading', () => {
    const header = threadsAdapter.findProfileHeader(doc, location);
    expect(header?.account.url).toBe('https://www.threads.com/@libertydaily');
    expect(header?.account.anchor.textContent).toBe('Liberty Daily');
  });

  it('resolves the account’s posts on the host the reader is on', () => {
    expect(parseAll(threadsAdapter, page).map((post) => post.permalink)).toEqual([
      'https://www.threads.com/@libertydaily/post/DCtz8kLNq2b',
      'https://www.threads.com/@libertydaily/post/DCsq1AaZzX9',
    ]);
  });
});
