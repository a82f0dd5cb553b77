/**
 * `build <source> --key <keyfile> --out <dir>`: reads a JSON or CSV feed source, has feed/ build
 * and sign the publication, and writes feed.json and chunks/<sha256>.json. With --previous, chunks
 * whose labels did not change keep their names and the sequence goes up by one.
 * Holds no format logic: parsing, chunking and signing are feed/'s.
 */
import { extname, join } from 'node:path';
import { readCsvFileRows } from '../../feed/csv-parallel';
import {
  type BuildOptions,
  type BuiltFeed,
  buildFeed,
  buildRows,
  DEFAULT_CHUNK_SIZE,
  keyFingerprint,
  PreviousError,
  parseJsonSource,
  parseKeyFileChecked,
  type RowSource,
} from '../../feed/index';
import { NODE_CODEC } from '../../feed/node-codec';
import { FeedError } from '../../feed/problems';
import type { FeedSource } from '../../feed/source';
import { type FeedProblem, formatProblem, type Result } from '../../feed/types';
import type { Command } from '../command';
import { integerOption, requiredOption, say, stringOption } from '../command';
import { CliError } from '../errors';
import { openFeedLocation, openStream, readJson, readPrivateKeyText, readText, writeOutput } from '../io';
import { openPreviousFeed } from '../published';

const number = new Intl.NumberFormat('en-US');

/** "1 label", "9,949 labels". */
function count(n: number, noun: string): string {
  return `${number.format(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function problemLines(where: string, problems: readonly FeedProblem[]): string[] {
  return problems.map((problem) => `${where}: ${formatProblem(problem)}`);
}

/** A JSON source as labels; a CSV source straight into rows (feed/build.ts's memory model). */
async function readSource(path: string, metaPath: string | undefined): Promise<FeedSource | RowSource> {
  const kind = extname(path).toLowerCase();
  let result: Result<FeedSource | RowSource>;
  if (kind === '.json') {
    if (metaPath !== undefined)
      throw new CliError(`--meta is only for CSV sources; ${path} holds its own fields`);
    result = parseJsonSource(await readText(path));
  } else if (kind === '.csv') {
    if (metaPath === undefined) {
      throw new CliError(
        `${path}: a CSV source needs --meta <meta.json> with the feed's fields and definitions`,
      );
    }
    const meta = await readJson(metaPath);
    result = await readCsvFileRows(path, meta, () => openStream(path));
    // Problems in the meta file are named `meta.<field>`; say which file that is.
    if (!result.ok) {
      throw new CliError(
        result.problems.map((problem) =>
          problem.path.startsWith('meta')
            ? `${metaPath}: ${formatProblem(problem)}`
            : `${path}: ${formatProblem(problem)}`,
        ),
      );
    }
  } else {
    throw new CliError(`${path}: the source must be a .json or a .csv file`);
  }
  if (!result.ok) throw new CliError(problemLines(path, result.problems));
  return result.value;
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'Build and sign a feed from a JSON or CSV source',
  usage: '<source.json|source.csv> --key <keyfile> --out <dir> [options]',
  details: [
    "A .json source has the manifest's fields (id, name, publisher, homepage, description, appeals,",
    'definitions, optional issued/expires) and its labels inline. A .csv source has the header',
    '"type,target,val,note,sources,since,until" and takes the feed\'s fields from --meta.',
    'Writes <dir>/feed.json (signed) and <dir>/chunks/<sha256>.json.',
    'With --previous <dir> (the last publication), unchanged chunks keep their names and the',
    'sequence goes up by one; without it the sequence is 1, or --sequence N.',
  ].join('\n'),
  positionals: ['<source>'],
  options: {
    key: { type: 'string', short: 'k', value: '<keyfile>', description: 'Signing key file (from keygen)' },
    out: { type: 'string', short: 'o', value: '<dir>', description: 'Folder to write the feed to' },
    meta: {
      type: 'string',
      short: 'm',
      value: '<meta.json>',
      description: 'Feed fields and definitions (CSV sources)',
    },
    'chunk-size': {
      type: 'string',
      value: '<N>',
      description: `Labels per chunk file (default ${DEFAULT_CHUNK_SIZE})`,
    },
    previous: { type: 'string', short: 'p', value: '<dir|url>', description: 'The previous publication' },
    sequence: { type: 'string', value: '<N>', description: 'Sequence number (default: previous + 1, or 1)' },
  },
  async run([sourcePath], values) {
    if (sourcePath === undefined) throw new CliError('build: missing <source>');
    const keyPath = requiredOption(values, 'key');
    const out = requiredOption(values, 'out');
    const chunkSize = integerOption(values, 'chunk-size', 1, 20_000);
    const sequence = integerOption(values, 'sequence', 1, Number.MAX_SAFE_INTEGER);
    const previousArg = stringOption(values, 'previous');

    const source = await readSource(sourcePath, stringOption(values, 'meta'));
    const keyFile = await parseKeyFileChecked(await readPrivateKeyText(keyPath));
    if (!keyFile.ok) throw new CliError(problemLines(keyPath, keyFile.problems));

    let previous: BuildOptions['previous'];
    let previousLabel = '';
    if (previousArg !== undefined) {
      const location = await openFeedLocation(previousArg);
      previousLabel = location.label;
      const opened = await openPreviousFeed(location);
      if (!opened.ok) {
        throw new CliError([
          `--previous ${previousArg}: cannot be read`,
          ...problemLines(location.label, opened.problems),
        ]);
      }
      previous = opened.reader;
    }

    let built: BuiltFeed;
    try {
      const opts: BuildOptions = {
        privateKey: keyFile.value.privateKey,
        chunkSize,
        previous,
        sequence,
        // readSource just checked every label (and made the keys of CSV rows).
        checked: true,
        codec: NODE_CODEC,
      };
      built = 'rows' in source ? await buildRows(source, opts) : await buildFeed(source, opts);
    } catch (error) {
      // The previous publication's chunks are read while building.
      if (error instanceof PreviousError) {
        throw new CliError([
          `--previous ${previousArg}: cannot be read`,
          ...problemLines(previousLabel, error.problems),
        ]);
      }
      if (error instanceof FeedError) {
        // Build options are named as the options the user typed; everything else is in the source.
        const option: Record<string, string> = { sequence: '--sequence', chunkSize: '--chunk-size' };
        throw new CliError(
          error.problems.map((problem) =>
            option[problem.path]
              ? `${option[problem.path]}: ${problem.message}`
              : `${sourcePath}: ${formatProblem(problem)}`,
          ),
        );
      }
      throw error;
    }
    // Chunks first, feed.json last: a server never hands out a manifest whose chunks are missing.
    const paths = [...built.files.keys()].sort(
      (a, b) => Number(a === 'feed.json') - Number(b === 'feed.json'),
    );
    for (const path of paths) await writeOutput(join(out, path), built.files.get(path) as Uint8Array);

    const { manifest } = built;
    const chunks = manifest.chunks ?? [];
    const before = new Set((previous?.manifest.chunks ?? []).map((c) => c.path));
    const reused = chunks.filter((c) => before.has(c.path)).length;
    const changeChunks = chunks.filter((c) => c.layer === 'change');
    const changes = changeChunks.reduce((n, c) => n + c.count, 0);
    const compacted =
      !changeChunks.length && (previous?.manifest.chunks ?? []).some((c) => c.layer === 'change');
    const labelCount = 'rows' in source ? source.rows.length : source.labels.length;
    say(
      `Built ${manifest.name} into ${out}`,
      `  labels:      ${number.format(labelCount)}`,
      `  chunks:      ${number.format(chunks.length)}${previous ? ` (${number.format(reused)} unchanged from the previous publication)` : ''}`,
      ...(changes
        ? [
            `  changes:     ${count(changes, 'label')} in ${count(changeChunks.length, 'change chunk')} (folded into base chunks once they pass half the feed)`,
          ]
        : compacted
          ? ['  changes:     compacted: the previous change chunks are folded into new base chunks']
          : []),
      `  sequence:    ${manifest.sequence}`,
      `  expires:     ${manifest.expires}`,
      `  fingerprint: ${keyFingerprint(keyFile.value.publicKey)}`,
    );
    return 0;
  },
};
