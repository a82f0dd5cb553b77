/**
 * `import <kind> <files…> --out <source.json> [--meta <meta.json>]`: turns published data
 * (Community Notes, fediverse blocklists, Bluesky labeler labels, ClaimReview) into a feed source
 * that `build` accepts, so the curator can review it before signing. Prints what was read, how
 * many labels were written, and every skipped row counted by reason. The conversions are
 * feed/import/'s; this file reads the files, merges --meta and writes the source.
 */

import { FEED_CAPS } from '../../feed/caps';
import { importAtprotoLabels } from '../../feed/import/atproto-labels';
import { importClaimReview } from '../../feed/import/claimreview';
import type { ImportResult, Table } from '../../feed/import/common';
import { importCommunityNotes } from '../../feed/import/community-notes';
import { importFediverseBlocklist } from '../../feed/import/fediverse-blocklist';
import type { JsonDocument } from '../../feed/import/json';
import { Problems } from '../../feed/problems';
import { validateSource } from '../../feed/source';
import { formatProblem, type LabelDefinition } from '../../feed/types';
import { isRecord, validateDefinitions, validateLabels } from '../../feed/validate';
import type { Command, OptionValues } from '../command';
import { requiredOption, say, stringOption } from '../command';
import { CliError } from '../errors';
import { extensionOf, orImportError, printable, readJsonDocument, readTable } from '../import/tables';
import { readJson, writeOutput } from '../io';

const number = new Intl.NumberFormat('en-US');

export const IMPORT_KINDS = [
  'community-notes',
  'fediverse-blocklist',
  'atproto-labels',
  'claimreview',
] as const;
type ImportKind = (typeof IMPORT_KINDS)[number];

const INCLUDE_VALUES = ['needs-more-ratings'];

function onlyFor(values: OptionValues, option: string, kind: ImportKind, allowed: ImportKind): void {
  if (kind !== allowed && stringOption(values, option) !== undefined)
    throw new CliError(`--${option} is only for ${allowed}, not ${kind}`);
}

async function runImporter(
  kind: ImportKind,
  files: string[],
  values: OptionValues,
  meta: Record<string, unknown> | undefined,
): Promise<ImportResult> {
  onlyFor(values, 'include', kind, 'community-notes');
  onlyFor(values, 'source-url', kind, 'fediverse-blocklist');
  switch (kind) {
    case 'community-notes': {
      const include = stringOption(values, 'include');
      if (include !== undefined && !INCLUDE_VALUES.includes(include))
        throw new CliError(`--include: expected ${INCLUDE_VALUES.join(' or ')}, got "${printable(include)}"`);
      const tables: Table[] = [];
      for (const file of files)
        tables.push(await orImportError(() => readTable(file, { delimiter: '\t', quoted: false })));
      return orImportError(() =>
        importCommunityNotes(tables, { includeNeedsMoreRatings: include === 'needs-more-ratings' }),
      );
    }
    case 'fediverse-blocklist': {
      const sourceUrl = stringOption(values, 'source-url');
      if (!sourceUrl)
        throw new CliError(
          '--source-url is required: the URL where the blocklist is published (every label cites it)',
        );
      const tables: Table[] = [];
      for (const file of files)
        tables.push(await orImportError(() => readTable(file, { delimiter: ',', quoted: true })));
      return orImportError(() => importFediverseBlocklist(tables, { sourceUrl }));
    }
    case 'atproto-labels': {
      const docs: JsonDocument[] = [];
      for (const file of files) docs.push(await orImportError(() => readJsonDocument(file)));
      return orImportError(() => importAtprotoLabels(docs, { definitions: metaDefinitions(meta) }));
    }
    case 'claimreview': {
      const docs: JsonDocument[] = [];
      const tables: Table[] = [];
      for (const file of files) {
        const ext = extensionOf(file);
        if (ext === 'tsv')
          tables.push(await orImportError(() => readTable(file, { delimiter: '\t', quoted: false })));
        else if (ext === 'csv')
          tables.push(await orImportError(() => readTable(file, { delimiter: ',', quoted: true })));
        else docs.push(await orImportError(() => readJsonDocument(file)));
      }
      return orImportError(() => importClaimReview(docs, tables));
    }
  }
}

/** The definitions of a --meta file, checked (problems name the meta file). */
function metaDefinitions(meta: Record<string, unknown> | undefined): LabelDefinition[] | undefined {
  if (meta?.definitions === undefined) return undefined;
  const p = new Problems();
  const { definitions } = validateDefinitions(meta.definitions, '', p);
  if (p.count > 0 || !definitions)
    throw new CliError(p.list.map((problem) => `--meta: ${formatProblem(problem)}`));
  return definitions;
}

/** The importer's definitions, each replaced by the --meta definition with the same id; --meta's others after. */
function mergeDefinitions(own: LabelDefinition[], given: LabelDefinition[] | undefined): LabelDefinition[] {
  if (!given) return own;
  const byId = new Map(given.map((d) => [d.id, d]));
  const merged = own.map((d) => byId.get(d.id) ?? d);
  for (const d of given) if (!own.some((o) => o.id === d.id)) merged.push(d);
  return merged;
}

function summary(kind: string, out: string, result: ImportResult, hasMeta: boolean): string[] {
  const perVal = new Map<string, number>();
  for (const label of result.labels) perVal.set(label.val, (perVal.get(label.val) ?? 0) + 1);
  const width = Math.max(
    1,
    ...[...result.skipped.counts.values(), ...result.notices.counts.values()].map(
      (n) => number.format(n).length,
    ),
  );
  const lines = [
    `Imported ${kind} into ${out}`,
    `  read:     ${result.read.map(([what, n]) => `${number.format(n)} ${what}`).join(', ')}`,
    `  labels:   ${number.format(result.labels.length)}${perVal.size ? ` (${[...perVal].map(([val, n]) => `${val} ${number.format(n)}`).join(', ')})` : ''}`,
    `  skipped:  ${number.format(result.skipped.total)}`,
    ...[...result.skipped.counts].map(
      ([reason, n]) => `    ${number.format(n).padStart(width)}  ${printable(reason)}`,
    ),
  ];
  if (result.notices.counts.size > 0) {
    lines.push('  also:');
    for (const [what, n] of result.notices.counts)
      lines.push(`    ${number.format(n).padStart(width)}  ${printable(what)}`);
  }
  lines.push(
    hasMeta
      ? `Review it, then: context-lens-feed build ${out} --key <keyfile> --out <dir> [--previous <last publication>]`
      : `It has no feed fields yet: add id, name, publisher, homepage, description and appeals (or import with --meta <meta.json>), then build it.`,
  );
  return lines;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Turn Community Notes, blocklists, Bluesky labels or ClaimReview into a feed source',
  usage: '<kind> <files…> --out <source.json> [--meta <meta.json>] [options]',
  details: [
    `Kinds: ${IMPORT_KINDS.join(', ')}.`,
    "  community-notes      notes-*.tsv and noteStatusHistory-*.tsv from X's data download",
    '  fediverse-blocklist  Mastodon or FediBlockHole domain-block CSV; needs --source-url',
    '  atproto-labels       com.atproto.label.queryLabels JSON pages',
    '  claimreview          schema.org ClaimReview JSON-LD (object, array or DataFeed), or TSV',
    "Writes a JSON source for build. Label ids are stable: import the next day's data and build",
    'with --previous to keep unchanged labels and retract the ones that disappeared.',
    '--meta gives the feed fields (id, name, publisher, homepage, description, appeals) and may',
    'replace or add definitions. Every skipped row is counted by reason. See docs/import.md.',
  ].join('\n'),
  positionals: ['<kind>', '<files…>'],
  variadic: true,
  options: {
    out: { type: 'string', short: 'o', value: '<source.json>', description: 'The source file to write' },
    meta: { type: 'string', short: 'm', value: '<meta.json>', description: 'Feed fields and definitions' },
    include: {
      type: 'string',
      value: 'needs-more-ratings',
      description: 'community-notes: also import notes that need more ratings',
    },
    'source-url': {
      type: 'string',
      value: '<url>',
      description: 'fediverse-blocklist: where the list is published (required)',
    },
  },
  async run([kindArg, ...files], values) {
    if (!IMPORT_KINDS.includes(kindArg as ImportKind)) {
      throw new CliError(
        `import: unknown kind "${printable(kindArg ?? '')}"; expected one of ${IMPORT_KINDS.join(', ')}`,
      );
    }
    const kind = kindArg as ImportKind;
    const out = requiredOption(values, 'out');
    const metaPath = stringOption(values, 'meta');
    let meta: Record<string, unknown> | undefined;
    if (metaPath !== undefined) {
      const value = await readJson(metaPath);
      if (!isRecord(value)) throw new CliError(`${metaPath}: must be a JSON object with the feed fields`);
      if (value.labels !== undefined) throw new CliError(`${metaPath}: labels: come from the imported files`);
      meta = value;
    }
    const result = await runImporter(kind, files, values, meta);
    if (result.labels.length > FEED_CAPS.totalLabels) {
      throw new CliError(
        `${kind}: ${result.labels.length} labels; a feed holds at most ${FEED_CAPS.totalLabels}`,
      );
    }
    const definitions =
      kind === 'atproto-labels'
        ? result.definitions
        : mergeDefinitions(result.definitions, metaDefinitions(meta));
    const source: Record<string, unknown> = meta
      ? { format: 'context-lens/1', ...meta, definitions, labels: result.labels }
      : { definitions, labels: result.labels };

    // The source must be what build accepts: check it the way build will.
    const p = new Problems();
    if (meta) {
      const checked = validateSource(source);
      if (!checked.ok) p.list.push(...checked.problems);
    } else {
      const { ids } = validateDefinitions(definitions, '', p);
      validateLabels(result.labels, 'labels', ids, p, { ctsOptional: true });
    }
    if (p.count > 0) {
      throw new CliError(
        p.list.map((problem) =>
          problem.path.startsWith('labels')
            ? `${out}: ${formatProblem(problem)}`
            : `${metaPath}: ${formatProblem(problem)}`,
        ),
      );
    }
    await writeOutput(out, `${JSON.stringify(source, null, 2)}\n`);
    say(...summary(kind, out, result, meta !== undefined));
    return 0;
  },
};
