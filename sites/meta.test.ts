// Keeps the adapters honest: every site named in sites/types.ts has its adapter file exporting
// `<id>Adapter`, is in the registry, has fixture pages, and has a test file that exercises every one
// of its fixtures (by mentioning the fixture's name). Adding a site or a fixture without a test fails here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siteAdapters } from './registry.ts';
import type { SiteAdapter } from './types.ts';

const SITES_DIR = resolve(import.meta.dirname);
const FIXTURES_DIR = join(SITES_DIR, 'fixtures');

/** The members of the `SiteId` union, read from the contract file itself. */
function siteIds(): string[] {
  const source = readFileSync(join(SITES_DIR, 'types.ts'), 'utf8');
  const union = /export type SiteId\s*=([^;]+);/.exec(source)?.[1] ?? '';
  return [...union.matchAll(/'([a-z0-9]+)'/g)].map((match) => match[1] ?? '');
}

function fixtureFiles(id: string): string[] {
  const dir = join(FIXTURES_DIR, id);
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.html')) : [];
}

/** Whether a test file names a fixture: `'home.html'`, `'home'` or `"home"`, or `` `home` ``. */
function mentions(testSource: string, fixture: string): boolean {
  const base = fixture.replace(/\.html$/, '');
  return [fixture, `'${base}'`, `"${base}"`, `\`${base}\``].some((needle) => testSource.includes(needle));
}

const ids = siteIds();

describe('site adapters meta', () => {
  it('reads the site ids from sites/types.ts', () => {
    expect(ids.length).toBeGreaterThanOrEqual(9);
    expect(ids).toContain('mastodon');
  });

  it('registers exactly the adapters of sites/types.ts', () => {
    expect(siteAdapters.map((adapter) => adapter.id).sort()).toEqual([...ids].sort());
  });

  it('has no fixture folder for a site that does not exist', () => {
    const folders = readdirSync(FIXTURES_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.filter((folder) => !ids.includes(folder))).toEqual([]);
  });

  describe.each(ids)('%s', (id) => {
    it(`sites/${id}.ts exports ${id}Adapter for that site`, async () => {
      const file = join(SITES_DIR, `${id}.ts`);
      expect(existsSync(file), `sites/${id}.ts is missing`).toBe(true);
      const module = (await import(`./${id}.ts`)) as Record<string, SiteAdapter | undefined>;
      const adapter = module[`${id}Adapter`];
      expect(adapter, `sites/${id}.ts does not export ${id}Adapter`).toBeDefined();
      expect(adapter?.id).toBe(id);
      expect(adapter?.name.trim()).not.toBe('');
      expect(adapter?.postSelector.trim()).not.toBe('');
    });

    it(`has at least one fixture page in sites/fixtures/${id}/`, () => {
      expect(fixtureFiles(id).length, `no .html fixture in sites/fixtures/${id}/`).toBeGreaterThan(0);
    });

    it(`has sites/${id}.test.ts exercising each of its fixtures`, () => {
      const testFile = join(SITES_DIR, `${id}.test.ts`);
      expect(existsSync(testFile), `sites/${id}.test.ts is missing`).toBe(true);
      const source = readFileSync(testFile, 'utf8');
      const unused = fixtureFiles(id).filter((fixture) => !mentions(source, fixture));
      expect(unused, `sites/${id}.test.ts never mentions these fixtures`).toEqual([]);
    });
  });
});
