// Keeps the site folders honest, in the spirit of Refined GitHub's feature meta-test and
// github-url-detection's "every URL against every detector": every folder under sites/ is one site,
// listed in the catalog and the adapter registry, with its rules (site.ts), its adapter (adapter.ts),
// fixture pages, a test that exercises each fixture, a URL table (examples.ts) and a name in
// _locales; and every site's URLs are read by its own rules and by no other site's.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountKeys, isWrapperUrl, postKeys, unwrapLink } from '../feed/site-keys.ts';
import { EXAMPLES, SITES_DIR, siteFolders } from '../tests/site-examples.ts';
import { SITE_IDS, SITE_KEYS, SITES } from './catalog.ts';
import { siteAdapters } from './registry.ts';
import type { SiteAdapter } from './types.ts';
import { placeOf, type SiteDefinition, type SiteKeys, type UrlRules } from './url.ts';

const MESSAGES = JSON.parse(
  readFileSync(join(SITES_DIR, '..', 'public', '_locales', 'en', 'messages.json'), 'utf8'),
) as Record<string, { message?: string }>;

const folders = siteFolders();

function fixtureFiles(id: string): string[] {
  const dir = join(SITES_DIR, id, 'fixtures');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.html')) : [];
}

/** Whether a test file names a fixture: `'home.html'`, `'home'` or `"home"`, or `` `home` ``. */
function mentions(testSource: string, fixture: string): boolean {
  const base = fixture.replace(/\.html$/, '');
  return [fixture, `'${base}'`, `"${base}"`, `\`${base}\``].some((needle) => testSource.includes(needle));
}

/** A site's account and post rules (catalog SITE_KEYS). */
function keysOf(site: SiteDefinition | undefined): SiteKeys {
  const keys = SITE_KEYS.find((k) => k.site === site?.id);
  if (!keys) throw new Error(`sites/catalog.ts SITE_KEYS lists no rules of ${site?.id}`);
  return keys;
}

/** Hosts some site's rules read, and domains some site owns: what the any-host rules never read. */
const CLAIMED_HOSTS = new Set(SITE_KEYS.flatMap((keys) => keys.rules.flatMap((rules) => rules.hosts)));
const OWNED_DOMAINS = SITES.flatMap((site) => site.domains);

function isClaimed(host: string): boolean {
  return CLAIMED_HOSTS.has(host) || OWNED_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

/** One site's detector: the account and post keys ITS rules give for a URL (none for other hosts). */
function keysBy(site: SiteDefinition, url: string): string[] {
  const place = placeOf(url);
  if (!place) return [];
  const { rules: hosted, anyHostRules } = keysOf(site);
  let rules: Omit<UrlRules, 'hosts'> | undefined = hosted.find((r) => r.hosts.includes(place.host));
  if (!rules && anyHostRules && !isClaimed(place.host)) rules = anyHostRules;
  if (!rules) return [];
  return (['account', 'post'] as const).flatMap((kind) => {
    const id = rules[kind](place);
    return id ? [`${kind}:${id}`] : [];
  });
}

describe('site folders', () => {
  it('are the sites of the catalog, in any order, and nothing else lives as a folder in sites/', () => {
    expect(folders.length).toBeGreaterThanOrEqual(9);
    expect([...SITE_IDS].sort()).toEqual(folders);
  });

  it('each have their DOM adapter in the registry', () => {
    expect(siteAdapters.map((adapter) => adapter.id).sort()).toEqual(folders);
  });

  it('never list a host twice: each page host, rule host and owned domain belongs to one site', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const site of SITES) {
      const hosts = new Set([
        ...site.pageHosts,
        ...keysOf(site).rules.flatMap((r) => r.hosts),
        ...site.domains,
      ]);
      for (const host of hosts) {
        const other = owner.get(host);
        if (other && other !== site.id) clashes.push(`${host}: ${other} and ${site.id}`);
        owner.set(host, site.id);
      }
    }
    for (const site of SITES) {
      for (const host of keysOf(site).rules.flatMap((r) => r.hosts)) {
        for (const other of SITES) {
          if (other === site) continue;
          for (const domain of other.domains) {
            if (host === domain || host.endsWith(`.${domain}`))
              clashes.push(`${host}: on ${other.id}'s ${domain}`);
          }
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it('let at most one site read every unclaimed host', () => {
    expect(SITE_KEYS.filter((keys) => keys.anyHostRules).length).toBeLessThanOrEqual(1);
  });

  it('have their account and post rules in SITE_KEYS, in the order of SITES', () => {
    expect(SITE_KEYS.map((keys) => keys.site)).toEqual(SITE_IDS);
  });

  it('read hosts of their own domains, or fediverse paths alone (a tab without the rules asks about those)', () => {
    const fediverse = SITE_KEYS.find((keys) => keys.anyHostRules)?.anyHostRules;
    for (const keys of SITE_KEYS) {
      const site = SITES.find((candidate) => candidate.id === keys.site);
      for (const rules of keys.rules) {
        const { account, post } = rules;
        const fediverseOnly = fediverse && account === fediverse.account && post === fediverse.post;
        for (const host of rules.hosts) {
          const own = site?.domains.some((d) => host === d || host.endsWith(`.${d}`));
          expect(own || fediverseOnly, `${keys.site}: ${host}`).toBe(true);
        }
      }
    }
  });

  describe.each(folders)('%s', (id) => {
    const site = SITES.find((candidate) => candidate.id === id);

    it(`sites/${id}/site.ts exports ${id}Site and ${id}Keys for that folder`, async () => {
      const module = (await import(`./${id}/site.ts`)) as Record<string, unknown>;
      expect(
        (module[`${id}Site`] as SiteDefinition | undefined)?.id,
        `sites/${id}/site.ts does not export ${id}Site`,
      ).toBe(id);
      expect(site, `sites/catalog.ts does not list ${id}Site`).toBe(module[`${id}Site`]);
      expect(
        (module[`${id}Keys`] as SiteKeys | undefined)?.site,
        `sites/${id}/site.ts does not export ${id}Keys`,
      ).toBe(id);
      expect(keysOf(site), `sites/catalog.ts SITE_KEYS does not list ${id}Keys`).toBe(module[`${id}Keys`]);
      expect(site?.name.trim()).not.toBe('');
      expect(site?.pageHosts.length).toBeGreaterThan(0);
    });

    it(`sites/${id}/adapter.ts exports ${id}Adapter`, async () => {
      const module = (await import(`./${id}/adapter.ts`)) as Record<string, SiteAdapter | undefined>;
      const adapter = module[`${id}Adapter`];
      expect(adapter, `sites/${id}/adapter.ts does not export ${id}Adapter`).toBeDefined();
      expect(adapter?.id).toBe(id);
      expect(adapter?.name).toBe(site?.name);
      expect(adapter?.postSelector.trim()).not.toBe('');
    });

    it(`has a name in public/_locales/en/messages.json (siteName_${id})`, () => {
      expect(MESSAGES[`siteName_${id}`]?.message?.trim() ?? '').not.toBe('');
    });

    it(`has at least one fixture page in sites/${id}/fixtures/`, () => {
      expect(fixtureFiles(id).length, `no .html fixture in sites/${id}/fixtures/`).toBeGreaterThan(0);
    });

    it(`has sites/${id}/adapter.test.ts exercising each of its fixtures`, () => {
      const testFile = join(SITES_DIR, id, 'adapter.test.ts');
      expect(existsSync(testFile), `sites/${id}/adapter.test.ts is missing`).toBe(true);
      const source = readFileSync(testFile, 'utf8');
      const unused = fixtureFiles(id).filter((fixture) => !mentions(source, fixture));
      expect(unused, `sites/${id}/adapter.test.ts never mentions these fixtures`).toEqual([]);
    });

    it(`has sites/${id}/examples.ts with URLs of the site, and demo fixtures that exist`, () => {
      const examples = EXAMPLES[id];
      expect(examples, `sites/${id}/examples.ts is missing`).toBeDefined();
      // A site with account or post rules proves them; a site of links alone (search) proves its wrappers.
      if (keysOf(site).rules.length || keysOf(site).anyHostRules) {
        expect(examples?.urls.some((row) => row.account || row.post)).toBe(true);
      } else {
        expect(examples?.urls.length).toBeGreaterThan(0);
        expect(examples?.wrappers?.length ?? 0).toBeGreaterThan(0);
      }
      expect(examples?.demo.length).toBeGreaterThan(0);
      for (const name of examples?.demo ?? []) expect(fixtureFiles(id)).toContain(`${name}.html`);
      // Every fixture says which badges the browser tests expect on it (none is a valid answer).
      expect(Object.keys(examples?.badges ?? {}).sort()).toEqual(
        fixtureFiles(id)
          .map((file) => file.replace(/\.html$/, ''))
          .sort(),
      );
    });

    it('reads its own page hosts with its own rules, or owns their domain', () => {
      for (const host of site?.pageHosts ?? []) {
        const place = placeOf(`https://${host}/`);
        const own =
          keysOf(site).rules.some((r) => r.hosts.includes(place?.host ?? '')) ||
          site?.domains.some((d) => host === d || host.endsWith(`.${d}`));
        expect(own || (keysOf(site).anyHostRules !== undefined && !isClaimed(place?.host ?? '')), host).toBe(
          true,
        );
      }
    });
  });
});

describe('every site wrapper against every site', () => {
  const rows = folders.flatMap((id) =>
    (EXAMPLES[id]?.wrappers ?? []).map(([wrapper, destination]) => ({ id, wrapper, destination })),
  );

  it.each(rows)('$id: $wrapper', ({ id, wrapper, destination }) => {
    const url = new URL(wrapper);
    const host = placeOf(wrapper)?.host ?? '';
    for (const site of SITES) {
      const found = site.unwrap?.(url, host);
      if (site.id === id) expect(found, `${site.id}'s unwrap`).toBe(destination);
      else expect(found, `${site.id} claims a wrapper of ${id}`).toBeUndefined();
    }
    expect(isWrapperUrl(wrapper)).toBe(true);
    expect(unwrapLink(wrapper)).toBe(destination === null ? null : new URL(destination).href);
    expect(accountKeys(wrapper)).toEqual([]);
    expect(postKeys(wrapper)).toEqual([]);
  });
});

describe('every site URL against every site rules', () => {
  const rows = folders.flatMap((id) => (EXAMPLES[id]?.urls ?? []).map((row) => ({ id, ...row })));

  it.each(rows)('$id: $url', ({ id, url, account, post }) => {
    const expected = [account, post].filter(Boolean);
    for (const site of SITES) {
      const keys = keysBy(site, url);
      if (site.id === id) expect(keys, `${site.id}'s rules`).toEqual(expected);
      else expect(keys, `${site.id}'s rules claim a URL of ${id}`).toEqual([]);
    }
  });
});
