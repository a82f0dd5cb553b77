// Bluesky labeler import: queryLabels pages (fixtures following the atproto lexicons, checked here
// against the real lexicon in realdata), posts and DIDs as targets, neg and exp, the newest label
// per labeler/subject/value, definitions from --meta or generic, malformed labels by line and field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { realdata } from '../../tests/realdata';
import { exampleDefinition } from '../testing';
import { atprotoDefinitionId, atprotoTarget, importAtprotoLabels } from './atproto-labels';
import { ImportError } from './common';
import { parseJsonDocument } from './json';

const fixture = (name: string) =>
  parseJsonDocument(name, readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const LABELER = 'did:plc:ar7c4by46qjdydhdevvrndac';

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error.message;
    throw error;
  }
  throw new Error('expected an ImportError');
}

describe('the fixtures', () => {
  it('use exactly the fields of com.atproto.label.defs#label', () => {
    const defs = JSON.parse(readFileSync(realdata('atproto_labels/com.atproto.label.defs.json'), 'utf8'));
    const { properties, required } = defs.defs.label;
    const query = JSON.parse(
      readFileSync(realdata('atproto_labels/com.atproto.label.queryLabels.json'), 'utf8'),
    );
    const outputFields = Object.keys(query.defs.main.output.schema.properties);
    for (const name of ['queryLabels-page1.json', 'queryLabels-page2.json']) {
      const page = JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
      for (const key of Object.keys(page)) if (key !== '$comment') expect(outputFields).toContain(key);
      for (const label of page.labels) {
        for (const key of Object.keys(label)) expect(Object.keys(properties)).toContain(key);
        for (const key of required) expect(label).toHaveProperty(key);
      }
    }
  });

  it('become posts on bsky.app and DID accounts; negations and expiry carry over; the newest counts', () => {
    const result = importAtprotoLabels([
      fixture('queryLabels-page1.json'),
      fixture('queryLabels-page2.json'),
    ]);
    expect(result.read).toEqual([
      ['labels', 6],
      ['pages', 2],
    ]);
    const byTarget = Object.fromEntries(result.labels.map((l) => [l.post ?? l.account, l]));
    expect(
      byTarget['https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3l6oveex3ii2l'],
    ).toMatchObject({
      val: 'misleading',
      cts: '2024-11-02T09:15:00.000Z',
      sources: [{ url: `https://bsky.app/profile/${LABELER}`, publisher: LABELER }],
    });
    expect(byTarget['did:plc:ewvi7nxzyoun6zhxrhs64oiz']).toMatchObject({ val: 'spam', neg: true });
    expect(
      byTarget['https://bsky.app/profile/did:plc:q6gjnaw2blty4crticxkmujt/post/3kbhiodpr4m2d']?.val,
    ).toBe('system-warn');
    expect(Object.fromEntries(result.skipped.counts)).toEqual({
      'subject is a "app.bsky.graph.list" record (only posts and accounts can be shown)': 1,
      'an older label for the same labeler, subject and value (the newest counts)': 2,
    });
    expect(result.definitions.map((d) => d.id)).toEqual(['misleading', 'spam', 'system-warn']);
    expect(result.definitions[0]?.description.en).toContain(LABELER);
  });

  it('take definitions from --meta where it has one, and keep exp', () => {
    const page = parseJsonDocument(
      'p.json',
      JSON.stringify({
        labels: [
          {
            src: LABELER,
            uri: 'did:plc:ewvi7nxzyoun6zhxrhs64oiz',
            val: 'spam',
            cts: '2024-11-03T10:00:00Z',
            exp: '2025-01-01T00:00:00Z',
          },
        ],
      }),
    );
    const spam = exampleDefinition('spam', { title: { en: 'Spam account' } });
    const result = importAtprotoLabels([page], { definitions: [spam] });
    expect(result.definitions).toEqual([spam]);
    expect(result.labels[0]?.exp).toBe('2025-01-01T00:00:00Z');
    expect(result.notices.counts.size).toBe(0);
  });
});

describe('subjects and values', () => {
  it.each([
    ['did:plc:z72i7hdynmk6r22z27h6tvur', { kind: 'account', value: 'did:plc:z72i7hdynmk6r22z27h6tvur' }],
    [
      'at://did:plc:z72i7hdynmk6r22z27h6tvur',
      { kind: 'account', value: 'at://did:plc:z72i7hdynmk6r22z27h6tvur' },
    ],
    [
      'at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l',
      { kind: 'post', value: 'https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3l6oveex3ii2l' },
    ],
    [
      'at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.actor.profile/self',
      { skip: expect.stringContaining('app.bsky.actor.profile') },
    ],
    ['https://bsky.app/profile/x', { skip: 'subject is not an at:// URI or a DID' }],
  ])('%s', (uri, expected) => {
    expect(atprotoTarget(uri)).toEqual(expected);
  });

  it('turns label values into definition ids', () => {
    expect(atprotoDefinitionId('porn')).toBe('porn');
    expect(atprotoDefinitionId('!hide')).toBe('system-hide');
    expect(atprotoDefinitionId('Spam_Bot')).toBe('spam-bot');
    expect(atprotoDefinitionId('!!!')).toBeNull();
  });
});

describe('characters the format refuses', () => {
  it('leaves them out of a generic definition named after the value, counting them', () => {
    const page = {
      labels: [
        {
          src: LABELER,
          uri: 'did:plc:z72i7hdynmk6r22z27h6tvur',
          val: 'spam\u202E',
          cts: '2024-11-02T09:15:00.000Z',
        },
      ],
    };
    const result = importAtprotoLabels([parseJsonDocument('page.json', JSON.stringify(page))]);
    expect(result.definitions.map((d) => [d.id, d.title.en])).toEqual([['spam', 'spam']]);
    expect(
      result.notices.counts.get(
        'control or bidi characters removed from texts (the feed format refuses them)',
      ),
    ).toBe(1);
  });
});

describe('malformed labels', () => {
  it('names the file, line and field', () => {
    const text = `{"labels": [\n  {"src": "${LABELER}", "uri": "did:plc:abc", "val": "spam", "cts": "2024-11-03T10:00:00Z"},\n  {"src": "${LABELER}", "uri": "did:plc:abc", "val": "spam",\n   "cts": "yesterday"}\n]}`;
    expect(errorOf(() => importAtprotoLabels([parseJsonDocument('page.json', text)]))).toBe(
      'page.json: line 4: labels[1].cts: "yesterday" is not a date-time with a zone',
    );
    expect(
      errorOf(() =>
        importAtprotoLabels([parseJsonDocument('page.json', '{"labels": [{"uri": "did:plc:abc"}]}')]),
      ),
    ).toMatch(/^page\.json: line 1: labels\[0\]\.src: is required/);
    expect(errorOf(() => parseJsonDocument('page.json', '{"labels": [\n  {,}\n]}'))).toMatch(
      /^page\.json: line 2: not valid JSON \(\w+\)$/,
    );
    expect(errorOf(() => importAtprotoLabels([parseJsonDocument('page.json', '[]')]))).toMatch(
      /page\.json: line 1: labels: expected a queryLabels page/,
    );
  });
});
