import { describe, expect, it } from 'vitest';
import messages from '../public/_locales/en/messages.json';
import { lensTemplates, MARKS } from './i18n';

describe('lensTemplates', () => {
  it('gives every message of the lens, its substitutions as marks, and no other message', () => {
    const templates = lensTemplates();
    const lensKeys = Object.keys(messages).filter((key) => key.startsWith('lens') || key === 'close');
    expect(Object.keys(templates).sort()).toEqual(lensKeys.sort());
    expect(templates.close).toBe('Close');
    expect(templates.lensUndo).toBe('Undo');
    expect(templates.lensBadgeOne).toBe(`Context label: ${MARKS[0]}`);
    expect(templates.lensBadgeMany).toBe(`Context labels: ${MARKS[0]} — ${MARKS[1]}`);
  });
});
