/**
 * A Bluesky labeler's labels, as `com.atproto.label.queryLabels` returns them
 * (`{cursor, labels: [{ver, src, uri, cid, val, neg, cts, exp, sig}]}`, one page per file), to
 * labels: `at://<did>/app.bsky.feed.post/<rkey>` becomes a post on bsky.app, a bare DID (or
 * `at://<did>`) an account. `neg` and `exp` carry over; the labeler's DID is each label's source.
 * Of several labels with the same labeler, subject and value the newest (by `cts`) counts, as in
 * atproto. Definitions come from --meta, or a generic one per value. Pure.
 */
import type { LabelDefinition } from '../types';
import { checkIso, checkTarget, clip, DEFINITION_ID_PATTERN, type LabelInput } from '../validate';
import { ImportProblems, type ImportResult, plainText, sortById, stableId, Tally } from './common';
import { type JsonDocument, type JsonNode, property } from './json';

const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]+$/;

/** The definition id for a label value: `porn` → `porn`, `!hide` → `system-hide`, `Spam_Bot` → `spam-bot`. */
export function atprotoDefinitionId(val: string): string | null {
  const system = val.startsWith('!');
  const slug = (system ? val.slice(1) : val)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const id = system ? `system-${slug}` : slug;
  return slug && id.length <= 64 && DEFINITION_ID_PATTERN.test(id) ? id : null;
}

/** A generic definition for a value the --meta file does not define. */
function genericDefinition(
  id: string,
  rawVal: string,
  labelers: Set<string>,
  notices: Tally,
): LabelDefinition {
  const who = [...labelers].sort().join(', ');
  const val = plainText(rawVal, notices);
  return {
    id,
    title: { en: val },
    description: {
      en: `The Bluesky labeler ${who} applied the label "${val}". The labeler's own description of it was not imported; a curator can add one with --meta.`,
    },
    severity: 'caution',
    defaultAction: 'badge',
  };
}

/** The target a label's `uri` names, or the reason it has none. */
export function atprotoTarget(uri: string): { kind: 'post' | 'account'; value: string } | { skip: string } {
  if (uri.startsWith('did:')) {
    return checkTarget('account', uri) === null
      ? { kind: 'account', value: uri }
      : { skip: 'subject is not a valid DID' };
  }
  const m = /^at:\/\/([^/?#]+)(?:\/([^/?#]+)(?:\/([^/?#]+))?)?\/?$/.exec(uri);
  if (!m) return { skip: 'subject is not an at:// URI or a DID' };
  const [, repo, collection, rkey] = m as unknown as [string, string, string | undefined, string | undefined];
  if (collection === undefined) {
    const value = `at://${repo}`;
    return checkTarget('account', value) === null
      ? { kind: 'account', value }
      : { skip: 'subject is not a valid account' };
  }
  if (collection === 'app.bsky.feed.post' && rkey) {
    const value = `https://bsky.app/profile/${repo}/post/${rkey}`;
    return checkTarget('post', value) === null
      ? { kind: 'post', value }
      : { skip: 'subject is not a valid post' };
  }
  return {
    skip: `subject is a ${JSON.stringify(clip(collection, 60))} record (only posts and accounts can be shown)`,
  };
}

interface Entry {
  label: LabelInput;
  cts: number;
  order: number;
}

export interface AtprotoOptions {
  /** Definitions from --meta; values without one get a generic definition. */
  definitions?: LabelDefinition[];
}

export function importAtprotoLabels(docs: JsonDocument[], opts: AtprotoOptions = {}): ImportResult {
  const p = new ImportProblems();
  const skipped = new Tally();
  const notices = new Tally();
  const latest = new Map<string, Entry>();
  const labelersByDef = new Map<string, { val: string; labelers: Set<string> }>();
  let read = 0;
  let order = 0;
  for (const doc of docs) {
    const labelsNode = property(doc.root, 'labels');
    if (doc.root.type !== 'object' || labelsNode?.type !== 'array') {
      p.add({
        file: doc.file,
        line: doc.line(labelsNode ?? doc.root),
        field: 'labels',
        message: 'expected a queryLabels page: an object with a "labels" array',
      });
      continue;
    }
    (labelsNode.children ?? []).forEach((node: JsonNode, i: number) => {
      if (p.full) return;
      read++;
      const where = (field: string, n: JsonNode | undefined = node) => ({
        file: doc.file,
        line: doc.line(n ?? node),
        field: `labels[${i}]${field ? `.${field}` : ''}`,
      });
      if (node.type !== 'object') {
        p.add({ ...where(''), message: 'must be an object' });
        return;
      }
      const field = (name: string) => property(node, name);
      const str = (name: string, required: boolean): string | undefined => {
        const n = field(name);
        if (n === undefined) {
          if (required) p.add({ ...where(name), message: 'is required' });
          return undefined;
        }
        if (n.type !== 'string' || (n.value as string) === '') {
          p.add({ ...where(name, n), message: 'must be a non-empty string' });
          return undefined;
        }
        return n.value as string;
      };
      const before = p.list.length;
      const src = str('src', true);
      const uri = str('uri', true);
      const val = str('val', true);
      const cts = str('cts', true);
      const exp = str('exp', false);
      if (src !== undefined && !DID.test(src))
        p.add({ ...where('src', field('src')), message: `${JSON.stringify(src)} is not a DID` });
      if (val !== undefined && val.length > 128)
        p.add({ ...where('val', field('val')), message: 'is longer than 128 characters' });
      for (const [name, value] of [
        ['cts', cts],
        ['exp', exp],
      ] as const) {
        if (value !== undefined && checkIso(value))
          p.add({
            ...where(name, field(name)),
            message: `${JSON.stringify(value)} is not a date-time with a zone`,
          });
      }
      const negNode = field('neg');
      if (negNode !== undefined && negNode.type !== 'boolean')
        p.add({ ...where('neg', negNode), message: 'must be true or false' });
      if (p.list.length !== before || !src || !uri || !val || !cts) return;

      const target = atprotoTarget(uri);
      if ('skip' in target) {
        skipped.add(target.skip);
        return;
      }
      const defId = atprotoDefinitionId(val);
      if (!defId) {
        skipped.add('value cannot name a definition (no letters or digits)');
        return;
      }
      const used = labelersByDef.get(defId) ?? { val, labelers: new Set<string>() };
      used.labelers.add(src);
      labelersByDef.set(defId, used);
      const id = stableId('at', src, uri, val);
      const label: LabelInput = {
        id,
        [target.kind]: target.value,
        val: defId,
        sources: [
          {
            url: `https://bsky.app/profile/${src}`,
            title: `Bluesky labeler ${src}`,
            publisher: src,
            date: cts,
          },
        ],
        cts,
      } as LabelInput;
      if (exp !== undefined) label.exp = exp;
      if (negNode?.value === true) label.neg = true;
      const time = Date.parse(cts);
      const earlier = latest.get(id);
      order++;
      if (earlier) {
        skipped.add('an older label for the same labeler, subject and value (the newest counts)');
        if (time < earlier.cts) return;
      }
      latest.set(id, { label, cts: time, order });
    });
  }
  p.throwIfAny();
  const given = new Map((opts.definitions ?? []).map((d) => [d.id, d]));
  const definitions: LabelDefinition[] = [];
  for (const [id, { val, labelers }] of [...labelersByDef].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const definition = given.get(id);
    if (definition) definitions.push(definition);
    else {
      definitions.push(genericDefinition(id, val, labelers, notices));
      notices.add('values given a generic definition (no definition with that id in --meta)');
    }
  }
  const labels = [...latest.values()].map((e) => e.label);
  const negations = labels.filter((l) => l.neg).length;
  if (negations > 0) notices.add('negations written as retractions (neg: true)', negations);
  return {
    definitions,
    labels: sortById(labels),
    read: [
      ['labels', read],
      ['pages', docs.length],
    ],
    skipped,
    notices,
  };
}
