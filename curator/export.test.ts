import { describe, expect, it } from 'vitest';
import { buildFeed } from '../feed/build';
import { generateKeyPair } from '../feed/keys';
import { parseJsonSource } from '../feed/source';
import { defaultDraft, putDraftLabel } from './draft';
import { sourceFileName, sourceFileText } from './export';

function draftWithLabels() {
  let draft = defaultDraft();
  draft = putDraftLabel(draft, {
    id: 'draft-2026-03-01-aaaa',
    kind: 'account',
    target: 'https://x.com/alice',
    val: 'account-suspended',
    note: 'Suspended on 1 March.',
    sources: [{ url: 'https://news.example/story', title: 'The story' }],
    since: '2026-03-01',
    cts: '2026-03-01T12:00:00.000Z',
  });
  draft = putDraftLabel(draft, {
    id: 'draft-2026-03-02-bbbb',
    kind: 'link',
    target: 'https://fake-news.example/article',
    val: 'fabricated',
    sources: [{ url: 'https://factcheck.example/x' }],
    cts: '2026-03-02T08:00:00.000Z',
  });
  return draft;
}

describe('export as feed source', () => {
  it("is accepted unchanged by the feed library's source parser, labels inline with their targets", () => {
    const parsed = parseJsonSource(sourceFileText(draftWithLabels()));
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    if (!parsed.ok) return;
    expect(parsed.value.name).toBe('My label feed');
    expect(parsed.value.labels).toEqual([
      {
        id: 'draft-2026-03-01-aaaa',
        account: 'https://x.com/alice',
        val: 'account-suspended',
        note: 'Suspended on 1 March.',
        sources: [{ url: 'https://news.example/story', title: 'The story' }],
        since: '2026-03-01',
        cts: '2026-03-01T12:00:00.000Z',
      },
      {
        id: 'draft-2026-03-02-bbbb',
        link: 'https://fake-news.example/article',
        val: 'fabricated',
        sources: [{ url: 'https://factcheck.example/x' }],
        cts: '2026-03-02T08:00:00.000Z',
      },
    ]);
  });

  it('builds into a signed feed carrying the drafted labels', async () => {
    const parsed = parseJsonSource(sourceFileText(draftWithLabels()));
    if (!parsed.ok) throw new Error('source refused');
    const key = await generateKeyPair();
    const built = await buildFeed(parsed.value, {
      privateKey: key.privateKey,
      now: new Date('2026-03-03T00:00:00Z'),
    });
    expect(built.manifest.sequence).toBe(1);
    expect(built.manifest.labels?.map((l) => l.val)).toEqual(['account-suspended', 'fabricated']);
  });

  it('is refused by the parser, naming the field, when the draft is incomplete', () => {
    const draft = draftWithLabels();
    draft.feed.homepage = 'example.org';
    const parsed = parseJsonSource(sourceFileText(draft));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.path)).toContain('homepage');
  });

  it('is named after the feed', () => {
    expect(sourceFileName(defaultDraft())).toBe('my-label-feed.source.json');
  });
});
