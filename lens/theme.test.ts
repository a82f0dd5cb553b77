// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { pageTheme, parseRgb, themeFromBackgrounds } from './theme';

describe('themeFromBackgrounds', () => {
  it.each([
    [['rgb(255, 255, 255)'], false, 'light'],
    [['rgb(0, 0, 0)'], false, 'dark'],
    [['rgb(21, 32, 43)'], false, 'dark'], // X "dim"
    [['rgb(247, 249, 249)'], true, 'light'],
    [['rgba(0, 0, 0, 0)', 'rgb(0, 0, 0)'], false, 'dark'], // transparent body, dark html
    [['rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)'], true, 'dark'], // nothing painted: the reader's preference
    [['transparent'], false, 'light'],
  ] as const)('%j (prefers dark: %s) → %s', (backgrounds, prefersDark, theme) => {
    expect(themeFromBackgrounds(backgrounds, prefersDark)).toBe(theme);
  });

  it('parses computed colours', () => {
    expect(parseRgb('rgba(1, 2, 3, 0.5)')).toEqual([1, 2, 3, 0.5]);
    expect(parseRgb('rgb(1 2 3 / 50%)')).toEqual([1, 2, 3, 0.5]);
    expect(parseRgb('red')).toBeNull();
  });
});

describe('pageTheme', () => {
  it('reads the page background', () => {
    document.body.style.backgroundColor = 'rgb(0, 0, 0)';
    expect(pageTheme(document)).toBe('dark');
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    expect(pageTheme(document)).toBe('light');
  });
});
