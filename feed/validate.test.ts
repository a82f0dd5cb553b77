import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEED_CAPS } from './caps';
import { utf8Encode } from './encoding';
import { Problems } from './problems';
import { exampleDefinitions, exampleLabel } from './testing';
import { type FeedManifest, formatProblem, type Result } from './types';
import {
  checkTarget,
  isoTime,
  parseManifest,
  plainJson,
  signedLabel,
  validateLabel,
  validateLabels,
} from './validate';

const PUBLIC_KEY = `${'A'.repeat(43)}=`;

function manifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'context-lens/1',
    id: 'https://labels.example.org/feed.json',
    name: 'Example labels',
    publisher: 'Example Fact Desk',
    homepage: 'https://labels.example.org/',
    description: 'Documented enforcement actions.',
    appeals: 'https://labels.example.org/appeals',
    sequence: 1,
    issued: '2026-03-01T00:00:00Z',
    expires: '2026-03-31T00:00:00Z',
    publicKey: PUBLIC_KEY,
    definitions: exampleDefinitions,
    labels: [exampleLabel(0), exampleLabel(1)],
    ...overrides,
  };
}

function problems(result: Result<unknown>): string[] {
  return result.ok ? [] : result.problems.map(formatProblem);
}

function parse(value: unknown): Result<FeedManifest> {
  return parseManifest(utf8Encode(JSON.stringify(value)));
}

/** Problems for a manifest whose first label has `overrides` (undefined deletes a field). */
function labelProblems(overrides: Record<string, unknown>): string[] {
  const label: Record<string, unknown> = { ...exampleLabel(0), ...overrides };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete label[k];
  return problems(parse(manifest({ labels: [label] })));
}

function definitionProblems(overrides: Record<string, unknown>): string[] {
  return problems(parse(manifest({ definitions: [{ ...exampleDefinitions[0], ...overrides }], labels: [] })));
}

describe('parseManifest: the manifest', () => {
  it('accepts a valid manifest and returns only the known fields', () => {
    const result = parse(manifest({ extra: 'ignored' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.labels).toHaveLength(2);
    expect('extra' in result.value).toBe(false);
  });

  it('refuses bytes that are not a JSON object', () => {
    expect(problems(parseManifest(utf8Encode('{')))[0]).toMatch(/^manifest: is not valid JSON/);
    expect(problems(parseManifest(utf8Encode('[]')))).toEqual(['manifest: must be a JSON object']);
    expect(problems(parseManifest(new Uint8Array([0xc3])))).toEqual(['manifest: is not valid UTF-8']);
  });

  it('refuses an oversize manifest before parsing it', () => {
    const bytes = new Uint8Array(FEED_CAPS.manifestBytes + 1).fill(0x20);
    expect(problems(parseManifest(bytes))).toEqual([
      `manifest: is ${FEED_CAPS.manifestBytes + 1} bytes; at most ${FEED_CAPS.manifestBytes} are allowed`,
    ]);
  });

  it('checks the format, every required field and its kind', () => {
    const m = manifest({ format: 'context-lens/3', sequence: 0, name: '  ' });
    delete m.publisher;
    delete m.publicKey;
    expect(problems(parse(m))).toEqual([
      'format: must be "context-lens/1" or "context-lens/2", got "context-lens/3" (a newer format: update Context Lens to read this feed)',
      'name: must not be empty',
      'publisher: is required',
      'sequence: must be a whole number of at least 1',
      'publicKey: is required',
    ]);
    const noFormat = manifest();
    delete noFormat.format;
    expect(problems(parse(noFormat))).toEqual(['format: is required ("context-lens/1")']);
    expect(problems(parse(manifest({ sequence: 1.5 })))).toEqual([
      'sequence: must be a whole number of at least 1',
    ]);
    expect(problems(parse(manifest({ description: 5 })))).toEqual(['description: must be a string']);
  });

  it('allows only http(s) for the feed id and homepage, and https or mailto for appeals', () => {
    expect(
      problems(
        parse(
          manifest({ id: 'ftp://x.org/feed.json', homepage: 'javascript:alert(1)', appeals: 'http://x.org' }),
        ),
      ),
    ).toEqual([
      'id: only http(s) URLs are allowed',
      'homepage: only http(s) URLs are allowed',
      'appeals: only https or mailto URLs are allowed',
    ]);
    expect(parse(manifest({ appeals: 'mailto:appeals@example.org' })).ok).toBe(true);
    expect(problems(parse(manifest({ appeals: 'mailto:' })))).toEqual(['appeals: mailto: needs an address']);
    expect(problems(parse(manifest({ homepage: 'https://user:pw@x.org/' })))).toEqual([
      'homepage: must not contain a user name or password',
    ]);
    expect(problems(parse(manifest({ homepage: 'https://x.org/a b' })))).toEqual([
      'homepage: must not contain spaces or control characters',
    ]);
  });

  it('checks issued and expires', () => {
    expect(problems(parse(manifest({ issued: '2026-13-01', expires: 'tomorrow' })))).toEqual([
      'issued: must be an ISO 8601 date (YYYY-MM-DD) or date-time with a zone, got "2026-13-01"',
      'expires: must be an ISO 8601 date (YYYY-MM-DD) or date-time with a zone, got "tomorrow"',
    ]);
    expect(problems(parse(manifest({ expires: '2026-02-01T00:00:00Z' })))).toEqual([
      'expires: must be after issued (2026-03-01T00:00:00Z)',
    ]);
  });

  it('checks nextKey and publicKey are raw 32-byte keys in base64', () => {
    expect(problems(parse(manifest({ nextKey: 'AAAA', publicKey: 'not base64!' })))).toEqual([
      'nextKey: must be the base64 of a raw 32-byte Ed25519 public key',
      'publicKey: must be the base64 of a raw 32-byte Ed25519 public key',
    ]);
  });

  it('needs labels, chunks or both', () => {
    const m = manifest();
    delete m.labels;
    expect(problems(parse(m))).toEqual(['a manifest needs labels, chunks or both']);
    expect(parse(manifest({ labels: [] })).ok).toBe(true);
  });

  it('caps inline labels, chunks and definitions', () => {
    expect(problems(parse(manifest({ labels: new Array(FEED_CAPS.inlineLabels + 1).fill(0) })))).toEqual([
      `labels: has ${FEED_CAPS.inlineLabels + 1} entries; at most ${FEED_CAPS.inlineLabels} are allowed`,
    ]);
    expect(problems(parse(manifest({ chunks: new Array(FEED_CAPS.chunks + 1).fill(0) })))).toEqual([
      `chunks: has ${FEED_CAPS.chunks + 1} entries; at most ${FEED_CAPS.chunks} are allowed`,
    ]);
    expect(problems(parse(manifest({ definitions: new Array(FEED_CAPS.definitions + 1).fill(0) })))).toEqual([
      `definitions: has ${FEED_CAPS.definitions + 1} entries; at most ${FEED_CAPS.definitions} are allowed`,
    ]);
  });

  it('caps the labels of one publication across chunks', () => {
    const sha = 'b'.repeat(64);
    const full = (i: number) => {
      const hex = i.toString(16).padStart(64, '0');
      return { path: `chunks/${hex}.json`, sha256: hex, count: FEED_CAPS.labelsPerChunk, bytes: 1000 };
    };
    const chunks = Array.from({ length: FEED_CAPS.totalLabels / FEED_CAPS.labelsPerChunk }, (_, i) =>
      full(i),
    );
    expect(parse(manifest({ labels: undefined, chunks })).ok).toBe(true);
    const over = [...chunks, { path: `chunks/${sha}.json`, sha256: sha, count: 1, bytes: 10 }];
    expect(problems(parse(manifest({ labels: undefined, chunks: over })))).toEqual([
      `chunks: hold ${FEED_CAPS.totalLabels + 1} labels; at most ${FEED_CAPS.totalLabels} are allowed in one feed`,
    ]);
  });

  it('collects many problems but stops at the cap', () => {
    const labels = Array.from({ length: 300 }, (_, i) => ({ ...exampleLabel(i), val: 'nope' }));
    const list = problems(parse(manifest({ labels })));
    expect(list).toHaveLength(FEED_CAPS.problems + 1);
    expect(list[0]).toBe('labels[0].val: "nope" is not a definition of this feed');
    expect(list.at(-1)).toBe(`more problems not shown (stopped after ${FEED_CAPS.problems})`);
  });

  it('never throws on arbitrary bytes or JSON: parsed or rejected with problems', () => {
    const arbitraryManifest = fc.record(
      {
        format: fc.constantFrom('context-lens/1', 'x', 1),
        id: fc.oneof(fc.webUrl(), fc.string()),
        name: fc.string(),
        sequence: fc.oneof(fc.integer(), fc.double()),
        definitions: fc.array(fc.anything(), { maxLength: 3 }),
        labels: fc.array(fc.anything(), { maxLength: 3 }),
        chunks: fc.array(fc.anything(), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.jsonValue().map((v) => utf8Encode(JSON.stringify(v))),
          arbitraryManifest.map((m) => utf8Encode(JSON.stringify({ ...manifest(), ...m }))),
        ),
        (bytes) => {
          const result = parseManifest(bytes);
          if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseManifest: definitions', () => {
  it('needs a lowercase kebab-case id', () => {
    expect(definitionProblems({ id: 'Account_Suspended' })).toEqual([
      'definitions[0].id: must be lowercase kebab-case like "account-suspended", got "Account_Suspended"',
    ]);
    expect(definitionProblems({ id: 'a'.repeat(65) })).toEqual([
      'definitions[0].id: is longer than 64 characters',
    ]);
  });

  it('needs localised title and description with English', () => {
    expect(definitionProblems({ title: { de: 'Gesperrt' }, description: 'plain' })).toEqual([
      'definitions[0].title: needs an English text ("en")',
      'definitions[0].description: must be an object of texts by language, like {"en": "…"}',
    ]);
    expect(definitionProblems({ title: { en: '', 'not a tag': 'x' } })).toEqual([
      'definitions[0].title.en: must not be empty',
      'definitions[0].title["not a tag"]: is not a language tag like "en" or "pt-BR"',
    ]);
  });

  it('allows only the known severities and default actions', () => {
    expect(definitionProblems({ severity: 'fatal', defaultAction: 'block' })).toEqual([
      'definitions[0].severity: must be one of info, caution, alert, got "fatal"',
      'definitions[0].defaultAction: must be one of badge, warn, hide, got "block"',
    ]);
  });

  it('refuses duplicate definition ids and an empty list', () => {
    const [first] = exampleDefinitions;
    expect(problems(parse(manifest({ definitions: [first, first] })))).toEqual([
      'definitions[1].id: duplicate definition id "account-suspended"',
    ]);
    expect(problems(parse(manifest({ definitions: [], labels: [] })))).toEqual([
      'definitions: needs at least one definition',
    ]);
  });
});

describe('parseManifest: labels', () => {
  it('needs exactly one target', () => {
    expect(labelProblems({ account: undefined })).toEqual([
      'labels[0]: needs exactly one target: account, post or link',
    ]);
    expect(labelProblems({ link: 'https://example.com/' })).toEqual([
      'labels[0]: has account and link; a label has exactly one target',
    ]);
  });

  it('checks that the target is recognisable (normalizeTarget explains why not)', () => {
    expect(labelProblems({ account: '' })).toEqual(['labels[0].account: must not be empty']);
    expect(labelProblems({ account: 'x.com/some one' })).toEqual([
      'labels[0].account: must not contain spaces or control characters',
    ]);
    expect(labelProblems({ account: undefined, link: 'javascript:alert(1)' })).toEqual([
      'labels[0].link: "javascript:alert(1)": only http(s) URLs are allowed',
    ]);
    expect(labelProblems({ account: undefined, post: 'x' })).toEqual([
      'labels[0].post: "x" is not a post URL (write the post\'s permalink)',
    ]);
    expect(labelProblems({ account: 'x'.repeat(FEED_CAPS.targetLength + 1) })).toEqual([
      `labels[0].account: is longer than ${FEED_CAPS.targetLength} characters`,
    ]);
    expect(labelProblems({ account: undefined, link: 'bad-site.example' })).toEqual([]);
    expect(labelProblems({ account: '@someone@mastodon.social' })).toEqual([]);
    expect(checkTarget('post', 'https://x.com/u/status/1')).toBeNull();
  });

  it('needs val to be a definition of the feed', () => {
    expect(labelProblems({ val: 'made-up' })).toEqual([
      'labels[0].val: "made-up" is not a definition of this feed',
    ]);
  });

  it('checks the id', () => {
    expect(labelProblems({ id: 'has space' })).toEqual([
      'labels[0].id: may only contain letters, digits and . _ : - (and must start with a letter or digit)',
    ]);
    expect(labelProblems({ id: 'a'.repeat(129) })).toEqual(['labels[0].id: is longer than 128 characters']);
    expect(problems(parse(manifest({ labels: [exampleLabel(0), exampleLabel(0)] })))).toEqual([
      'labels[1].id: duplicate label id "label-0" (also labels[0])',
    ]);
  });

  it('needs at least one source, each with an http(s) URL', () => {
    expect(labelProblems({ sources: [] })).toEqual(['labels[0].sources: needs at least one source']);
    expect(labelProblems({ sources: undefined })).toEqual(['labels[0].sources: is required']);
    expect(labelProblems({ sources: [{ url: 'ftp://x.org/a' }] })).toEqual([
      'labels[0].sources[0].url: only http(s) URLs are allowed',
    ]);
    expect(labelProblems({ sources: [{ url: 'https://x.org', title: 3, date: '2025-02-30' }] })).toEqual([
      'labels[0].sources[0].title: must be a string',
      'labels[0].sources[0].date: must be an ISO 8601 date (YYYY-MM-DD) or date-time with a zone, got "2025-02-30"',
    ]);
    const many = Array.from({ length: FEED_CAPS.sourcesPerLabel + 1 }, () => ({ url: 'https://x.org' }));
    expect(labelProblems({ sources: many })).toEqual([
      `labels[0].sources: has ${FEED_CAPS.sourcesPerLabel + 1} entries; at most ${FEED_CAPS.sourcesPerLabel} are allowed`,
    ]);
  });

  it('checks dates: since before until, cts required, exp an ISO time', () => {
    expect(labelProblems({ since: '2025-05-01', until: '2025-04-01' })).toEqual([
      'labels[0].until: is before since (2025-05-01)',
    ]);
    expect(labelProblems({ cts: undefined })).toEqual(['labels[0].cts: is required']);
    expect(labelProblems({ exp: '2026-01-01T00:00:00' })).toEqual([
      'labels[0].exp: must be an ISO 8601 date (YYYY-MM-DD) or date-time with a zone, got "2026-01-01T00:00:00"',
    ]);
  });

  it('accepts a localised note and refuses a long one', () => {
    expect(labelProblems({ note: { en: 'Suspended', fr: 'Suspendu' } })).toEqual([]);
    expect(labelProblems({ note: 'x'.repeat(FEED_CAPS.textLength + 1) })).toEqual([
      `labels[0].note: is longer than ${FEED_CAPS.textLength} characters`,
    ]);
    expect(labelProblems({ note: 5 })).toEqual([
      'labels[0].note: must be an object of texts by language, like {"en": "…"}',
    ]);
  });

  it('allows server only as true, on a bare-domain link, and keeps it', () => {
    expect(labelProblems({ account: undefined, link: 'blocked.example', server: true })).toEqual([]);
    const parsed = parse(
      manifest({
        labels: [{ ...exampleLabel(0), account: undefined, link: 'blocked.example', server: true }],
      }),
    );
    expect(parsed.ok && parsed.value.labels?.[0]?.server).toBe(true);
    expect(labelProblems({ server: true })).toEqual([
      "labels[0].server: goes with a link target: the server's domain",
    ]);
    expect(labelProblems({ account: undefined, link: 'blocked.example', server: 'yes' })).toEqual([
      'labels[0].server: may only be true (or left out)',
    ]);
    expect(labelProblems({ account: undefined, link: 'https://blocked.example/page', server: true })).toEqual(
      [
        'labels[0].link: "https://blocked.example/page" is not a bare domain; a server label names the server\'s domain, like blocked.example',
      ],
    );
  });

  it('allows neg only as true', () => {
    expect(labelProblems({ neg: true })).toEqual([]);
    expect(labelProblems({ neg: false })).toEqual(['labels[0].neg: may only be true (or left out)']);
  });
});

describe('parseManifest: control characters in text', () => {
  const HOSTILE = {
    'an escape sequence': 'Shady\u001b[2K news',
    'a NUL': 'Shady\u0000news',
    'a C1 control': 'Shady\u009bnews',
    'a right-to-left override': 'not \u202edetaler ton',
    'an unterminated isolate': 'Example \u2067labels',
    'a bell': 'ding\u0007',
  };

  it('refuses every text field holding a control character other than ordinary whitespace, naming it', () => {
    for (const [what, text] of Object.entries(HOSTILE)) {
      const code = /[^ -~]/.exec(text)?.[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      const cases: [string, string[]][] = [
        ['name', problems(parse(manifest({ name: text })))],
        ['publisher', problems(parse(manifest({ publisher: text })))],
        ['description', problems(parse(manifest({ description: text })))],
        ['definitions[0].title.en', definitionProblems({ title: { en: text } })],
        ['definitions[0].description.en', definitionProblems({ description: { en: text } })],
        ['labels[0].note', labelProblems({ note: text })],
        ['labels[0].note.en', labelProblems({ note: { en: text } })],
        [
          'labels[0].sources[0].title',
          labelProblems({ sources: [{ url: 'https://news.example.org/1', title: text }] }),
        ],
        [
          'labels[0].sources[0].publisher',
          labelProblems({ sources: [{ url: 'https://news.example.org/1', publisher: text }] }),
        ],
      ];
      for (const [path, list] of cases) {
        expect(list, `${path} with ${what}`).toHaveLength(1);
        expect(list[0], `${path} with ${what}`).toMatch(
          new RegExp(
            `^${path.replaceAll('.', '\\.').replaceAll('[', '\\[').replaceAll(']', '\\]')}: must not contain control characters \\(U\\+${code} at character \\d+\\); only spaces, tabs and line breaks are allowed$`,
          ),
        );
      }
    }
  });

  it('accepts tabs, line breaks and the right-to-left marks that real text needs', () => {
    const note = 'First line.\r\nSecond line,\tindented. עברית\u200f (RLM), عربي\u061c, English\u200e.';
    expect(labelProblems({ note })).toEqual([]);
    expect(problems(parse(manifest({ name: 'Faktencheck · تدقيق الحقائق · 事实核查 ✔' })))).toEqual([]);
  });
});

describe('parseManifest: chunk references', () => {
  const sha = 'a'.repeat(64);
  it('accepts a well-formed reference', () => {
    expect(
      parse(manifest({ chunks: [{ path: `chunks/${sha}.json`, sha256: sha, count: 3, bytes: 100 }] })).ok,
    ).toBe(true);
  });
  it('needs the path to be named by the sha256, and sane counts', () => {
    expect(
      problems(parse(manifest({ chunks: [{ path: 'chunks/x.json', sha256: sha, count: -1, bytes: 0 }] }))),
    ).toEqual([
      'chunks[0].path: must be "chunks/<sha256>.json" for its sha256, got "chunks/x.json"',
      `chunks[0].count: must be between 0 and ${FEED_CAPS.labelsPerChunk}, got -1`,
      `chunks[0].bytes: must be between 1 and ${FEED_CAPS.chunkBytes}, got 0`,
    ]);
    expect(problems(parse(manifest({ chunks: [{ path: 'x', sha256: 'ABC', count: 1, bytes: 1 }] })))).toEqual(
      ['chunks[0].sha256: must be 64 lowercase hex digits'],
    );
    const ref = { path: `chunks/${sha}.json`, sha256: sha, count: 1, bytes: 1 };
    expect(problems(parse(manifest({ chunks: [ref, ref] })))).toEqual([
      `chunks[1].path: duplicate chunk "chunks/${sha}.json"`,
    ]);
  });
});

describe('isoTime', () => {
  it('reads dates and date-times with zones', () => {
    expect(isoTime('2026-03-01')).toBe(Date.UTC(2026, 2, 1));
    expect(isoTime('2026-03-01T10:00:00+02:00')).toBe(Date.UTC(2026, 2, 1, 8));
    expect(isoTime('2026-03-01T10:00Z')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(isoTime('2026-03-01T10:00:00.250Z')).toBe(Date.UTC(2026, 2, 1, 10, 0, 0, 250));
  });
  it('refuses impossible dates and times without a zone', () => {
    for (const bad of [
      '2026-02-29',
      '2026-04-31',
      '2026-03-01T24:00:00Z',
      '2026-03-01T10:00:00',
      '26-03-01',
      '',
    ]) {
      expect(isoTime(bad)).toBeNull();
    }
  });
});

describe('validateLabels: the quick check of signed labels', () => {
  const definitions = new Set(exampleDefinitions.map((d) => d.id));
  const odd = fc.constantFrom<unknown>(
    '',
    ' ',
    'a b',
    'x\u0007y',
    'x\by',
    'x\fy',
    'x\ty',
    '\u202eevil',
    'no\u00a0break',
    'em\u2003space',
    'del\u007f',
    'c1\u0085',
    'x'.repeat(2_049),
    'x'.repeat(5_001),
    'http://user@host/',
    'javascript:alert(1)',
    'https://ok.example/path',
    'account:x:name',
    'account:X:name',
    '2025-13-45',
    '2025-01-01',
    '2025-01-01T00:00:00Z',
    'unknown-definition',
    'account-suspended',
    '-starts-with-dash',
    'label.ok:1',
    1,
    null,
    true,
    false,
    [],
    {},
    { en: 'localised' },
  );
  // Mostly valid, so that whole labels pass too; any field may be odd or missing.
  const maybe = (valid: fc.Arbitrary<unknown>) =>
    fc.oneof({ arbitrary: valid, weight: 30 }, odd, fc.constant(undefined));
  const source = fc.record({
    url: maybe(fc.constant('https://news.example.org/story/1')),
    title: maybe(fc.constant('Story')),
    publisher: maybe(fc.constant('Example News')),
    date: maybe(fc.constant('2025-02-03')),
    // A field the format does not define: never kept.
    via: fc.constantFrom<unknown>(undefined, undefined, undefined, 'x'),
  });
  const label = fc.record({
    id: maybe(fc.constant('label-1')),
    account: maybe(fc.constant('https://x.com/user1')),
    post: fc.oneof({ arbitrary: fc.constant(undefined), weight: 30 }, odd),
    link: fc.oneof({ arbitrary: fc.constant(undefined), weight: 30 }, fc.constant('example.net'), odd),
    key: maybe(fc.constant('account:x:user1')),
    val: maybe(fc.constant('account-suspended')),
    note: maybe(fc.constant('A note.')),
    sources: fc.oneof(
      { arbitrary: fc.array(fc.oneof({ arbitrary: source, weight: 10 }, odd), { maxLength: 3 }), weight: 10 },
      odd,
    ),
    since: maybe(fc.constant('2025-01-01')),
    until: maybe(fc.constant('2025-06-01T00:00:00+02:00')),
    cts: maybe(fc.constant('2026-01-01T00:00:00Z')),
    exp: maybe(fc.constant('2027-01-01')),
    neg: fc.constantFrom<unknown>(undefined, undefined, undefined, true, false, 'true'),
    server: fc.constantFrom<unknown>(undefined, undefined, undefined, true, 1),
    extra: fc.constantFrom<unknown>(undefined, undefined, undefined, 'x', { y: 1 }),
  });

  it('accepts only what validateLabel accepts, and gives the same label', () => {
    let accepted = 0;
    fc.assert(
      fc.property(label, (value) => {
        // Through JSON, as a chunk gives it (undefined fields dropped, escapes as JSON writes them).
        const text = JSON.stringify(value);
        const parsed = JSON.parse(text) as unknown;
        const plain = plainJson(text, utf8Encode(text).length);
        const quick = signedLabel(parsed, definitions, plain);
        const p = new Problems();
        const full = validateLabel(parsed, 'labels[0]', definitions, p, { signed: true });
        if (quick !== undefined) {
          accepted++;
          expect(p.list).toEqual([]);
          expect(full).toEqual(quick);
        }
        // Plain text only skips searches that cannot find anything in it.
        if (plain) expect(signedLabel(parsed, definitions, false)).toEqual(quick);
      }),
      { numRuns: 20_000 },
    );
    // The quick check is not vacuous: a share of the generated labels pass it.
    expect(accepted).toBeGreaterThan(20);
  });

  it('gives the full check the labels it does not take, with the full messages', () => {
    const p = new Problems();
    const list = JSON.parse(
      JSON.stringify([
        exampleLabel(0, { note: { en: 'Localised.' } }),
        exampleLabel(1, { note: 'bad\u0007' }),
        exampleLabel(2),
        exampleLabel(2),
      ]),
    ) as unknown[];
    const labels = validateLabels(list, 'chunks[0].labels', definitions, p, { signed: true });
    expect(labels.map((l) => l.id)).toEqual(['label-0', 'label-2']);
    expect(p.list.map((x) => `${x.path}: ${x.message}`)).toEqual([
      'chunks[0].labels[1].note: must not contain control characters (U+0007 at character 4); only spaces, tabs and line breaks are allowed',
      'chunks[0].labels[3].id: duplicate label id "label-2" (also chunks[0].labels[2])',
    ]);
  });

  it('knows plain JSON text: all ASCII, no DEL, no \\u, \\b, \\f, \\n, \\r or \\t escapes', () => {
    const plain = (value: unknown) => {
      const text = JSON.stringify(value);
      return plainJson(text, utf8Encode(text).length);
    };
    expect(plain({ note: 'Quoted "words", a back\\slash and a/slash.' })).toBe(true);
    for (const bad of ['x\u0007', 'x\b', 'x\f', 'x\n', 'x\r', 'x\t', 'x\u007f', 'é', '\u202e', '\u2003'])
      expect(plain({ note: bad }), JSON.stringify(bad)).toBe(false);
  });
});
