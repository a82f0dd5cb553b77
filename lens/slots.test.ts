// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ALL_SITE_KEYS } from '../feed/site-keys';
import type { PostData } from '../sites/types';
import { headerSlot, MAX_LINKS_PER_POST, postSignature, postSlots } from './slots';

function el(tag = 'span'): Element {
  return document.createElement(tag);
}

describe('postSlots', () => {
  const element = el('article');
  const authorAnchor = el('a');
  const reposterAnchor = el('a');
  const linkAnchor = el('a');
  const quotedElement = el('div');
  const quotedAuthor = el('span');
  const post: PostData = {
    element,
    permalink: 'https://x.com/someone/status/20',
    author: { url: 'https://x.com/someone', anchor: authorAnchor },
    repostedBy: { url: 'https://twitter.com/Reposter', anchor: reposterAnchor },
    links: [
      { url: 'https://t.co/abc', anchor: el('a') }, // a wrapper without its destination: no keys, no slot
      { url: 'https://share.parler.com/post/1', anchor: linkAnchor },
    ],
    quoted: {
      element: quotedElement,
      permalink: 'https://x.com/realDonaldTrump/status/1346928882595885058',
      author: { url: 'https://x.com/realDonaldTrump', anchor: quotedAuthor },
      links: [],
    },
  };

  it('gives the author (with the post), the reposter, each link and the quoted post their own place and keys', () => {
    expect(postSlots(post, ALL_SITE_KEYS)).toEqual([
      {
        kind: 'author',
        scope: element,
        anchor: authorAnchor,
        append: 'after',
        keys: ['account:x:someone', 'post:x:20'],
        account: 'account:x:someone',
      },
      {
        kind: 'reposter',
        scope: element,
        anchor: reposterAnchor,
        append: 'after',
        keys: ['account:x:reposter'],
        account: 'account:x:reposter',
      },
      {
        kind: 'link',
        scope: element,
        anchor: linkAnchor,
        append: 'after',
        keys: ['url:https://share.parler.com/post/1'],
      },
      {
        kind: 'author',
        scope: quotedElement,
        anchor: quotedAuthor,
        append: 'after',
        keys: ['account:x:realdonaldtrump', 'post:x:1346928882595885058'],
        account: 'account:x:realdonaldtrump',
      },
    ]);
  });

  it('puts the post’s own labels at the start of the post when it has no author', () => {
    const bare: PostData = { element, permalink: 'https://x.com/a/status/7', links: [] };
    expect(postSlots(bare, ALL_SITE_KEYS)).toEqual([
      { kind: 'author', scope: element, anchor: element, append: 'first', keys: ['post:x:7'] },
    ]);
  });

  it('changes the signature when the element shows another post', () => {
    const other: PostData = { ...post, permalink: 'https://x.com/someone/status/21' };
    expect(postSignature(post)).not.toBe(postSignature(other));
    expect(postSignature(post)).toBe(postSignature({ ...post }));
    const moreLinks: PostData = {
      ...post,
      links: [...post.links, { url: 'https://example.org/', anchor: el('a') }],
    };
    expect(postSignature(post)).not.toBe(postSignature(moreLinks));
  });

  it('reads the profile header', () => {
    const header = el('div');
    const anchor = el('span');
    expect(
      headerSlot(
        { element: header, account: { url: 'https://x.com/realDonaldTrump', anchor } },
        ALL_SITE_KEYS,
      ),
    ).toEqual({
      kind: 'header',
      scope: header,
      anchor,
      append: 'after',
      keys: ['account:x:realdonaldtrump'],
      account: 'account:x:realdonaldtrump',
    });
    expect(
      headerSlot({ element: header, account: { url: 'https://example.org/nobody', anchor } }, ALL_SITE_KEYS),
    ).toBeNull();
  });

  it('bounds the links one post can make it read: the first MAX_LINKS_PER_POST, none over 2,048 characters', () => {
    const long = `https://example.org/${'a'.repeat(2100)}`;
    const many: PostData = {
      element: el('article'),
      links: [
        { url: long, anchor: el('a') },
        ...Array.from({ length: 2000 }, (_, i) => ({
          url: `https://site${i}.example/${'p'.repeat(200)}`,
          anchor: el('a'),
        })),
      ],
      quoted: { element: el('div'), links: [{ url: 'https://quoted.example/', anchor: el('a') }] },
    };
    const slots = postSlots(many, ALL_SITE_KEYS);
    expect(MAX_LINKS_PER_POST).toBe(20);
    expect(slots).toHaveLength(MAX_LINKS_PER_POST);
    expect(slots.flatMap((slot) => slot.keys)).toHaveLength(MAX_LINKS_PER_POST);
    expect(slots[0]?.keys).toEqual([`url:https://site0.example/${'p'.repeat(200)}`]);
    expect(slots.some((slot) => slot.keys.some((key) => key.includes('quoted.example')))).toBe(false);
  });
});
