/**
 * Shared test support for the site adapters: loads a committed fixture page
 * (sites/<site>/fixtures/<name>.html) into its own happy-dom Window at the page's URL, parses its posts,
 * summarises adapter output as plain data so tests can compare it with `toEqual`, and says which seed
 * labels a post hits with the keys the content script looks up.
 * Test support only: product code never imports it (it writes fixture HTML with document.write).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Window } from 'happy-dom';
import { accountKeys, linkLookupKeys, normalizeTarget, postKeys } from '../feed/targets.ts';
import { SITES, siteById } from '../sites/catalog.ts';
import type { PostData, SiteAdapter, SiteId } from '../sites/types.ts';

const SITES_DIR = resolve(import.meta.dirname, '..', 'sites');

/** A site's fixture folder: `sites/<site>/fixtures`. */
export function fixturesDir(site: string): string {
  return join(SITES_DIR, site, 'fixtures');
}
const SEED_FILE = resolve(import.meta.dirname, '..', 'seed', 'seed.json');

/** Where a fixture is served when it names no canonical URL of its own: the site's `home`. */
export const DEFAULT_FIXTURE_URL = Object.fromEntries(SITES.map((site) => [site.id, site.home])) as Record<
  SiteId,
  string
>;

export interface LoadedFixture {
  /** The page's URL: the one asked for, else its `<link rel="canonical">`, else the site's default. */
  location: URL;
  document: Document;
  close(): Promise<void>;
}

/** The fixture file names (with `.html`) of a site, sorted. */
export function fixtureNames(site: SiteId): string[] {
  try {
    return readdirSync(fixturesDir(site))
      .filter((name) => name.endsWith('.html'))
      .sort();
  } catch {
    return [];
  }
}

export function fixtureHtml(site: SiteId, name: string): string {
  const file = name.endsWith('.html') ? name : `${name}.html`;
  return readFileSync(join(fixturesDir(site), file), 'utf8');
}

/** The URL a fixture declares with `<link rel="canonical" href="…">`, if any. */
export function canonicalUrl(html: string): string | undefined {
  const tag = /<link\b[^>]*\brel=["']canonical["'][^>]*>/i.exec(html)?.[0];
  return tag ? /\bhref=["']([^"']+)["']/i.exec(tag)?.[1] : undefined;
}

/** A fixture page parsed as the browser would have it at `url` (default: its canonical or site URL). */
export function loadFixture(site: SiteId, name: string, url?: string): LoadedFixture {
  const html = fixtureHtml(site, name);
  const location = new URL(url ?? canonicalUrl(html) ?? siteById(site).home);
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

/** Every post of a page whose post elements are all readable; throws naming the first that is not. */
export function parseEvery(adapter: SiteAdapter, fixture: LoadedFixture): PostData[] {
  return [...fixture.document.querySelectorAll(adapter.postSelector)].map((element, index) => {
    const post = adapter.parsePost(element, fixture.location);
    if (!post) throw new Error(`${adapter.id}: post ${index} of ${fixture.location.href} is unreadable`);
    return post;
  });
}

export interface PostSummary {
  permalink?: string;
  author?: string;
  /** The text of the element the author badge goes beside (only from `summarize`). */
  authorAnchor?: string;
  time?: string;
  links: string[];
  quoted?: PostSummary;
  repostedBy?: string;
}

/** A post as plain data: URLs, times, and the visible text of the author anchor. */
export function summarize(post: PostData): PostSummary {
  return summary(post, true);
}

/** A post as the look-up sees it: URLs and times only, no anchor text. */
export function summarizeTargets(post: PostData): PostSummary {
  return summary(post, false);
}

function summary(post: PostData, withAnchor: boolean): PostSummary {
  return {
    ...(post.permalink !== undefined ? { permalink: post.permalink } : {}),
    ...(post.author ? { author: post.author.url } : {}),
    ...(post.author && withAnchor ? { authorAnchor: visibleText(post.author.anchor) } : {}),
    ...(post.time !== undefined ? { time: post.time } : {}),
    links: post.links.map((link) => link.url),
    ...(post.quoted ? { quoted: summary(post.quoted, withAnchor) } : {}),
    ...(post.repostedBy ? { repostedBy: post.repostedBy.url } : {}),
  };
}

export function visibleText(element: Element): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

let seedKeys: Map<string, string[]> | undefined;

/** The ids of the seed feed's labels (as the extension ships them) on one target key, in feed order. */
export function seedLabelsAt(key: string): string[] {
  if (!seedKeys) {
    seedKeys = new Map();
    const seed = JSON.parse(readFileSync(SEED_FILE, 'utf8')) as {
      labels: { id: string; account?: string; post?: string; link?: string }[];
    };
    for (const label of seed.labels) {
      for (const kind of ['account', 'post', 'link'] as const) {
        const target = label[kind];
        const result = target === undefined ? undefined : normalizeTarget(kind, target);
        if (result?.ok) seedKeys.set(result.key, [...(seedKeys.get(result.key) ?? []), label.id]);
      }
    }
  }
  return seedKeys.get(key) ?? [];
}

/** The seed labels (ids, sorted) a post's own part hits, with the keys the content script looks up. */
export function labelsHit(post: PostData): string[] {
  const keys = new Set([
    ...(post.author ? accountKeys(post.author.url) : []),
    ...(post.permalink === undefined ? [] : postKeys(post.permalink)),
    ...post.links.flatMap((link) => linkLookupKeys(link.url)),
  ]);
  return [...keys].flatMap(seedLabelsAt).sort();
}
