import { describe, expect, it, vi } from 'vitest';
import { matchedLabel } from '../components/testLabels';
import type { MatchedLabel } from '../messaging/protocol';
import type { KeyIndex } from './keyIndex';
import { LookupCache, MAX_KEYS_PER_MESSAGE } from './lookupCache';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('LookupCache', () => {
  it('asks for unknown keys in one message and remembers keys that matched nothing', async () => {
    const label = matchedLabel({ key: 'account:x:a' });
    const ask = vi.fn(async (_keys: string[]) => [label]);
    const cache = new LookupCache(ask);
    expect(await cache.fetch(['account:x:a', 'account:x:b', 'account:x:a'])).toBe(true);
    expect(ask).toHaveBeenCalledTimes(1);
    expect(ask).toHaveBeenCalledWith(['account:x:a', 'account:x:b']);
    expect(cache.get('account:x:a')).toEqual([label]);
    expect(cache.get('account:x:b')).toEqual([]);
    expect(cache.knows(['account:x:a', 'account:x:b'])).toBe(true);
    expect(cache.get('account:x:c')).toBeUndefined();

    await cache.fetch(['account:x:b', 'account:x:c']);
    expect(ask).toHaveBeenCalledTimes(2);
    expect(ask).toHaveBeenLastCalledWith(['account:x:c']);
    await cache.fetch(['account:x:a', 'account:x:c']);
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('does not ask again for a key already on its way, and waits for it', async () => {
    const first = deferred<MatchedLabel[]>();
    const ask = vi.fn((keys: string[]) => (keys.includes('k1') ? first.promise : Promise.resolve([])));
    const cache = new LookupCache(ask);
    const a = cache.fetch(['k1']);
    let bDone = false;
    const b = cache.fetch(['k1', 'k2']).then((ok) => {
      bDone = true;
      return ok;
    });
    expect(ask).toHaveBeenCalledTimes(2);
    expect(ask).toHaveBeenLastCalledWith(['k2']);
    await Promise.resolve();
    expect(bDone).toBe(false);
    first.resolve([matchedLabel({ key: 'k1' })]);
    expect(await a).toBe(true);
    expect(await b).toBe(true);
    expect(cache.get('k1')).toHaveLength(1);
  });

  it('reports a failed answer and lets the keys be asked again', async () => {
    const ask = vi.fn().mockRejectedValueOnce(new Error('no receiver')).mockResolvedValueOnce([]);
    const cache = new LookupCache(ask);
    expect(await cache.fetch(['k'])).toBe(false);
    expect(cache.knows(['k'])).toBe(false);
    expect(await cache.fetch(['k'])).toBe(true);
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('forgets everything on clear, and drops answers to questions asked before it', async () => {
    const pending = deferred<MatchedLabel[]>();
    const ask = vi.fn().mockReturnValueOnce(pending.promise).mockResolvedValue([]);
    const cache = new LookupCache(ask);
    const before = cache.fetch(['k']);
    cache.clear();
    pending.resolve([matchedLabel({ key: 'k' })]);
    await before;
    expect(cache.get('k')).toBeUndefined();
    await cache.fetch(['k']);
    expect(cache.get('k')).toEqual([]);
  });

  it('splits a batch larger than one message may carry', async () => {
    const ask = vi.fn(async (_keys: string[]) => [] as MatchedLabel[]);
    const cache = new LookupCache(ask);
    const keys = Array.from({ length: MAX_KEYS_PER_MESSAGE * 2 + 1 }, (_, i) => `account:x:u${i}`);
    expect(await cache.fetch(keys)).toBe(true);
    expect(ask.mock.calls.map(([asked]) => asked.length)).toEqual([
      MAX_KEYS_PER_MESSAGE,
      MAX_KEYS_PER_MESSAGE,
      1,
    ]);
    expect(cache.knows(keys)).toBe(true);
  });
});

describe('LookupCache with the page index', () => {
  const labelled = matchedLabel({ key: 'account:x:a' });
  /** An index that has `labelled` for account:x:a and nothing else (as lens/keyIndex.ts answers). */
  function fakeIndex(usable = true): KeyIndex {
    return {
      usable: () => usable,
      labels: (key: string) =>
        key === 'account:x:a'
          ? [{ ...labelled, labelId: '#0', sources: [], note: undefined, brief: true as const }]
          : key === 'account:x:shared'
            ? null
            : [],
    } as unknown as KeyIndex;
  }

  it('answers from the index at once, then asks only for the wanted labelled keys and completes them in place', async () => {
    const ask = vi.fn(async (_keys: string[]) => [labelled]);
    const cache = new LookupCache(ask);
    cache.setIndex(fakeIndex());
    expect(cache.answers(['account:x:a', 'account:x:b'])).toBe(true);
    const drawn = cache.get('account:x:a')?.[0];
    expect(drawn?.brief).toBe(true);
    expect(cache.get('account:x:b')).toEqual([]);
    expect(ask).not.toHaveBeenCalled();
    // Keys without brief labels are not asked.
    expect(await cache.completeBrief(['account:x:b', 'account:x:c'])).toEqual(new Set());
    expect(ask).not.toHaveBeenCalled();
    expect(await cache.completeBrief(['account:x:a', 'account:x:b'])).toEqual(new Set());
    expect(ask).toHaveBeenCalledWith(['account:x:a']);
    // The same object, now with the evidence.
    expect(cache.get('account:x:a')?.[0]).toBe(drawn);
    expect(drawn).toEqual(labelled);
    expect(await cache.completeBrief(['account:x:a'])).toEqual(new Set());
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('replaces brief labels the background does not confirm, and asks again after a failure', async () => {
    const ask = vi.fn(async (_keys: string[]): Promise<MatchedLabel[]> => {
      throw new Error('gone');
    });
    const cache = new LookupCache(ask);
    cache.setIndex(fakeIndex());
    cache.answers(['account:x:a']);
    expect(await cache.completeBrief(['account:x:a'])).toBeNull();
    ask.mockResolvedValueOnce([]);
    expect(await cache.completeBrief(['account:x:a'])).toEqual(new Set(['account:x:a']));
    expect(cache.get('account:x:a')).toEqual([]);
  });

  it('asks the background for a key the index cannot tell from another (its hash shared)', async () => {
    const shared = matchedLabel({ key: 'account:x:shared' });
    const ask = vi.fn(async (_keys: string[]) => [shared]);
    const cache = new LookupCache(ask);
    cache.setIndex(fakeIndex());
    expect(cache.answers(['account:x:a', 'account:x:shared'])).toBe(false);
    expect(cache.get('account:x:shared')).toBeUndefined();
    expect(await cache.fetch(['account:x:a', 'account:x:shared'])).toBe(true);
    expect(ask).toHaveBeenCalledWith(['account:x:shared']);
    expect(cache.get('account:x:shared')).toEqual([shared]);
    expect(cache.answers(['account:x:a', 'account:x:shared'])).toBe(true);
  });

  it('does not use an index that is out of date, or that clear() dropped', () => {
    const cache = new LookupCache(vi.fn(async () => []));
    cache.setIndex(fakeIndex(false));
    expect(cache.indexed()).toBe(false);
    expect(cache.answers(['account:x:a'])).toBe(false);
    cache.setIndex(fakeIndex());
    cache.clear();
    expect(cache.answers(['account:x:a'])).toBe(false);
  });
});
