/**
 * Fediverse domain blocklists to labels on whole servers: Mastodon's domain-block CSV
 * (`#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate`, lowercase
 * booleans) and FediBlockHole's (the same names without `#`, `True`/`False`). `suspend` and
 * `silence` become two definitions; the public comment is the note; every label cites the list's
 * published URL. Each label is a server label (`link` + `server: true`): it shows beside every
 * account on the server and beside links to it (docs/feed-format.md, "Server labels"). Domains written with `*` (obfuscated) cannot be matched and are counted, not
 * imported. docs/import.md says what each column becomes. Pure: the CLI splits the files.
 */
import { normalizeTarget } from '../targets';
import type { LabelDefinition } from '../types';
import { LABEL_ID_PATTERN, type LabelInput } from '../validate';
import {
  columnIndex,
  fitNote,
  ImportProblems,
  type ImportResult,
  isUsableUrl,
  plainText,
  sortById,
  stableId,
  type Table,
  Tally,
} from './common';

export const SERVER_SUSPENDED = 'server-suspended';
export const SERVER_SILENCED = 'server-silenced';

export const BLOCKLIST_DEFINITIONS: LabelDefinition[] = [
  {
    id: SERVER_SUSPENDED,
    title: { en: 'Server blocked by a blocklist' },
    description: {
      en: 'A published fediverse blocklist suspends this server: servers using the list cut all contact with it, so its accounts cannot follow, reply to or be seen by their members. The note gives the reason the list states.',
    },
    severity: 'alert',
    defaultAction: 'badge',
  },
  {
    id: SERVER_SILENCED,
    title: { en: 'Server limited by a blocklist' },
    description: {
      en: 'A published fediverse blocklist silences (limits) this server: servers using the list hide its posts from public timelines and show them only to people who follow its accounts. The note gives the reason the list states.',
    },
    severity: 'caution',
    defaultAction: 'badge',
  },
];

export interface BlocklistOptions {
  /** Where the list is published; every label cites it. */
  sourceUrl: string;
  /** Shown as the source's title (default: "Fediverse domain blocklist"). */
  sourceTitle?: string;
}

const SEVERITY_VAL: Record<string, string | null> = {
  suspend: SERVER_SUSPENDED,
  silence: SERVER_SILENCED,
  noop: null,
};

/** `true`/`false` in any letter case, or empty; anything else is malformed. */
function readBoolean(text: string): boolean | undefined | 'bad' {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  if (t === 'true') return true;
  if (t === 'false') return false;
  return 'bad';
}

/** The label id for a server: readable (`server-blocked.example`) when it fits, else hashed. */
export function serverLabelId(host: string): string {
  const id = `server-${host}`;
  return id.length <= 128 && LABEL_ID_PATTERN.test(id) ? id : stableId('server', host);
}

export function importFediverseBlocklist(tables: Table[], opts: BlocklistOptions): ImportResult {
  const p = new ImportProblems();
  if (!isUsableUrl(opts.sourceUrl)) {
    p.add({ file: '--source-url', message: `${JSON.stringify(opts.sourceUrl)} is not an http(s) URL` });
    p.throwIfAny();
  }
  const skipped = new Tally();
  const notices = new Tally();
  const labels = new Map<string, LabelInput>();
  let rows = 0;
  for (const t of tables) {
    // Mastodon writes `#domain`; FediBlockHole writes `domain`.
    const named: Table = { ...t, columns: t.columns.map((c) => c.trim().replace(/^#/, '').toLowerCase()) };
    const domainCol = columnIndex(named, 'domain');
    const severityCol = columnIndex(named, 'severity');
    const commentCol = columnIndex(named, 'public_comment', 'comment');
    const boolCols = ['reject_media', 'reject_reports', 'obfuscate'].map(
      (c) => [c, columnIndex(named, c)] as const,
    );
    if (domainCol < 0 || severityCol < 0) {
      p.add({
        file: t.file,
        line: 1,
        message: `the header must name the columns domain and severity (Mastodon's "#domain,#severity,…" or FediBlockHole's "domain,severity,…"), got ${JSON.stringify(t.columns.join(','))}`,
      });
      continue;
    }
    for (const row of t.rows) {
      if (p.full) break;
      rows++;
      const at = { file: t.file, line: row.line };
      const domain = (row.values[domainCol] ?? '').trim();
      const severity = (row.values[severityCol] ?? '').trim().toLowerCase();
      let bad = false;
      for (const [name, col] of boolCols) {
        if (col >= 0 && readBoolean(row.values[col] ?? '') === 'bad') {
          p.add({
            ...at,
            field: name,
            message: `${JSON.stringify(row.values[col])} is not true or false`,
          });
          bad = true;
        }
      }
      if (!domain) {
        p.add({ ...at, field: 'domain', message: 'is empty' });
        continue;
      }
      if (!(severity in SEVERITY_VAL)) {
        p.add({
          ...at,
          field: 'severity',
          message: `${JSON.stringify(severity)} is not suspend, silence or noop`,
        });
        continue;
      }
      if (bad) continue;
      const val = SEVERITY_VAL[severity];
      if (val === null || val === undefined) {
        skipped.add('severity noop (the list only rejects media or reports)');
        continue;
      }
      if (domain.includes('*')) {
        skipped.add('obfuscated domain (written with *, cannot be matched)');
        continue;
      }
      const key = normalizeTarget('link', domain);
      if (!key.ok || !key.key.startsWith('link:domain:')) {
        skipped.add(
          !key.ok && key.message.includes('public suffix')
            ? 'a public suffix (hf.space, workers.dev…): a label would cover unrelated sites'
            : 'not a domain name',
        );
        continue;
      }
      const host = key.key.slice('link:domain:'.length);
      const id = serverLabelId(host);
      if (labels.has(id)) {
        skipped.add('the same domain again (the first row is kept)');
        continue;
      }
      const label: LabelInput = {
        id,
        link: host,
        server: true,
        val,
        sources: [{ url: opts.sourceUrl, title: opts.sourceTitle ?? 'Fediverse domain blocklist' }],
      };
      const comment = fitNote(plainText(row.values[commentCol] ?? '', notices).trim());
      if (comment.clipped) notices.add('comments shortened to 5,000 characters');
      if (commentCol >= 0 && comment.text) label.note = comment.text;
      labels.set(id, label);
    }
  }
  p.throwIfAny();
  return {
    definitions: BLOCKLIST_DEFINITIONS,
    labels: sortById([...labels.values()]),
    read: [['rows', rows]],
    skipped,
    notices,
  };
}
