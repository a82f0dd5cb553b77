// Community Notes import: the real 2021 sample (counts), the current columns (fixture following
// twitter/communitynotes' published columns), the default filter, --include needs-more-ratings,
// entity decoding, URLs moved into sources, caps, and malformed input named by file, line and field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitTable } from '../../cli/import/tables';
import { realdata } from '../../tests/realdata';
import { FEED_CAPS } from '../caps';
import { Problems } from '../problems';
import { validateLabels } from '../validate';
import { ImportError, type Table } from './common';
import {
  COMMUNITY_NOTE,
  COMMUNITY_NOTE_NEEDS_RATINGS,
  importCommunityNotes,
  noteUrl,
} from './community-notes';

const tsv = (file: string, text: string): Table => splitTable(file, text, { delimiter: '\t', quoted: false });
const read = (path: string, name = path): Table => tsv(name, readFileSync(path, 'utf8'));
const fixture = (name: string) => read(new URL(`./fixtures/${name}`, import.meta.url).pathname, name);

const NOTES_2021 = 'noteId\tparticipantId\tcreatedAtMillis\ttweetId\tclassification\tsummary';
const STATUS = 'noteId\tparticipantId\tcreatedAtMillis\ttimestampMillisOfCurrentStatus\tcurrentStatus';

function notes(...rows: string[]): Table {
  return tsv('notes.tsv', [NOTES_2021, ...rows].join('\n'));
}
function status(...rows: string[]): Table {
  return tsv('status.tsv', [STATUS, ...rows].join('\n'));
}
const MIS = 'MISINFORMED_OR_POTENTIALLY_MISLEADING';

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error.message;
    throw error;
  }
  throw new Error('expected an ImportError');
}

describe('the real 2021 sample', () => {
  const result = importCommunityNotes([
    read(realdata('community_notes/notes-00000.head1000.tsv'), 'notes-00000.head1000.tsv'),
    read(realdata('community_notes/noteStatusHistory-00000.rows30488-end.tsv'), 'noteStatusHistory.tsv'),
  ]);

  it('reads every row and counts every note that does not become a label by reason', () => {
    expect(result.read).toEqual([
      ['notes', 1000],
      ['status rows', 5631],
    ]);
    // The sample's README: of the 981 joined notes 25 are CURRENTLY_RATED_HELPFUL, 164 need more
    // ratings, 4 are rated not helpful and 788 have no status; 19 have no status row. A note
    // classified NOT_MISLEADING is counted as that, whatever its status.
    expect(result.labels).toHaveLength(25);
    expect(Object.fromEntries(result.skipped.counts)).toEqual({
      'classified NOT_MISLEADING': 194,
      'no current status (never scored)': 596,
      'status NEEDS_MORE_RATINGS (import them with --include needs-more-ratings)': 164,
      'status CURRENTLY_RATED_NOT_HELPFUL': 4,
      'no row in the status history': 17,
    });
    expect(result.labels.length + result.skipped.total).toBe(1000);
  });

  it('writes post labels on x.com/i/status/<tweetId> that the feed validator accepts', () => {
    const p = new Problems();
    validateLabels(result.labels, 'labels', new Set([COMMUNITY_NOTE]), p, { ctsOptional: true });
    expect(p.list).toEqual([]);
    for (const label of result.labels) {
      expect(label.post).toMatch(/^https:\/\/x\.com\/i\/status\/\d+$/);
      expect(label.sources[0]?.url).toBe(noteUrl(label.id.slice(3)));
      expect(typeof label.note === 'string' ? label.note : '').not.toMatch(/https?:\/\/|&amp;|&quot;/);
    }
  });

  it('decodes entities and moves the cited URLs into sources', () => {
    const label = result.labels.find((l) => l.id === 'cn-1354952644020883459');
    expect(label?.note).toBe("Susan Collins voted against Amy Coney Barrett's Supreme Court nomination.");
    expect(label?.sources.map((s) => s.url)).toEqual([
      'https://x.com/i/communitynotes/n/1354952644020883459',
      'https://www.collins.senate.gov/newsroom/senator-collins%E2%80%99-statement-supreme-court-nomination',
    ]);
    expect(label?.cts).toBe('2021-01-29T00:40:58.794Z');
  });

  it('adds the notes that need more ratings under their own definition with --include', () => {
    const all = importCommunityNotes(
      [
        read(realdata('community_notes/notes-00000.head1000.tsv')),
        read(realdata('community_notes/noteStatusHistory-00000.rows30488-end.tsv')),
      ],
      { includeNeedsMoreRatings: true },
    );
    expect(all.labels.filter((l) => l.val === COMMUNITY_NOTE_NEEDS_RATINGS)).toHaveLength(164);
    expect(all.labels.filter((l) => l.val === COMMUNITY_NOTE)).toHaveLength(25);
  });
});

describe('the current columns', () => {
  const tables = [fixture('notes-00000.tsv'), fixture('noteStatusHistory-00000.tsv')];

  it('reads noteAuthorParticipantId, isMediaNote and the status history by column name', () => {
    const result = importCommunityNotes(tables);
    expect(result.labels).toEqual([
      {
        id: 'cn-1800000000000000001',
        post: 'https://x.com/i/status/1799999999999999901',
        val: COMMUNITY_NOTE,
        note: "The photo is from a 2019 flood in another country, not from this week's storm. It was first published by Reuters and the agency's caption says so.",
        sources: [
          {
            url: 'https://x.com/i/communitynotes/n/1800000000000000001',
            title: 'Community Note 1800000000000000001',
            publisher: 'X Community Notes',
            date: '2024-06-01T12:00:00.000Z',
          },
          { url: 'https://www.reuters.com/pictures/flood-2019-example' },
          { url: 'https://example.org/caption?a=1&b=2' },
        ],
        cts: '2024-06-01T12:00:00.000Z',
        since: '2024-06-01T16:00:00.000Z',
      },
    ]);
    expect(Object.fromEntries(result.skipped.counts)).toEqual({
      'status NEEDS_MORE_RATINGS (import them with --include needs-more-ratings)': 1,
      'status CURRENTLY_RATED_NOT_HELPFUL': 1,
      'classified NOT_MISLEADING': 1,
    });
  });

  it('gives the same ids on a second import, and drops a note that lost its status', () => {
    const first = importCommunityNotes(tables, { includeNeedsMoreRatings: true });
    expect(importCommunityNotes(tables, { includeNeedsMoreRatings: true })).toEqual(first);
    const text = readFileSync(new URL('./fixtures/noteStatusHistory-00000.tsv', import.meta.url), 'utf8');
    const demoted = text.replace(
      /^(1800000000000000001\t(?:[^\t]*\t){5})CURRENTLY_RATED_HELPFUL/m,
      '$1NEEDS_MORE_RATINGS',
    );
    expect(demoted).not.toBe(text);
    const next = importCommunityNotes([tables[0] as Table, tsv('status.tsv', demoted)]);
    expect(next.labels.map((l) => l.id)).toEqual([]);
    expect(first.labels.map((l) => l.id)).toEqual(['cn-1800000000000000001', 'cn-1800000000000000002']);
  });
});

describe('text and caps', () => {
  it('shortens a note to the cap and keeps at most 20 sources', () => {
    const urls = Array.from({ length: 25 }, (_, i) => `https://example.org/${i}`).join(' ');
    const long = `${'word '.repeat(1200)}${urls}`;
    const result = importCommunityNotes([
      notes(`1\tA\t1700000000000\t2\t${MIS}\t${long}`),
      status('1\tA\t0\t1700000100000\tCURRENTLY_RATED_HELPFUL'),
    ]);
    const [label] = result.labels;
    const note = String(label?.note);
    expect(note.length).toBe(FEED_CAPS.textLength);
    expect(note.endsWith('…')).toBe(true);
    expect(label?.sources).toHaveLength(FEED_CAPS.sourcesPerLabel);
    expect(Object.fromEntries(result.notices.counts)).toEqual({
      'notes shortened to 5,000 characters': 1,
      'cited URLs left out (a label keeps at most 20 sources)': 6,
    });
  });

  it('keeps a parenthesis that belongs to the URL and drops sentence punctuation', () => {
    const result = importCommunityNotes([
      notes(
        `1\tA\t1700000000000\t2\t${MIS}\tSee https://en.wikipedia.org/wiki/Mercury_(planet). Also (https://example.org/a).`,
      ),
      status('1\tA\t0\t-1\tCURRENTLY_RATED_HELPFUL'),
    ]);
    expect(result.labels[0]?.sources.slice(1).map((s) => s.url)).toEqual([
      'https://en.wikipedia.org/wiki/Mercury_(planet)',
      'https://example.org/a',
    ]);
    // "See <URL>." said nothing but the link; "(<URL>)" goes with its brackets.
    expect(result.labels[0]?.note).toBe('Also.');
    expect(result.labels[0]?.since).toBeUndefined();
  });
});

describe('characters the format refuses', () => {
  it('removes control and bidi characters from the note (raw or as references), counting them', () => {
    const result = importCommunityNotes([
      notes(`1\tA\t1700000000000\t2\t${MIS}\tA \u202Ereversed\u202C claim&#x7; that rings.`),
      status('1\tA\t0\t-1\tCURRENTLY_RATED_HELPFUL'),
    ]);
    expect(result.labels[0]?.note).toBe('A reversed claim that rings.');
    expect(
      result.notices.counts.get(
        'control or bidi characters removed from texts (the feed format refuses them)',
      ),
    ).toBe(3);
    const p = new Problems();
    validateLabels(result.labels, 'labels', new Set([COMMUNITY_NOTE]), p, { ctsOptional: true });
    expect(p.list).toEqual([]);
  });
});

describe('malformed input', () => {
  it('names the file, line and field', () => {
    expect(
      errorOf(() =>
        importCommunityNotes([
          notes(`1\tA\t1700000000000\tnot-a-number\t${MIS}\tx`),
          status('1\tA\t0\t-1\t'),
        ]),
      ),
    ).toBe('notes.tsv: line 2: tweetId: "not-a-number" is not a post id');
    expect(
      errorOf(() =>
        importCommunityNotes([notes(`1\tA\t1700000000000\t2\tSOMETIMES\tx`), status('1\tA\t0\t-1\t')]),
      ),
    ).toMatch(/^notes\.tsv: line 2: classification: "SOMETIMES" is not/);
    expect(
      errorOf(() =>
        importCommunityNotes([
          notes(`1\tA\t1\t2\t${MIS}\tx`),
          status('1\tA\t0\tsoon\tCURRENTLY_RATED_HELPFUL'),
        ]),
      ),
    ).toBe('status.tsv: line 2: timestampMillisOfCurrentStatus: "soon" is not a time in milliseconds');
  });

  it('refuses a file that is neither notes nor status history, and a missing status file', () => {
    expect(
      errorOf(() => importCommunityNotes([tsv('ratings.tsv', 'noteId\traterParticipantId\n1\tA')])),
    ).toMatch(/ratings\.tsv: line 1: is neither a notes file/);
    expect(errorOf(() => importCommunityNotes([notes()]))).toMatch(/no noteStatusHistory-\*\.tsv file given/);
  });
});
