/**
 * `verify <dir|url> [--key …]`: checks a published feed exactly as the extension does (feed/'s
 * verifyFeed) and prints every problem, one per line, in the words a reader would see. Exit 0 only
 * for a valid feed.
 */
import { checkFeedAddress, parsePublicKey, verifyFeed } from '../../feed/index';
import { type FeedManifest, formatProblem } from '../../feed/types';
import type { Command } from '../command';
import { say, stringOption } from '../command';
import { CliError } from '../errors';
import { checkPrivateKeyMode, openFeedLocation, pathExists, readText } from '../io';

const FINGERPRINT = /^[0-9a-f]{64}$/i;

/** What --key names: a public key (base64), a key file or public-key file, or a fingerprint. */
export type KeyPin = { publicKey: Uint8Array } | { fingerprint: string };

export async function resolveKeyPin(arg: string): Promise<KeyPin> {
  if (FINGERPRINT.test(arg)) return { fingerprint: arg.toLowerCase() };
  const isFile = await pathExists(arg);
  const text = isFile ? await readText(arg) : arg;
  // Only the public half is needed, but a key file holding the private half is refused when others
  // can read it, as build refuses it: the curator learns of the leak from whichever command runs first.
  if (isFile && /"privateKey"\s*:/.test(text)) await checkPrivateKeyMode(arg);
  const parsed = parsePublicKey(text);
  if (parsed.ok) return { publicKey: parsed.value };
  const where = isFile ? arg : '--key';
  throw new CliError([
    ...parsed.problems.map((p) => `${where}: ${formatProblem(p)}`),
    '--key takes a public key (base64), a key file or public-key.txt, or a 64-hex-digit fingerprint',
  ]);
}

/**
 * Why a reader would not read this publication at `url` (feed/address.ts: only at its signed `id`,
 * a mirror its signed `mirrors` lists, or this computer), or null.
 */
export function addressProblem(manifest: FeedManifest, url: string): string | null {
  const address = checkFeedAddress(manifest, url);
  return address.ok
    ? null
    : `feed.json: ${address.problem}; the extension reads a feed only at its id, at a mirror its signed mirrors list, or on this computer (127.0.0.1, localhost), so a reader cannot subscribe here`;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Check a feed folder or URL as the extension would',
  usage: '<dir|url> [--key <public key|key file|fingerprint>]',
  details: [
    'Checks the signature, the manifest, every chunk (size, SHA-256, labels) and the dates, and',
    'lists every problem, one per line. Exit code 0 when the feed is valid, 1 otherwise.',
    'With --key the feed must be signed by that key (what a subscriber has pinned); without it the',
    'feed is checked against the key its manifest names.',
    'A URL may name feed.json or the folder holding it; only http(s) URLs are fetched. As the',
    "extension does, a URL must be the feed's signed id, a mirror its signed mirrors list, or on",
    'this computer (127.0.0.1, localhost); a copy anywhere else is refused.',
  ].join('\n'),
  positionals: ['<dir|url>'],
  options: {
    key: {
      type: 'string',
      short: 'k',
      value: '<key>',
      description: 'Expected signer: public key (base64), key file, public-key.txt or fingerprint',
    },
  },
  async run([target], values) {
    if (target === undefined) throw new CliError('verify: missing <dir|url>');
    const keyArg = stringOption(values, 'key');
    const pin = keyArg === undefined ? {} : await resolveKeyPin(keyArg);
    const location = await openFeedLocation(target);
    const result = await verifyFeed(location.read, { ...pin, now: new Date() });
    const warnings = result.warnings.map((warning) => `  note: ${warning}`);
    // Over the web, the address rule a reader applies at preview, subscribe and every sync.
    const wrongPlace = location.url && result.manifest ? addressProblem(result.manifest, location.url) : null;
    const problems = wrongPlace ? [wrongPlace, ...result.problems] : result.problems;
    if (problems.length > 0) {
      // The report is this command's output, so it goes to stdout like a valid one.
      say(
        `${location.label}: not a valid feed${result.ok ? ' at this address' : ''}`,
        ...problems.map((problem) => `  ${problem}`),
        ...warnings,
      );
      return 1;
    }
    say(
      `${location.label}: valid feed`,
      `  name:      ${result.manifest?.name ?? ''}`,
      `  sequence:  ${result.manifest?.sequence ?? ''}`,
      `  labels:    ${(result.labelCount ?? 0).toLocaleString('en-US')}`,
      `  signed by: ${result.keyid ?? ''}`,
      ...warnings,
    );
    return 0;
  },
};
