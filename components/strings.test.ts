import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { MARKS } from '../ui/i18n';
import { clearStrings, t, useTemplates } from './strings';

afterEach(() => clearStrings());

describe('the lens strings', () => {
  it('are filled in from the templates the background sent, without a look-up of their own', () => {
    const getMessage = vi.spyOn(browser.i18n, 'getMessage');
    useTemplates({ lensUndo: 'Rückgängig', lensBadgeMany: `${MARKS[1]} ← ${MARKS[0]}` });
    expect(t('lensUndo')).toBe('Rückgängig');
    expect(t('lensBadgeMany', 2, 'A, B')).toBe('A, B ← 2');
    expect(getMessage).not.toHaveBeenCalled();
    // A key the background did not send is looked up as before.
    expect(t('lensDispute')).toBe('Dispute this label');
    expect(getMessage).toHaveBeenCalledTimes(1);
  });

  it('are looked up in the browser when no templates came', () => {
    useTemplates(undefined);
    expect(t('lensBadgeOne', 'Suspended')).toBe('Context label: Suspended');
  });
});
