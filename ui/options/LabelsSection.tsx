/**
 * Options page, Labels: every definition of every feed (title, description, severity) with the
 * reader's choice of badge / warn / hide / off, and the per-site switches. Choices are storage
 * items the content scripts watch, so open pages change at once. A choice equal to the feed's
 * default is stored as "no choice", so a later change of the default applies.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { localize } from '../../feed/labels';
import type { LabelAction, LabelDefinition, Severity } from '../../feed/types';
import { sendMessage } from '../../messaging/protocol';
import type { SiteId } from '../../sites/types';
import {
  feedStatusItem,
  labelActionKey,
  labelActionsItem,
  mastodonHostsItem,
  siteEnabledItem,
} from '../../storage/settings';
import { useStorageItem } from '../hooks';
import { type MessageKey, t } from '../i18n';
import { SITE_IDS, SITE_NAME_MESSAGES } from '../sites';

type DefinitionRow = { feedId: string; feedName: string; definition: LabelDefinition };

const ACTIONS: LabelAction[] = ['badge', 'warn', 'hide', 'off'];
const ACTION_MESSAGES: Record<LabelAction, MessageKey> = {
  badge: 'actionBadge',
  warn: 'actionWarn',
  hide: 'actionHide',
  off: 'actionOff',
};
const SEVERITY_MESSAGES: Record<Severity, MessageKey> = {
  info: 'severityInfo',
  caution: 'severityCaution',
  alert: 'severityAlert',
};

export async function setLabelAction(
  feedId: string,
  definition: LabelDefinition,
  action: LabelAction,
): Promise<void> {
  const current = await labelActionsItem.getValue();
  const next = { ...current };
  const key = labelActionKey(feedId, definition.id);
  if (action === definition.defaultAction) delete next[key];
  else next[key] = action;
  await labelActionsItem.setValue(next);
}

function useDefinitions(): DefinitionRow[] | null | undefined {
  const feeds = useStorageItem(feedStatusItem);
  const [rows, setRows] = useState<DefinitionRow[] | null | undefined>(undefined);
  // Feeds change definitions only when they sync: ask again when a sequence or the set of feeds changes.
  const version = (feeds ?? []).map((f) => `${f.id}@${f.sequence}:${f.enabled}`).join(' ');
  useEffect(() => {
    let live = true;
    sendMessage('listDefinitions', undefined).then(
      (list) => live && setRows(list),
      () => live && setRows(null),
    );
    return () => {
      live = false;
    };
  }, [version]);
  return rows;
}

function DefinitionItem({ row, chosen, lang }: { row: DefinitionRow; chosen?: LabelAction; lang: string }) {
  const { definition } = row;
  const title = localize(definition.title, lang) ?? definition.id;
  const selectId = `action-${row.feedId}-${definition.id}`.replace(/[^A-Za-z0-9-]+/g, '-');
  return (
    <li>
      <p>
        <strong>
          <bdi>{title}</bdi>
        </strong>{' '}
        <span class="muted">({t(SEVERITY_MESSAGES[definition.severity])})</span>
      </p>
      <p>{localize(definition.description, lang)}</p>
      <div class="field">
        <label for={selectId}>{t('labelActionFor', title)}</label>
        <select
          id={selectId}
          value={chosen ?? definition.defaultAction}
          onChange={(e) => void setLabelAction(row.feedId, definition, e.currentTarget.value as LabelAction)}
        >
          {ACTIONS.map((action) => (
            <option key={action} value={action}>
              {action === definition.defaultAction
                ? t('actionFeedDefault', t(ACTION_MESSAGES[action]))
                : t(ACTION_MESSAGES[action])}
            </option>
          ))}
        </select>
      </div>
    </li>
  );
}

export function SitesSection() {
  const siteEnabled = useStorageItem(siteEnabledItem);
  const hosts = useStorageItem(mastodonHostsItem);
  const setSite = async (site: SiteId, on: boolean) => {
    const next = { ...(await siteEnabledItem.getValue()) };
    if (on) delete next[site];
    else next[site] = false;
    await siteEnabledItem.setValue(next);
  };
  const removeHost = async (host: string) => {
    await mastodonHostsItem.setValue((await mastodonHostsItem.getValue()).filter((h) => h !== host));
    await browser.permissions.remove({ origins: [`https://${host}/*`] }).catch(() => false);
  };
  return (
    <section aria-labelledby="sites-heading">
      <h2 id="sites-heading">{t('sitesHeading')}</h2>
      <fieldset>
        <legend>{t('sitesLegend')}</legend>
        {SITE_IDS.map((site) => (
          <label class="check" key={site}>
            <input
              type="checkbox"
              checked={siteEnabled?.[site] !== false}
              onChange={(e) => void setSite(site, e.currentTarget.checked)}
            />
            {t(SITE_NAME_MESSAGES[site])}
          </label>
        ))}
      </fieldset>
      {hosts && hosts.length > 0 && (
        <>
          <h3>{t('mastodonHostsHeading')}</h3>
          <ul class="plain">
            {hosts.map((host) => (
              <li key={host} class="row">
                <span class="mono">{host}</span>
                <button type="button" onClick={() => void removeHost(host)}>
                  {t('removeHost', host)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function LabelsSection() {
  const rows = useDefinitions();
  const actions = useStorageItem(labelActionsItem);
  const lang = browser.i18n.getUILanguage();
  const byFeed = new Map<string, DefinitionRow[]>();
  for (const row of rows ?? []) byFeed.set(row.feedId, [...(byFeed.get(row.feedId) ?? []), row]);
  return (
    <section aria-labelledby="labels-heading">
      <h2 id="labels-heading">{t('labelsHeading')}</h2>
      <p class="muted">{t('labelsHint')}</p>
      {rows === undefined && <p class="muted">{t('working')}</p>}
      {rows === null && (
        <p role="alert" class="error">
          {t('errorDefinitions')}
        </p>
      )}
      {rows && rows.length === 0 && <p class="muted">{t('noDefinitions')}</p>}
      {[...byFeed.entries()].map(([feedId, list]) => (
        <div key={feedId}>
          <h3>
            <bdi>{list[0]?.feedName}</bdi>
          </h3>
          <ul class="plain">
            {list.map((row) => (
              <DefinitionItem
                key={row.definition.id}
                row={row}
                chosen={actions?.[labelActionKey(feedId, row.definition.id)]}
                lang={lang}
              />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
