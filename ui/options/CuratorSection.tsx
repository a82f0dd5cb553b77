/**
 * Options page, Curator: curator mode on/off, the draft feed's fields and definitions (saved with
 * a button, so typing never races the storage watch), the labels drafted while browsing (edit,
 * delete), and "Export as feed source" — checked with the feed library's own source parser first,
 * so what downloads is what `context-lens-feed build` accepts.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { defaultDraft, formFromDraftLabel, putDraftLabel, removeDraftLabel } from '../../curator/draft';
import { sourceFileName, sourceFileText } from '../../curator/export';
import { localize } from '../../feed/labels';
import { parseJsonSource } from '../../feed/source';
import { type DefaultAction, formatProblem, type LabelDefinition, type Severity } from '../../feed/types';
import {
  type CuratorDraft,
  curatorDraftItem,
  curatorModeItem,
  type DraftLabel,
} from '../../storage/settings';
import { LabelForm } from '../curator/LabelForm';
import { downloadText } from '../download';
import { useStorageItem } from '../hooks';
import { type MessageKey, t } from '../i18n';

type FeedFields = CuratorDraft['feed'];
const FEED_FIELDS: { key: keyof FeedFields; message: MessageKey; type: 'url' | 'text' | 'textarea' }[] = [
  { key: 'id', message: 'draftFeedId', type: 'url' },
  { key: 'name', message: 'draftFeedName', type: 'text' },
  { key: 'publisher', message: 'draftFeedPublisher', type: 'text' },
  { key: 'homepage', message: 'draftFeedHomepage', type: 'url' },
  { key: 'description', message: 'draftFeedDescription', type: 'textarea' },
  { key: 'appeals', message: 'draftFeedAppeals', type: 'text' },
];
const SEVERITIES: { value: Severity; message: MessageKey }[] = [
  { value: 'info', message: 'severityInfo' },
  { value: 'caution', message: 'severityCaution' },
  { value: 'alert', message: 'severityAlert' },
];
const DEFAULT_ACTIONS: { value: DefaultAction; message: MessageKey }[] = [
  { value: 'badge', message: 'actionBadge' },
  { value: 'warn', message: 'actionWarn' },
  { value: 'hide', message: 'actionHide' },
];

/** JSON with object keys sorted: browser storage may hand objects back with their keys reordered. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** The language a localised text is edited in: the one it has (first), else the reader's. */
function editLang(text: Record<string, string>, fallback: string): string {
  return Object.keys(text)[0] ?? fallback;
}

function DraftFeedForm({
  draft,
  lang,
  onSaved,
}: {
  draft: CuratorDraft;
  lang: string;
  onSaved: (written: CuratorDraft) => void;
}) {
  const [feed, setFeed] = useState<FeedFields>(draft.feed);
  const [definitions, setDefinitions] = useState<LabelDefinition[]>(draft.definitions);
  const [saved, setSaved] = useState(false);
  const setDefinition = (index: number, patch: Partial<LabelDefinition>) => {
    setSaved(false);
    setDefinitions((list) => list.map((d, i) => (i === index ? { ...d, ...patch } : d)));
  };
  const save = async (event: Event) => {
    event.preventDefault();
    const current = (await curatorDraftItem.getValue()) ?? draft;
    const written = { ...current, feed, definitions };
    onSaved(written);
    await curatorDraftItem.setValue(written);
    setSaved(true);
  };
  return (
    <form onSubmit={(e) => void save(e)} aria-labelledby="draft-feed-heading">
      <h3 id="draft-feed-heading">{t('draftFeedHeading')}</h3>
      {FEED_FIELDS.map(({ key, message, type }) => (
        <div class="field" key={key}>
          <label for={`draft-${key}`}>{t(message)}</label>
          {type === 'textarea' ? (
            <textarea
              id={`draft-${key}`}
              value={feed[key]}
              onInput={(e) => {
                const value = e.currentTarget.value;
                setSaved(false);
                setFeed((f) => ({ ...f, [key]: value }));
              }}
            />
          ) : (
            <input
              id={`draft-${key}`}
              type="text"
              inputMode={type === 'url' ? 'url' : 'text'}
              spellcheck={type !== 'url'}
              value={feed[key]}
              onInput={(e) => {
                const value = e.currentTarget.value;
                setSaved(false);
                setFeed((f) => ({ ...f, [key]: value }));
              }}
            />
          )}
        </div>
      ))}
      <h3>{t('draftDefinitionsHeading')}</h3>
      {definitions.map((d, index) => {
        const titleLang = editLang(d.title, lang);
        const descriptionLang = editLang(d.description, lang);
        const id = `def-${index}`;
        return (
          <fieldset key={index}>
            <legend>{t('draftDefinitionN', index + 1, localize(d.title, lang) ?? d.id)}</legend>
            <div class="definition-grid">
              <div class="field">
                <label for={`${id}-id`}>{t('draftDefinitionId')}</label>
                <input
                  id={`${id}-id`}
                  type="text"
                  value={d.id}
                  onInput={(e) => setDefinition(index, { id: e.currentTarget.value })}
                />
              </div>
              <div class="field">
                <label for={`${id}-title`}>{t('draftDefinitionTitle')}</label>
                <input
                  id={`${id}-title`}
                  type="text"
                  value={d.title[titleLang] ?? ''}
                  onInput={(e) =>
                    setDefinition(index, { title: { ...d.title, [titleLang]: e.currentTarget.value } })
                  }
                />
              </div>
              <div class="field">
                <label for={`${id}-severity`}>{t('draftDefinitionSeverity')}</label>
                <select
                  id={`${id}-severity`}
                  value={d.severity}
                  onChange={(e) => setDefinition(index, { severity: e.currentTarget.value as Severity })}
                >
                  {SEVERITIES.map((s) => (
                    <option key={s.value} value={s.value}>
                      {t(s.message)}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for={`${id}-action`}>{t('draftDefinitionAction')}</label>
                <select
                  id={`${id}-action`}
                  value={d.defaultAction}
                  onChange={(e) =>
                    setDefinition(index, { defaultAction: e.currentTarget.value as DefaultAction })
                  }
                >
                  {DEFAULT_ACTIONS.map((a) => (
                    <option key={a.value} value={a.value}>
                      {t(a.message)}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div class="field">
              <label for={`${id}-description`}>{t('draftDefinitionDescription')}</label>
              <textarea
                id={`${id}-description`}
                value={d.description[descriptionLang] ?? ''}
                onInput={(e) =>
                  setDefinition(index, {
                    description: { ...d.description, [descriptionLang]: e.currentTarget.value },
                  })
                }
              />
            </div>
            <button
              type="button"
              onClick={() => {
                setSaved(false);
                setDefinitions((list) => list.filter((_, i) => i !== index));
              }}
            >
              {t('draftRemoveDefinition', localize(d.title, lang) ?? d.id)}
            </button>
          </fieldset>
        );
      })}
      <div class="row">
        <button
          type="button"
          onClick={() => {
            setSaved(false);
            setDefinitions((list) => [
              ...list,
              {
                id: `definition-${list.length + 1}`,
                title: { [lang.split('-')[0] || 'en']: '' },
                description: { [lang.split('-')[0] || 'en']: '' },
                severity: 'info',
                defaultAction: 'badge',
              },
            ]);
          }}
        >
          {t('draftAddDefinition')}
        </button>
        <button type="submit" class="primary">
          {t('draftSave')}
        </button>
      </div>
      <p role="status">{saved && t('draftSaved')}</p>
    </form>
  );
}

function DraftLabelItem({ label, draft, lang }: { label: DraftLabel; draft: CuratorDraft; lang: string }) {
  const [editing, setEditing] = useState(false);
  const definition = draft.definitions.find((d) => d.id === label.val);
  const title = definition ? (localize(definition.title, lang) ?? label.val) : label.val;
  const headingId = `draft-label-${label.id}`;
  if (editing) {
    return (
      <li>
        <section aria-labelledby={headingId}>
          <h4 id={headingId}>{t('draftEditLabel', label.target)}</h4>
          <LabelForm
            idPrefix={`edit-${label.id}`}
            initial={formFromDraftLabel(label)}
            definitions={draft.definitions}
            lang={lang}
            labelId={label.id}
            now={() => new Date(label.cts)}
            saveText={t('draftSaveLabel')}
            onCancel={() => setEditing(false)}
            onSave={async (edited) => {
              const current = (await curatorDraftItem.getValue()) ?? draft;
              await curatorDraftItem.setValue(putDraftLabel(current, edited));
              setEditing(false);
            }}
          />
        </section>
      </li>
    );
  }
  return (
    <li>
      <section aria-labelledby={headingId}>
        <h4 id={headingId} class="mono">
          {label.target}
        </h4>
        <p>
          {title} ·{' '}
          {t(label.kind === 'account' ? 'kindAccount' : label.kind === 'post' ? 'kindPost' : 'kindLink')}
        </p>
        {label.note && <p>{label.note}</p>}
        <ul>
          {label.sources.map((s) => (
            <li key={s.url} class="mono">
              {s.url}
            </li>
          ))}
        </ul>
        <div class="row">
          <button
            type="button"
            aria-label={t('draftEditLabelButton', label.target)}
            onClick={() => setEditing(true)}
          >
            {t('draftEdit')}
          </button>
          <button
            type="button"
            class="danger"
            aria-label={t('draftDeleteLabel', label.target)}
            onClick={async () => {
              const current = (await curatorDraftItem.getValue()) ?? draft;
              await curatorDraftItem.setValue(removeDraftLabel(current, label.id));
            }}
          >
            {t('draftDelete')}
          </button>
        </div>
      </section>
    </li>
  );
}

function ExportButton({ draft }: { draft: CuratorDraft }) {
  const [problems, setProblems] = useState<string[] | null>(null);
  const exportSource = () => {
    const text = sourceFileText(draft);
    const checked = parseJsonSource(text);
    if (!checked.ok) {
      setProblems(checked.problems.map(formatProblem));
      return;
    }
    setProblems(null);
    downloadText(sourceFileName(draft), text);
  };
  return (
    <div>
      <button type="button" class="primary" onClick={exportSource}>
        {t('draftExport')}
      </button>
      <p class="muted">{t('draftExportHint')}</p>
      {problems && (
        <div role="alert" class="error">
          <p>{t('draftExportRefused')}</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export function CuratorSection() {
  const mode = useStorageItem(curatorModeItem);
  const stored = useStorageItem(curatorDraftItem);
  const lang = browser.i18n.getUILanguage();
  const [fallback] = useState(defaultDraft);
  const draft = stored ?? fallback;
  // The feed form keeps its own edits; it starts again from storage when the draft is replaced (an import).
  const [formKey, setFormKey] = useState(0);
  const written = useRef('');
  const identity = (d: CuratorDraft | null | undefined) => (d ? canonicalJson([d.feed, d.definitions]) : '');
  const storedIdentity = identity(stored);
  useEffect(() => {
    if (storedIdentity !== written.current) setFormKey((k) => k + 1);
  }, [storedIdentity]);
  return (
    <section aria-labelledby="curator-heading">
      <h2 id="curator-heading">{t('curatorHeading')}</h2>
      <label class="check">
        <input
          type="checkbox"
          checked={mode === true}
          onChange={(e) => void curatorModeItem.setValue(e.currentTarget.checked)}
        />
        {t('curatorMode')}
      </label>
      <p class="muted">{t('curatorModeHint')}</p>
      {mode === true && stored !== undefined && (
        <>
          <DraftFeedForm
            key={formKey}
            draft={draft}
            lang={lang}
            onSaved={(d) => {
              written.current = identity(d);
            }}
          />
          <h3>{t('draftLabelsHeading', draft.labels.length)}</h3>
          {draft.labels.length === 0 ? (
            <p class="muted">{t('draftNoLabels')}</p>
          ) : (
            <ul class="plain">
              {draft.labels.map((label) => (
                <DraftLabelItem key={label.id} label={label} draft={draft} lang={lang} />
              ))}
            </ul>
          )}
          <ExportButton draft={draft} />
        </>
      )}
    </section>
  );
}
