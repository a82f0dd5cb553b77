/**
 * Colours of badges, covers and the details panel per page theme and label severity. Kept as data
 * (not only CSS) so a test can check every pair meets WCAG AA contrast on light and dark pages.
 */
import type { Severity } from '../feed/types';

/** Light or dark page (lens/theme.ts reads it from the page). */
export type Theme = 'light' | 'dark';

/** WCAG relative luminance of an sRGB colour (0 black … 1 white). */
export function relativeLuminance([r, g, b]: readonly [number, number, number] | readonly number[]): number {
  const channel = (value: number): number => {
    const c = (value ?? 0) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r ?? 0) + 0.7152 * channel(g ?? 0) + 0.0722 * channel(b ?? 0);
}

export interface Swatch {
  background: string;
  text: string;
  border: string;
}

export interface ThemePalette {
  severity: Record<Severity, Swatch>;
  panel: { background: string; text: string; muted: string; link: string; border: string };
}

export const PALETTE: Record<Theme, ThemePalette> = {
  light: {
    severity: {
      info: { background: '#e7efff', text: '#153e84', border: '#7d9fd8' },
      caution: { background: '#fff1d6', text: '#6b3a00', border: '#d9a24a' },
      alert: { background: '#fde7e9', text: '#8f0f1b', border: '#e0808a' },
    },
    panel: { background: '#ffffff', text: '#1f2328', muted: '#57606a', link: '#0b57d0', border: '#c9ced6' },
  },
  dark: {
    severity: {
      info: { background: '#1b3561', text: '#d8e5ff', border: '#5b80c2' },
      caution: { background: '#4a3100', text: '#ffe4b8', border: '#a87b2c' },
      alert: { background: '#5e1219', text: '#ffd9dc', border: '#b8505a' },
    },
    panel: { background: '#1e2227', text: '#e8eaed', muted: '#aeb6bf', link: '#8ab4f8', border: '#4a525c' },
  },
};

/** CSS custom properties for a theme and severity, set inline on a component's root. */
export function paletteVars(theme: Theme, severity: Severity): Record<string, string> {
  const palette = PALETTE[theme];
  const swatch = palette.severity[severity];
  return {
    '--cl-bg': swatch.background,
    '--cl-fg': swatch.text,
    '--cl-border': swatch.border,
    '--cl-panel-bg': palette.panel.background,
    '--cl-panel-fg': palette.panel.text,
    '--cl-panel-muted': palette.panel.muted,
    '--cl-panel-link': palette.panel.link,
    '--cl-panel-border': palette.panel.border,
  };
}

/**
 * The same colours as stylesheet rules keyed by `data-theme` and `data-severity` (added to the
 * lens's one stylesheet): badges and panels carry only the two attributes, so every badge of a
 * theme and severity shares one set of declarations instead of an inline style of its own.
 */
export function paletteCss(): string {
  const rules: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    const palette = PALETTE[theme];
    const panel = paletteVars(theme, 'info');
    rules.push(
      `[data-theme="${theme}"] { ${Object.entries(panel)
        .filter(([name]) => name.startsWith('--cl-panel'))
        .map(([name, value]) => `${name}: ${value};`)
        .join(' ')} }`,
    );
    for (const severity of Object.keys(palette.severity) as Severity[]) {
      const swatch = palette.severity[severity];
      rules.push(
        `[data-theme="${theme}"][data-severity="${severity}"] { --cl-bg: ${swatch.background}; --cl-fg: ${swatch.text}; --cl-border: ${swatch.border}; }`,
      );
    }
  }
  return rules.join('\n');
}
