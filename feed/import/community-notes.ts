/**
 * X's Community Notes public download (notes-*.tsv joined with noteStatusHistory-*.tsv on noteId)
 * to post labels on `https://x.com/i/status/<tweetId>`. Reads the 2021 columns (`participantId`,
 * no `isMediaNote`) and the current ones (`noteAuthorParticipantId`, `isMediaNote`,
 * `isCollaborativeNote`, …) by name, so column order and added columns do not matter.
 * docs/import.md says what each field becomes. Pure: the CLI splits the files into tables.
 */
import type { LabelDefinition } from '../types';
import type { LabelInput } from '../validate';
import {
  columnIndex,
  decodeEntities,
  fitNote,
  ImportProblems,
  type ImportResult,
  isoFromMillis,
  plainText,
  sortById,
  sourcesWith,
  type Table,
  Tally,
  takeUrls,
} from './common';

export const COMMUNITY_NOTE = 'community-note';
export const COMMUNITY_NOTE_NEEDS_RATINGS = 'community-note-needs-ratings';

export const COMMUNITY_NOTES_DEFINITIONS: LabelDefinition[] = [
  {
    id: COMMUNITY_NOTE,
    title: { en: 'Community Note' },
    description: {
      en: "Contributors to X's Community Notes wrote this note about the post, and raters who usually disagree with each other rated it helpful. The note says what context the post misses; its sources are linked.",
    },
    severity: 'caution',
    defaultAction: 'badge',
  },
  {
    id: COMMUNITY_NOTE_NEEDS_RATINGS,
    title: { en: 'Proposed Community Note' },
    description: {
      en: "A contributor to X's Community Notes proposed this note about the post. It has not yet been rated helpful by enough raters who usually disagree with each other, so X does not show it.",
    },
    severity: 'info',
    defaultAction: 'badge',
  },
];

export interface CommunityNotesOptions {
  /** Also import notes whose current status is NEEDS_MORE_RATINGS (`--include needs-more-ratings`). */
  includeNeedsMoreRatings?: boolean;
}

const NUMBER = /^\d{1,20}$/;
const MISLEADING = 'MISINFORMED_OR_POTENTIALLY_MISLEADING';
const NOT_MISLEADING = 'NOT_MISLEADING';
const STATUSES = new Set([
  '',
  'NEEDS_MORE_RATINGS',
  'CURRENTLY_RATED_HELPFUL',
  'CURRENTLY_RATED_NOT_HELPFUL',
]);

interface Status {
  status: string;
  /** When the note got its current status (ms since the epoch, as text). */
  since: string;
  file: string;
  line: number;
}

/** The public page of a note. */
export function noteUrl(noteId: string): string {
  return `https://x.com/i/communitynotes/n/${noteId}`;
}

function isNotesTable(t: Table): boolean {
  return t.columns.includes('summary') && t.columns.includes('tweetId');
}

function isStatusTable(t: Table): boolean {
  return t.columns.includes('currentStatus');
}

function requireColumns(t: Table, p: ImportProblems, groups: string[][]): number[] {
  return groups.map((names) => {
    const i = columnIndex(t, ...names);
    if (i < 0)
      p.add({
        file: t.file,
        line: 1,
        message: `missing the column ${names.join(' (or ')}${names.length > 1 ? ')' : ''}`,
      });
    return i;
  });
}

export function importCommunityNotes(tables: Table[], opts: CommunityNotesOptions = {}): ImportResult {
  const p = new ImportProblems();
  const notesTables = tables.filter(isNotesTable);
  const statusTables = tables.filter((t) => !isNotesTable(t) && isStatusTable(t));
  for (const t of tables) {
    if (!notesTables.includes(t) && !statusTables.includes(t)) {
      p.add({
        file: t.file,
        line: 1,
        message:
          'is neither a notes file (noteId, tweetId, classification, summary, …) nor a noteStatusHistory file (noteId, currentStatus, …)',
      });
    }
  }
  if (notesTables.length === 0)
    p.add({ file: tables[0]?.file ?? 'input', message: 'no notes-*.tsv file given' });
  if (statusTables.length === 0)
    p.add({
      file: tables[0]?.file ?? 'input',
      message: "no noteStatusHistory-*.tsv file given: a note's status is only in that file",
    });
  p.throwIfAny();

  // Status rows by note id: the one that got its status last wins when files overlap.
  const statuses = new Map<string, Status>();
  let statusRows = 0;
  for (const t of statusTables) {
    const [idCol, statusCol, sinceCol] = requireColumns(t, p, [
      ['noteId'],
      ['currentStatus'],
      ['timestampMillisOfCurrentStatus'],
    ]) as [number, number, number];
    if (idCol < 0 || statusCol < 0 || sinceCol < 0) continue;
    for (const row of t.rows) {
      if (p.full) break;
      statusRows++;
      const noteId = row.values[idCol] ?? '';
      const status = row.values[statusCol] ?? '';
      const since = row.values[sinceCol] ?? '';
      if (!NUMBER.test(noteId)) {
        p.add({
          file: t.file,
          line: row.line,
          field: 'noteId',
          message: `${JSON.stringify(noteId)} is not a note id`,
        });
        continue;
      }
      if (!STATUSES.has(status)) {
        p.add({
          file: t.file,
          line: row.line,
          field: 'currentStatus',
          message: `${JSON.stringify(status)} is not NEEDS_MORE_RATINGS, CURRENTLY_RATED_HELPFUL, CURRENTLY_RATED_NOT_HELPFUL or empty`,
        });
        continue;
      }
      if (since !== '' && since !== '-1' && !NUMBER.test(since)) {
        p.add({
          file: t.file,
          line: row.line,
          field: 'timestampMillisOfCurrentStatus',
          message: `${JSON.stringify(since)} is not a time in milliseconds`,
        });
        continue;
      }
      const earlier = statuses.get(noteId);
      if (!earlier || Number(since) >= Number(earlier.since))
        statuses.set(noteId, { status, since, file: t.file, line: row.line });
    }
  }

  const skipped = new Tally();
  const notices = new Tally();
  const labels: LabelInput[] = [];
  const seenNotes = new Set<string>();
  let noteRows = 0;
  for (const t of notesTables) {
    const [idCol, , createdCol, tweetCol, classCol, summaryCol] = requireColumns(t, p, [
      ['noteId'],
      ['noteAuthorParticipantId', 'participantId'],
      ['createdAtMillis'],
      ['tweetId'],
      ['classification'],
      ['summary'],
    ]) as number[];
    if (p.list.length > 0) continue;
    for (const row of t.rows) {
      if (p.full) break;
      noteRows++;
      const get = (i: number | undefined) => (i === undefined ? '' : (row.values[i] ?? ''));
      const noteId = get(idCol);
      const tweetId = get(tweetCol);
      const created = get(createdCol);
      const classification = get(classCol);
      const at = { file: t.file, line: row.line };
      if (!NUMBER.test(noteId)) {
        p.add({ ...at, field: 'noteId', message: `${JSON.stringify(noteId)} is not a note id` });
        continue;
      }
      if (!NUMBER.test(tweetId)) {
        p.add({ ...at, field: 'tweetId', message: `${JSON.stringify(tweetId)} is not a post id` });
        continue;
      }
      if (!NUMBER.test(created)) {
        p.add({
          ...at,
          field: 'createdAtMillis',
          message: `${JSON.stringify(created)} is not a time in milliseconds`,
        });
        continue;
      }
      if (classification !== MISLEADING && classification !== NOT_MISLEADING) {
        p.add({
          ...at,
          field: 'classification',
          message: `${JSON.stringify(classification)} is not ${MISLEADING} or ${NOT_MISLEADING}`,
        });
        continue;
      }
      if (seenNotes.has(noteId)) {
        skipped.add('the same noteId again (the first row is kept)');
        continue;
      }
      seenNotes.add(noteId);
      if (classification === NOT_MISLEADING) {
        skipped.add('classified NOT_MISLEADING');
        continue;
      }
      const status = statuses.get(noteId);
      if (!status) {
        skipped.add('no row in the status history');
        continue;
      }
      let val: string;
      if (status.status === 'CURRENTLY_RATED_HELPFUL') val = COMMUNITY_NOTE;
      else if (status.status === 'NEEDS_MORE_RATINGS') {
        if (!opts.includeNeedsMoreRatings) {
          skipped.add('status NEEDS_MORE_RATINGS (import them with --include needs-more-ratings)');
          continue;
        }
        val = COMMUNITY_NOTE_NEEDS_RATINGS;
      } else if (status.status === 'CURRENTLY_RATED_NOT_HELPFUL') {
        skipped.add('status CURRENTLY_RATED_NOT_HELPFUL');
        continue;
      } else {
        skipped.add('no current status (never scored)');
        continue;
      }
      const cts = isoFromMillis(created);
      if (!cts) {
        p.add({ ...at, field: 'createdAtMillis', message: 'must be a time after 1970' });
        continue;
      }
      const { text, urls } = takeUrls(plainText(decodeEntities(get(summaryCol)), notices));
      const note = fitNote(text);
      if (note.clipped) notices.add('notes shortened to 5,000 characters');
      const label: LabelInput = {
        id: `cn-${noteId}`,
        post: `https://x.com/i/status/${tweetId}`,
        val,
        sources: sourcesWith(
          {
            url: noteUrl(noteId),
            title: `Community Note ${noteId}`,
            publisher: 'X Community Notes',
            date: cts,
          },
          urls,
          notices,
        ),
        cts,
      };
      if (note.text) label.note = note.text;
      const since = isoFromMillis(status.since);
      if (since) label.since = since;
      labels.push(label);
    }
  }
  p.throwIfAny();
  const unmatched = [...statuses.keys()].filter((id) => !seenNotes.has(id)).length;
  if (unmatched > 0) notices.add('status rows whose note is not in the notes files (not needed)', unmatched);
  return {
    definitions: COMMUNITY_NOTES_DEFINITIONS,
    labels: sortById(labels),
    read: [
      ['notes', noteRows],
      ['status rows', statusRows],
    ],
    skipped,
    notices,
  };
}
