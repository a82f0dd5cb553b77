/**
 * What a set of labels means at a moment: retractions and expiry applied, targets and localised
 * texts read. Pure helpers for lookups; never stores or fetches anything.
 */
import type { Label, LocalizedText, TargetKind } from './types';
import { isoTime } from './validate';

/**
 * The labels in force at `now`: drops retractions (`neg: true`) together with every label of the
 * same id they retract, and labels whose `exp` has passed.
 */
export function activeLabels(labels: readonly Label[], now: Date): Label[] {
  const retracted = new Set<string>();
  for (const label of labels) if (label.neg === true) retracted.add(label.id);
  const time = now.getTime();
  return labels.filter((label) => {
    if (retracted.has(label.id)) return false;
    if (label.exp !== undefined) {
      const exp = isoTime(label.exp);
      if (exp !== null && exp < time) return false;
    }
    return true;
  });
}

/** The one target of a label. */
export function labelTarget(label: Label): { kind: TargetKind; value: string } {
  if (label.account !== undefined) return { kind: 'account', value: label.account };
  if (label.post !== undefined) return { kind: 'post', value: label.post };
  return { kind: 'link', value: label.link ?? '' };
}

/**
 * The text for `lang` (`pt-BR` falls back to `pt`), else English, else the first language given.
 * A plain string is the same in every language.
 */
export function localize(text: string | LocalizedText | undefined, lang: string): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  const wanted = lang.toLowerCase();
  const keys = Object.keys(text);
  const exact = keys.find((k) => k.toLowerCase() === wanted);
  if (exact) return text[exact];
  const base = wanted.split('-')[0];
  const byBase = keys.find((k) => k.toLowerCase() === base);
  if (byBase) return text[byBase];
  if (text.en !== undefined) return text.en;
  const first = keys[0];
  return first === undefined ? undefined : text[first];
}
