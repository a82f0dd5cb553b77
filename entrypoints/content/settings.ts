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
