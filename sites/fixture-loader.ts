/**
 * Test support for the site adapters: loads a committed fixture page (sites/fixtures/<site>/<name>.html)
 * into its own happy-dom Window at the page's real URL, and summarises adapter output as plain data
 * so tests can compare it with `toEqual`. Used only by tests; never imported by product code.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Window } from 'happy-dom';
import type { PostData, SiteAdapter, SiteId } from './types.ts';

export const FIXTURES_DIR = resolve(import.meta.dirname, 'fixtures');

/** Where a fixture is served when it names no canonical URL of its own. */
export const DEFAULT_FIXTURE_URL: Record<SiteId, string> = {
  x: 'https://x.com/home',
  bluesky: 'https://bsky.app/',
  mastodon: 'https://mastodon.social/home',
  truthsocial: 'https://truthsocial.com/',
  reddit: 'https://www.reddit.com/',
  threads: 'https://www.threads.net/',
  youtube: 'https://www.youtube.com/',
  facebook: 'https://www.facebook.com/',
  instagram: 'https://www.instagram.com/',
};

export interface LoadedFixture {
  /** The page's URL: its `<link rel="canonical">`, else the site's default. */
  location: URL;
  document: Document;
  close(): Promise<void>;
}

/** The fixture file names (with `.html`) of a site, sorted. */
export function fixtureNames(site: SiteId): string[] {
  try {
    return readdirSync(join(FIXTURES_DIR, site))
      .filter((name) => name.endsWith('.html'))
      .sort();
  } catch {
    return [];
  }
}

export function fixtureHtml(site: SiteId, name: string): string {
  const file = name.endsWith('.html') ? name : `${name}.html`;
  return readFileSync(join(FIXTURES_DIR, site, file), 'utf8');
}

/** The URL a fixture declares with `<link rel="canonical" href="…">`, if any. */
export function canonicalUrl(html: string): string | undefined {
  const tag = /<link\b[^>]*\brel=["']canonical["'][^>]*>/i.exec(html)?.[0];
  return tag ? /\bhref=["']([^"']+)["']/i.exec(tag)?.[1] : undefined;
}

export function loadFixture(site: SiteId, name: string): LoadedFixture {
  const html = fixtureHtml(site, name);
  const location = new URL(canonicalUrl(html) ?? DEFAULT_FIXTURE_URL[site]);
  const window = new Window({
    url: location.href,
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
    },
  });
  window.document.write(html);
  return {
    location,
    document: window.document as unknown as Document,
    close: () => window.happyDOM.close(),
  };
}

/** Every readable post of a page, in document order. */
export function parseAll(adapter: SiteAdapter, fixture: LoadedFixture): PostData[] {
  return [...fixture.document.querySelectorAll(adapter.postSelector)]
    .map((element) => adapter.parsePost(element, fixture.location))
    .filter((post): post is PostData => post !== null);
}

export interface PostSummary {
  permalink?: string;
  author?: string;
  /** The text of the element the author badge goes beside. */
  authorAnchor?: string;
  time?: string;
  links: string[];
  quoted?: PostSummary;
  repostedBy?: string;
}

/** A post as plain data: URLs, times, and the visible text of the author anchor. */
export function summarize(post: PostData): PostSummary {
  return {
    ...(post.permalink !== undefined ? { permalink: post.permalink } : {}),
    ...(post.author ? { author: post.author.url, authorAnchor: visibleText(post.author.anchor) } : {}),
    ...(post.time !== undefined ? { time: post.time } : {}),
    links: post.links.map((link) => link.url),
    ...(post.quoted ? { quoted: summarize(post.quoted) } : {}),
    ...(post.repostedBy ? { repostedBy: post.repostedBy.url } : {}),
  };
}

export function visibleText(element: Element): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}
