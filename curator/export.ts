/**
 * The curator's draft → a JSON feed source: the manifest's shape without signature, sequence and
 * chunks, labels inline (docs/feed-format.md). `context-lens-feed build <file> --key k --out dir`
 * accepts the result unchanged; the builder fills in issued, expires, sequence and the key.
 * Pure: no extension API.
 */
import type { FeedSource } from '../feed/source';
import { FEED_FORMAT, type Label } from '../feed/types';
import type { CuratorDraft, DraftLabel } from '../storage/settings';

/** A feed source as curator mode writes it: the format named, every label with its cts. */
export type ExportedSource = FeedSource & { format: typeof FEED_FORMAT; labels: Label[] };

function sourceLabel(draft: DraftLabel): Label {
  const label: Label = {
    id: draft.id,
    [draft.kind]: draft.target,
    val: draft.val,
    sources: draft.sources.map((s) => (s.title ? { url: s.url, title: s.title } : { url: s.url })),
    cts: draft.cts,
  } as Label;
  if (draft.note !== undefined && draft.note !== '') label.note = draft.note;
  if (draft.since !== undefined) label.since = draft.since;
  if (draft.until !== undefined) label.until = draft.until;
  return label;
}

export function draftToSource(draft: CuratorDraft): ExportedSource {
  return {
    format: FEED_FORMAT,
    id: draft.feed.id.trim(),
    name: draft.feed.name.trim(),
    publisher: draft.feed.publisher.trim(),
    homepage: draft.feed.homepage.trim(),
    description: draft.feed.description.trim(),
    appeals: draft.feed.appeals.trim(),
    definitions: draft.definitions,
    labels: draft.labels.map(sourceLabel),
  };
}

/** The file a curator downloads: pretty-printed, ending in a newline, so it diffs well in git. */
export function sourceFileText(draft: CuratorDraft): string {
  return `${JSON.stringify(draftToSource(draft), null, 2)}\n`;
}

/** A file name for the export, from the feed's name. */
export function sourceFileName(draft: CuratorDraft): string {
  const slug = draft.feed.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'feed'}.source.json`;
}
