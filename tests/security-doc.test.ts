// docs/security.md names the tests that prove each claim (`file › test name…`, or `› test name…`
// for another test of the file before it): every one of them must exist, so the document cannot
// cite a test that was renamed or removed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const doc = readFileSync(join(ROOT, 'docs/security.md'), 'utf8');

/** Every `file › name` cited, with the file a bare `› name` continues. */
function citations(): { file: string; name?: string }[] {
  const out: { file: string; name?: string }[] = [];
  for (const line of doc.split('\n')) {
    let file: string | undefined;
    for (const [, code] of line.matchAll(/`([^`]+)`/g)) {
      const m = /^(?:([\w./-]+\.(?:test|spec)\.tsx?))?\s*(?:› (.+))?$/.exec(code as string);
      if (!m || (!m[1] && !m[2])) continue;
      if (m[1]) file = m[1];
      if (!file) continue;
      out.push({ file, ...(m[2] ? { name: m[2] } : {}) });
    }
  }
  return out;
}

describe('docs/security.md', () => {
  it('cites only tests that exist', () => {
    const cited = citations();
    expect(cited.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const { file, name } of cited) {
      const path = join(ROOT, file);
      if (!existsSync(path)) {
        missing.push(`${file}: no such file`);
        continue;
      }
      if (!name) continue;
      // Long names are cut with "…"; quotes may be escaped differently in the source.
      const prefix = name.replace(/…$/, '').trim();
      const text = readFileSync(path, 'utf8').replaceAll("\\'", "'").replaceAll('\\"', '"');
      if (!text.includes(prefix)) missing.push(`${file} › ${prefix}`);
    }
    expect(missing).toEqual([]);
  });
});
