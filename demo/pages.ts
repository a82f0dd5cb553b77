/**
 * The demo's pages: one timeline per site, taken from the committed adapter fixtures and served at
 * the URL each fixture names as its canonical link (the real site's URL shape).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tests/browser/harness';
import { canonicalUrl } from '../tests/site-fixtures';

export interface DemoPage {
  site: string;
  url: string;
  /** Requests starting with this are answered with the page (defaults to `url`). */
  urlPrefix?: string;
  html(): string;
}

function fixturePage(site: string, file: string): DemoPage {
  const path = join(ROOT, 'sites/fixtures', file);
  const html = readFileSync(path, 'utf8');
  const url = canonicalUrl(html);
  if (!url) throw new Error(`${file} names no <link rel="canonical">`);
  return { site, url, html: () => html };
}

export const DEMO_PAGES: DemoPage[] = [
  fixturePage('X', 'x/home.html'),
  fixturePage('Bluesky', 'bluesky/home.html'),
  fixturePage('Mastodon', 'mastodon/home.html'),
  fixturePage('Truth Social', 'truthsocial/home.html'),
  fixturePage('Reddit', 'reddit/www-home.html'),
  fixturePage('Reddit (old)', 'reddit/old-listing.html'),
  fixturePage('Threads', 'threads/home.html'),
  fixturePage('YouTube', 'youtube/watch.html'),
  fixturePage('Facebook', 'facebook/feed.html'),
  fixturePage('Instagram', 'instagram/home.html'),
];
