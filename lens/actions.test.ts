import { describe, expect, it } from 'vitest';
import { matchedLabel } from '../components/testLabels';
import { labelActionKey } from '../storage/settings';
import { bySeverity, highestSeverity, labelAction, strongestAction } from './actions';

describe('labelAction', () => {
  const label = matchedLabel({ definition: { defaultAction: 'warn' } });
  it("uses the feed's default action unless the reader chose another for that definition", () => {
    expect(labelAction(label, {})).toBe('warn');
    expect(labelAction(label, { [labelActionKey(label.feedId, 'account-suspended')]: 'hide' })).toBe('hide');
    expect(labelAction(label, { [labelActionKey(label.feedId, 'account-suspended')]: 'off' })).toBe('off');
    // A choice for the same definition id in another feed does not apply.
    expect(
      labelAction(label, {
        [labelActionKey('https://other.example/feed.json', 'account-suspended')]: 'hide',
      }),
    ).toBe('warn');
  });
});

describe('strongestAction', () => {
  it.each([
    [[], 'off'],
    [['badge'], 'badge'],
    [['badge', 'warn'], 'warn'],
    [['warn', 'hide', 'badge'], 'hide'],
    [['off', 'badge'], 'badge'],
  ] as const)('%j → %s', (actions, expected) => {
    expect(strongestAction(actions)).toBe(expected);
  });
});

describe('severity', () => {
  it('orders labels most severe first, keeping order among equals', () => {
    const info = matchedLabel({ labelId: 'a', definition: { severity: 'info' } });
    const alert = matchedLabel({ labelId: 'b', definition: { severity: 'alert' } });
    const caution = matchedLabel({ labelId: 'c', definition: { severity: 'caution' } });
    const info2 = matchedLabel({ labelId: 'd', definition: { severity: 'info' } });
    expect(bySeverity([info, alert, caution, info2]).map((l) => l.labelId)).toEqual(['b', 'c', 'a', 'd']);
    expect(highestSeverity([info, caution])).toBe('caution');
    expect(highestSeverity([])).toBe('info');
  });
});
