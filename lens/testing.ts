/**
 * Test helpers for lens/: a page index as the background builds it (sync/page-index.ts), from the
 * labels it should answer. Used only by tests; never imported by product code.
 */
import { hashKey } from '../feed/hash';
import type { MatchedLabel, PageIndexWire } from '../messaging/protocol';
import { KeyIndex } from './keyIndex';

/** The page index of the labels given (their feeds and definitions, each once). */
export function pageIndexOf(labels: readonly MatchedLabel[]): KeyIndex {
  const feeds: PageIndexWire['feeds'] = [];
  const entries = labels.map((label) => {
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
    return { ...hashKey(label.key), code: (f << 16) | d };
  });
  entries.sort((a, b) => a.hi - b.hi || a.lo - b.lo || a.code - b.code);
  const n = entries.length;
  const words = new Uint32Array(3 * n);
  entries.forEach((e, i) => {
    words[i] = e.hi;
    words[n + i] = e.lo;
    words[2 * n + i] = e.code;
  });
  let text = '';
  for (const byte of new Uint8Array(words.buffer)) text += String.fromCharCode(byte);
  return KeyIndex.decode({ id: 'test', feeds, count: n, entries: btoa(text) }) as KeyIndex;
}
