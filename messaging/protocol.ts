/**
 * The one typed message protocol of Context Lens, named by direction (content→background,
 * UI→background, UI→content). Every message between extension contexts is declared here.
 * Handlers must check `sender.id === browser.runtime.id` (and, for UI messages, that the sender is
 * an extension page): messages from anywhere else are ignored.
 */
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { AddressRole } from '../feed/address';
import type { DefaultAction, LabelDefinition, LocalizedText, Severity, Source } from '../feed/types';

export { LINK_URL_PREFIX } from './link-url';

/** One label that applies to a looked-up key, with everything a reader needs to judge it. */
export interface MatchedLabel {
  /** The normalised target key that matched (one of the keys asked for, or one a `url:` key gave). */
  key: string;
  /** The `url:` key this label was found through, when it was found through a link URL. */
  asked?: string;
  feedId: string;
  feedName: string;
  publisher: string;
  /** The feed's appeals link (https or mailto). */
  appeals: string;
  homepage: string;
  /** The envelope's signature verified against the pinned key when the feed was stored. */
  verified: boolean;
  /** The feed's `expires` has passed: labels still show, marked out of date. */
  stale: boolean;
  /** ISO: when the feed went out of date (its `expires`), when stale. */
  staleSince?: string;
  /** ISO: the last successful sync of the feed. */
  updatedAt: string;
  labelId: string;
  definition: {
    id: string;
    title: LocalizedText;
    description: LocalizedText;
    severity: Severity;
    defaultAction: DefaultAction;
  };
  note?: string | LocalizedText;
  sources: Source[];
  since?: string;
  until?: string;
  cts: string;
  exp?: string;
  /**
   * Drawn in the tab from the page index (lens/keyIndex.ts): `labelId`, `note`, `sources`, the
   * period and `cts` are not here yet; the lens completes the label when the background answers.
   */
  brief?: true;
}

/** A feed as the tab shows it: everything of a MatchedLabel that is the same for all its labels. */
export interface PageIndexFeed {
  id: string;
  name: string;
  publisher: string;
  appeals: string;
  homepage: string;
  /** ISO: the last successful sync (MatchedLabel.updatedAt). */
  updatedAt: string;
  /** ISO: the feed's `expires` (past it the feed's labels show as out of date). */
  expires?: string;
  definitions: MatchedLabel['definition'][];
}

/** The `pageIndex` answer (sync/page-index.ts builds it, lens/keyIndex.ts reads it). */
export interface PageIndexWire {
  /** Names what it was built from: equal ids, equal indexes. */
  id: string;
  feeds: PageIndexFeed[];
  count: number;
  /**
   * Base64 of `count` × 2 little-endian u32, sorted by hash: every hash's hi, then for each its lo's
   * top 16 bits << 16 | its label's place in `codes` (0xffff, sync/keyindex.ts SHARED_HASH: another
   * labelled key's hash shares these 48 bits; ask the background), or those entries packed (see
   * `packing`). Only the first part in a `pageIndex` answer that has `parts`.
   */
  entries: string;
  /**
   * Only in a `pageIndex` answer, when `entries` is longer than one part (sync/page-index.ts
   * PAGE_INDEX_PART_CHARS): how many parts `entries` comes in, the first here and each other one
   * a `pageIndexPart` answer. One
   * message of megabytes reaches the tab as one task of as many tens of milliseconds; parts keep
   * each under a frame's worth.
   */
  parts?: number;
  /**
   * In an answer to a tab (sync/page-index.ts `siteIndex`): `entries` are packed, in ~5.3 bytes an
   * entry instead of 8 (sync/packed-entries.ts), in `2^b` buckets with `p` bits a place. The tab
   * reads only packed entries.
   */
  packing?: { b: number; p: number };
  /**
   * In an answer to a tab of one site: the sites whose account and post keys it holds (sync/page-index.ts
   * KEY_SITES), besides every link, domain and server key; the tab asks the background for any
   * other key. Missing: it holds every key.
   */
  sites?: string[];
  /**
   * Only in the worker's full index, never in an answer: base64 of one byte per entry, its key's
   * site's place in `scopeNames` (0xff: a link, domain or server key), from which each site's
   * answer is cut.
   */
  scopes?: string;
  scopeNames?: string[];
  /** The (feed index << 16 | definition index) of each place. */
  codes: number[];
  /**
   * Only in a `pageIndex` answer: the lens's messages as templates in the reader's language
   * (ui/i18n.ts `lensTemplates`), so the tab makes no blocking `i18n.getMessage` of its own.
   */
  strings?: Record<string, string>;
  /** Epoch ms when its earliest-expiring label expires: from then on the tab does not use it. */
  validUntil?: number;
  /**
   * A Bloom filter (sync/keyindex.ts) of every host named by a `link:url:`, `link:domain:` or
   * `server:fedi:` key in it, hashed by feed/hash.ts: base64 of its u32 words, and its probes.
   */
  hosts?: { bits: string; hashes: number };
  /**
   * A Bloom filter, as `hosts`, of every key's word (feed/key-token.ts keyToken), and the length of
   * the shortest: a post none of whose words is in it (nor in `moreWords`) names no labelled key.
   * Missing when some key has no word (every post is then read). In the worker's index, without
   * the words in `siteWords` (`shortest` 0: no word); in a tab's, with the domain words that stand
   * for the keys of the sites it does not hold.
   */
  words?: WordFilterWire;
  /**
   * In an answer to a tab: the word filters of the sites whose account and post keys it holds and
   * whose words are kept apart (sync/page-index.ts DOMAIN_WORDS); a word in any of them counts.
   */
  moreWords?: { bits: string; hashes: number }[];
  /** In the worker's index only: those filters per site (`siteIndex` picks a tab's). */
  siteWords?: Record<string, WordFilterWire>;
}

/** A Bloom filter of words (base64 of its u32 words), its probes, and its shortest word's length. */
export interface WordFilterWire {
  bits: string;
  hashes: number;
  shortest: number;
}

export type FeedSyncState = 'fresh' | 'syncing' | 'stale' | 'error' | 'disabled';

/** A feed as the popup and the options page show it. */
export interface FeedStatus {
  id: string;
  url: string;
  name: string;
  publisher: string;
  homepage: string;
  appeals: string;
  enabled: boolean;
  /** True for the feed shipped inside the extension. */
  bundled: boolean;
  state: FeedSyncState;
  sequence: number;
  labelCount: number;
  issued?: string;
  expires?: string;
  /** ISO time of the last successful sync. */
  lastUpdated?: string;
  /** The last failure, in words a reader understands, and when it happened. */
  lastError?: { message: string; at: string };
  /** While syncing: labels ingested of the total. */
  progress?: { done: number; total: number };
  /** Fingerprint of the pinned key (hex SHA-256 of the raw public key). */
  keyFingerprint: string;
}

/** What a reader confirms before trusting a new feed (trust on first use). */
export interface FeedPreview {
  /** The address asked for (where feed.json is read). */
  url: string;
  /** The feed's signed id: where its publisher says it is published. */
  id: string;
  /** How `url` relates to `id`: the same, a mirror the feed lists, or this computer (testing). */
  address: AddressRole;
  name: string;
  publisher: string;
  description: string;
  homepage: string;
  labelCount: number;
  definitions: LabelDefinition[];
  keyFingerprint: string;
  sequence: number;
  expires: string;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/** What the content script saw on its page (adapter health). */
export interface PageHealth {
  site: string | null;
  postsRecognised: number;
  postsLabelled: number;
  labelsShown: number;
  /** A supported page showed no recognised posts some seconds after load. */
  layoutMayHaveChanged: boolean;
}

/** A target the curator is about to label. */
export interface CuratorTarget {
  kind: 'account' | 'post' | 'link';
  url: string;
  /** The page it was found on, for the curator's reference. */
  pageUrl?: string;
}

/** What lay under the pointer at the last contextmenu event in a tab. */
export interface ContextTarget {
  account?: string;
  post?: string;
  link?: string;
}

export interface ProtocolMap {
  // content → background: normalised account/post keys, and link URLs as `url:<URL>` (LINK_URL_PREFIX)
  lookup(keys: string[]): MatchedLabel[];
  /** content → background: the labelled keys of every enabled feed, once per page (sync/page-index.ts). */
  pageIndex(site?: string): PageIndexWire | null;
  /** content → background: part `part` (from 1) of the entries of the index `id` names; null when that index is gone. */
  pageIndexPart(data: { id: string; part: number; site?: string }): string | null;

  // UI (popup, options) → background
  listFeeds(): FeedStatus[];
  previewFeed(url: string): Reply<FeedPreview>;
  /** Subscribes after the reader confirmed the preview; the fingerprint must still match. */
  subscribe(data: { url: string; keyFingerprint: string }): Reply<FeedStatus>;
  unsubscribe(feedId: string): Reply<null>;
  setFeedEnabled(data: { feedId: string; enabled: boolean }): Reply<null>;
  /** Sync one feed, or every enabled feed when no id is given. */
  syncNow(feedId?: string): Reply<null>;
  /** Drops every feed and label; the bundled seed feed is installed again. */
  clearCache(): Reply<null>;
  listDefinitions(): { feedId: string; feedName: string; definition: LabelDefinition }[];

  // UI → content (the active tab)
  getPageHealth(): PageHealth;

  // Curator mode
  /** content → background: open the curator's label form for a target (from a "Label…" button). */
  openCuratorForm(data: CuratorTarget): void;
  /** background → content: what the reader right-clicked last (the post, its author, the link under the pointer). */
  getContextTarget(): ContextTarget;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
