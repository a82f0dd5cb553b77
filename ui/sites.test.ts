import { describe, expect, it } from 'vitest';
import { SITE_MATCHES } from '../sites/matches';
import { classifyPage, SITE_HOSTS, SITE_IDS } from './sites';

describe('classifyPage', () => {
  it('knows the site of every host the content script is declared on, and no other', () => {
    const declared = SITE_MATCHES.map((pattern) => /^\*:\/\/([^/]+)\/\*$/.exec(pattern)?.[1]).sort();
    expect(declared).not.toContain(undefined);
    expect(SITE_IDS.flatMap((site) => SITE_HOSTS[site]).sort()).toEqual(declared);
    for (const host of declared) expect(classifyPage(`https://${host}/some/page`, []).kind).toBe('site');
  });

  it('treats an enabled Mastodon host as Mastodon, and any other https page as a candidate', () => {
    expect(classifyPage('https://social.example/@a', ['social.example'])).toEqual({
      kind: 'site',
      site: 'mastodon',
      host: 'social.example',
    });
    expect(classifyPage('https://social.example/@a', [])).toEqual({
      kind: 'other-https',
      host: 'social.example',
    });
  });

  it('offers nothing on browser pages, plain http or garbage', () => {
    for (const url of [
      'chrome://extensions/',
      'about:blank',
      'http://social.example/',
      'not a url',
      undefined,
    ]) {
      expect(classifyPage(url, []).kind).toBe('none');
    }
  });
});
