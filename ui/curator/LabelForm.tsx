/**
 * The curator's label form: what is labelled, with which definition, a note, at least one source
 * (http(s) only) and the optional period. Used by the curator window (a new label) and by the
 * options page (editing a drafted one). Validation is curator/draft.ts's; this only shows it.
 */
import { useState } from 'preact/hooks';
import { draftLabelFromForm, type FieldProblem, type LabelFormInput } from '../../curator/draft';
import { localize } from '../../feed/labels';
import type { LabelDefinition } from '../../feed/types';
import type { DraftLabel } from '../../storage/settings';
import { type MessageKey, t } from '../i18n';

const KIND_MESSAGES: Record<DraftLabel['kind'], MessageKey> = {
  account: 'kindAccount',
  post: 'kindPost',
  link: 'kindLink',
};

export interface LabelFormProps {
  /** Prefix for element ids, so two forms on a page never share one. */
  idPrefix: string;
  initial: LabelFormInput;
  definitions: LabelDefinition[];
  lang: string;
  /** The id the saved label gets (a new one, or the edited label's). */
  labelId: string;
  /** The `cts` of an edited label (kept), else now. */
  now: () => Date;
  onSave: (label: DraftLabel) => Promise<void> | void;
  onCancel?: () => void;
  saveText: string;
}

export function LabelForm(props: LabelFormProps) {
  const { idPrefix: p, definitions, lang } = props;
  const [input, setInput] = useState<LabelFormInput>(() => ({
    ...props.initial,
    val: props.initial.val || definitions[0]?.id || '',
    sources: props.initial.sources.length > 0 ? props.initial.sources : [''],
  }));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const set = (patch: Partial<LabelFormInput>) => setInput((old) => ({ ...old, ...patch }));
  const problemOf = (field: FieldProblem['field'], index?: number) =>
    problems.find((x) => x.field === field && (index === undefined || x.index === index));

  const describe = (field: FieldProblem['field'], index?: number) => {
    const problem = problemOf(field, index);
    return problem
      ? { 'aria-invalid': true, 'aria-describedby': `${p}-${field}${index ?? ''}-error` }
      : { 'aria-invalid': false };
  };
  const errorText = (field: FieldProblem['field'], index?: number) => {
    const problem = problemOf(field, index);
    return problem ? (
      <span id={`${p}-${field}${index ?? ''}-error`} class="error">
        {t(problem.message)}
      </span>
    ) : null;
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const result = draftLabelFromForm(input, definitions, props.labelId, props.now());
    if (!result.ok) {
      setProblems(result.problems);
      const first = result.problems[0];
      if (first)
        document
          .getElementById(`${p}-${first.field}${first.field === 'sources' ? (first.index ?? 0) : ''}`)
          ?.focus();
      return;
    }
    setProblems([]);
    await props.onSave(result.label);
  };

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate>
      <div class="field">
        <label for={`${p}-kind`}>{t('formKind')}</label>
        <select
          id={`${p}-kind`}
          value={input.kind}
          onChange={(e) => set({ kind: e.currentTarget.value as DraftLabel['kind'] })}
        >
          {(Object.keys(KIND_MESSAGES) as DraftLabel['kind'][]).map((kind) => (
            <option key={kind} value={kind}>
              {t(KIND_MESSAGES[kind])}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${p}-target`}>{t('formTarget')}</label>
        <input
          id={`${p}-target`}
          type="url"
          value={input.target}
          onInput={(e) => set({ target: e.currentTarget.value })}
          {...describe('target')}
        />
        {errorText('target')}
      </div>
      <div class="field">
        <label for={`${p}-val`}>{t('formDefinition')}</label>
        <select
          id={`${p}-val`}
          value={input.val}
          onChange={(e) => set({ val: e.currentTarget.value })}
          {...describe('val')}
        >
          {definitions.map((d) => (
            <option key={d.id} value={d.id}>
              {localize(d.title, lang) ?? d.id}
            </option>
          ))}
        </select>
        {errorText('val')}
      </div>
      <div class="field">
        <label for={`${p}-note`}>{t('formNote')}</label>
        <textarea id={`${p}-note`} value={input.note} onInput={(e) => set({ note: e.currentTarget.value })} />
      </div>
      <fieldset>
        <legend>{t('formSources')}</legend>
        {input.sources.map((source, index) => (
          <div class="field" key={index}>
            <label for={`${p}-sources${index}`}>{t('formSourceN', index + 1)}</label>
            <div class="row">
              <input
                id={`${p}-sources${index}`}
                type="url"
                style={{ flex: '1 1 16rem' }}
                value={source}
                onInput={(e) => {
                  const value = e.currentTarget.value;
                  set({ sources: input.sources.map((s, i) => (i === index ? value : s)) });
                }}
                {...describe('sources', index)}
              />
              {input.sources.length > 1 && (
                <button
                  type="button"
                  onClick={() => set({ sources: input.sources.filter((_, i) => i !== index) })}
                >
                  {t('formRemoveSource', index + 1)}
                </button>
              )}
            </div>
            {errorText('sources', index)}
          </div>
        ))}
        <button type="button" onClick={() => set({ sources: [...input.sources, ''] })}>
          {t('formAddSource')}
        </button>
      </fieldset>
      <div class="row">
        <div class="field">
          <label for={`${p}-since`}>{t('formSince')}</label>
          <input
            id={`${p}-since`}
            type="date"
            value={input.since}
            onInput={(e) => set({ since: e.currentTarget.value })}
            {...describe('since')}
          />
          {errorText('since')}
        </div>
        <div class="field">
          <label for={`${p}-until`}>{t('formUntil')}</label>
          <input
            id={`${p}-until`}
            type="date"
            value={input.until}
            onInput={(e) => set({ until: e.currentTarget.value })}
            {...describe('until')}
          />
          {errorText('until')}
        </div>
      </div>
      <div class="row">
        <button type="submit" class="primary">
          {props.saveText}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            {t('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
