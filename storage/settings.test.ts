import { describe, expect, it } from 'vitest';
import { enabledItem, feedStatusItem, labelActionKey, labelActionsItem } from './settings';

describe('settings items', () => {
  it('start from their documented defaults', async () => {
    expect(await enabledItem.getValue()).toBe(true);
    expect(await labelActionsItem.getValue()).toEqual({});
    expect(await feedStatusItem.getValue()).toEqual([]);
  });

  it('keep a per-definition action keyed by feed and definition', async () => {
    await labelActionsItem.setValue({ [labelActionKey('https://f.example/feed.json', 'suspended')]: 'hide' });
    expect(await labelActionsItem.getValue()).toEqual({ 'https://f.example/feed.json suspended': 'hide' });
  });
});
