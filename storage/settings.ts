/**
 * Reader settings as typed WXT storage items, shared by the content script, popup, options page
 * and background. Every item has a version; a change of shape adds a migration and its test.
 * Content scripts watch these and unwatch when their ctx ends.
 */
import { storage } from 'wxt/utils/storage';
import type { FeedManifest, LabelAction, LabelDefinition } from '../feed/types';
import type { FeedStatus } from '../messaging/protocol';
import type { SiteId } from '../sites/types';
import type { AccountException } from './exceptions';

export type { AccountException } from './exceptions';

/** Global on/off. */
export const enabledItem = storage.defineItem<boolean>('local:enabled', { fallback: true, version: 1 });

/** Per-site on/off; a site missing from the record is on. */
export const siteEnabledItem = storage.defineItem<Partial<Record<SiteId, boolean>>>('local:siteEnabled', {
  fallback: {},
  version: 1,
});

/** The reader's choice per label definition, keyed `${feedId} ${definitionId}`; missing = the feed's default. */
export const labelActionsItem = storage.defineItem<Record<string, LabelAction>>('local:labelActions', {
  fallback: {},
  version: 1,
});

export { labelActionKey } from './label-actions';

/** The reader's exceptions, newest first; content scripts watch it, so open tabs change at once. */
export const accountExceptionsItem = storage.defineItem<AccountException[]>('local:accountExceptions', {
  fallback: [],
  version: 1,
});

/** Mastodon-compatible instances the reader enabled (hostnames), beyond the built-in ones. */
export const mastodonHostsItem = storage.defineItem<string[]>('local:mastodonHosts', {
  fallback: [],
  version: 1,
});

/** Curator mode: context-menu items and "Label…" buttons. Off by default. */
export const curatorModeItem = storage.defineItem<boolean>('local:curatorMode', {
  fallback: false,
  version: 1,
});

/** A label the curator drafted while browsing, in the feed source's label shape. */
export interface DraftLabel {
  id: string;
  kind: 'account' | 'post' | 'link';
  target: string;
  val: string;
  note?: string;
  sources: { url: string; title?: string }[];
  since?: string;
  until?: string;
  cts: string;
}

/**
 * The curator's draft feed: its fields and definitions (edited in the options page) and the labels
 * collected while browsing. Exported as a JSON source that `context-lens-feed build` accepts.
 */
export interface CuratorDraft {
  feed: Pick<FeedManifest, 'id' | 'name' | 'publisher' | 'homepage' | 'description' | 'appeals'>;
  definitions: LabelDefinition[];
  labels: DraftLabel[];
}

export const curatorDraftItem = storage.defineItem<CuratorDraft | null>('local:curatorDraft', {
  fallback: null,
  version: 1,
});

/**
 * The background's mirror of every feed's state (including sync progress), so the popup and the
 * options page can watch it without polling and without waking the service worker.
 */
export const feedStatusItem = storage.defineItem<FeedStatus[]>('local:feedStatus', {
  fallback: [],
  version: 1,
});
