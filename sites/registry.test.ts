// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fixtureNames, loadFixture } from '../tests/site-fixtures.ts';
import { SITE_IDS } from './catalog.ts';
import { adapterById, adapterFor, siteAdapters } from './registry.ts';

/** Every site folder (sites/catalog.ts); the nine sites of the first release must stay among them. */
const SITES = [...SITE_IDS];
const FIRST_SITES = [
  'x',
  'bluesky',
  'mastodon',
  'truthsocial',
  'reddit',
  'threads',
  'youtube',
  'facebook',
  'instagram',
];

describe('siteAdapters', () => {
  it('holds one adapter per site, each under its own id', () => {
    expect(SITES).toEqual(expect.arrayContaining(FIRST_SITES));
    expect(siteAdapters.map((adapter) => adapter.id).sort()).toEqual([...SITES].sort());
    for (const id of SITES) expect(adapterById(id).id).toBe(id);
  });
});

describe('adapterFor: every fixture page resolves to its own adapter and to no other', () => {
  const cases = SITES.flatMap((site) => fixtureNames(site).map((name) => [site, name] as const));

  it('has fixtures to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(SITES.length);
  });

  it.each(cases)('%s/%s', async (site, name) => {
    const page = loadFixture(site, name);
    try {
      expect(adapterFor(page.location, page.document)?.id).toBe(site);
      const others = siteAdapters.filter(
        (adapter) => adapter.id !== site && adapter.matches(page.location, page.document),
      );
      expect(others.map((adapter) => adapter.id)).toEqual([]);
      // The page has posts or a profile header for its adapter to read.
      const adapter = adapterById(site);
      const posts = page.document.querySelectorAll(adapter.postSelector).length;
      const header = adapter.findProfileHeader(page.document, page.location);
      expect(posts > 0 || header !== null).toBe(true);
    } finally {
      await page.close();
    }
  });
});

describe('adapterFor on pages no adapter handles', () => {
  it('returns null for an ordinary page', () => {
    const doc = document.implementation.createHTMLDocument('news');
    expect(adapterFor(new URL('https://apnews.com/article/x'), doc)).toBeNull();
  });

  it('recognises Mastodon on any host by its markup, after the host-matched sites', () => {
    const doc = document.implementation.createHTMLDocument('home');
    const root = doc.createElement('div');
    root.id = 'mastodon';
    root.setAttribute('data-props', '{"locale":"en"}');
    doc.body.append(root);
    expect(adapterFor(new URL('https://fosstodon.org/home'), doc)?.id).toBe('mastodon');
    // Truth Social runs a Mastodon fork: its host wins.
    expect(adapterFor(new URL('https://truthsocial.com/home'), doc)?.id).toBe('truthsocial');
  });
});
