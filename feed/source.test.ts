import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLabelIdFast, readCsvSource } from './csv-source';
import { checkSourceUrl, csvLabelId, parseJsonSource } from './source';
import { exampleDefinitions, exampleSource } from './testing';
import { formatProblem, type Result } from './types';
import { checkHttpUrl } from './validate';

function problems(result: Result<unknown>): string[] {
  return result.ok ? [] : result.problems.map(formatProblem);
}

const meta = {
  id: 'https://labels.example.org/feed.json',
  name: 'Example labels',
  publisher: 'Example Fact Desk',
  homepage: 'https://labels.example.org/',
  description: 'Documented enforcement actions.',
  appeals: 'mailto:appeals@example.org',
  definitions: exampleDefinitions,
};
const HEADER = 'type,target,val,note,sources,since,until';

describe('parseJsonSource', () => {
  it('accepts the manifest shape without sequence, chunks and publicKey; cts and times optional', async () => {
    const source = exampleSource(2);
    const { cts: _ignored, ...noCts } = source.labels[0] as (typeof source.labels)[0];
    const result = parseJsonSource(JSON.stringify({ ...source, labels: [noCts, source.labels[1]] }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.labels[0]?.cts).toBeUndefined();
    expect(result.value.issued).toBeUndefined();
  });

  it('says which fields belong to a built feed', async () => {
    const text = JSON.stringify({ ...exampleSource(0), sequence: 3, chunks: [], publicKey: 'x' });
    expect(problems(parseJsonSource(text))).toEqual([
      'sequence: is set when the feed is built, not in the source',
      'chunks: are made when the feed is built; list the labels in "labels"',
      'publicKey: comes from the signing key when the feed is built',
    ]);
  });

  it('names problems in labels and refuses bad JSON', async () => {
    const source = exampleSource(1);
    (source.labels[0] as { sources: { url: string }[] }).sources = [{ url: 'ftp://x' }];
    expect(problems(parseJsonSource(JSON.stringify(source)))).toEqual([
      'labels[0].sources[0].url: only http(s) URLs are allowed',
    ]);
    expect(problems(parseJsonSource('{"name":'))[0]).toMatch(/^source: is not valid JSON/);
    const { labels: _l, ...noLabels } = exampleSource(0);
    expect(problems(parseJsonSource(JSON.stringify(noLabels)))).toEqual([
      'labels: is required (an array, possibly empty)',
    ]);
  });
});

describe('readCsvSource: CSV syntax (RFC 4180, read by csv-parse)', () => {
  const rows = async (csv: string) => {
    const result = await readCsvSource(`${HEADER}\n${csv}`, meta);
    return result.ok ? result.value.labels.map((l) => [l.account, l.note]) : problems(result);
  };
  it('reads quoted fields with commas, doubled quotes and newlines, CRLF or LF, in any pieces', async () => {
    const csv =
      'account,x.com/a,account-suspended,"say ""hi"", two\nlines",https://n.example.org,,\r\naccount,x.com/b,account-suspended,plain,https://n.example.org,,\n';
    expect(await rows(csv)).toEqual([
      ['x.com/a', 'say "hi", two\nlines'],
      ['x.com/b', 'plain'],
    ]);
    async function* pieces() {
      const bytes = new TextEncoder().encode(`${HEADER}\n${csv}`);
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const streamed = await readCsvSource(pieces(), meta);
    expect(streamed.ok && streamed.value.labels.map((l) => l.note)).toEqual([
      'say "hi", two\nlines',
      'plain',
    ]);
  });
  it('reports unclosed quotes and stray quotes with their line', async () => {
    expect(await rows('account,x.com/a,account-suspended,\n"open,c\n')).toEqual([
      'line 3: a quoted field is never closed',
    ]);
    expect(await rows('account,x.com/a"b,account-suspended,,https://n.example.org,,\n')).toEqual([
      'line 2: a quote inside an unquoted field (quote the whole field)',
    ]);
    expect(await rows('"account"x,x.com/a,account-suspended,,https://n.example.org,,\n')).toEqual([
      'line 2: a closing quote must be followed by a comma or the end of the line',
    ]);
  });
  it('makes the same ids with node:crypto as csvLabelId', async () => {
    expect(csvLabelIdFast('account', 'https://x.com/a', 'v')).toBe(
      csvLabelId('account', 'https://x.com/a', 'v'),
    );
  });
});

describe('readCsvSource', () => {
  it('turns rows into labels with stable ids and meta fields', async () => {
    const csv = [
      HEADER,
      'account,https://x.com/someone,account-suspended,"Suspended, then banned",https://news.example.org/a https://news.example.org/b,2025-01-01,2025-02-01',
      'link,bad-site.example,hosting-terminated,,https://news.example.org/c,,',
      'server,Blocked.Example,hosting-terminated,Harassment,https://news.example.org/d,,',
      '',
    ].join('\r\n');
    const result = await readCsvSource(`\uFEFF${csv}`, meta);
    expect(problems(result)).toEqual([]);
    if (!result.ok) return;
    expect(result.value.name).toBe('Example labels');
    expect(result.value.labels).toEqual([
      {
        id: csvLabelId('account', 'https://x.com/someone', 'account-suspended'),
        account: 'https://x.com/someone',
        key: 'account:x:someone',
        val: 'account-suspended',
        note: 'Suspended, then banned',
        sources: [{ url: 'https://news.example.org/a' }, { url: 'https://news.example.org/b' }],
        since: '2025-01-01',
        until: '2025-02-01',
      },
      {
        id: csvLabelId('link', 'bad-site.example', 'hosting-terminated'),
        link: 'bad-site.example',
        key: 'link:domain:bad-site.example',
        val: 'hosting-terminated',
        sources: [{ url: 'https://news.example.org/c' }],
      },
      {
        id: csvLabelId('server', 'Blocked.Example', 'hosting-terminated'),
        link: 'Blocked.Example',
        server: true,
        key: 'server:fedi:blocked.example',
        val: 'hosting-terminated',
        note: 'Harassment',
        sources: [{ url: 'https://news.example.org/d' }],
      },
    ]);
    expect(csvLabelId('link', 'bad-site.example', 'hosting-terminated')).toMatch(/^[0-9a-f]{16}$/);
    expect(csvLabelId('server', 'blocked.example', 'x')).not.toBe(csvLabelId('link', 'blocked.example', 'x'));
  });

  it('needs the exact header', async () => {
    expect(problems(await readCsvSource('type,target,val\n', meta))).toEqual([
      'line 1: the header must be exactly "type,target,val,note,sources,since,until", got "type,target,val"',
    ]);
  });

  it('names the row and line of every problem', async () => {
    const csv = [
      HEADER,
      'account,https://x.com/a,account-suspended,"multi',
      'line note",https://news.example.org/a,,',
      'group,x.com/b,account-suspended,,https://n.example.org,,',
      'account,x.com/c,made-up,,ftp://x,2025-13-01,',
      'post,,account-suspended,,,,',
      'account,x.com/d,account-suspended,,https://n.example.org,2025-03-01,2025-02-01',
      'account,https://x.com/a,account-suspended,,https://n.example.org,,',
      'account,x.com/e,account-suspended',
      'server,https://blocked.example/page,account-suspended,,https://n.example.org,,',
    ].join('\n');
    expect(problems(await readCsvSource(csv, meta))).toEqual([
      'row 2 (line 4): type: "group" is not one of account, post, link, server',
      'row 3 (line 5): val: "made-up" is not a definition of this feed',
      'row 3 (line 5): sources: "ftp://x" is not an http(s) URL',
      'row 3 (line 5): since: "2025-13-01" is not an ISO 8601 date',
      'row 4 (line 6): target: must not be empty',
      'row 4 (line 6): sources: needs at least one URL',
      'row 5 (line 7): until: 2025-02-01 is before since (2025-03-01)',
      'row 6 (line 8): the same type, target and val as row 1 (line 2)',
      'row 7 (line 9): has 3 fields; expected 7 (type,target,val,note,sources,since,until)',
      `row 8 (line 10): target: "https://blocked.example/page" is not a bare domain; a server label names the server's domain, like blocked.example`,
    ]);
  });

  it('checks the meta object and names its fields', async () => {
    expect(
      problems(await readCsvSource(`${HEADER}\n`, { ...meta, homepage: 'ftp://x', labels: [] })),
    ).toEqual(['meta.labels: labels come from the CSV rows', 'meta.homepage: only http(s) URLs are allowed']);
    expect(problems(await readCsvSource(`${HEADER}\n`, 'nope'))).toEqual([
      'meta: must be a JSON object with the feed fields and definitions',
    ]);
  });

  it('reports a CSV syntax error with its line', async () => {
    expect(problems(await readCsvSource(`${HEADER}\naccount,"x.com/a,v`, meta))).toEqual([
      'line 2: a quoted field is never closed',
    ]);
  });
});

describe('checkSourceUrl', () => {
  it('answers as checkHttpUrl does, for real-looking and odd URLs', () => {
    const pick = (chars: string) => fc.constantFrom(...chars.split(''));
    const label = fc.oneof(
      fc.stringMatching(/^[a-z0-9-]{1,8}$/),
      fc.constantFrom(
        'xn--bcher-kva',
        'xn--a',
        'www',
        'example',
        'co',
        '0x1f',
        '1',
        '255',
        '4294967296',
        'A',
        'a_b',
      ),
      fc.string({ unit: pick('aZ09-_.%~:@[]'), minLength: 0, maxLength: 4 }),
    );
    const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
    const tail = fc.string({
      unit: fc.oneof(
        pick('/?#abc09-._~!$&\'()*+,;=:@%[]{}|^`"<>\\ '),
        fc.constantFrom('\t', '\u00e9', '\u2028', '\u007f'),
      ),
      maxLength: 16,
    });
    const url = fc
      .tuple(
        fc.constantFrom(
          'https://',
          'http://',
          'HTTPS://',
          'ftp://',
          'https:',
          'https:///',
          'javascript:',
          '',
        ),
        fc.constantFrom('', '', '', 'user@', 'user:pw@'),
        host,
        fc.constantFrom('', '', '', ':8080', ':', ':99999'),
        fc.oneof(
          fc.constant(''),
          tail.map((t) => `/${t}`),
          tail,
        ),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(url, fc.string()), (text) => {
        expect(checkSourceUrl(text)).toBe(checkHttpUrl(text));
      }),
      { numRuns: 20_000 },
    );
    const long = `https://example.org/${'a'.repeat(2_100)}`;
    expect(checkSourceUrl(long)).toBe(checkHttpUrl(long));
    expect(checkSourceUrl('https://news.example.org/1/story-1')).toBeNull();
  });
});
