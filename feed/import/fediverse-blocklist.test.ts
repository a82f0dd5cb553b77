// Fediverse blocklist import: Oliphant's real Mastodon and FediBlockHole lists (counts), suspend
// and silence as two definitions, obfuscated domains counted, --source-url cited, malformed rows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitTable } from '../../cli/import/tables';
import { realdata } from '../../tests/realdata';
import { Problems } from '../problems';
import { validateLabels } from '../validate';
import { ImportError, type Table } from './common';
import {
  BLOCKLIST_DEFINITIONS,
  importFediverseBlocklist,
  SERVER_SILENCED,
  SERVER_SUSPENDED,
  serverLabelId,
} from './fediverse-blocklist';

const LIST = 'https://codeberg.org/oliphant/blocklists';
const csv = (file: string, text: string): Table => splitTable(file, text, { delimiter: ',', quoted: true });
const real = (name: string) => csv(name, readFileSync(realdata(`fediverse_blocklists/${name}`), 'utf8'));
const MASTODON_HEADER = '#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate';

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error.message;
    throw error;
  }
  throw new Error('expected an ImportError');
}

describe('the real lists', () => {
  it('gardenfence: 147 rows, 145 suspended servers, the public suffixes counted', () => {
    const result = importFediverseBlocklist([real('oliphant_mastodon_gardenfence.csv')], { sourceUrl: LIST });
    expect(result.read).toEqual([['rows', 147]]);
    expect(result.labels).toHaveLength(145);
    expect(result.labels.every((l) => l.val === SERVER_SUSPENDED)).toBe(true);
    expect(Object.fromEntries(result.skipped.counts)).toEqual({
      'a public suffix (hf.space, workers.dev…): a label would cover unrelated sites': 2,
    });
    const p = new Problems();
    validateLabels(result.labels, 'labels', new Set(BLOCKLIST_DEFINITIONS.map((d) => d.id)), p, {
      ctsOptional: true,
    });
    expect(p.list).toEqual([]);
    expect(result.labels.find((l) => l.id === 'server-5dollah.click')).toEqual({
      id: 'server-5dollah.click',
      link: '5dollah.click',
      server: true,
      val: SERVER_SUSPENDED,
      note: 'anti-lgbtq, harassment, hate-speech, racism, spam',
      sources: [{ url: LIST, title: 'Fediverse domain blocklist' }],
    });
  });

  it('mastodon.social: silence and suspend, obfuscated domains counted; the FediBlockHole copy reads the same', () => {
    const mastodon = importFediverseBlocklist([real('oliphant_mastodon_mastodon.social.csv')], {
      sourceUrl: LIST,
    });
    expect(mastodon.read).toEqual([['rows', 396]]);
    expect(mastodon.labels.filter((l) => l.val === SERVER_SUSPENDED)).toHaveLength(231);
    expect(mastodon.labels.filter((l) => l.val === SERVER_SILENCED)).toHaveLength(30);
    expect(Object.fromEntries(mastodon.skipped.counts)).toEqual({
      'obfuscated domain (written with *, cannot be matched)': 130,
      'a public suffix (hf.space, workers.dev…): a label would cover unrelated sites': 5,
    });
    const blockhole = importFediverseBlocklist([real('oliphant_root_mastodon.social.csv')], {
      sourceUrl: LIST,
    });
    expect(blockhole.labels.map((l) => [l.id, l.val])).toEqual(mastodon.labels.map((l) => [l.id, l.val]));
    expect(blockhole.skipped.counts).toEqual(mastodon.skipped.counts);
  });

  it('the unified tier-0 list: an obfuscate flag on a written-out domain is still imported', () => {
    const result = importFediverseBlocklist([real('oliphant_mastodon__unified_tier0_blocklist.csv')], {
      sourceUrl: LIST,
    });
    expect(result.read).toEqual([['rows', 449]]);
    expect(result.labels).toHaveLength(446);
    expect(result.labels.find((l) => l.id === 'server-13bells.com')?.note).toBe(
      'iftas:hate-speech;online-harassment',
    );
  });
});

describe('rows', () => {
  it('keeps the first of a domain listed twice, reads FediBlockHole booleans, skips noop', () => {
    const result = importFediverseBlocklist(
      [
        csv(
          'list.csv',
          'domain,severity,reject_media,reject_reports,public_comment,obfuscate\n' +
            'Blocked.Example,suspend,True,False,"spam, harassment",False\n' +
            'www.blocked.example,silence,False,False,,False\n' +
            'media.example,noop,True,False,,False\n' +
            'b*d.example,suspend,False,False,,True\n',
        ),
      ],
      { sourceUrl: LIST },
    );
    expect(result.labels.map((l) => [l.id, l.link, l.val, l.note])).toEqual([
      ['server-blocked.example', 'blocked.example', SERVER_SUSPENDED, 'spam, harassment'],
    ]);
    expect(Object.fromEntries(result.skipped.counts)).toEqual({
      'the same domain again (the first row is kept)': 1,
      'severity noop (the list only rejects media or reports)': 1,
      'obfuscated domain (written with *, cannot be matched)': 1,
    });
  });

  it('gives an international domain its punycode id and hashes a name too long for an id', () => {
    expect(serverLabelId('xn--bcher-kva.de')).toBe('server-xn--bcher-kva.de');
    expect(serverLabelId(`${'a'.repeat(63)}.${'b'.repeat(63)}.example`)).toMatch(/^server-[0-9a-f]{16}$/);
  });

  it('removes control and bidi characters from a public comment, counting them', () => {
    const result = importFediverseBlocklist(
      [
        csv(
          'list.csv',
          `${MASTODON_HEADER}\nbad.example,suspend,false,false,"spam\u2067, hate\u0007",false\n`,
        ),
      ],
      { sourceUrl: LIST },
    );
    expect(result.labels[0]?.note).toBe('spam, hate');
    expect(
      result.notices.counts.get(
        'control or bidi characters removed from texts (the feed format refuses them)',
      ),
    ).toBe(2);
  });

  it('names the file, line and field of a malformed row', () => {
    expect(
      errorOf(() =>
        importFediverseBlocklist(
          [
            csv(
              'list.csv',
              `${MASTODON_HEADER}\nok.example,suspend,false,false,,false\nx.example,ban,false,false,,false\n`,
            ),
          ],
          {
            sourceUrl: LIST,
          },
        ),
      ),
    ).toBe('list.csv: line 3: severity: "ban" is not suspend, silence or noop');
    expect(
      errorOf(() =>
        importFediverseBlocklist(
          [csv('list.csv', `${MASTODON_HEADER}\nx.example,suspend,yes,false,,false\n`)],
          {
            sourceUrl: LIST,
          },
        ),
      ),
    ).toBe('list.csv: line 2: reject_media: "yes" is not true or false');
    expect(
      errorOf(() =>
        importFediverseBlocklist([csv('list.csv', 'host,level\na.example,suspend\n')], { sourceUrl: LIST }),
      ),
    ).toMatch(/^list\.csv: line 1: the header must name the columns domain and severity/);
    expect(errorOf(() => importFediverseBlocklist([], { sourceUrl: 'ftp://example.org/list' }))).toMatch(
      /--source-url: "ftp:\/\/example\.org\/list" is not an http\(s\) URL/,
    );
  });
});
