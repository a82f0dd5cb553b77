// docs/feed-format.md stays in step with the code: its caps table is FEED_CAPS, every field of the
// schema is documented, and its examples are accepted by the parsers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEED_CAPS } from './caps';
import { readCsvSource } from './csv-source';
import { utf8Encode } from './encoding';
import { formatProblem } from './types';
import { parseManifest } from './validate';

const doc = readFileSync(new URL('../docs/feed-format.md', import.meta.url), 'utf8');
const schema = JSON.parse(
  readFileSync(new URL('../docs/feed-format.schema.json', import.meta.url), 'utf8'),
) as {
  $defs: Record<string, { properties?: Record<string, unknown> }>;
};

function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end);
}

function codeBlocks(lang: string): string[] {
  return [...doc.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);
}

describe('docs/feed-format.md', () => {
  it('lists every cap with the value of FEED_CAPS', () => {
    const rows = new Map(
      [...section('Caps').matchAll(/^\| `(\w+)` \| ([\d,]+)/gm)].map((m) => [
        m[1],
        Number(m[2]?.replace(/,/g, '')),
      ]),
    );
    expect(Object.fromEntries(rows)).toEqual({ ...FEED_CAPS });
  });

  it('documents every field of the manifest, definitions, labels, sources, chunks and envelope', () => {
    // The first cell of a table row names the field: `field`, `sources[].field` or `account` / `post` / `link`.
    const firstCells = doc
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|')[1] as string);
    for (const def of ['manifest', 'definition', 'label', 'source', 'chunkRef', 'envelope']) {
      for (const field of Object.keys(schema.$defs[def]?.properties ?? {})) {
        const name = def === 'source' ? `sources[].${field}` : field;
        expect(
          firstCells.some((cell) => cell.includes(`\`${name}\``)),
          `${def}.${field}`,
        ).toBe(true);
      }
    }
  });

  it('has a manifest example the parser accepts', () => {
    const [example] = codeBlocks('json').filter((b) => b.includes('"format": "context-lens/1"'));
    const result = parseManifest(utf8Encode(example as string));
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });

  it('has a CSV example the CSV parser accepts with the example definitions', async () => {
    const [csv] = codeBlocks('csv');
    const [manifest] = codeBlocks('json').filter((b) => b.includes('"format": "context-lens/1"'));
    const { definitions, id, name, publisher, homepage, description, appeals } = JSON.parse(
      manifest as string,
    );
    const result = await readCsvSource(csv as string, {
      id,
      name,
      publisher,
      homepage,
      description,
      appeals,
      definitions,
    });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
    expect(result.ok && result.value.labels).toHaveLength(2);
  });
});
