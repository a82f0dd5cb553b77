/**
 * The curator form window (curator.html?kind=…&url=…&page=…), opened by curator mode's context
 * menu and "Label…" buttons: a new label for that target, saved into the curator's draft. Writes
 * only curatorDraftItem; publishing is the curator's own step (export, then the CLI).
 */
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { defaultDraft, newLabelId, putDraftLabel } from '../../curator/draft';
import { targetFromSearch } from '../../curator/targets';
import { curatorDraftItem, type DraftLabel } from '../../storage/settings';
import { useStorageItem } from '../hooks';
import { t } from '../i18n';
import { LabelForm } from './LabelForm';

export async function saveNewDraftLabel(label: DraftLabel): Promise<void> {
  const draft = (await curatorDraftItem.getValue()) ?? defaultDraft();
  await curatorDraftItem.setValue(putDraftLabel(draft, label));
}

export function CuratorWindow({ search }: { search: string }) {
  const draft = useStorageItem(curatorDraftItem);
  const [target] = useState(() => targetFromSearch(search));
  const [labelId] = useState(() => newLabelId(new Date()));
  const [saved, setSaved] = useState(false);
  if (draft === undefined) return <main class="page" />;
  const definitions = (draft ?? defaultDraft()).definitions;
  return (
    <main class="page">
      <h1>{t('curatorTitle')}</h1>
      {target?.pageUrl && (
        <p class="muted">
          {t('curatorFoundOn')} <span class="mono">{target.pageUrl}</span>
        </p>
      )}
      {saved ? (
        <div role="status">
          <p class="ok">{t('curatorSaved')}</p>
          <button type="button" onClick={() => window.close()}>
            {t('close')}
          </button>
        </div>
      ) : (
        <LabelForm
          idPrefix="label"
          initial={{
            kind: target?.kind ?? 'account',
            target: target?.url ?? '',
            val: '',
            note: '',
            sources: [''],
            since: '',
            until: '',
          }}
          definitions={definitions}
          lang={browser.i18n.getUILanguage()}
          labelId={labelId}
          now={() => new Date()}
          saveText={t('curatorSave')}
          onSave={async (label) => {
            await saveNewDraftLabel(label);
            setSaved(true);
          }}
        />
      )}
    </main>
  );
}
