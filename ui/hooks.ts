/**
 * Preact hooks shared by the extension pages: a storage item's live value (watched, so a change
 * made anywhere shows at once) and the extension's own messages. Never polls storage.
 */
import { useEffect, useState } from 'preact/hooks';
import type { WxtStorageItem } from 'wxt/utils/storage';

/** The item's value, `undefined` until it has been read; follows every later change. */
export function useStorageItem<T>(item: WxtStorageItem<T, Record<string, unknown>>): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    let live = true;
    item.getValue().then((v) => {
      if (live) setValue(() => v);
    });
    const unwatch = item.watch((v) => {
      if (live) setValue(() => v);
    });
    return () => {
      live = false;
      unwatch();
    };
  }, [item]);
  return value;
}
