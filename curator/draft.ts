/**
 * The curator's draft feed, as pure functions: a sensible starting draft, the label form's input
 * turned into a draft label (validated, errors named by field), and edits of the draft's labels.
 * No extension API; storage is the callers' business (storage/settings.ts curatorDraftItem).
 */
import type { LabelDefinition } from '../feed/types';
import type { CuratorDraft, DraftLabel } from '../storage/settings';

/** Definitions a new draft starts with; the curator edits or replaces them in the options page. */
export const DEFAULT_DEFINITIONS: LabelDefinition[] = [
  {
    id: 'account-suspended',
    title: { en: 'Account suspended' },
    description: { en: 'The platform suspended this account; the sources say when and why.' },
    severity: 'caution',
    defaultAction: 'badge',
  },
  {
    id: 'hosting-terminated',
    title: { en: 'Hosting terminated' },
    description: { en: 'The hosting provider stopped serving this site.' },
    severity: 'caution',
    defaultAction: 'badge',
  },
  {
    id: 'fabricated',
    title: { en: 'Fabricated content' },
    description: { en: 'Reliable sources showed this content to be fabricated.' },
    severity: 'alert',
    defaultAction: 'warn',
  },
];

export function defaultDraft(): CuratorDraft {
  return {
    feed: {
      id: 'https://example.org/context-lens/feed.json',
      name: 'My label feed',
      publisher: 'My name',
      homepage: 'https://example.org/',
      description: 'Labels I collected with Context Lens curator mode.',
      appeals: 'mailto:appeals@example.org',
    },
    definitions: DEFAULT_DEFINITIONS.map((d) => ({
      ...d,
      title: { ...d.title },
      description: { ...d.description },
    })),
    labels: [],
  };
}

/** What the label form collects (strings as typed). */
export interface LabelFormInput {
  kind: DraftLabel['kind'];
  target: string;
  val: string;
  note: string;
  sources: string[];
  since: string;
  until: string;
}

/** A form field that is wrong, and why, as an i18n message key with substitutions. */
export interface FieldProblem {
  field: 'target' | 'val' | 'sources' | 'since' | 'until';
  /** Index of the source URL at fault. */
  index?: number;
  message: 'errorHttpUrl' | 'errorNeedSource' | 'errorNeedDefinition' | 'errorDate' | 'errorUntilBeforeSince';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Checks the form; the draft label when it is complete, else every problem found. */
export function draftLabelFromForm(
  input: LabelFormInput,
  definitions: LabelDefinition[],
  id: string,
  now: Date,
): { ok: true; label: DraftLabel } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const target = input.target.trim();
  if (!isHttpUrl(target)) problems.push({ field: 'target', message: 'errorHttpUrl' });
  if (!definitions.some((d) => d.id === input.val))
    problems.push({ field: 'val', message: 'errorNeedDefinition' });
  const sources = input.sources.map((s) => s.trim());
  sources.forEach((s, index) => {
    if (s !== '' && !isHttpUrl(s)) problems.push({ field: 'sources', index, message: 'errorHttpUrl' });
  });
  const given = sources.filter((s) => s !== '');
  if (given.length === 0) problems.push({ field: 'sources', index: 0, message: 'errorNeedSource' });
  const since = input.since.trim();
  const until = input.until.trim();
  if (since !== '' && !DATE.test(since)) problems.push({ field: 'since', message: 'errorDate' });
  if (until !== '' && !DATE.test(until)) problems.push({ field: 'until', message: 'errorDate' });
  if (DATE.test(since) && DATE.test(until) && until < since) {
    problems.push({ field: 'until', message: 'errorUntilBeforeSince' });
  }
  if (problems.length > 0) return { ok: false, problems };
  const label: DraftLabel = {
    id,
    kind: input.kind,
    target,
    val: input.val,
    sources: given.map((url) => ({ url })),
    cts: now.toISOString(),
  };
  const note = input.note.trim();
  if (note !== '') label.note = note;
  if (since !== '') label.since = since;
  if (until !== '') label.until = until;
  return { ok: true, label };
}

/** The form's fields for an existing draft label (to edit it). */
export function formFromDraftLabel(label: DraftLabel): LabelFormInput {
  return {
    kind: label.kind,
    target: label.target,
    val: label.val,
    note: label.note ?? '',
    sources: label.sources.map((s) => s.url),
    since: label.since ?? '',
    until: label.until ?? '',
  };
}

/** A new label id: readable, unique within a draft, valid as a feed label id. */
export function newLabelId(now: Date, random: () => string = () => crypto.randomUUID().slice(0, 8)): string {
  return `draft-${now.toISOString().slice(0, 10)}-${random()}`;
}

/** The draft with `label` added, or replacing the label with the same id (an edit keeps its place). */
export function putDraftLabel(draft: CuratorDraft, label: DraftLabel): CuratorDraft {
  const at = draft.labels.findIndex((l) => l.id === label.id);
  const labels = [...draft.labels];
  if (at === -1) labels.push(label);
  else labels[at] = label;
  return { ...draft, labels };
}

export function removeDraftLabel(draft: CuratorDraft, id: string): CuratorDraft {
  return { ...draft, labels: draft.labels.filter((l) => l.id !== id) };
}
