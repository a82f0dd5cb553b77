/**
 * Words of pages, so the lens can pass over a post that names no labelled key without reading it
 * (lens/quiet.ts, lens/keyIndex.ts `mayName`). A word is a run of ASCII letters and digits,
 * lower-cased; everything else separates words. Each label key has one word its pages always show
 * (feed/key-token.ts keyToken); the page index carries a filter of them.
 *
 *   a post's text and attributes ──words, also percent-decoded and Unicode-folded──▶ any a key's?
 *     no: no key the full reading could find has a label ── yes (or unsure): read the post fully
 */
import { finishKeyHash, HASH_START_1, HASH_START_2, type KeyHash } from './hash';

const WORD = /[a-z0-9]+/g;

/** The words of a text (for tests and keyToken; the page side hashes them without making strings). */
export function wordsOf(text: string): string[] {
  return text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase()).match(WORD) ?? [];
}

/** `%XX` runs decoded as a URL parser would (ASCII escapes alone where a run is not UTF-8). */
export function percentDecoded(text: string): string {
  let out = text;
  // A URL may be escaped more than once (a wrapper's destination inside another's).
  for (let round = 0; round < 3 && out.includes('%'); round++) {
    const next = out.replace(/(?:%[\da-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run.replace(/%([0-7][\da-f])|%../gi, (_, hex?: string) =>
          hex ? String.fromCharCode(Number.parseInt(hex, 16)) : ' ',
        );
      }
    });
    if (next === out) break;
    out = next;
  }
  return out;
}

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * What a host name in the text becomes when a URL parser reads it (UTS #46): compatibility forms
 * folded (`ｅｘａｍｐｌｅ` → `example`), case folded, invisible characters dropped (`exam\u00ADple`).
 */
export function folded(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(IGNORABLE, '').normalize('NFKC');
}

/** The object someWord hands each word's hash in (one for every call: a page scans many texts). */
const WORD_HASH: KeyHash = { hi: 0, lo: 0 };

/**
 * Whether any word of `text` at least `min` long passes `has` (given the word's feed/hash.ts
 * `hashKey`, in an object reused between calls). No string is made for a word: a post's text is
 * hashed as it is scanned.
 */
export function someWord(text: string, min: number, has: (hash: KeyHash) => boolean): boolean {
  let h1 = HASH_START_1;
  let h2 = HASH_START_2;
  let length = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    let ch = i < n ? text.charCodeAt(i) : 0;
    if (ch >= 65 && ch <= 90) ch += 32;
    if ((ch >= 97 && ch <= 122) || (ch >= 48 && ch <= 57)) {
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
      length++;
      continue;
    }
    // hashKey's step for each character (above), then its final mixing: the word's hashKey.
    if (length >= min && has(finishKeyHash(h1, h2, WORD_HASH))) return true;
    h1 = HASH_START_1;
    h2 = HASH_START_2;
    length = 0;
  }
  return false;
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * `someWord` over the text as a URL parser or a site rule could read it too: percent-decoded,
 * Unicode-folded (lens/keyIndex.ts runs every text of a post through this).
 */
export function someWordRead(text: string, min: number, has: (hash: KeyHash) => boolean): boolean {
  if (someWordFolded(text, min, has)) return true;
  if (!text.includes('%')) return false;
  const decoded = percentDecoded(text);
  return decoded !== text && someWordFolded(decoded, min, has);
}

/** `someWord` over the text as written and, where it is not ASCII, Unicode-folded. */
function someWordFolded(text: string, min: number, has: (hash: KeyHash) => boolean): boolean {
  return someWord(text, min, has) || (NON_ASCII.test(text) && someWord(folded(text), min, has));
}
