/**
 * Light or dark: read from the page's own background colour (what the reader sees), and from
 * prefers-color-scheme when the page paints none. Pure but for `pageTheme`, which reads computed
 * styles once (at start and after navigation, never in the observer's hot path).
 */

import { relativeLuminance, type Theme } from '../components/palette';

export type { Theme };

/** [r, g, b, a] of a CSS rgb()/rgba() colour (as getComputedStyle gives it), or null. */
export function parseRgb(color: string): [number, number, number, number] | null {
  const match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/i.exec(
    color.trim(),
  );
  if (!match) return null;
  const alphaText = match[4];
  let alpha = 1;
  if (alphaText !== undefined)
    alpha = alphaText.endsWith('%') ? Number.parseFloat(alphaText) / 100 : Number(alphaText);
  return [Number(match[1]), Number(match[2]), Number(match[3]), alpha];
}

/**
 * The theme of the first opaque colour among `backgrounds` (innermost first: body, then html), else
 * the reader's preference.
 */
export function themeFromBackgrounds(backgrounds: readonly string[], prefersDark: boolean): Theme {
  for (const background of backgrounds) {
    const rgb = parseRgb(background);
    if (!rgb || rgb[3] < 0.5) continue;
    return relativeLuminance(rgb) < 0.2 ? 'dark' : 'light';
  }
  return prefersDark ? 'dark' : 'light';
}

export function pageTheme(doc: Document): Theme {
  const view = doc.defaultView;
  if (!view) return 'light';
  const backgrounds = [doc.body, doc.documentElement]
    .filter((el): el is HTMLElement => el != null)
    .map((el) => view.getComputedStyle(el).backgroundColor);
  const prefersDark = view.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  return themeFromBackgrounds(backgrounds, prefersDark);
}
