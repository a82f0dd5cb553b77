/**
 * Export and import of the reader's settings as one JSON file: the storage items of
 * storage/settings.ts (never feeds or labels: those come from their publishers). An import is
 * checked whole before anything is written, and a bad file is refused with the place and reason.
 */

import { Problems } from '../../feed/problems';
import type { LabelAction } from '../../feed/types';
import { isRecord, validateDefinitions } from '../../feed/validate';
import type { SiteId } from '../../sites/types';
import {
  type AccountException,
  accountExceptionsItem,
  type CuratorDraft,
  curatorDraftItem,
  curatorModeItem,
  enabledItem,
  labelActionsItem,
  mastodonHostsItem,
  siteEnabledItem,
} from '../../storage/settings';
import { SITE_IDS } from '../sites';

export const SETTINGS_FORMAT = 'context-lens-settings/1';

export interface SettingsFile {
  format: typeof SETTINGS_FORMAT;
  enabled: boolean;
  siteEnabled: Partial<Record<SiteId, boolean>>;
  labelActions: Record<string, LabelAction>;
  mastodonHosts: string[];
  curatorMode: boolean;
  curatorDraft: CuratorDraft | null;
  /** "Not on this account" exceptions; absent in files from before they existed (read as none). */
  accountExceptions: AccountException[];
}

/** Why a file was refused: where, and why (technical English, like the feed library's problems). */
export interface SettingsProblem {
  path: string;
  message: string;
}

export async function readSettings(): Promise<SettingsFile> {
  return {
    format: SETTINGS_FORMAT,
    enabled: await enabledItem.getValue(),
    siteEnabled: await siteEnabledItem.getValue(),
    labelActions: await labelActionsItem.getValue(),
    mastodonHosts: await mastodonHostsItem.getValue(),
    curatorMode: await curatorModeItem.getValue(),
    curatorDraft: await curatorDraftItem.getValue(),
    accountExceptions: await accountExceptionsItem.getValue(),
  };
}

function checkExceptions(value: unknown, problems: SettingsProblem[]): AccountException[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: 'accountExceptions', message: 'must be a list' });
    return [];
  }
  const list: AccountException[] = [];
  value.forEach((entry: unknown, i) => {
    const at = `accountExceptions[${i}]`;
    if (!isRecord(entry) || typeof entry.account !== 'string' || !entry.account.startsWith('account:')) {
      problems.push({
        path: at,
        message: 'must be { "account": "account:…", "added": "…" } with an optional label',
      });
      return;
    }
    if (typeof entry.added !== 'string') problems.push({ path: `${at}.added`, message: 'must be text' });
    const label = entry.label;
    if (
      label !== undefined &&
      (!isRecord(label) ||
        typeof label.feedId !== 'string' ||
        typeof label.labelId !== 'string' ||
        typeof label.title !== 'string')
    ) {
      problems.push({ path: `${at}.label`, message: 'must be { "feedId", "labelId", "title" }' });
      return;
    }
    list.push(entry as unknown as AccountException);
  });
  return list;
}

export function settingsFileText(settings: SettingsFile): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}

const ACTIONS: readonly string[] = ['badge', 'warn', 'hide', 'off'];
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const MAX_FILE_CHARS = 5 * 1024 * 1024;

function checkDraft(value: unknown, problems: SettingsProblem[]): CuratorDraft | null {
  if (value === null) return null;
  const path = 'curatorDraft';
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object or null' });
    return null;
  }
  const feed = value.feed;
  if (!isRecord(feed)) problems.push({ path: `${path}.feed`, message: 'must be an object' });
  else {
    for (const field of ['id', 'name', 'publisher', 'homepage', 'description', 'appeals']) {
      if (typeof feed[field] !== 'string')
        problems.push({ path: `${path}.feed.${field}`, message: 'must be text' });
    }
  }
  const p = new Problems();
  validateDefinitions(value.definitions, path, p);
  for (const problem of p.list) problems.push({ path: problem.path, message: problem.message });
  if (!Array.isArray(value.labels)) problems.push({ path: `${path}.labels`, message: 'must be an array' });
  else {
    value.labels.forEach((label: unknown, i) => {
      const at = `${path}.labels[${i}]`;
      if (!isRecord(label)) {
        problems.push({ path: at, message: 'must be an object' });
        return;
      }
      for (const field of ['id', 'target', 'val', 'cts']) {
        if (typeof label[field] !== 'string')
          problems.push({ path: `${at}.${field}`, message: 'must be text' });
      }
      if (label.kind !== 'account' && label.kind !== 'post' && label.kind !== 'link') {
        problems.push({ path: `${at}.kind`, message: 'must be account, post or link' });
      }
      const sources = label.sources;
      if (!Array.isArray(sources) || sources.some((s) => !isRecord(s) || typeof s.url !== 'string')) {
        problems.push({ path: `${at}.sources`, message: 'must be a list of { "url": "…" }' });
      }
    });
  }
  return value as unknown as CuratorDraft;
}

/** Reads a settings file; the settings, or every problem found. */
export function parseSettingsFile(
  text: string,
): { ok: true; value: SettingsFile } | { ok: false; problems: SettingsProblem[] } {
  if (text.length > MAX_FILE_CHARS)
    return { ok: false, problems: [{ path: '', message: 'the file is too large' }] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ path: '', message: `not JSON (${reason})` }] };
  }
  if (!isRecord(value)) return { ok: false, problems: [{ path: '', message: 'must be a JSON object' }] };
  const problems: SettingsProblem[] = [];
  if (value.format !== SETTINGS_FORMAT) {
    problems.push({
      path: 'format',
      message: `must be "${SETTINGS_FORMAT}" (a file exported by Context Lens's options page)`,
    });
    return { ok: false, problems };
  }
  for (const field of ['enabled', 'curatorMode'] as const) {
    if (typeof value[field] !== 'boolean') problems.push({ path: field, message: 'must be true or false' });
  }
  const siteEnabled = value.siteEnabled;
  if (!isRecord(siteEnabled)) problems.push({ path: 'siteEnabled', message: 'must be an object' });
  else {
    for (const [site, on] of Object.entries(siteEnabled)) {
      if (!(SITE_IDS as string[]).includes(site)) {
        problems.push({
          path: `siteEnabled.${site}`,
          message: `is not a supported site (${SITE_IDS.join(', ')})`,
        });
      } else if (typeof on !== 'boolean')
        problems.push({ path: `siteEnabled.${site}`, message: 'must be true or false' });
    }
  }
  const labelActions = value.labelActions;
  if (!isRecord(labelActions)) problems.push({ path: 'labelActions', message: 'must be an object' });
  else {
    for (const [key, action] of Object.entries(labelActions)) {
      if (typeof action !== 'string' || !ACTIONS.includes(action)) {
        problems.push({
          path: `labelActions[${JSON.stringify(key)}]`,
          message: 'must be badge, warn, hide or off',
        });
      } else if (!key.includes(' ')) {
        problems.push({
          path: `labelActions[${JSON.stringify(key)}]`,
          message: 'is not "<feed> <definition>"',
        });
      }
    }
  }
  const hosts = value.mastodonHosts;
  if (!Array.isArray(hosts))
    problems.push({ path: 'mastodonHosts', message: 'must be a list of host names' });
  else {
    hosts.forEach((host: unknown, i) => {
      if (typeof host !== 'string' || !HOST.test(host)) {
        problems.push({
          path: `mastodonHosts[${i}]`,
          message: 'must be a host name such as mastodon.example',
        });
      }
    });
  }
  const curatorDraft = checkDraft(value.curatorDraft ?? null, problems);
  const accountExceptions = checkExceptions(value.accountExceptions, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      format: SETTINGS_FORMAT,
      enabled: value.enabled as boolean,
      siteEnabled: siteEnabled as SettingsFile['siteEnabled'],
      labelActions: labelActions as SettingsFile['labelActions'],
      mastodonHosts: hosts as string[],
      curatorMode: value.curatorMode as boolean,
      curatorDraft,
      accountExceptions,
    },
  };
}

/**
 * Writes every setting. Mastodon hosts are kept only where the browser still grants the extension
 * that host: a file cannot give the extension access the reader did not grant here.
 */
export async function applySettings(
  settings: SettingsFile,
  isGranted: (host: string) => Promise<boolean>,
): Promise<{ skippedHosts: string[] }> {
  const kept: string[] = [];
  const skippedHosts: string[] = [];
  for (const host of settings.mastodonHosts) {
    if (await isGranted(host)) kept.push(host);
    else skippedHosts.push(host);
  }
  await enabledItem.setValue(settings.enabled);
  await accountExceptionsItem.setValue(settings.accountExceptions);
  await siteEnabledItem.setValue(settings.siteEnabled);
  await labelActionsItem.setValue(settings.labelActions);
  await mastodonHostsItem.setValue(kept);
  await curatorModeItem.setValue(settings.curatorMode);
  await curatorDraftItem.setValue(settings.curatorDraft);
  return { skippedHosts };
}
