/**
 * The demo's pages: one timeline per site, taken from the committed adapter fixtures and served at
 * the URL each fixture names as its canonical link (the real site's URL shape).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tests/browser/harness';

export interface DemoPage {
  site: string;
  url: string;
  /** Requests starting with this are answered with the page (defaults to `url`). */
  urlPrefix?: string;
  html(): string;
}

/** A fixture's canonical URL (`<link rel="canonical" href="…">`). */
export function canonicalUrl(html: string, file: string): string {
  const match = /<link rel="canonical" href="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`${file} names no <link rel="canonical">`);
  return match[1];
}

function fixturePage(site: string, file: string): DemoPage {
  const path = join(ROOT, 'sites/fixtures', file);
  const html = readFileSync(path, 'utf8');
  return { site, url: canonicalUrl(html, file), html: () => html };
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
