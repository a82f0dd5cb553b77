// Every message is usable: placeholders declared and filled, no key used in code missing from messages.json.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURATOR_MENU_MESSAGES } from '../curator/targets';
import messages from '../public/_locales/en/messages.json';
import { formatMessage, messageKeys } from './test-support';

type Entry = { message: string; placeholders?: Record<string, { content: string }> };
const table = messages as unknown as Record<string, Entry>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('messages.json', () => {
  it('declares every $PLACEHOLDER$ a message uses, each filled from a substitution', () => {
    for (const [key, entry] of Object.entries(table)) {
      const used = [...entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1]?.toLowerCase());
      expect(Object.keys(entry.placeholders ?? {}).sort(), key).toEqual([...new Set(used)].sort());
      if (used.length > 0) expect(formatMessage(key, ['A', 'B']), key).not.toMatch(/\$/);
    }
  });

  it('has every key the pages and curator mode ask for', () => {
    const keys = new Set(messageKeys());
    for (const key of Object.values(CURATOR_MENU_MESSAGES)) expect(keys.has(key), key).toBe(true);
    const root = join(import.meta.dirname, '..');
    for (const file of [...sources(join(root, 'ui')), ...sources(join(root, 'curator'))]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\('([A-Za-z_]+)'/g)) {
        expect(keys.has(match[1] as string), `${file}: ${match[1]}`).toBe(true);
      }
    }
  });
});
