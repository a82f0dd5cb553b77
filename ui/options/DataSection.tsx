/**
 * Options page, Data: export and import of the settings file, and clearing the feed cache (after
 * a confirmation; the bundled seed feed comes back). An import is checked whole before anything
 * is written; a refused file says where and why.
 */
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { formatProblem } from '../../feed/types';
import { sendMessage } from '../../messaging/protocol';
import { downloadText } from '../download';
import { t } from '../i18n';
import { applySettings, parseSettingsFile, readSettings, settingsFileText } from './settings-file';

type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; text: string; details?: string[] } | null;

export function DataSection() {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [confirmingClear, setConfirmingClear] = useState(false);

  const exportSettings = async () => {
    downloadText('context-lens-settings.json', settingsFileText(await readSettings()));
    setOutcome({ kind: 'ok', text: t('settingsExported') });
  };

  const importSettings = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    const parsed = parseSettingsFile(await file.text());
    input.value = '';
    if (!parsed.ok) {
      setOutcome({
        kind: 'error',
        text: t('settingsImportRefused', file.name),
        details: parsed.problems.map(formatProblem),
      });
      return;
    }
    const { skippedHosts } = await applySettings(parsed.value, (host) =>
      browser.permissions.contains({ origins: [`https://${host}/*`] }),
    );
    setOutcome({
      kind: 'ok',
      text:
        skippedHosts.length > 0
          ? t('settingsImportedSkipped', skippedHosts.join(', '))
          : t('settingsImported'),
    });
  };

  const clearCache = async () => {
    setConfirmingClear(false);
    try {
      const reply = await sendMessage('clearCache', undefined);
      setOutcome(reply.ok ? { kind: 'ok', text: t('cacheCleared') } : { kind: 'error', text: reply.error });
    } catch (error) {
      setOutcome({
        kind: 'error',
        text: t('errorBackground', error instanceof Error ? error.message : String(error)),
      });
    }
  };

  return (
    <section aria-labelledby="data-heading">
      <h2 id="data-heading">{t('dataHeading')}</h2>
      <div class="row">
        <button type="button" onClick={() => void exportSettings()}>
          {t('exportSettings')}
        </button>
      </div>
      <div class="field">
        <label for="import-settings">{t('importSettings')}</label>
        <input
          id="import-settings"
          type="file"
          accept="application/json,.json"
          onChange={(e) => void importSettings(e.currentTarget)}
        />
      </div>
      <p class="muted">{t('clearCacheHint')}</p>
      {!confirmingClear ? (
        <button type="button" class="danger" onClick={() => setConfirmingClear(true)}>
          {t('clearCache')}
        </button>
      ) : (
        <div class="panel">
          <p>{t('confirmClearCache')}</p>
          <div class="row">
            {/* biome-ignore lint/a11y/noAutofocus: the confirmation was just asked for; focus belongs on it */}
            <button type="button" class="danger" autoFocus onClick={() => void clearCache()}>
              {t('clearCacheConfirm')}
            </button>
            <button type="button" onClick={() => setConfirmingClear(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      <div role="status">{outcome?.kind === 'ok' && <p class="ok">{outcome.text}</p>}</div>
      {outcome?.kind === 'error' && (
        <div role="alert" class="error">
          <p>{outcome.text}</p>
          {outcome.details && (
            <ul>
              {outcome.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
