import { describe, expect, it } from 'vitest';
import { curatorFormQuery, kindOfMenuItem, pickTarget, targetFromSearch } from './targets';

describe('pickTarget', () => {
  const info = { linkUrl: 'https://x.com/bob', pageUrl: 'https://x.com/home' };

  it('prefers what the content script saw under the pointer for the asked kind', () => {
    const seen = {
      account: 'https://x.com/alice',
      post: 'https://x.com/alice/status/20',
      link: 'https://news.example/a',
    };
    expect(pickTarget('account', seen, info)?.url).toBe('https://x.com/alice');
    expect(pickTarget('post', seen, info)?.url).toBe('https://x.com/alice/status/20');
    expect(pickTarget('link', seen, info)?.url).toBe('https://news.example/a');
    expect(pickTarget('account', seen, info)?.pageUrl).toBe('https://x.com/home');
  });

  it("falls back to the browser's link, then the page, when the content script saw nothing of that kind", () => {
    expect(pickTarget('account', { post: 'https://x.com/a/status/1' }, info)?.url).toBe('https://x.com/bob');
    expect(pickTarget('account', undefined, { pageUrl: 'https://x.com/carol' })?.url).toBe(
      'https://x.com/carol',
    );
  });

  it('never picks a non-web URL', () => {
    expect(pickTarget('link', { link: 'javascript:alert(1)' }, { linkUrl: 'mailto:a@b.c' })).toBeNull();
    expect(pickTarget('link', { link: 'javascript:alert(1)' }, { linkUrl: 'https://ok.example/' })?.url).toBe(
      'https://ok.example/',
    );
  });
});

describe('menu ids and the form address', () => {
  it('maps menu items to kinds and nothing else', () => {
    expect(kindOfMenuItem('context-lens-label-post')).toBe('post');
    expect(kindOfMenuItem('someone-else')).toBeNull();
  });

  it('round-trips a target through the form address, refusing unusable ones', () => {
    const target = {
      kind: 'post' as const,
      url: 'https://bsky.app/profile/a/post/3k',
      pageUrl: 'https://bsky.app/',
    };
    expect(targetFromSearch(curatorFormQuery(target))).toEqual(target);
    expect(targetFromSearch('?kind=post&url=javascript:alert(1)')).toBeNull();
    expect(targetFromSearch('?kind=planet&url=https://x.com/a')).toBeNull();
  });
});
