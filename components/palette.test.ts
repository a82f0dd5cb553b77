import { describe, expect, it } from 'vitest';
import { PALETTE, relativeLuminance } from './palette';

function rgb(hex: string): number[] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function contrast(a: string, b: string): number {
  const [la, lb] = [relativeLuminance(rgb(a)), relativeLuminance(rgb(b))].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (la + 0.05) / (lb + 0.05);
}

describe('PALETTE', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`${theme}: badge and cover text meets WCAG AA (4.5:1) for every severity`, () => {
      for (const swatch of Object.values(PALETTE[theme].severity)) {
        expect(contrast(swatch.text, swatch.background)).toBeGreaterThanOrEqual(4.5);
      }
    });
    it(`${theme}: panel text, muted text and links meet WCAG AA`, () => {
      const panel = PALETTE[theme].panel;
      expect(contrast(panel.text, panel.background)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(panel.muted, panel.background)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(panel.link, panel.background)).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('badges stand out from the page: light badges are light, dark badges are dark', () => {
    for (const swatch of Object.values(PALETTE.light.severity))
      expect(relativeLuminance(rgb(swatch.background))).toBeGreaterThan(0.6);
    for (const swatch of Object.values(PALETTE.dark.severity))
      expect(relativeLuminance(rgb(swatch.background))).toBeLessThan(0.1);
  });
});
