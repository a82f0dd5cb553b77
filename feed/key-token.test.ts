import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../tests/site-examples.ts';
import { hashKey, type KeyHash } from './hash.ts';
import { keyToken } from './key-token.ts';
import { folded, percentDecoded, someWord, someWordRead, wordsOf } from './key-words.ts';
import { linkLookupKeys } from './link-keys.ts';
import { accountKeys, postKeys } from './site-keys.ts';

/** Whether `text` shows `word` as someWordRead reads it. */
function shows(text: string, word: string): boolean {
  const wanted = hashKey(word);
  return someWordRead(text, 1, (h) => h.hi === wanted.hi && h.lo === wanted.lo);
}

describe('someWord', () => {
  it('hashes each word as hashKey hashes it, without making strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.constantFrom('İstanbul KELVIN\u212A', 'ẞ ß ÀB'),
        ),
        (text) => {
          const seen: KeyHash[] = [];
          someWord(text, 1, (hash) => {
            seen.push({ ...hash });
            return false;
          });
          expect(seen).toEqual(wordsOf(text).map(hashKey));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('skips words shorter than asked and stops at the first that passes', () => {
    const seen: number[] = [];
    expect(someWord('a bb ccc dddd', 3, (h) => seen.push(h.lo) === 1)).toBe(true);
    expect(seen).toEqual([hashKey('ccc').lo]);
  });
});

describe('keyToken', () => {
  it.each([
    ['account:x:realdonaldtrump', 'realdonaldtrump'],
    ['account:reddit:u/spez', 'spez'],
    ['account:reddit:r/the_donald', 'donald'],
    ['post:reddit:comment/kx9y8z7', 'kx9y8z7'],
    ['account:fedi:gargron@mastodon.social', 'gargron'],
    ['server:fedi:mastodon.social', 'mastodon'],
    ['account:bsky:alice.bsky.social', 'alice'],
    ['account:bsky:did:plc:z72i7hdynmk6r22z27h6tvur', 'z72i7hdynmk6r22z27h6tvur'],
    ['post:bsky:alice.bsky.social/3l6oveex3ii2l', '3l6oveex3ii2l'],
    ['link:domain:news.example.com', 'news'],
    ['link:url:www.example.com/a/b?c=d', 'example'],
    ['link:domain:xn--bcher-kva.de', 'de'],
    ['account:youtube:channel/UCX6OQ3DkcsbYNE6H8uQQuVA', 'ucx6oq3dkcsbyne6h8uqquva'],
    ['account:facebook:johnsmith', 'facebook'],
    ['post:facebook:10158102519256841', '10158102519256841'],
  ])('%s → %s', (key, word) => {
    expect(keyToken(key)).toBe(word);
  });

  it('has none for a key with no word of the page’s', () => {
    expect(keyToken('link:domain:xn--bcher-kva')).toBeNull();
  });

  it('is a word of every example URL of every site that leads to the key (and the keys it carries)', () => {
    let checked = 0;
    for (const [site, examples] of Object.entries(EXAMPLES)) {
      for (const { url } of examples?.urls ?? []) {
        for (const key of [...accountKeys(url), ...postKeys(url)]) {
          const word = keyToken(key);
          expect(word, `${site}: ${key}`).not.toBeNull();
          expect(shows(url, word as string), `${site}: ${url} → ${key} (${word})`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('is a word of every generated URL, for every account, post and link key it leads to', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        for (const key of [...accountKeys(url), ...postKeys(url), ...linkLookupKeys(url)]) {
          const word = keyToken(key);
          if (word !== null) expect(shows(url, word), `${url} → ${key} (${word})`).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is a word of a bridged account’s handle, for the fediverse account it carries', () => {
    const url = 'https://bsky.app/profile/alice.mastodon.social.ap.brid.gy';
    const keys = accountKeys(url);
    expect(keys).toContain('account:fedi:alice@mastodon.social');
    for (const key of keys) expect(shows(url, keyToken(key) as string), key).toBe(true);
  });
});

describe('text as a URL parser reads it', () => {
  it('is percent-decoded, ASCII escapes alone where a run is not UTF-8', () => {
    expect(percentDecoded('/%41lice/%E2%9C%93')).toBe('/Alice/✓');
    expect(percentDecoded('100% sure %zz')).toBe('100% sure %zz');
    expect(percentDecoded('%61%E2%9Cb')).toBe('a  b');
    expect(percentDecoded('%2561')).toBe('a');
  });

  it('is folded as a host name is', () => {
    expect(folded('ｅｘａｍｐｌｅ．ＯＲＧ')).toBe('example.org');
    expect(folded('exam\u00ADple.org')).toBe('example.org');
  });

  it('finds a word in every form a page may spell it', () => {
    expect(shows('https://ｅｘａｍｐｌｅ.org/', 'example')).toBe(true);
    expect(shows('https://exam\u00ADple.org/', 'example')).toBe(true);
    expect(shows('/user/%6Aack', 'jack')).toBe(true);
    expect(shows('Jack said', 'jack')).toBe(true);
    expect(shows('jackson', 'jack')).toBe(false);
  });
});
