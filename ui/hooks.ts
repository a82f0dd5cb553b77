/**
 * Preact hooks shared by the extension pages: a storage item's live value (watched, so a change
 * made anywhere shows at once) and the extension's own messages. Never polls storage.
 */
import { useEffect, useState } from 'preact/hooks';
import type { WxtStorageItem } from 'wxt/utils/storage';

/**
 * The item's value, `undefined` until it has been read; follows every later change. A change that
 * arrives before the first read answers wins over that read (which may hold the older value).
 */
export function useStorageItem<T>(item: WxtStorageItem<T, Record<string, unknown>>): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    let live = true;
    let changed = false;
    const unwatch = item.watch((v) => {
      changed = true;
      if (live) setValue(() => v);
    });
    item.getValue().then((v) => {
      if (live && !changed) setValue(() => v);
    });
    return () => {
      live = false;
      unwatch();
    };
  }, [item]);
  return value;
}
