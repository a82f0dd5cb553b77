import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import * as items from '../../storage/settings';
import * as content from './settings';

beforeEach(() => {
  fakeBrowser.reset();
});

const PAIRS = [
  [content.enabledItem, items.enabledItem],
  [content.siteEnabledItem, items.siteEnabledItem],
  [content.labelActionsItem, items.labelActionsItem],
  [content.accountExceptionsItem, items.accountExceptionsItem],
  [content.curatorModeItem, items.curatorModeItem],
  [content.feedStatusItem, items.feedStatusItem],
] as const;

describe("the content script's settings", () => {
  it("use storage/settings.ts's keys and fallbacks", () => {
    for (const [mine, theirs] of PAIRS) {
      expect(`local:${mine.key}`).toBe(theirs.key);
      expect(mine.fallback).toEqual(theirs.fallback);
    }
  });

  it('read what the storage items wrote, and the fallback when nothing is stored', async () => {
    expect(await content.enabledItem.getValue()).toBe(true);
    await items.enabledItem.setValue(false);
    await items.labelActionsItem.setValue({ 'feed state-media': 'hide' });
    expect(await content.enabledItem.getValue()).toBe(false);
    expect(await content.labelActionsItem.getValue()).toEqual({ 'feed state-media': 'hide' });
    await items.enabledItem.removeValue();
    expect(await content.enabledItem.getValue()).toBe(true);
  });

  it('write what the storage items read', async () => {
    const exception = { account: 'account:x:jack', added: '2026-01-01T00:00:00.000Z' };
    await content.accountExceptionsItem.setValue([exception]);
    expect(await items.accountExceptionsItem.getValue()).toEqual([exception]);
  });

  it('are watched: each real change once, the fallback on removal, until unwatched', async () => {
    const seen: boolean[] = [];
    const unwatch = content.curatorModeItem.watch((value) => seen.push(value));
    await items.curatorModeItem.setValue(true);
    await items.curatorModeItem.setValue(true);
    await items.curatorModeItem.removeValue();
    await items.enabledItem.setValue(false);
    unwatch();
    await items.curatorModeItem.setValue(true);
    expect(seen).toEqual([true, false]);
  });
});

describe('readAndWatch', () => {
  const watched = () =>
    content.readAndWatch({ curatorMode: content.curatorModeItem, enabled: content.enabledItem });

  it('keeps a change made while the settings are read (it was lost between the read and the watch)', async () => {
    const reading = watched();
    // The reads have been asked (and answered from the old values); the change lands before
    // the script hears their answers, as when curator mode is switched on while a page loads.
    await items.curatorModeItem.setValue(true);
    const { values, listen } = await reading;
    expect(values).toEqual({ curatorMode: true, enabled: true });
    const seen: unknown[] = [];
    const unwatch = listen({
      curatorMode: (value) => seen.push(['curatorMode', value]),
      enabled: (value) => seen.push(['enabled', value]),
    });
    await items.enabledItem.setValue(false);
    expect(seen).toEqual([['enabled', false]]);
    unwatch();
  });

  it('hands changes heard before listen() to the handlers in order, then the later ones; none after unwatch', async () => {
    const { values, listen } = await watched();
    expect(values).toEqual({ curatorMode: false, enabled: true });
    await items.curatorModeItem.setValue(true);
    await items.enabledItem.setValue(false);
    const seen: unknown[] = [];
    const unwatch = listen({
      curatorMode: (value) => seen.push(['curatorMode', value]),
      enabled: (value) => seen.push(['enabled', value]),
    });
    expect(seen).toEqual([
      ['curatorMode', true],
      ['enabled', false],
    ]);
    await items.curatorModeItem.setValue(false);
    unwatch();
    await items.enabledItem.setValue(true);
    expect(seen).toEqual([
      ['curatorMode', true],
      ['enabled', false],
      ['curatorMode', false],
    ]);
  });
});
