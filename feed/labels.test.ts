import { describe, expect, it } from 'vitest';
import { activeLabels, labelTarget, localize } from './labels';
import { exampleLabel } from './testing';
import type { Label } from './types';

const label = (i: number, extra: Partial<Label> = {}) => ({ ...exampleLabel(i), ...extra }) as Label;
const now = new Date('2026-03-01T12:00:00Z');

describe('activeLabels', () => {
  it('drops retractions together with the labels they retract', () => {
    const list = [label(1), label(2), label(2, { neg: true }), label(3)];
    expect(activeLabels(list, now).map((l) => l.id)).toEqual(['label-1', 'label-3']);
  });
  it('drops labels whose exp has passed, keeps those still running', () => {
    const list = [
      label(1, { exp: '2026-03-01T11:59:59Z' }),
      label(2, { exp: '2026-03-01T12:00:01Z' }),
      label(3),
    ];
    expect(activeLabels(list, now).map((l) => l.id)).toEqual(['label-2', 'label-3']);
  });
});

describe('labelTarget', () => {
  it('gives the one target of a label', () => {
    expect(labelTarget(label(1))).toEqual({ kind: 'account', value: 'https://x.com/user1' });
    const post = { ...label(1), account: undefined, post: 'https://x.com/u/status/1' };
    expect(labelTarget(post)).toEqual({ kind: 'post', value: 'https://x.com/u/status/1' });
    const link = { ...label(1), account: undefined, link: 'bad.example' };
    expect(labelTarget(link)).toEqual({ kind: 'link', value: 'bad.example' });
  });
});

describe('localize', () => {
  const text = { en: 'Suspended', de: 'Gesperrt', 'pt-BR': 'Suspensa' };
  it('picks the language, then its base language, then English, then the first', () => {
    expect(localize(text, 'de')).toBe('Gesperrt');
    expect(localize(text, 'de-AT')).toBe('Gesperrt');
    expect(localize(text, 'pt-br')).toBe('Suspensa');
    expect(localize(text, 'fr')).toBe('Suspended');
    expect(localize({ fr: 'Suspendu' }, 'de')).toBe('Suspendu');
  });
  it('returns plain strings as they are and undefined for nothing', () => {
    expect(localize('plain', 'de')).toBe('plain');
    expect(localize(undefined, 'de')).toBeUndefined();
  });
});
