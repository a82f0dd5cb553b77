// ClaimReview import: JSON-LD as a DataFeed, one object and an array (fixtures following
// schema.org), appearance URLs that are posts, accounts or links, the rating mapping, and the
// real FACTCK.BR TSV, whose flattened rows have no appearance URL to label.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitTable } from '../../cli/import/tables';
import { realdata } from '../../tests/realdata';
import {
  appearanceTarget,
  FACT_CHECK_FALSE,
  FACT_CHECK_MISLEADING,
  FACT_CHECK_OTHER,
  FACT_CHECK_TRUE,
  importClaimReview,
  RATING_WORDS,
  ratingDefinition,
} from './claimreview';
import { ImportError } from './common';
import { parseJsonDocument } from './json';

const fixture = (name: string) =>
  parseJsonDocument(name, readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error.message;
    throw error;
  }
  throw new Error('expected an ImportError');
}

describe('JSON-LD', () => {
  it('reads a DataFeed and a single object: one label per appearance that is a post, account or link', () => {
    const result = importClaimReview(
      [fixture('claimreview-datafeed.json'), fixture('claimreview-single.jsonld')],
      [],
    );
    expect(result.read).toEqual([
      ['fact-checks', 4],
      ['appearance URLs', 6],
    ]);
    expect(result.labels.map((l) => [l.post ?? l.account ?? l.link, l.val]).sort()).toEqual([
      ['https://blog.example.net/2024/05/desemprego', FACT_CHECK_MISLEADING],
      ['https://bsky.app/profile/poster.example.com/post/3kx7abcdefg2a', FACT_CHECK_FALSE],
      ['https://www.facebook.com/some.page/posts/1234567890123456', FACT_CHECK_FALSE],
      ['https://www.reddit.com/r/news/comments/1dzabcd/bridge_closed_for_ten_years/', FACT_CHECK_TRUE],
      ['https://x.com/someposter/status/1796500000000000001', FACT_CHECK_FALSE],
    ]);
    expect(Object.fromEntries(result.skipped.counts)).toEqual({
      'appearance is a link wrapper': 1,
      'no itemReviewed.appearance or firstAppearance URL': 1,
    });
    const x = result.labels.find((l) => l.post?.startsWith('https://x.com/'));
    expect(x).toMatchObject({
      note: 'Rated "False": A photo shows the flooded city centre after this week\'s storm.',
      sources: [
        {
          url: 'https://factcheck.example.org/2024/06/flood-photo',
          title: "No, this photo does not show this week's storm",
          publisher: 'Example Fact Check',
          date: '2024-06-01',
        },
      ],
      cts: '2024-06-01',
    });
  });

  it('reads an array and a @graph, and gives the same ids on a second import', () => {
    const review = JSON.parse(
      readFileSync(new URL('./fixtures/claimreview-single.jsonld', import.meta.url), 'utf8'),
    );
    const array = parseJsonDocument('a.json', JSON.stringify([review, { '@type': 'WebPage' }]));
    const graph = parseJsonDocument(
      'g.json',
      JSON.stringify({ '@context': 'https://schema.org', '@graph': [review] }),
    );
    const a = importClaimReview([array], []);
    const g = importClaimReview([graph], []);
    expect(a.labels).toEqual(g.labels);
    expect(a.labels).toHaveLength(1);
    expect(Object.fromEntries(a.skipped.counts)).toEqual({ 'not a ClaimReview (@type "WebPage")': 1 });
  });

  it('removes control and bidi characters from the claim, rating, headline and publisher, counting them', () => {
    const review = {
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      url: 'https://factcheck.example.org/a',
      headline: 'No\u0001, it was not',
      author: { '@type': 'Organization', name: 'Example\u202E Fact Check' },
      claimReviewed: 'The \u2066bridge\u2069 closed.',
      reviewRating: { '@type': 'Rating', alternateName: 'False\u202A' },
      itemReviewed: { '@type': 'Claim', appearance: 'https://x.com/someone/status/1796500000000000009' },
    };
    const result = importClaimReview([parseJsonDocument('r.json', JSON.stringify(review))], []);
    expect(result.labels).toHaveLength(1);
    expect(result.labels[0]).toMatchObject({
      val: FACT_CHECK_FALSE,
      note: 'Rated "False": The bridge closed.',
      sources: [
        { url: 'https://factcheck.example.org/a', title: 'No, it was not', publisher: 'Example Fact Check' },
      ],
    });
    expect(
      result.notices.counts.get(
        'control or bidi characters removed from texts (the feed format refuses them)',
      ),
    ).toBe(5);
  });

  it('names the file, line and field of a malformed review', () => {
    const text =
      '{"@type": "ClaimReview", "url": "https://f.example/1",\n "itemReviewed": {"@type": "Claim",\n "appearance": [42]}}';
    expect(errorOf(() => importClaimReview([parseJsonDocument('r.json', text)], []))).toBe(
      'r.json: line 3: itemReviewed.appearance[0]: must be a URL or an object with a url',
    );
  });
});

describe('targets and ratings', () => {
  it('prefers a post, then an account, then a link', () => {
    expect(appearanceTarget('https://twitter.com/jack/status/20')).toEqual({
      kind: 'post',
      key: 'post:x:20',
    });
    expect(appearanceTarget('https://mastodon.social/@Gargron')).toEqual({
      kind: 'account',
      key: 'account:fedi:gargron@mastodon.social',
    });
    expect(appearanceTarget('https://news.example.com/story')).toEqual({
      kind: 'link',
      key: 'link:url:news.example.com/story',
    });
    expect(appearanceTarget('ftp://example.com/x')).toEqual({
      skip: 'appearance is not a usable http(s) URL',
    });
  });

  it.each([
    ['False', FACT_CHECK_FALSE],
    ['falso', FACT_CHECK_FALSE],
    ['Pants on Fire!', FACT_CHECK_FALSE],
    ['Exagerado', FACT_CHECK_MISLEADING],
    ['Sem contexto', FACT_CHECK_MISLEADING],
    ['Distorcido', FACT_CHECK_MISLEADING],
    ['Half True', FACT_CHECK_MISLEADING],
    ['Verdadeiro', FACT_CHECK_TRUE],
    ['Mostly True', FACT_CHECK_TRUE],
    ['Impossível provar', FACT_CHECK_OTHER],
    ['Verdadeiro, mas', FACT_CHECK_OTHER],
    [undefined, FACT_CHECK_OTHER],
  ])('%s → %s', (rating, val) => {
    expect(ratingDefinition(rating)).toBe(val);
  });
});

describe('the real FACTCK.BR TSV', () => {
  it('reads all 1,313 fact-checks and counts each as lacking an appearance URL', () => {
    const table = splitTable('FACTCKBR.tsv', readFileSync(realdata('claimreview/FACTCKBR.tsv'), 'utf8'), {
      delimiter: '\t',
      quoted: false,
    });
    const result = importClaimReview([], [table]);
    expect(result.read).toEqual([
      ['fact-checks', 1313],
      ['appearance URLs', 0],
    ]);
    expect(result.labels).toEqual([]);
    expect(Object.fromEntries(result.skipped.counts)).toEqual({
      'no itemReviewed.appearance or firstAppearance URL': 1313,
    });
  });

  it('labels a row of the same layout once it has an appearance column', () => {
    const table = splitTable(
      'with-appearance.tsv',
      'URL\tAuthor\tdatePublished\tclaimReviewed\talternativeName\tappearance\n' +
        'https://aosfatos.org/noticias/x/\thttps:www.aosfatos.org\t2019-07-22\tUma alegação\tFalso\thttps://twitter.com/a/status/123 https://t.co/x\n',
      { delimiter: '\t', quoted: false },
    );
    const result = importClaimReview([], [table]);
    expect(result.labels).toMatchObject([
      { post: 'https://twitter.com/a/status/123', val: FACT_CHECK_FALSE },
    ]);
    expect(result.skipped.total).toBe(1);
  });
});

describe('docs/import.md', () => {
  it('documents every rating word under its definition', () => {
    const doc = readFileSync(new URL('../../docs/import.md', import.meta.url), 'utf8');
    for (const [val, words] of Object.entries(RATING_WORDS)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${val}\``)) ?? '';
      const listed = (row.split('|')[3] ?? '')
        .split(/,|\//)
        .map((w) => w.normalize('NFD').replace(/\p{M}/gu, '').trim());
      for (const word of words) expect(listed, `${word} under ${val}`).toContain(word);
    }
  });
});
