/**
 * What a set of labels means at a moment: retractions and expiry applied, targets and localised
 * texts read. Pure helpers for lookups; never stores or fetches anything.
 */
import type { Label, TargetKind } from './types';
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

export { localize } from './localize';
