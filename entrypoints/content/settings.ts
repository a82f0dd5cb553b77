/**
 * The reader's settings as the content script reads them: straight from `storage.local`, under the
 * keys and with the fallbacks of storage/settings.ts's items (settings.test.ts holds them equal), but
 * without @wxt-dev/storage, which would add 9 KB to the script every page loads. Same behaviour as
 * those items for what the content script does: a missing value reads as the fallback, a watch fires
 * only when the stored value really changed, and a write stores the value under its key.
 */
import { browser } from 'wxt/browser';
import type { LabelAction } from '../../feed/types';
import type { FeedStatus } from '../../messaging/protocol';
import type { SiteId } from '../../sites/types';
import type { AccountException } from '../../storage/exceptions';

export interface ContentSetting<T> {
  /** The `storage.local` key (storage/settings.ts's item key without `local:`). */
  key: string;
  fallback: T;
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
  /** Calls back with each new value (the fallback when removed); returns the unwatch. */
  watch(callback: (value: T) => void): () => void;
}

type Changes = Record<string, { newValue?: unknown; oldValue?: unknown }>;

function setting<T>(key: string, fallback: T): ContentSetting<T> {
  const area = (): typeof browser.storage.local => browser.storage.local;
  return {
    key,
    fallback,
    async getValue() {
      const stored = (await area().get(key))[key];
      return (stored ?? fallback) as T;
    },
    async setValue(value) {
      await area().set({ [key]: value ?? null });
    },
    watch(callback) {
      const listener = (changes: Changes): void => {
        const change = changes[key];
        if (!change || JSON.stringify(change.newValue) === JSON.stringify(change.oldValue)) return;
        callback((change.newValue ?? fallback) as T);
      };
      area().onChanged.addListener(listener);
      return () => area().onChanged.removeListener(listener);
    },
  };
}

export const enabledItem = setting<boolean>('enabled', true);
export const siteEnabledItem = setting<Partial<Record<SiteId, boolean>>>('siteEnabled', {});
export const labelActionsItem = setting<Record<string, LabelAction>>('labelActions', {});
export const accountExceptionsItem = setting<AccountException[]>('accountExceptions', []);
export const curatorModeItem = setting<boolean>('curatorMode', false);
export const feedStatusItem = setting<FeedStatus[]>('feedStatus', []);

/** What readAndWatch gives: the settings' values, and their later changes once asked for. */
export interface WatchedSettings<T> {
  /** Each setting's value: what its first read gave, or a change heard while the reads ran. */
  values: T;
  /**
   * Hands each later change to its setting's handler, starting with those heard since `values`
   * was made; returns the unwatch.
   */
  listen(handlers: { [K in keyof T]: (value: T[K]) => void }): () => void;
}

/**
 * Reads several settings, watching each of them BEFORE it is read: a change made while a page
 * loads (curator mode or a site switched on in the popup just then) is never lost between a read
 * and its watch. A change heard before the reads answered wins over what they gave (it is at least
 * as new); one heard after them waits for `listen`.
 */
export async function readAndWatch<T extends object>(
  items: {
    [K in keyof T]: ContentSetting<T[K]>;
  },
): Promise<WatchedSettings<T>> {
  const keys = Object.keys(items) as (keyof T)[];
  const heard = new Map<keyof T, unknown>();
  let queued: [keyof T, unknown][] | undefined;
  let handlers: { [K in keyof T]: (value: T[K]) => void } | undefined;
  const stops = keys.map((key) =>
    items[key].watch((value) => {
      if (handlers) handlers[key](value);
      else if (queued) queued.push([key, value]);
      else heard.set(key, value);
    }),
  );
  const unwatch = () => {
    for (const stop of stops) stop();
  };
  const read = await Promise.all(keys.map((key) => items[key].getValue())).catch((error: unknown) => {
    unwatch();
    throw error;
  });
  const values = {} as T;
  keys.forEach((key, i) => {
    values[key] = (heard.has(key) ? heard.get(key) : read[i]) as T[keyof T];
  });
  queued = [];
  return {
    values,
    listen(given) {
      handlers = given;
      for (const [key, value] of queued ?? []) given[key](value as T[keyof T]);
      queued = undefined;
      return unwatch;
    },
  };
}
