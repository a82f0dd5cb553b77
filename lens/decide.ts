/**
 * Deciding what a post shows, apart from showing it: from a post's slots (lens/slots.ts), the labels
 * the background returned for their keys and the reader's settings, `decide` says which badges go
 * where (with the DOM contract's data-labels/data-targets), which part of the post is warned or
 * hidden and named by which labels, and whether a curator button goes beside the author. Pure: it
 * never reads or writes the page (elements in slots are only carried through as places), so every
 * rule here is testable without a browser. lens/render.tsx draws a decision; lens/lens.ts feeds it.
 */
import { labelTitle } from '../components/text';
import type { LabelAction, Severity } from '../feed/types';
import type { MatchedLabel } from '../messaging/protocol';
import type { Anchored } from '../sites/types';
import { type AccountException, isExcepted } from '../storage/exceptions';
import { bySeverity, highestSeverity, labelAction, strongestAction } from './actions';
import type { Slot } from './slots';

export interface DecideSettings {
  /** labelActionKey(feedId, definitionId) → the reader's choice. */
  actions: Readonly<Record<string, LabelAction>>;
  curatorMode: boolean;
  /** "Not on this account": labels the reader hid beside one account. */
  exceptions?: readonly AccountException[];
  /** The exception the reader just made in this tab: its account's badge offers Undo for a while. */
  undoable?: AccountException;
}

/** One badge: the labels that apply at one slot (reader's action ≠ off), most severe first. */
export interface BadgeDecision {
  anchor: Element;
  append: 'after' | 'first';
  labels: MatchedLabel[];
  severity: Severity;
  /** The DOM contract: `data-labels` (definition ids) and `data-targets` (matched keys). */
  attrs: { 'data-labels': string; 'data-targets': string };
  /** The account this badge stands beside: its panel offers "Not on this account". */
  account?: string;
  /** The reader just hid labels here: the badge offers Undo (its labels may then be empty). */
  undo?: AccountException;
}

/** A warn cover or hidden line over one scope (the post, or the quoted post inside it). */
export interface CoverDecision {
  scope: Element;
  action: 'warn' | 'hide';
  /** The titles of the labels that asked for this action, most severe first, each once. */
  titles: string[];
  severity: Severity;
}

export interface PostDecision {
  badges: BadgeDecision[];
  covers: CoverDecision[];
  /** Labels shown in badges (for the popup's page health). */
  labelsShown: number;
  /** Where curator mode's "Label…" button goes, and for which account. */
  curator?: Anchored;
}

export interface DecideInput {
  slots: readonly Slot[];
  author?: Anchored;
}

export type LabelsFor = (key: string) => readonly MatchedLabel[] | undefined;

function labelId(label: MatchedLabel): string {
  return `${label.feedId}\n${label.labelId}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export function decide(
  post: DecideInput,
  labelsFor: LabelsFor,
  settings: DecideSettings,
  lang: string,
): PostDecision {
  const badges: BadgeDecision[] = [];
  const scopes = new Map<Element, { actions: LabelAction[]; labels: MatchedLabel[] }>();
  let labelsShown = 0;
  for (const slot of post.slots) {
    const seen = new Set<string>();
    const found: { label: MatchedLabel; action: LabelAction }[] = [];
    const exceptions = slot.account ? (settings.exceptions ?? []) : [];
    let excepted = 0;
    for (const key of slot.keys) {
      for (const label of labelsFor(key) ?? []) {
        const action = labelAction(label, settings.actions);
        if (action === 'off' || seen.has(labelId(label))) continue;
        seen.add(labelId(label));
        if (slot.account && isExcepted(exceptions, slot.account, label)) {
          excepted++;
          continue;
        }
        found.push({ label, action });
      }
    }
    const undo = slot.account && settings.undoable?.account === slot.account ? settings.undoable : undefined;
    if (found.length === 0 && !(undo && excepted > 0)) continue;
    const labels = bySeverity(found.map((f) => f.label));
    labelsShown += labels.length;
    badges.push({
      anchor: slot.anchor,
      append: slot.append,
      labels,
      severity: labels.length > 0 ? highestSeverity(labels) : 'info',
      attrs: {
        'data-labels': unique(labels.map((l) => l.definition.id)).join(' '),
        'data-targets': unique(labels.map((l) => l.key)).join(' '),
      },
      ...(slot.account ? { account: slot.account } : {}),
      ...(undo ? { undo } : {}),
    });
    const scope = scopes.get(slot.scope) ?? { actions: [], labels: [] };
    for (const { label, action } of found) {
      scope.actions.push(action);
      if (action !== 'badge') scope.labels.push(label);
    }
    scopes.set(slot.scope, scope);
  }
  const covers: CoverDecision[] = [];
  for (const [scope, { actions, labels }] of scopes) {
    const action = strongestAction(actions);
    if (action !== 'warn' && action !== 'hide') continue;
    // The labels that asked for this action (the strongest) name the cover.
    const strongest = bySeverity(labels.filter((label) => labelAction(label, settings.actions) === action));
    covers.push({
      scope,
      action,
      titles: unique(strongest.map((label) => labelTitle(label, lang))),
      severity: highestSeverity(strongest),
    });
  }
  return {
    badges,
    covers,
    labelsShown,
    ...(settings.curatorMode && post.author ? { curator: post.author } : {}),
  };
}
