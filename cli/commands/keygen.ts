/**
 * `keygen <keyfile>`: a new Ed25519 signing key, written readable by its owner only (0600).
 * Never overwrites a key unless asked: a lost private key means subscribers must re-pin.
 */
import { chmod } from 'node:fs/promises';
import { base64Encode } from '../../feed/encoding';
import { generateKeyPair, keyFingerprint, serializeKeyFile } from '../../feed/index';
import type { Command } from '../command';
import { say } from '../command';
import { CliError } from '../errors';
import { pathExists, writeOutput } from '../io';

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'Create a new Ed25519 signing key file (mode 0600)',
  usage: '<keyfile> [--force]',
  details: [
    'Writes the key pair as JSON to <keyfile>, readable by you only, and prints the public key',
    '(base64, what subscribers pin) and its fingerprint (the key id in signatures).',
    'Keep the key file private and backed up: feeds signed with another key will not verify for',
    'readers who pinned this one.',
  ].join('\n'),
  positionals: ['<keyfile>'],
  options: {
    force: { type: 'boolean', short: 'f', description: 'Overwrite an existing key file' },
  },
  async run([keyfile], values) {
    if (keyfile === undefined) throw new CliError('keygen: missing <keyfile>');
    if (!values.force && (await pathExists(keyfile))) {
      throw new CliError(`${keyfile}: already exists; refusing to overwrite a key (use --force)`);
    }
    const pair = await generateKeyPair();
    await writeOutput(keyfile, serializeKeyFile(pair), { mode: 0o600, exclusive: !values.force });
    // An existing file keeps its old mode on overwrite; make sure it is private either way.
    await chmod(keyfile, 0o600);
    say(
      `Wrote ${keyfile} (mode 0600, keep it private)`,
      `public key:  ${base64Encode(pair.publicKey)}`,
      `fingerprint: ${keyFingerprint(pair.publicKey)}`,
    );
    return 0;
  },
};
