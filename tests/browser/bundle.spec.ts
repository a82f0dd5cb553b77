/**
 * The content scripts' size budget, checked on the BUILT extension (size is deterministic; time is
 * not, so speed lives in `npm run bench -- page`). A supported page evaluates its content script on
 * load, so its size is page cost. The Public Suffix List (tldts) must never be in one: link keys are
 * made in the background (sync/page-lookup.ts).
 *
 * One script per site folder (`entrypoints/<id>.content.ts` → `content-scripts/<id>.js`), each with
 * that site's adapter only: ~70 KB each, where one script with all ten adapters was ~90 KB. The
 * budget is issue 8's 80 KB per script, for every script the built manifest declares (the Mastodon
 * one is also what the background registers on the hosts the reader adds: sync/mastodon.ts,
 * entrypoints/content/run.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITES } from '../../sites/catalog';
import { matchPatterns } from '../../sites/url';
import { extensionDir } from './harness';

const BUDGET_KB = 80;

interface ManifestContentScript {
  matches: string[];
  js?: string[];
}

describe.each(['chrome-mv3', 'firefox-mv3'] as const)('content scripts in %s', (target) => {
  const dir = extensionDir(target);
  const declared: ManifestContentScript[] =
    JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).content_scripts ?? [];
  const files = [...new Set(declared.flatMap((script) => script.js ?? []))];

  it('declares one script per site, on exactly that site’s pages', () => {
    const bySite = SITES.map((site) => ({
      js: [`content-scripts/${site.id}.js`],
      matches: matchPatterns(site).sort(),
    }));
    const built = declared.map((script) => ({ js: script.js, matches: [...script.matches].sort() }));
    expect(built).toEqual(expect.arrayContaining(bySite));
    expect(built).toHaveLength(bySite.length);
  });

  it.each(files)(`%s is at most ${BUDGET_KB} KB minified`, (file) => {
    const kb = readFileSync(join(dir, file)).length / 1024;
    expect(kb, `${file} is ${kb.toFixed(1)} KB`).toBeLessThanOrEqual(BUDGET_KB);
  });

  it.each(files)('%s carries no Public Suffix List', (file) => {
    const code = readFileSync(join(dir, file), 'utf8');
    // Suffixes only the list has, in the shape tldts stores them.
    for (const marker of ['blogspot', 'github.io', 'kawasaki.jp', 'herokuapp']) {
      expect(code.includes(marker), `${file} contains "${marker}"`).toBe(false);
    }
  });
});
