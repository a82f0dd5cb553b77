/**
 * Every site folder's `examples.ts` (real URLs and the keys they give, the demo's fixture pages), read
 * from the folders on disk so a new folder is picked up without a list to edit. Test and demo support.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SiteExamples, UrlExample } from '../sites/url-examples.ts';

export const SITES_DIR = resolve(import.meta.dirname, '..', 'sites');

/** The site folders: every directory under sites/ (each holds one site). */
export function siteFolders(): string[] {
  return readdirSync(SITES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function load(): Promise<Record<string, SiteExamples>> {
  const entries = await Promise.all(
    siteFolders()
      .filter((site) => existsSync(join(SITES_DIR, site, 'examples.ts')))
      .map(async (site) => {
        const module = (await import(
          pathToFileURL(join(SITES_DIR, site, 'examples.ts')).href
        )) as SiteExamples;
        return [site, module] as const;
      }),
  );
  return Object.fromEntries(entries);
}

/** Each site folder's examples, by site id. */
export const EXAMPLES: Record<string, SiteExamples> = await load();

/** Each site folder's URL table, by site id. */
export const SITE_EXAMPLES: Record<string, UrlExample[]> = Object.fromEntries(
  Object.entries(EXAMPLES).map(([site, examples]) => [site, examples.urls]),
);
