// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { matchedLabel } from '../components/testLabels';
import type { MatchedLabel } from '../messaging/protocol';
import { labelActionKey } from '../storage/settings';
import { decide } from './decide';
import type { Slot } from './slots';

const post = document.createElement('article');
const quoted = document.createElement('div');
const name = document.createElement('a');
const link = document.createElement('a');
const quotedName = document.createElement('a');

const suspended = matchedLabel({ key: 'account:x:a', labelId: 's1' });
const media = matchedLabel({
  key: 'account:x:a',
  labelId: 'm1',
  definition: { id: 'state-media', title: { en: 'State media' }, severity: 'info', defaultAction: 'badge' },
});
const hosting = matchedLabel({
  key: 'link:domain:parler.com',
  labelId: 'h1',
  definition: {
    id: 'hosting-terminated',
    title: { en: 'Hosting terminated' },
    severity: 'caution',
    defaultAction: 'warn',
  },
});
const removed = matchedLabel({
  key: 'post:x:1',
  labelId: 'r1',
  definition: { id: 'post-removed', title: { en: 'Post removed' }, severity: 'alert', defaultAction: 'hide' },
});

function slot(anchor: Element, keys: string[], scope: Element = post): Slot {
  return { kind: 'author', scope, anchor, append: 'after', keys };
}

function labels(table: Record<string, MatchedLabel[]>) {
  return (key: string) => table[key];
}

const noSettings = { actions: {}, curatorMode: false };

describe('decide', () => {
  it('gives each slot with labels one badge, most severe first, with the DOM contract attributes', () => {
    const decision = decide(
      { slots: [slot(name, ['account:x:a', 'post:x:9']), slot(link, ['link:url:x'])] },
      labels({ 'account:x:a': [media, suspended] }),
      noSettings,
      'en',
    );
    expect(decision.badges).toHaveLength(1);
    const [badge] = decision.badges;
    expect(badge?.anchor).toBe(name);
    expect(badge?.labels.map((l) => l.labelId)).toEqual(['s1', 'm1']);
    expect(badge?.severity).toBe('alert');
    expect(badge?.attrs).toEqual({
      'data-labels': 'account-suspended state-media',
      'data-targets': 'account:x:a',
    });
    expect(decision.labelsShown).toBe(2);
    expect(decision.covers).toEqual([]);
  });

  it('drops labels the reader switched off and shows a label matched by two keys once', () => {
    const decision = decide(
      { slots: [slot(name, ['account:x:a', 'account:x:b'])] },
      labels({ 'account:x:a': [suspended, media], 'account:x:b': [suspended] }),
      { actions: { [labelActionKey(media.feedId, 'state-media')]: 'off' }, curatorMode: false },
      'en',
    );
    expect(decision.badges.map((b) => b.labels.map((l) => l.labelId))).toEqual([['s1']]);
    expect(decision.labelsShown).toBe(1);
  });

  it('covers each scope with its strongest action, named by the labels that asked for it', () => {
    const decision = decide(
      {
        slots: [
          slot(name, ['account:x:a', 'post:x:1']),
          slot(link, ['link:domain:parler.com']),
          slot(quotedName, ['link:domain:parler.com'], quoted),
        ],
      },
      labels({ 'account:x:a': [suspended], 'post:x:1': [removed], 'link:domain:parler.com': [hosting] }),
      noSettings,
      'en',
    );
    expect(decision.covers).toEqual([
      { scope: post, action: 'hide', titles: ['Post removed'], severity: 'alert' },
      { scope: quoted, action: 'warn', titles: ['Hosting terminated'], severity: 'caution' },
    ]);
    // The reader's choice overrides the feed's default: the hidden post becomes a badge only.
    const relaxed = decide(
      { slots: [slot(name, ['post:x:1'])] },
      labels({ 'post:x:1': [removed] }),
      { actions: { [labelActionKey(removed.feedId, 'post-removed')]: 'badge' }, curatorMode: false },
      'en',
    );
    expect(relaxed.covers).toEqual([]);
    expect(relaxed.badges).toHaveLength(1);
  });

  it('puts a curator button beside the author only in curator mode', () => {
    const author = { url: 'https://x.com/a', anchor: name };
    expect(decide({ slots: [], author }, labels({}), noSettings, 'en').curator).toBeUndefined();
    expect(decide({ slots: [], author }, labels({}), { actions: {}, curatorMode: true }, 'en').curator).toBe(
      author,
    );
  });

  it('leaves out what the reader hid beside an account ("Not on this account"), only there', () => {
    const table = labels({ 'account:x:a': [suspended, media], 'link:domain:parler.com': [hosting] });
    const author: Slot = { ...slot(name, ['account:x:a']), account: 'account:x:a' };
    const other: Slot = { ...slot(quotedName, ['account:x:a'], quoted), kind: 'link' };
    const one = {
      account: 'account:x:a',
      label: { feedId: suspended.feedId, labelId: 's1', title: 'x' },
      added: '',
    };
    const hidOne = decide({ slots: [author, other] }, table, { ...noSettings, exceptions: [one] }, 'en');
    expect(hidOne.badges.map((b) => b.labels.map((l) => l.labelId))).toEqual([['m1'], ['s1', 'm1']]);
    expect(hidOne.badges[0]?.account).toBe('account:x:a');

    const all = { account: 'account:x:a', added: '' };
    const hidAll = decide({ slots: [author] }, table, { ...noSettings, exceptions: [all] }, 'en');
    expect(hidAll.badges).toEqual([]);
    const elsewhere = { account: 'account:x:b', added: '' };
    expect(
      decide({ slots: [author] }, table, { ...noSettings, exceptions: [elsewhere] }, 'en').badges,
    ).toHaveLength(1);

    // Just hidden in this tab: an empty badge stays to offer Undo.
    const undo = decide(
      { slots: [author] },
      table,
      { ...noSettings, exceptions: [all], undoable: all },
      'en',
    );
    expect(undo.badges).toMatchObject([{ labels: [], undo: all, attrs: { 'data-labels': '' } }]);
    expect(undo.labelsShown).toBe(0);
  });
});
