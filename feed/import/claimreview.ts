/**
 * schema.org ClaimReview (fact-checks) to labels: JSON-LD as one object, an array, a `@graph` or a
 * DataFeed (`dataFeedElement`, with DataFeedItems' `item`), and flattened exports in TSV with the
 * FACTCK.BR columns. Each `itemReviewed.appearance` / `firstAppearance` URL that is a post, an
 * account or a link becomes a label; the rating (`reviewRating.alternateName`) is kept in the note
 * and mapped to four definitions (RATING_WORDS, documented in docs/import.md); the fact-check page
 * is the source, with its publisher and date. Pure.
 */
import { normalizeTarget } from '../targets';
import type { LabelDefinition, TargetKind } from '../types';
import { clip, type LabelInput } from '../validate';
import {
  columnIndex,
  feedDate,
  fitNote,
  fitTitle,
  ImportProblems,
  type ImportResult,
  isUsableUrl,
  plainText,
  sortById,
  stableId,
  type Table,
  Tally,
} from './common';
import { type JsonDocument, type JsonNode, listOf, property, stringValue } from './json';

export const FACT_CHECK_FALSE = 'fact-check-false';
export const FACT_CHECK_MISLEADING = 'fact-check-misleading';
export const FACT_CHECK_TRUE = 'fact-check-true';
export const FACT_CHECK_OTHER = 'fact-check-other';

export const CLAIMREVIEW_DEFINITIONS: LabelDefinition[] = [
  {
    id: FACT_CHECK_FALSE,
    title: { en: 'Fact-checked: false' },
    description: {
      en: "A fact-checker reviewed a claim made here and rated it false. The note gives the rating in the fact-checker's words and the claim; the source is the fact-check.",
    },
    severity: 'alert',
    defaultAction: 'badge',
  },
  {
    id: FACT_CHECK_MISLEADING,
    title: { en: 'Fact-checked: misleading' },
    description: {
      en: "A fact-checker reviewed a claim made here and rated it misleading, exaggerated or missing context. The note gives the rating in the fact-checker's words and the claim; the source is the fact-check.",
    },
    severity: 'caution',
    defaultAction: 'badge',
  },
  {
    id: FACT_CHECK_TRUE,
    title: { en: 'Fact-checked: true' },
    description: {
      en: "A fact-checker reviewed a claim made here and rated it true. The note gives the rating in the fact-checker's words and the claim; the source is the fact-check.",
    },
    severity: 'info',
    defaultAction: 'badge',
  },
  {
    id: FACT_CHECK_OTHER,
    title: { en: 'Fact-checked' },
    description: {
      en: 'A fact-checker reviewed a claim made here; its rating (in the note) is none of false, misleading or true — for example unproven or too early to tell. The source is the fact-check.',
    },
    severity: 'info',
    defaultAction: 'badge',
  },
];

/**
 * Rating words (lowercase, accents removed) by definition. A rating not listed is `fact-check-other`.
 * Covers the English, Portuguese, Spanish, French and German words fact-checkers use most.
 */
export const RATING_WORDS: Record<string, readonly string[]> = {
  [FACT_CHECK_FALSE]: [
    'false',
    'falso',
    'falsa',
    'faux',
    'falsch',
    'fake',
    'fake news',
    'pants on fire',
    'incorrect',
    'wrong',
    'not true',
    'totally false',
    'completely false',
    'fabricated',
    'hoax',
    'bulo',
  ],
  [FACT_CHECK_MISLEADING]: [
    'misleading',
    'enganoso',
    'enganosa',
    'enganador',
    'trompeur',
    'irrefuhrend',
    'partly false',
    'partially false',
    'mostly false',
    'half true',
    'half-true',
    'mixture',
    'mixed',
    'exaggerated',
    'exagerado',
    'exagerada',
    'distorted',
    'distorcido',
    'distorcida',
    'missing context',
    'needs context',
    'out of context',
    'lacks context',
    'sem contexto',
    'fora de contexto',
    'cherry-picked',
    'impreciso',
    'imprecisa',
    'imprecise',
    'inaccurate',
    'subestimado',
    'subestimada',
    'manipulated',
    'altered',
    'satire',
  ],
  [FACT_CHECK_TRUE]: [
    'true',
    'verdadeiro',
    'verdadeira',
    'verdadero',
    'verdadera',
    'vrai',
    'wahr',
    'correct',
    'accurate',
    'mostly true',
  ],
};

const WORD_TO_VAL = new Map<string, string>();
for (const [val, words] of Object.entries(RATING_WORDS)) for (const w of words) WORD_TO_VAL.set(w, val);

/** `"Falso"` → fact-check-false; `"Sem contexto"` → fact-check-misleading; unknown → fact-check-other. */
export function ratingDefinition(rating: string | undefined): string {
  if (!rating) return FACT_CHECK_OTHER;
  const word = rating
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return WORD_TO_VAL.get(word) ?? FACT_CHECK_OTHER;
}

/** One fact-check, from JSON-LD or a TSV row. */
interface Review {
  url?: string;
  claim?: string;
  rating?: string;
  publisher?: string;
  date?: string;
  title?: string;
  appearances: string[];
}

/** The label target an appearance URL names: a post, else an account, else a link (or why none). */
export function appearanceTarget(url: string): { kind: TargetKind; key: string } | { skip: string } {
  if (!isUsableUrl(url)) return { skip: 'appearance is not a usable http(s) URL' };
  for (const kind of ['post', 'account', 'link'] as const) {
    const result = normalizeTarget(kind, url);
    if (result.ok) return { kind, key: result.key };
    if (kind === 'link')
      return {
        skip: /wrapper/.test(result.message)
          ? 'appearance is a link wrapper'
          : 'appearance is not a post, account or link',
      };
  }
  return { skip: 'appearance is not a post, account or link' };
}

function typesOf(node: JsonNode): string[] {
  return listOf(property(node, '@type'))
    .map(stringValue)
    .filter((t): t is string => t !== undefined)
    .map((t) => t.replace(/^.*[/:#]/, ''));
}

function nameOf(node: JsonNode | undefined): string | undefined {
  const first = listOf(node)[0];
  if (!first) return undefined;
  return stringValue(first) ?? stringValue(property(first, 'name'));
}

export function importClaimReview(docs: JsonDocument[], tables: Table[]): ImportResult {
  const p = new ImportProblems();
  const skipped = new Tally();
  const notices = new Tally();
  const reviews: Review[] = [];

  for (const doc of docs) {
    const visit = (node: JsonNode, path: string): void => {
      if (p.full) return;
      if (node.type === 'array') {
        (node.children ?? []).forEach((child, i) => {
          visit(child, `${path}[${i}]`);
        });
        return;
      }
      if (node.type !== 'object') {
        p.add({
          file: doc.file,
          line: doc.line(node),
          field: path || undefined,
          message: 'expected a JSON-LD object',
        });
        return;
      }
      const graph = property(node, '@graph');
      if (graph) {
        visit(graph, `${path}${path ? '.' : ''}@graph`);
        return;
      }
      const types = typesOf(node);
      if (types.includes('DataFeed')) {
        listOf(property(node, 'dataFeedElement')).forEach((child, i) => {
          visit(child, `${path}${path ? '.' : ''}dataFeedElement[${i}]`);
        });
        return;
      }
      if (types.includes('DataFeedItem')) {
        listOf(property(node, 'item')).forEach((child, i) => {
          visit(child, `${path}${path ? '.' : ''}item[${i}]`);
        });
        return;
      }
      if (!types.includes('ClaimReview')) {
        skipped.add(
          `not a ClaimReview (@type ${types.length ? JSON.stringify(clip(types.join(', '), 60)) : 'missing'})`,
        );
        return;
      }
      const at = (field: string, n: JsonNode) => ({
        file: doc.file,
        line: doc.line(n),
        field: `${path}${path ? '.' : ''}${field}`,
      });
      const text = (field: string, n: JsonNode | undefined): string | undefined => {
        if (n === undefined || n.type === 'null') return undefined;
        if (n.type !== 'string') {
          p.add({ ...at(field, n), message: 'must be a string' });
          return undefined;
        }
        return (n.value as string).trim() || undefined;
      };
      const rating = property(node, 'reviewRating');
      if (rating && rating.type !== 'object')
        p.add({ ...at('reviewRating', rating), message: 'must be a Rating object' });
      const item = listOf(property(node, 'itemReviewed'))[0];
      if (item && item.type !== 'object')
        p.add({ ...at('itemReviewed', item), message: 'must be a Claim object' });
      const appearances: string[] = [];
      for (const field of ['appearance', 'firstAppearance']) {
        listOf(item?.type === 'object' ? property(item, field) : undefined).forEach((n, i) => {
          const url = stringValue(n) ?? stringValue(property(n, 'url')) ?? stringValue(property(n, '@id'));
          if (url === undefined)
            p.add({
              ...at(`itemReviewed.${field}[${i}]`, n),
              message: 'must be a URL or an object with a url',
            });
          else appearances.push(url.trim());
        });
      }
      const review: Review = { appearances };
      const url = text('url', property(node, 'url'));
      if (url) review.url = url;
      const claim = text('claimReviewed', property(node, 'claimReviewed'));
      if (claim) review.claim = claim;
      const alt =
        rating?.type === 'object'
          ? text('reviewRating.alternateName', property(rating, 'alternateName'))
          : undefined;
      if (alt) review.rating = alt;
      const publisher = nameOf(property(node, 'author')) ?? nameOf(property(node, 'publisher'));
      if (publisher) review.publisher = publisher;
      const date = text('datePublished', property(node, 'datePublished'));
      if (date) review.date = date;
      const title = text('headline', property(node, 'headline')) ?? text('name', property(node, 'name'));
      if (title) review.title = title;
      reviews.push(review);
    };
    visit(doc.root, '');
  }

  for (const t of tables) {
    const col = (...names: string[]) => columnIndex(t, ...names);
    const urlCol = col('URL', 'url');
    if (urlCol < 0) {
      p.add({
        file: t.file,
        line: 1,
        message: 'a ClaimReview table needs a URL column (the fact-check page)',
      });
      continue;
    }
    const cols = {
      claim: col('claimReviewed'),
      rating: col('alternateName', 'alternativeName', 'reviewRating.alternateName'),
      publisher: col('Author', 'author', 'author.name', 'publisher'),
      date: col('datePublished'),
      title: col('title', 'headline'),
      appearance: [
        col('appearance', 'itemReviewed.appearance'),
        col('firstAppearance', 'itemReviewed.firstAppearance'),
      ],
    };
    for (const row of t.rows) {
      const get = (i: number) => (i >= 0 ? (row.values[i] ?? '').trim() : '');
      const review: Review = {
        appearances: cols.appearance.flatMap((i) => get(i).split(/\s+/).filter(Boolean)),
      };
      for (const [field, i] of [
        ['url', urlCol],
        ['claim', cols.claim],
        ['rating', cols.rating],
        ['publisher', cols.publisher],
        ['date', cols.date],
        ['title', cols.title],
      ] as const) {
        const v = get(i);
        if (v) review[field] = v;
      }
      reviews.push(review);
    }
  }
  p.throwIfAny();

  const labels = new Map<string, LabelInput>();
  let appearancesRead = 0;
  for (const review of reviews) {
    appearancesRead += review.appearances.length;
    if (!review.url || !isUsableUrl(review.url)) {
      skipped.add('no usable fact-check url');
      continue;
    }
    if (review.appearances.length === 0) {
      skipped.add('no itemReviewed.appearance or firstAppearance URL');
      continue;
    }
    const rating = review.rating && plainText(review.rating, notices);
    const val = ratingDefinition(rating);
    const date = review.date ? feedDate(review.date) : null;
    if (review.date && !date) notices.add('datePublished not a date (left out)');
    const claim = review.claim ? `: ${plainText(review.claim, notices)}` : '';
    const note = fitNote(rating ? `Rated "${rating}"${claim}` : `Claim${claim || ': (not given)'}`);
    if (note.clipped) notices.add('notes shortened to 5,000 characters');
    const source: LabelInput['sources'][number] = { url: review.url };
    const title = review.title && plainText(review.title, notices).trim();
    const publisher = review.publisher && plainText(review.publisher, notices).trim();
    if (title) source.title = fitTitle(title);
    if (publisher) source.publisher = fitTitle(publisher);
    if (date) source.date = date;
    for (const appearance of review.appearances) {
      const target = appearanceTarget(appearance);
      if ('skip' in target) {
        skipped.add(target.skip);
        continue;
      }
      const id = stableId('cr', review.url, target.key);
      if (labels.has(id)) {
        skipped.add('the same appearance again for one fact-check');
        continue;
      }
      const label = { id, [target.kind]: appearance, val, note: note.text, sources: [source] } as LabelInput;
      if (date) label.cts = date;
      labels.set(id, label);
    }
  }
  return {
    definitions: CLAIMREVIEW_DEFINITIONS,
    labels: sortById([...labels.values()]),
    read: [
      ['fact-checks', reviews.length],
      ['appearance URLs', appearancesRead],
    ],
    skipped,
    notices,
  };
}
