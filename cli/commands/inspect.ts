/**
 * `inspect <dir|url>`: a human summary of a published feed — who publishes it, which publication
 * it is, when it expires, which key signed it, how many labels of each definition, its chunks and
 * its retractions — plus any problem feed/'s verifyFeed finds.
 */
import { activeLabels, localize, verifyFeed } from '../../feed/index';
import { formatProblem, type Label } from '../../feed/types';
import type { Command } from '../command';
import { say } from '../command';
import { CliError } from '../errors';
import { type FeedLocation, openFeedLocation } from '../io';
import { readPublishedFeed } from '../published';

/** Reads each file once, however often it is asked for. */
function memoized(location: FeedLocation): FeedLocation {
  const cache = new Map<string, Promise<Uint8Array | null>>();
  return {
    label: location.label,
    read(path) {
      let bytes = cache.get(path);
      if (!bytes) {
        bytes = location.read(path);
        cache.set(path, bytes);
      }
      return bytes;
    },
  };
}

const number = new Intl.NumberFormat('en-US');

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Summarise a feed folder or URL: publisher, dates, key, label counts',
  usage: '<dir|url>',
  details: [
    'Prints the feed name, publisher, sequence, issued/expires (marked "expired" when past), the',
    'signing key id, labels per definition, chunks and retractions, then any problem found.',
    'Exit code 0 when the feed is valid, 1 when it has problems.',
  ].join('\n'),
  positionals: ['<dir|url>'],
  options: {},
  async run([target]) {
    if (target === undefined) throw new CliError('inspect: missing <dir|url>');
    const location = memoized(await openFeedLocation(target));
    const now = new Date();
    const check = await verifyFeed(location.read, { now });
    const published = await readPublishedFeed(location);
    if (!published.ok) {
      say(`${location.label}: cannot be read`, ...published.problems.map((p) => `  ${formatProblem(p)}`));
      return 1;
    }
    const { manifest, keyids, chunkLabels, chunkBytes } = published.feed;
    const labels: Label[] = [...(manifest.labels ?? []), ...[...chunkLabels.values()].flat()];
    const retractions = labels.filter((label) => label.neg === true);
    const current = labels.filter((label) => label.neg !== true);
    const active = activeLabels(labels, now);
    const expired = Date.parse(manifest.expires) <= now.getTime();
    const counts = new Map<string, number>();
    for (const label of current) counts.set(label.val, (counts.get(label.val) ?? 0) + 1);

    say(
      manifest.name,
      `  feed id:     ${manifest.id}`,
      `  publisher:   ${manifest.publisher}`,
      `  homepage:    ${manifest.homepage}`,
      `  appeals:     ${manifest.appeals}`,
      `  sequence:    ${manifest.sequence}`,
      `  issued:      ${manifest.issued}`,
      `  expires:     ${manifest.expires}${expired ? '  (expired)' : ''}`,
      `  key id:      ${check.keyid ?? keyids.join(', ')}${manifest.nextKey ? `  (next key announced: ${manifest.nextKey})` : ''}`,
      `  labels:      ${number.format(current.length)} (${number.format(active.length)} active now)`,
      '',
      'Definitions:',
      ...manifest.definitions.map((definition) => {
        const title = localize(definition.title, 'en') ?? definition.id;
        const count = number.format(counts.get(definition.id) ?? 0);
        return `  ${count.padStart(9)}  ${title}  [${definition.id}, ${definition.severity}, ${definition.defaultAction}]`;
      }),
      '',
      `Chunks:        ${number.format(manifest.chunks?.length ?? 0)} (${number.format(chunkBytes)} bytes)` +
        (manifest.labels?.length
          ? `, plus ${number.format(manifest.labels.length)} inline label${manifest.labels.length === 1 ? '' : 's'}`
          : ''),
      `Retractions:   ${number.format(retractions.length)}`,
      ...retractions.slice(0, 20).map((label) => `  ${label.id}`),
      ...(retractions.length > 20 ? [`  … and ${number.format(retractions.length - 20)} more`] : []),
      '',
    );
    const warnings = check.warnings.map((warning) => `  note: ${warning}`);
    if (check.ok) {
      say('Check: valid (signature, manifest, chunks and dates)', ...warnings);
      return 0;
    }
    say('Check: NOT valid', ...check.problems.map((problem) => `  ${problem}`), ...warnings);
    return 1;
  },
};
