/**
 * The background's answers to the messages of messaging/protocol.ts that concern feeds and labels,
 * each behind its sender check: lookups only from this extension (content scripts and pages), the
 * rest only from the extension's own pages (popup, options). Anything else is ignored with an empty
 * answer. Owns those checks; the work is service.ts's and lookup.ts's. Never throws.
 */
import { browser } from 'wxt/browser';
import type { LabelDefinition } from '../feed';
import type { FeedPreview, FeedStatus, MatchedLabel, PageIndexWire, Reply } from '../messaging/protocol';
import { cacheDb } from '../storage/db';
import { pageIndex, pageIndexById, pageIndexHead, pageIndexPart, siteIndex } from './page-index';
import { lookupPageKeys } from './page-lookup';
import {
  clearCache,
  listDefinitions,
  previewFeed,
  setFeedEnabled,
  subscribe,
  syncNow,
  unsubscribe,
} from './service';
import { listFeedStatus } from './status';

export interface Sender {
  id?: string;
  url?: string;
}

export function isFromExtension(sender: Sender | undefined): boolean {
  return sender?.id === browser.runtime.id;
}

/** An extension page (popup, options), not a content script: its URL is in the extension's origin. */
export function isFromExtensionPage(sender: Sender | undefined): boolean {
  const origin = browser.runtime.getURL('/');
  return isFromExtension(sender) && typeof sender?.url === 'string' && sender.url.startsWith(origin);
}

const IGNORED = 'This request is only accepted from Context Lens’s own pages.';

async function reply<T>(sender: Sender | undefined, work: () => Promise<Reply<T>>): Promise<Reply<T>> {
  if (!isFromExtensionPage(sender)) return { ok: false, error: IGNORED };
  try {
    return await work();
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** What `work` answers when the sender may ask; else, or when it fails (logged), `fallback`. */
async function guarded<T>(allowed: boolean, fallback: T, work: () => Promise<T>): Promise<T> {
  if (!allowed) return fallback;
  try {
    return await work();
  } catch (error) {
    console.warn('Context Lens:', error);
    return fallback;
  }
}

const list = <T>(allowed: boolean, work: () => Promise<T[]>): Promise<T[]> => guarded(allowed, [], work);
const orNull = <T>(allowed: boolean, work: () => Promise<T | null>): Promise<T | null> =>
  guarded(allowed, null, work);

export const feedMessages = {
  lookup: (sender: Sender | undefined, keys: unknown): Promise<MatchedLabel[]> =>
    list(isFromExtension(sender) && Array.isArray(keys), () => lookupPageKeys(cacheDb(), keys as string[])),
  /**
   * The page index for a tab of `site` (sync/page-index.ts `siteIndex`), its entries in parts when
   * they are long; null when there is none (the tab then asks per key).
   */
  pageIndex: (sender: Sender | undefined, site?: unknown): Promise<PageIndexWire | null> =>
    orNull(isFromExtension(sender), async () => {
      const full = await pageIndex(cacheDb());
      return pageIndexHead(full && siteIndex(full, site));
    }),
  /** A part after the first of the entries of the page index `id` names; null when the index is another now. */
  pageIndexPart: (sender: Sender | undefined, data: unknown): Promise<string | null> =>
    orNull(isFromExtension(sender), async () => {
      const { id, part, site } = (data ?? {}) as { id?: unknown; part?: unknown; site?: unknown };
      const wire = await pageIndexById(cacheDb(), id, site);
      return wire && typeof part === 'number' && part > 0 ? pageIndexPart(wire, part) : null;
    }),
  listFeeds: (sender: Sender | undefined): Promise<FeedStatus[]> =>
    list(isFromExtensionPage(sender), () => listFeedStatus(cacheDb())),
  listDefinitions: (
    sender: Sender | undefined,
  ): Promise<{ feedId: string; feedName: string; definition: LabelDefinition }[]> =>
    list(isFromExtensionPage(sender), () => listDefinitions(cacheDb())),
  previewFeed: (sender: Sender | undefined, url: string): Promise<Reply<FeedPreview>> =>
    reply(sender, () => previewFeed(url)),
  subscribe: (
    sender: Sender | undefined,
    data: { url: string; keyFingerprint: string },
  ): Promise<Reply<FeedStatus>> => reply(sender, () => subscribe(data)),
  unsubscribe: (sender: Sender | undefined, feedId: string): Promise<Reply<null>> =>
    reply(sender, () => unsubscribe(feedId)),
  setFeedEnabled: (
    sender: Sender | undefined,
    data: { feedId: string; enabled: boolean },
  ): Promise<Reply<null>> => reply(sender, () => setFeedEnabled(data)),
  syncNow: (sender: Sender | undefined, feedId?: string): Promise<Reply<null>> =>
    reply(sender, () => syncNow(feedId)),
  clearCache: (sender: Sender | undefined): Promise<Reply<null>> => reply(sender, () => clearCache()),
};
