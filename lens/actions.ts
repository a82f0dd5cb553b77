/**
 * What each label does on the page: the reader's choice for its definition, else the feed's default;
 * and, for a post with several labels, the strongest (hide > warn > badge > off). Pure.
 */
import type { LabelAction, Severity } from '../feed/types';
import type { MatchedLabel } from '../messaging/protocol';
import { labelActionKey } from '../storage/label-actions';

const STRENGTH: Record<LabelAction, number> = { off: 0, badge: 1, warn: 2, hide: 3 };
const SEVERITY: Record<Severity, number> = { info: 0, caution: 1, alert: 2 };

export function labelAction(
  label: MatchedLabel,
  overrides: Readonly<Record<string, LabelAction>>,
): LabelAction {
  return overrides[labelActionKey(label.feedId, label.definition.id)] ?? label.definition.defaultAction;
}

export function strongestAction(actions: Iterable<LabelAction>): LabelAction {
  let best: LabelAction = 'off';
  for (const action of actions) if (STRENGTH[action] > STRENGTH[best]) best = action;
  return best;
}

export function highestSeverity(labels: readonly MatchedLabel[]): Severity {
  let best: Severity = 'info';
  for (const label of labels)
    if (SEVERITY[label.definition.severity] > SEVERITY[best]) best = label.definition.severity;
  return best;
}

/** Most severe first, then in the order given: the first one names a grouped badge. */
export function bySeverity(labels: readonly MatchedLabel[]): MatchedLabel[] {
  return labels
    .map((label, index) => ({ label, index }))
    .sort(
      (a, b) =>
        SEVERITY[b.label.definition.severity] - SEVERITY[a.label.definition.severity] || a.index - b.index,
    )
    .map(({ label }) => label);
}
