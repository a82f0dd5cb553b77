import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITES } from '../../sites/catalog';
import { matchPatterns } from '../../sites/url';
import { CONTENT_SCRIPT_FILE } from '../../sync/mastodon';
import { ownedByAnotherSite } from './run';

const ENTRYPOINTS = join(import.meta.dirname, '..');

describe('one content script per site folder', () => {
  it.each(SITES.map((site) => [site.id, site] as const))(
    'entrypoints/%s.content.ts runs the lens on that site’s pages only',
    async (id, site) => {
      const file = join(ENTRYPOINTS, `${id}.content.ts`);
      expect(existsSync(file), `entrypoints/${id}.content.ts is missing`).toBe(true);
      const definition = (await import(/* @vite-ignore */ file)).default as { matches: string[] };
      // siteContentScript derives the patterns from the adapter's site: another site's adapter in
      // this file would give that site's patterns.
      expect(definition.matches).toEqual(matchPatterns(site));
    },
  );

  it('the background registers the Mastodon script (WXT builds <name>.content.ts to content-scripts/<name>.js)', () => {
    expect(existsSync(join(ENTRYPOINTS, 'mastodon.content.ts'))).toBe(true);
    expect(CONTENT_SCRIPT_FILE).toBe('content-scripts/mastodon.js');
  });
});

describe('ownedByAnotherSite', () => {
  it('leaves every site its own page hosts', () => {
    for (const site of SITES) {
      for (const host of site.pageHosts) expect(ownedByAnotherSite(host, site.id), host).toBe(false);
    }
  });

  it('keeps the Mastodon script off a host another site owns, even when the reader registered it', () => {
    expect(ownedByAnotherSite('truthsocial.com', 'mastodon')).toBe(true);
    expect(ownedByAnotherSite('x.com', 'mastodon')).toBe(true);
    expect(ownedByAnotherSite('fosstodon.org', 'mastodon')).toBe(false);
    expect(ownedByAnotherSite('mastodon.social', 'mastodon')).toBe(false);
  });
});
