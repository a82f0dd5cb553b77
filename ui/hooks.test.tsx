// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { WxtStorageItem } from 'wxt/utils/storage';
import { useStorageItem } from './hooks';

afterEach(cleanup);

/** A storage item whose first read answers only when the test says, with what it read then. */
function slowItem(initial: string) {
  const watchers = new Set<(value: string) => void>();
  let answer: (value: string) => void = () => {};
  const item = {
    getValue: () =>
      new Promise<string>((resolve) => {
        answer = resolve;
      }),
    watch(callback: (value: string) => void) {
      watchers.add(callback);
      return () => watchers.delete(callback);
    },
  } as unknown as WxtStorageItem<string, Record<string, unknown>>;
  return {
    item,
    answerRead: () => answer(initial),
    change: (value: string) => {
      for (const watcher of watchers) watcher(value);
    },
  };
}

function Shown({ item }: { item: WxtStorageItem<string, Record<string, unknown>> }) {
  return <p>{useStorageItem(item) ?? 'unread'}</p>;
}

describe('useStorageItem', () => {
  it('shows the read value, then every change', async () => {
    const { item, answerRead, change } = slowItem('first');
    render(<Shown item={item} />);
    expect(screen.getByText('unread')).toBeTruthy();
    answerRead();
    await waitFor(() => expect(screen.getByText('first')).toBeTruthy());
    change('second');
    await waitFor(() => expect(screen.getByText('second')).toBeTruthy());
  });

  it('keeps a change made while the first read was on its way over that read’s older value', async () => {
    const { item, answerRead, change } = slowItem('old');
    render(<Shown item={item} />);
    change('new');
    await waitFor(() => expect(screen.getByText('new')).toBeTruthy());
    answerRead();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(screen.getByText('new')).toBeTruthy();
  });
});
