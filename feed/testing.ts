/**
 * Test fixtures for the feed library and its users (CLI, sync): a valid example source, a
 * deterministic key, an in-memory file reader. Test-only: product code never imports it.
 */

import { sha256Hex } from './encoding';
import { gzip } from './gzip';
import type { FeedSource } from './source';
import type { ChunkRef, LabelDefinition } from './types';
import type { LabelInput } from './validate';

/** A fixed Ed25519 private key, so built bytes are reproducible across test runs. */
export const TEST_PRIVATE_KEY = new Uint8Array(32).map((_, i) => i + 1);

export const TEST_NOW = new Date('2026-03-01T12:00:00Z');

/** A valid label definition: a caution badge titled by its id, unless `overrides` say otherwise. */
export function exampleDefinition(id: string, overrides: Partial<LabelDefinition> = {}): LabelDefinition {
  return {
    id,
    title: { en: id },
    description: { en: `Test definition ${id}.` },
    severity: 'caution',
    defaultAction: 'badge',
    ...overrides,
  };
}

export const exampleDefinitions: LabelDefinition[] = [
  exampleDefinition('account-suspended', {
    title: { en: 'Account suspended', de: 'Konto gesperrt' },
    description: { en: 'The platform suspended this account.' },
  }),
  exampleDefinition('hosting-terminated', {
    title: { en: 'Hosting terminated' },
    description: { en: 'The hosting provider ended service for this site.' },
    severity: 'alert',
    defaultAction: 'warn',
  }),
];

export function exampleLabel(i: number, overrides: Partial<LabelInput> = {}): LabelInput {
  return {
    id: `label-${i}`,
    account: `https://x.com/user${i}`,
    val: 'account-suspended',
    note: `Suspended (case ${i}).`,
    sources: [{ url: `https://news.example.org/story/${i}`, title: 'Story', publisher: 'Example News' }],
    since: '2025-01-01',
    cts: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

/** The example feed's header: everything of its source but the labels. */
export const exampleHeader: Omit<FeedSource, 'labels'> = {
  id: 'https://labels.example.org/feed.json',
  name: 'Example labels',
  publisher: 'Example Fact Desk',
  homepage: 'https://labels.example.org/',
  description: 'Accounts and sites with documented enforcement actions.',
  appeals: 'mailto:appeals@example.org',
  definitions: exampleDefinitions,
};

export function exampleSource(labelCount = 3, overrides: Partial<FeedSource> = {}): FeedSource {
  return {
    ...exampleHeader,
    labels: Array.from({ length: labelCount }, (_, i) => exampleLabel(i)),
    ...overrides,
  };
}

/** A `read` function over built files, as verifyFeed and the sync expect. */
export function memoryReader(files: Map<string, Uint8Array>): (path: string) => Promise<Uint8Array | null> {
  return async (path) => files.get(path) ?? null;
}

/**
 * A gzip bomb as a change chunk: 5 MiB of spaces gzipped to a few KB, which inflates past the 4 MiB
 * cap on a decoded chunk. The reference is what a signed manifest would list for it.
 */
export async function gzipBombChunk(): Promise<{ bytes: Uint8Array; ref: ChunkRef }> {
  const bytes = await gzip(new Uint8Array(5 * 1024 * 1024).fill(0x20));
  const sha256 = sha256Hex(bytes);
  return {
    bytes,
    ref: {
      path: `chunks/${sha256}.json.gz`,
      sha256,
      count: 1,
      bytes: bytes.length,
      encoding: 'gzip',
      layer: 'change',
    },
  };
}
