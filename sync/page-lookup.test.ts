import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { cacheDb } from '../storage/db';
import { startWorker } from './lifecycle';
import { clearLookupCache } from './lookup';
import { linkKeysOf, lookupPageKeys, MAX_LINK_URL_LENGTH, MAX_LINK_URLS } from './page-lookup';
import { build, FeedServer, feedSource, keys, publicKeyText, xKey, xLabel } from './testing';

const EXT = 'chrome-extension://test-extension-id/';
const SEED_ID = 'https://context-lens.example/seed/feed.json';

beforeEach(async () => {
  const server = new FeedServer();
  vi.stubGlobal('fetch', server.fetch);
  await cacheDb().delete({ disableAutoOpen: false });
  clearLookupCache();
  const key = await keys();
  const labels = [
    xLabel('author', 'labelled'),
    xLabel('site', 'ignored', { account: undefined, link: 'news.example.com', val: 'state-media' }),
    xLabel('post', 'ignored', { account: undefined, post: 'https://x.com/someone/status/42' }),
  ];
  const built = await build(feedSource(SEED_ID, labels, { name: 'Seed' }), key, { sequence: 1 });
  server.publish(`${EXT}seed/`, built);
  server.put(`${EXT}seed/public-key.txt`, publicKeyText(key));
  // No Mastodon hosts are enabled: the worker's start only asks what is registered.
  Object.assign(fakeBrowser, {
    permissions: { contains: async () => false },
    scripting: { getRegisteredContentScripts: async () => [] },
  });
  await startWorker();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const found = (answer: { labelId: string; key: string; asked?: string }[]) =>
  answer.map(({ labelId, key, asked }) => ({ labelId, key, ...(asked ? { asked } : {}) }));

describe('lookupPageKeys', () => {
  it('answers account and post keys as asked, and link URLs under the url: key they were asked as', async () => {
    const answer = await lookupPageKeys(cacheDb(), [
      xKey('labelled'),
      xKey('nobody'),
      'url:https://www.news.example.com/2024/story',
      'url:https://news.example.com/other',
      'url:https://elsewhere.example.org/',
    ]);
    expect(found(answer)).toEqual([
      { labelId: 'author', key: xKey('labelled') },
      {
        labelId: 'site',
        key: 'link:domain:news.example.com',
        asked: 'url:https://www.news.example.com/2024/story',
      },
      { labelId: 'site', key: 'link:domain:news.example.com', asked: 'url:https://news.example.com/other' },
    ]);
  });

  it('turns a link to a post or through a wrapper into the keys it stands for', async () => {
    const answer = await lookupPageKeys(cacheDb(), [
      'url:https://twitter.com/someone/status/42?s=20',
      `url:https://l.facebook.com/l.php?u=${encodeURIComponent('https://news.example.com/a')}`,
      'url:https://t.co/hidden',
    ]);
    expect(found(answer)).toEqual([
      { labelId: 'post', key: 'post:x:42', asked: 'url:https://twitter.com/someone/status/42?s=20' },
      {
        labelId: 'site',
        key: 'link:domain:news.example.com',
        asked: `url:https://l.facebook.com/l.php?u=${encodeURIComponent('https://news.example.com/a')}`,
      },
    ]);
  });

  it('skips what is not a key, too-long URLs, and URLs beyond the per-message cap', async () => {
    const long = `url:https://news.example.com/${'a'.repeat(MAX_LINK_URL_LENGTH)}`;
    const many = Array.from({ length: MAX_LINK_URLS }, (_, i) => `url:https://filler${i}.example.org/`);
    const answer = await lookupPageKeys(cacheDb(), [
      '',
      42 as unknown as string,
      long,
      'url:not a url',
      ...many,
      'url:https://news.example.com/past-the-cap',
    ]);
    expect(answer).toEqual([]);
  });

  it('asks each key once however often it is repeated', async () => {
    const answer = await lookupPageKeys(cacheDb(), [xKey('labelled'), xKey('labelled')]);
    expect(found(answer)).toEqual([{ labelId: 'author', key: xKey('labelled') }]);
  });
});

describe('linkKeysOf', () => {
  it('gives the link keys of a URL, remembered', () => {
    const keys = linkKeysOf('https://www.news.example.com/a?b=1');
    expect(keys).toContain('link:domain:news.example.com');
    expect(keys).toContain('link:domain:example.com');
    expect(linkKeysOf('https://www.news.example.com/a?b=1')).toBe(keys);
    expect(linkKeysOf(`https://example.com/${'a'.repeat(MAX_LINK_URL_LENGTH)}`)).toEqual([]);
  });
});
