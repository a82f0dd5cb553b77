// The published JSON Schema (docs/feed-format.schema.json) agrees with the reference validator:
// built feeds pass it, its enums and caps are the TypeScript constants, and every field it calls
// required is one the validator refuses to go without (and the reverse).
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFeed } from './build';
import { FEED_CAPS } from './caps';
import { openEnvelope } from './dsse';
import { utf8Decode, utf8Encode } from './encoding';
import { gunzip } from './gzip';
import { exampleDefinitions, exampleLabel, exampleSource, TEST_NOW, TEST_PRIVATE_KEY } from './testing';
import { FEED_FORMATS, type FeedManifest, PAYLOAD_TYPE } from './types';
import { checkTextControls, DEFAULT_ACTIONS, parseManifest, SEVERITIES, TARGET_KINDS } from './validate';

type Schema = Record<string, unknown> & {
  required?: string[];
  properties?: Record<string, Schema>;
  enum?: string[];
  const?: unknown;
  maxItems?: number;
  maxLength?: number;
  maximum?: number;
};

const schema = JSON.parse(
  readFileSync(new URL('../docs/feed-format.schema.json', import.meta.url), 'utf8'),
) as Schema & {
  $defs: Record<string, Schema>;
};
const defs = schema.$defs;
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
ajv.addSchema(schema, 'feed');
const validate = (def: string, value: unknown) => ajv.validate(`feed#/$defs/${def}`, value);
const prop = (def: string, name: string) => defs[def]?.properties?.[name] as Schema;

let inline: FeedManifest;
let chunked: { manifest: FeedManifest; files: Map<string, Uint8Array> };

beforeAll(async () => {
  inline = (await buildFeed(exampleSource(3), { privateKey: TEST_PRIVATE_KEY, now: TEST_NOW })).manifest;
  chunked = await buildFeed(exampleSource(5), { privateKey: TEST_PRIVATE_KEY, now: TEST_NOW, chunkSize: 2 });
});

describe('docs/feed-format.schema.json', () => {
  it('accepts built manifests, chunk files and feed.json', async () => {
    expect(ajv.validate('feed', inline), ajv.errorsText()).toBe(true);
    expect(ajv.validate('feed', chunked.manifest), ajv.errorsText()).toBe(true);
    for (const [path, stored] of chunked.files) {
      const decoded = path.endsWith('.gz')
        ? await gunzip(stored, 1 << 24)
        : { ok: true as const, value: stored };
      const bytes = decoded.ok ? decoded.value : stored;
      const json = JSON.parse(utf8Decode(bytes) as string);
      if (path === 'feed.json') expect(validate('envelope', json), ajv.errorsText()).toBe(true);
      else expect(validate('chunk', json), ajv.errorsText()).toBe(true);
    }
    const opened = openEnvelope(chunked.files.get('feed.json') as Uint8Array);
    expect(opened.ok && ajv.validate('feed', JSON.parse(utf8Decode(opened.value.payload) as string))).toBe(
      true,
    );
  });

  it('refuses what the validator refuses for the same reason', () => {
    const wrong: [string, unknown][] = [
      ['manifest', { ...inline, format: 'context-lens/3' }],
      ['manifest', { ...inline, appeals: 'http://x.org' }],
      ['manifest', { ...inline, labels: undefined }],
      ['manifest', { ...inline, publicKey: 'AAAA' }],
      ['definition', { ...exampleDefinitions[0], severity: 'fatal' }],
      ['definition', { ...exampleDefinitions[0], id: 'Not_Kebab' }],
      ['definition', { ...exampleDefinitions[0], title: { de: 'x' } }],
      ['label', { ...exampleLabel(0), link: 'https://x.org/' }],
      ['label', { ...exampleLabel(0), sources: [] }],
      ['label', { ...exampleLabel(0), sources: [{ url: 'ftp://x.org' }] }],
      ['label', { ...exampleLabel(0), neg: false }],
      ['label', { ...exampleLabel(0), cts: '2026-01-01T00:00:00' }],
    ];
    for (const [def, value] of wrong) {
      expect(validate(def, JSON.parse(JSON.stringify(value))), JSON.stringify(value)).toBe(false);
      const manifest =
        def === 'manifest'
          ? value
          : def === 'definition'
            ? { ...inline, definitions: [value] }
            : { ...inline, labels: [value] };
      expect(parseManifest(utf8Encode(JSON.stringify(manifest))).ok, JSON.stringify(value)).toBe(false);
    }
  });

  it('allows in text fields exactly the characters the validator allows (no controls, no bidi overrides)', () => {
    const plain = new RegExp((defs.plainText as Schema & { pattern: string }).pattern, 'u');
    const disagree: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const text = `a${String.fromCharCode(code)}b`;
      if (plain.test(text) !== (checkTextControls(text) === null)) disagree.push(`U+${code.toString(16)}`);
    }
    expect(disagree).toEqual([]);
    // Every text field uses it: a right-to-left override is refused by both, a right-to-left mark by neither.
    const label = exampleLabel(0);
    const source = label.sources[0] as { url: string };
    const texts: ((t: string) => unknown)[] = [
      (t) => ({ ...inline, name: `x${t}` }),
      (t) => ({ ...inline, publisher: `x${t}` }),
      (t) => ({ ...inline, description: t }),
      (t) => ({ ...inline, definitions: [{ ...exampleDefinitions[0], title: { en: `x${t}` } }] }),
      (t) => ({ ...inline, definitions: [{ ...exampleDefinitions[0], description: { en: `x${t}` } }] }),
      (t) => ({ ...inline, labels: [{ ...label, note: `x${t}` }] }),
      (t) => ({ ...inline, labels: [{ ...label, note: { en: `x${t}` } }] }),
      (t) => ({ ...inline, labels: [{ ...label, sources: [{ ...source, title: t }] }] }),
      (t) => ({ ...inline, labels: [{ ...label, sources: [{ ...source, publisher: t }] }] }),
    ];
    for (const make of texts) {
      for (const [char, ok] of [
        ['\u202e', false],
        ['\u0007', false],
        ['\u200f', true],
      ] as const) {
        const manifest = JSON.parse(JSON.stringify(make(char)));
        expect(
          validate('manifest', manifest),
          `${JSON.stringify(manifest).slice(0, 80)} ${ajv.errorsText()}`,
        ).toBe(ok);
        expect(parseManifest(utf8Encode(JSON.stringify(manifest))).ok).toBe(ok);
      }
    }
  });

  it('has the enums and constants of the TypeScript code', () => {
    expect(prop('definition', 'severity').enum).toEqual([...SEVERITIES]);
    expect(prop('definition', 'defaultAction').enum).toEqual([...DEFAULT_ACTIONS]);
    expect(prop('manifest', 'format').enum).toEqual([...FEED_FORMATS]);
    expect(prop('envelope', 'payloadType').const).toBe(PAYLOAD_TYPE);
    const targets = ((defs.label as Schema).oneOf as { required: string[] }[]).map((o) => o.required[0]);
    expect(targets).toEqual([...TARGET_KINDS]);
  });

  it('has the caps of FEED_CAPS', () => {
    expect(prop('manifest', 'labels').maxItems).toBe(FEED_CAPS.inlineLabels);
    expect(prop('manifest', 'chunks').maxItems).toBe(FEED_CAPS.chunks);
    expect(prop('manifest', 'definitions').maxItems).toBe(FEED_CAPS.definitions);
    expect(prop('manifest', 'name').maxLength).toBe(FEED_CAPS.titleLength);
    expect(prop('manifest', 'description').maxLength).toBe(FEED_CAPS.textLength);
    expect(prop('chunk', 'labels').maxItems).toBe(FEED_CAPS.labelsPerChunk);
    expect(prop('chunkRef', 'count').maximum).toBe(FEED_CAPS.labelsPerChunk);
    expect(prop('chunkRef', 'bytes').maximum).toBe(FEED_CAPS.chunkBytes);
    expect(prop('label', 'sources').maxItems).toBe(FEED_CAPS.sourcesPerLabel);
    expect(prop('label', 'id').maxLength).toBe(FEED_CAPS.labelIdLength);
    expect(prop('definition', 'id').maxLength).toBe(FEED_CAPS.definitionIdLength);
    expect(prop('source', 'title').maxLength).toBe(FEED_CAPS.titleLength);
    expect(defs.httpUrl?.maxLength).toBe(FEED_CAPS.urlLength);
    expect(defs.target?.maxLength).toBe(FEED_CAPS.targetLength);
    expect(defs.localizedText?.maxProperties).toBe(FEED_CAPS.languages);
    expect(((defs.localizedText as Schema).additionalProperties as Schema).maxLength).toBe(
      FEED_CAPS.textLength,
    );
    expect(prop('envelope', 'signatures').maxItems).toBe(FEED_CAPS.signatures);
  });

  // Required in the schema ⇔ the validator refuses the object without it.
  const cases: [string, () => Record<string, unknown>, (v: Record<string, unknown>) => unknown][] = [
    ['manifest', () => ({ ...inline }), (m) => m],
    [
      'definition',
      () => ({ ...exampleDefinitions[0] }),
      (d) => ({ ...inline, definitions: [d], labels: [] }),
    ],
    [
      'label',
      () => ({ ...exampleLabel(0), exp: '2027-01-01', neg: true }),
      (l) => ({ ...inline, labels: [l] }),
    ],
    [
      'source',
      () => ({ url: 'https://n.example/', title: 'T', publisher: 'P', date: '2025-01-01' }),
      (s) => ({ ...inline, labels: [{ ...exampleLabel(0), sources: [s] }] }),
    ],
  ];
  for (const [def, make, wrap] of cases) {
    it(`lists exactly the ${def} fields the validator requires`, () => {
      const required = defs[def]?.required ?? [];
      const all = Object.keys(defs[def]?.properties ?? {});
      const base = make();
      if (def === 'manifest') base.nextKey = base.publicKey;
      // Fields in a oneOf/anyOf of requirements (labels/chunks, account/post/link) are checked elsewhere.
      const alternatives = ((defs[def]?.anyOf ?? defs[def]?.oneOf ?? []) as { required: string[] }[]).flatMap(
        (o) => o.required,
      );
      for (const field of all) {
        if (!(field in base) || alternatives.includes(field)) continue;
        const without = { ...base };
        delete without[field];
        const accepted = parseManifest(utf8Encode(JSON.stringify(wrap(without)))).ok;
        expect(accepted, `${def}.${field}`).toBe(!required.includes(field));
      }
      for (const field of required) expect(field in base, `${def}.${field} in the example`).toBe(true);
    });
  }
});
