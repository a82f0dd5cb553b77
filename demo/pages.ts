/**
 * The demo's pages: for every site folder, the fixtures its examples.ts names for the demo, served at
 * the URL each fixture names as its canonical link (the real site's URL shape). A new site folder
 * shows up here without an edit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SITES } from '../sites/catalog';
import { ROOT } from '../tests/browser/harness';
import { EXAMPLES } from '../tests/site-examples';
import { canonicalUrl } from '../tests/site-fixtures';

export interface DemoPage {
  site: string;
  url: string;
  /** Requests starting with this are answered with the page (defaults to `url`). */
  urlPrefix?: string;
  html(): string;
}

function fixturePage(site: string, id: string, name: string): DemoPage {
  const file = `sites/${id}/fixtures/${name}.html`;
  const html = readFileSync(join(ROOT, file), 'utf8');
  const url = canonicalUrl(html);
  if (!url) throw new Error(`${file} names no <link rel="canonical">`);
  return { site, url, html: () => html };
}

export const DEMO_PAGES: DemoPage[] = SITES.flatMap((site) =>
  (EXAMPLES[site.id]?.demo ?? []).map((name, index) =>
    fixturePage(index === 0 ? site.name : `${site.name} (${name})`, site.id, name),
  ),
);
