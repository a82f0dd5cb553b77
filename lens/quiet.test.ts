// @vitest-environment happy-dom
/**
 * The quiet pass must never pass over a post the full reading would label: on every fixture post
 * of every adapter that declares `quickRead`, each key its full reading looks up (a link's every
 * candidate key too) makes the post one to read, with an index that labels that key alone, as the
 * adapter's tab is sent it (another site's keys stand there as that site's domain words).
 */
import { describe, expect, it } from 'vitest';
import { matchedLabel } from '../components/testLabels';
import { ALL_SITE_KEYS } from '../feed/site-keys';
import { LINK_URL_PREFIX } from '../messaging/link-url';
import type { SiteId } from '../sites/catalog';
import { siteAdapters } from '../sites/registry';
import type { QuickRead } from '../sites/types';
import { READS_WORDS } from '../sync/page-index';
import { fixtureNames, loadFixture } from '../tests/site-fixtures';
import { linkCandidates } from './keyIndex';
import { createMayLabel } from './quiet';
import { postSlots } from './slots';
import { pageIndexOf } from './testing';

const indexOn = (key: string, site?: SiteId) => pageIndexOf([matchedLabel({ key })], site);

/** Every key the index is searched by for a post's slots (a link: each of its candidate keys). */
function lookedUp(keys: readonly string[]): string[] {
  return keys.flatMap((key) =>
    key.startsWith(LINK_URL_PREFIX)
      ? (linkCandidates(key.slice(LINK_URL_PREFIX.length), ALL_SITE_KEYS) ?? [])
      : [key],
  );
}

const quick = siteAdapters.filter((adapter) => adapter.quickRead);

it('is declared by the adapters that read keys from the post and the page’s URL alone, the sites sent word filters', () => {
  expect(quick.map((adapter) => adapter.id).sort()).toEqual([...READS_WORDS].sort());
  expect(READS_WORDS.size).toBe(6);
});

for (const adapter of quick) {
  describe(`${adapter.id}: posts passed over name no labelled key`, () => {
    for (const name of fixtureNames(adapter.id)) {
      it(name, () => {
        const page = loadFixture(adapter.id, name);
        const mayLabel = createMayLabel(adapter.quickRead as QuickRead);
        const unrelated = indexOn('account:x:zzqqunrelatedname', adapter.id);
        let keys = 0;
        let passedOver = 0;
        for (const [at, element] of [...page.document.querySelectorAll(adapter.postSelector)].entries()) {
          const post = adapter.parsePost(element, page.location);
          if (!post) continue;
          for (const key of lookedUp(postSlots(post, ALL_SITE_KEYS).flatMap((slot) => slot.keys))) {
            keys++;
            expect(mayLabel(element, page.location, indexOn(key, adapter.id)), `post ${at}: ${key}`).toBe(
              true,
            );
          }
          if (!mayLabel(element, page.location, unrelated)) passedOver++;
        }
        expect(keys).toBeGreaterThan(0);
        // The check tells posts apart: an unrelated label leaves most of them unread.
        expect(passedOver).toBeGreaterThan(0);
        page.close();
      });
    }
  });
}

describe('text an adapter reads joined', () => {
  it('reads an X link’s text with its whitespace taken out, as the adapter does', () => {
    const page = loadFixture('x', 'home');
    const x = quick.find((adapter) => adapter.id === 'x');
    const link = page.document.querySelector('[data-testid="tweetText"] a[href^="https://t.co/"]') as Element;
    const tweet = link.closest(x?.postSelector ?? '') as Element;
    // The destination split across lines, as pretty-printed markup would have it.
    link.textContent = 'https://exam\n ple.org/story…';
    const post = x?.parsePost(tweet, page.location);
    expect(post?.links.map((l) => l.url)).toContain('https://example.org/story');
    const mayLabel = createMayLabel(x?.quickRead as QuickRead);
    expect(mayLabel(tweet, page.location, indexOn('link:domain:example.org'))).toBe(true);
    page.close();
  });

  it('reads no joined text of a link to a path on the site itself (no shortener there)', () => {
    const page = loadFixture('x', 'home');
    const x = quick.find((adapter) => adapter.id === 'x');
    const link = page.document.querySelector('[data-testid="tweetText"] a[href^="https://t.co/"]') as Element;
    const tweet = link.closest(x?.postSelector ?? '') as Element;
    const mayLabel = createMayLabel(x?.quickRead as QuickRead);
    const index = indexOn('link:domain:example.org');
    link.textContent = 'https://exam\n ple.org/story…';
    expect(mayLabel(tweet, page.location, index)).toBe(true);
    // The same text in a link to an X path: the adapter reads no URL from it, nor does the check.
    link.setAttribute('href', '/exam/status/1');
    expect(x?.parsePost(tweet, page.location)?.links.map((l) => l.url)).not.toContain(
      'https://example.org/story',
    );
    expect(mayLabel(tweet, page.location, index)).toBe(false);
    page.close();
  });
});

describe('another site’s keys, read as that site’s domain words', () => {
  it.each([
    ['bsky.app/profile/skyperson.bsky.social', 'account:bsky:skyperson.bsky.social'],
    ['reddit.com/user/redperson', 'account:reddit:u/redperson'],
    ['youtu.be/dQw4w9WgXcQ', 'post:youtube:dQw4w9WgXcQ'],
  ])('makes an X post linking to %s one to read', (text, key) => {
    const page = loadFixture('x', 'home');
    const x = quick.find((adapter) => adapter.id === 'x');
    const link = page.document.querySelector('[data-testid="tweetText"] a[href^="https://t.co/"]') as Element;
    const tweet = link.closest(x?.postSelector ?? '') as Element;
    const mayLabel = createMayLabel(x?.quickRead as QuickRead);
    const index = indexOn(key, 'x');
    expect(mayLabel(tweet, page.location, index)).toBe(false);
    // As X writes a shortened link's destination: all of it in the text, then an ellipsis.
    link.textContent = `https://${text}…`;
    expect(mayLabel(tweet, page.location, index)).toBe(true);
    page.close();
  });
});

describe("the page's own URL", () => {
  it('makes every post one to read while it names a labelled key, and is read again when the page or the index changes', () => {
    const page = loadFixture('x', 'home');
    const x = quick.find((adapter) => adapter.id === 'x');
    const tweet = page.document.querySelector(x?.postSelector ?? '') as Element;
    const mayLabel = createMayLabel(x?.quickRead as QuickRead);
    const labelled = indexOn('account:x:zzqqpagename');
    const profile = new URL('https://x.com/zzqqpagename');
    const home = new URL('https://x.com/home');
    expect(mayLabel(tweet, profile, labelled)).toBe(true);
    expect(mayLabel(tweet, profile, labelled)).toBe(true);
    expect(mayLabel(tweet, home, labelled)).toBe(false);
    expect(mayLabel(tweet, profile, labelled)).toBe(true);
    // A URL object changed in place (the same object, another address) is read again.
    profile.pathname = '/home';
    expect(mayLabel(tweet, profile, labelled)).toBe(false);
    profile.pathname = '/zzqqpagename';
    expect(mayLabel(tweet, profile, labelled)).toBe(true);
    expect(mayLabel(tweet, profile, indexOn('account:x:zzqqunrelatedname'))).toBe(false);
    page.close();
  });
});
