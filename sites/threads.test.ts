// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { accountKeys, linkLookupKeys, normalizeTarget, postKeys } from '../feed/targets.ts';
import { threadsAdapter } from './threads.ts';
import type { PostData } from './types.ts';

/** A fixture page parsed as the browser would have it at `url`. */
function load(site: string, name: string, url: string): { doc: Document; location: URL } {
  const window = new Window({ url });
  window.document.write(readFileSync(join(import.meta.dirname, 'fixtures', site, `${name}.html`), 'utf8'));
  return { doc: window.document as unknown as Document, location: new URL(url) };
}

interface Summary {
  permalink?: string;
  author?: string;
  time?: string;
  links: string[];
  quoted?: Summary;
  repostedBy?: string;
}

function summary(post: PostData): Summary {
  const out: Summary = { links: post.links.map((link) => link.url) };
  if (post.permalink !== undefined) out.permalink = post.permalink;
  if (post.author) out.author = post.author.url;
  if (post.time !== undefined) out.time = post.time;
  if (post.quoted) out.quoted = summary(post.quoted);
  if (post.repostedBy) out.repostedBy = post.repostedBy.url;
  return out;
}

/** The seed feed's labels by target key, as the extension ships them. */
const SEED = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'seed', 'seed.json'), 'utf8')) as {
  labels: { id: string; account?: string; post?: string; link?: string }[];
};
const SEED_KEYS = new Map<string, string[]>();
for (const label of SEED.labels) {
  for (const kind of ['account', 'post', 'link'] as const) {
    const target = label[kind];
    const result = target === undefined ? undefined : normalizeTarget(kind, target);
    if (result?.ok) SEED_KEYS.set(result.key, [...(SEED_KEYS.get(result.key) ?? []), label.id]);
  }
}

/** The seed labels a post's own part hits, with the keys the content script looks up. */
function labelsHit(post: PostData): string[] {
  const keys = new Set([
    ...(post.author ? accountKeys(post.author.url) : []),
    ...(post.permalink === undefined ? [] : postKeys(post.permalink)),
    ...post.links.flatMap((link) => linkLookupKeys(link.url)),
  ]);
  return [...keys].flatMap((key) => SEED_KEYS.get(key) ?? []).sort();
}

const NET = 'https://www.threads.net';

/** How Threads wraps an outbound link. */
function wrapped(url: string): string {
  return `https://l.threads.com/?u=${encodeURIComponent(url)}&e=AT0x9kLm2Qw`;
}

function parseAll(doc: Document, location: URL): PostData[] {
  return [...doc.querySelectorAll(threadsAdapter.postSelector)]
    .map((element) => threadsAdapter.parsePost(element, location))
    .filter((post): post is PostData => post !== null);
}

describe('threadsAdapter.matches', () => {
  it('handles www.threads.net and www.threads.com and nothing else', () => {
    const { doc } = load('threads', 'home', `${NET}/`);
    expect(threadsAdapter.matches(new URL(`${NET}/`), doc)).toBe(true);
    expect(threadsAdapter.matches(new URL('https://www.threads.com/@zuck'), doc)).toBe(true);
    const x = load('x', 'home', 'https://x.com/home');
    expect(threadsAdapter.matches(x.location, x.doc)).toBe(false);
    expect(threadsAdapter.matches(new URL('https://www.instagram.com/'), doc)).toBe(false);
  });
});

describe('threadsAdapter on the home feed', () => {
  const { doc, location } = load('threads', 'home', `${NET}/`);
  const posts = parseAll(doc, location);

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
    expect(posts.map(summary)).toEqual([
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
  const { doc, location } = load('threads', 'profile', 'https://www.threads.com/@libertydaily');

  it('reads the account being viewed, anchored at the name heading', () => {
    const header = threadsAdapter.findProfileHeader(doc, location);
    expect(header?.account.url).toBe('https://www.threads.com/@libertydaily');
    expect(header?.account.anchor.textContent).toBe('Liberty Daily');
  });

  it('resolves the account’s posts on the host the reader is on', () => {
    expect(parseAll(doc, location).map((post) => post.permalink)).toEqual([
      'https://www.threads.com/@libertydaily/post/DCtz8kLNq2b',
      'https://www.threads.com/@libertydaily/post/DCsq1AaZzX9',
    ]);
  });
});
