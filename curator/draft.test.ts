import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEFINITIONS,
  defaultDraft,
  draftLabelFromForm,
  formFromDraftLabel,
  type LabelFormInput,
  newLabelId,
  putDraftLabel,
  removeDraftLabel,
} from './draft';

const now = new Date('2026-03-01T12:00:00Z');
const form: LabelFormInput = {
  kind: 'account',
  target: 'https://x.com/alice',
  val: 'account-suspended',
  note: '  Suspended in March.  ',
  sources: ['https://news.example/story', ''],
  since: '2026-02-01',
  until: '',
};

describe('draftLabelFromForm', () => {
  it('makes a draft label from a complete form, dropping blank sources and trimming the note', () => {
    const result = draftLabelFromForm(form, DEFAULT_DEFINITIONS, 'draft-1', now);
    expect(result).toEqual({
      ok: true,
      label: {
        id: 'draft-1',
        kind: 'account',
        target: 'https://x.com/alice',
        val: 'account-suspended',
        note: 'Suspended in March.',
        sources: [{ url: 'https://news.example/story' }],
        since: '2026-02-01',
        cts: '2026-03-01T12:00:00.000Z',
      },
    });
  });

  it('names every field at fault', () => {
    const result = draftLabelFromForm(
      {
        ...form,
        target: 'x.com/alice',
        val: 'nope',
        sources: ['ftp://files.example/a', ''],
        since: '2026-05-01',
        until: '2026-04-01',
      },
      DEFAULT_DEFINITIONS,
      'draft-1',
      now,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { field: 'target', message: 'errorHttpUrl' },
      { field: 'val', message: 'errorNeedDefinition' },
      { field: 'sources', index: 0, message: 'errorHttpUrl' },
      { field: 'until', message: 'errorUntilBeforeSince' },
    ]);
  });

  it('needs at least one source', () => {
    const result = draftLabelFromForm({ ...form, sources: ['  '] }, DEFAULT_DEFINITIONS, 'd', now);
    expect(result.ok ? [] : result.problems).toEqual([
      { field: 'sources', index: 0, message: 'errorNeedSource' },
    ]);
  });

  it('gives the form back for editing', () => {
    const result = draftLabelFromForm(form, DEFAULT_DEFINITIONS, 'draft-1', now);
    if (!result.ok) throw new Error('expected a label');
    expect(formFromDraftLabel(result.label)).toEqual({
      ...form,
      note: 'Suspended in March.',
      sources: ['https://news.example/story'],
    });
  });
});

describe('draft edits', () => {
  it('adds, replaces in place and removes labels', () => {
    const a = {
      id: 'a',
      kind: 'post' as const,
      target: 'https://x.com/a/status/1',
      val: 'fabricated',
      sources: [{ url: 'https://s.example/' }],
      cts: now.toISOString(),
    };
    const b = { ...a, id: 'b' };
    let draft = putDraftLabel(putDraftLabel(defaultDraft(), a), b);
    draft = putDraftLabel(draft, { ...a, note: 'edited' });
    expect(draft.labels.map((l) => [l.id, l.note])).toEqual([
      ['a', 'edited'],
      ['b', undefined],
    ]);
    expect(removeDraftLabel(draft, 'a').labels.map((l) => l.id)).toEqual(['b']);
  });

  it('makes label ids a feed accepts', () => {
    expect(newLabelId(now, () => 'abc123')).toBe('draft-2026-03-01-abc123');
    expect(newLabelId(now)).toMatch(/^draft-2026-03-01-[0-9a-f]{8}$/);
  });
});
