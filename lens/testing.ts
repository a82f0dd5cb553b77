/**
 * Test helpers for lens/: a page index from the labels it should answer, encoded by the
 * background's own encoder (sync/page-index.ts `encodePageIndex`, then `siteIndex`), so the lens's
 * tests read the wire form the background sends. Used only by tests; never imported by product code.
 */
import { hashKey } from '../feed/hash';
import { ALL_SITE_KEYS } from '../feed/site-keys';
import type { MatchedLabel, PageIndexWire } from '../messaging/protocol';
import type { SiteId } from '../sites/catalog';
import { encodePageIndex, IndexKeys, KeyScopes, type PageIndexEntry, siteIndex } from '../sync/page-index';
import { KeyIndex } from './keyIndex';

/** The page index of the labels given (their feeds and definitions, each once), as a `site` tab gets it. */
export function pageIndexOf(labels: readonly MatchedLabel[], site?: SiteId): KeyIndex {
  const feeds: PageIndexWire['feeds'] = [];
  const keys = new IndexKeys();
  const scopes = new KeyScopes();
  const entries: PageIndexEntry[] = labels.map((label) => {
    let f = feeds.findIndex((feed) => feed.id === label.feedId);
    if (f < 0) {
      f = feeds.length;
      feeds.push({
        id: label.feedId,
        name: label.feedName,
        publisher: label.publisher,
        appeals: label.appeals,
        homepage: label.homepage,
        updatedAt: label.updatedAt,
        definitions: [],
      });
    }
    const feed = feeds[f] as PageIndexWire['feeds'][number];
    let d = feed.definitions.findIndex((definition) => definition.id === label.definition.id);
    if (d < 0) d = feed.definitions.push(label.definition) - 1;
    keys.add(label.key);
    return { ...hashKey(label.key), code: (f << 16) | d, scope: scopes.of(label.key) };
  });
  const wire = encodePageIndex('test', feeds, entries, keys, undefined, scopes.names) as PageIndexWire;
  // As a tab (of `site`) is sent it: its entries packed (sync/packed-entries.ts), its keys and words cut.
  return KeyIndex.decode(siteIndex(wire, site), ALL_SITE_KEYS) as KeyIndex;
}
