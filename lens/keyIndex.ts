/**
 * The tab's page index (sync/page-index.ts builds it): the top 48 bits of every labelled key's hash,
 * sorted, and per label the feed and definition it names, packed in ~5.3 bytes a label
 * (sync/packed-entries.ts). With it the lens knows in the site's own task which keys have labels
 * and draws their badges at once; the labels' evidence
 * (note, sources, period, id) is asked for afterwards, only for the keys the index named
 * (lens/lookupCache.ts), and the drawn labels are completed (or corrected) when it arrives.
 *
 *   `pageIndex` answer (and its `pageIndexPart` answers, in order) ─base64─▶ Uint32Array, read
 *     where it lies (PackedEntries), codes[place]
 *   key ─hashKey─▶ its bucket's entries, matched on 48 bits ─▶ labels of (feed, definition), none,
 *     or "ask the background" (SHARED_HASH: two labelled keys share those bits; or an account or
 *     post key of a site the index does not hold: PageIndexWire.sites)
 *   `url:<URL>` ─▶ its link keys without the Public Suffix List: the URL key on the host with and
 *     without `www.`, every dot-suffix of the host as `link:domain:` and `server:fedi:`, and the
 *     account or post it points at, read with the tab's own sites' rules (its adapter's
 *     `keyRules`); a URL only another site's rules could read is asked for. The extra keys this
 *     gives beside feed/link-keys.ts's (public suffixes, hosts with `www.` the list would drop)
 *     are keys no label can have (feed/targets.ts refuses them), so they never match.
 *   The index's host filter (a Bloom filter of every host a link, domain or server label names)
 *   is read first: a link whose host and its suffixes are none of them costs a few short hashes,
 *   and only a URL on a site host or with a fediverse-like path is read for account and post keys.
 */
import { hashKey, type KeyHash } from '../feed/hash';
import { someWord, someWordRead } from '../feed/key-words';
import { linkUrlKeyOn } from '../feed/link-url-key';
import { type KeyReader, unwrapLink } from '../feed/site-keys';
import { labelFeedFields } from '../messaging/label-feed';
import { LINK_URL_PREFIX } from '../messaging/link-url';
import type { MatchedLabel, PageIndexFeed, PageIndexWire } from '../messaging/protocol';
import { parseHttpUrl } from '../sites/url';
import { type BloomFilter, filterHas, SHARED_HASH } from '../sync/keyindex';
import { PackedEntries } from '../sync/packed-entries';
import { MAX_LINK_URL_LENGTH } from './slots';

const IPV4 = /^[0-9.]+$/;

/** The hosts a link's keys are on: without PSL, the host with and without a leading `www.`. */
function hostsOf(hostname: string): string[] {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  return host.startsWith('www.') && host.length > 4 ? [host, host.slice(4)] : [host];
}

/** A host and every dot-suffix of it (an IP address alone). */
function suffixes(host: string): string[] {
  if (IPV4.test(host) || host.startsWith('[')) return [host];
  const out = [host];
  for (let at = host.indexOf('.'); at >= 0; at = host.indexOf('.', at + 1)) out.push(host.slice(at + 1));
  return out;
}

/**
 * The keys the page index is searched by for a link URL: every key feed/link-keys.ts
 * `linkLookupKeys` gives for it that a label could have (its link, domain and server keys only
 * when `labelledHost` holds for its host or a suffix of it), and a few that no label can have.
 * Null when it may name an account or a post that only rules `keys` lacks could read: the
 * background is asked.
 */
export function linkCandidates(
  url: string,
  keys: KeyReader,
  labelledHost: (host: string) => boolean = () => true,
): string[] | null {
  if (url.length > MAX_LINK_URL_LENGTH) return [];
  const destination = unwrapLink(url);
  const parsed = destination ? parseHttpUrl(destination) : null;
  if (!destination || !parsed) return [];
  const names = keys.mayName(parsed);
  if (names === 'ask') return null;
  const out = new Set<string>();
  const hosts = hostsOf(parsed.hostname);
  const chain = new Set(hosts.flatMap(suffixes));
  if ([...chain].some(labelledHost)) {
    for (const host of hosts) out.add(linkUrlKeyOn(parsed, host));
    for (const host of chain) out.add(`link:domain:${host}`);
    for (const host of chain) out.add(`server:fedi:${host}`);
  }
  if (names) {
    for (const key of keys.accountKeys(destination)) out.add(key);
    for (const key of keys.postKeys(destination)) out.add(key);
  }
  return [...out];
}

/**
 * Decodes base64 into `bytes` from `at` (the engine's own decoder where there is one: Chromium
 * 150's `setFromBase64` decodes the index in half the time `fromBase64` takes) and returns the
 * bytes written; throws on what is not base64 or does not fit.
 */
function base64Into(bytes: Uint8Array, at: number, text: string): number {
  const into = bytes.subarray(at);
  const native = (into as unknown as { setFromBase64?: (text: string) => { written: number; read: number } })
    .setFromBase64;
  if (native) {
    const { read, written } = native.call(into, text);
    if (read < text.length) throw new RangeError('base64 past the end');
    return written;
  }
  const binary = atob(text);
  into.set(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  return binary.length;
}

/** Base64 to bytes, into an array made beforehand with room for every byte. */
function fromBase64(text: string): Uint8Array {
  const bytes = new Uint8Array((text.length * 3) >> 2);
  return bytes.subarray(0, base64Into(bytes, 0, text));
}

/** A filter from its wire form; null (the filter is not used) when there is none or it does not read as one. */
function filterFrom(wire: { bits: string; hashes: number } | undefined): BloomFilter | null {
  if (!wire) return null;
  const bits = fromBase64(wire.bits);
  if (bits.length < 8 || bits.length % 4 !== 0 || !(wire.hashes > 0)) return null;
  return { bits: new Uint32Array(bits.buffer, bits.byteOffset, bits.length / 4), hashes: wire.hashes };
}

export class KeyIndex {
  private constructor(
    /** The entries, sorted by hash, as they came packed (sync/packed-entries.ts). */
    private readonly entries: PackedEntries,
    private readonly count: number,
    /** Each place's feed index << 16 | definition index. */
    private readonly codes: readonly number[],
    private readonly feeds: readonly PageIndexFeed[],
    private readonly validUntil: number,
    /** Names the index (PageIndexWire.id). */
    readonly id: string,
    /** Every host a link, domain or server label names (none: every host may have labels). */
    private readonly hosts: BloomFilter | null,
    /** Every label key's word (feed/key-token.ts keyToken), in one filter or more; none: any text names one. */
    private readonly wordFilters: readonly BloomFilter[] | null,
    /** The shortest word in them. */
    private readonly shortest: number,
    /** The sites whose account and post keys it holds (PageIndexWire.sites); none: every key. */
    private readonly sites: readonly string[] | undefined,
    /** What reads a `url:` key's account and post keys: the tab's own sites' rules. */
    private readonly keys: KeyReader,
  ) {}

  /**
   * The index in a `pageIndex` answer and, when its entries came in parts, the parts after the
   * first, in order; null when they do not read as one. `keys` reads the account and post keys of
   * `url:` keys (the tab's adapter's `keyRules`).
   */
  static decode(
    wire: PageIndexWire | null | undefined,
    keys: KeyReader,
    rest: readonly unknown[] = [],
  ): KeyIndex | null {
    if (!wire || typeof wire.entries !== 'string' || !Array.isArray(wire.feeds) || !Array.isArray(wire.codes))
      return null;
    const n = wire.count;
    const parts = [wire.entries, ...rest];
    if (!Number.isInteger(n) || n < 0 || parts.length !== (wire.parts ?? 1)) return null;
    if (!wire.packing) return null;
    let entries: PackedEntries;
    let hosts: BloomFilter | null = null;
    let wordFilters: BloomFilter[] | null = null;
    const shortest = wire.words?.shortest as number;
    try {
      let chars = 0;
      for (const part of parts) {
        if (typeof part !== 'string') return null;
        chars += part.length;
      }
      const bytes = new Uint8Array((chars * 3) >> 2);
      let written = 0;
      for (const part of parts) written += base64Into(bytes, written, part as string);
      if (written % 4 !== 0) return null;
      const stream = new Uint32Array(bytes.buffer, bytes.byteOffset, written / 4);
      entries = PackedEntries.read(stream, n, wire.codes.length, wire.packing);
      hosts = filterFrom(wire.hosts);
      const filters = [wire.words, ...(Array.isArray(wire.moreWords) ? wire.moreWords : [])].map(filterFrom);
      if (filters.every((filter) => filter) && Number.isInteger(shortest) && shortest >= 1)
        wordFilters = filters as BloomFilter[];
    } catch {
      return null;
    }
    const validUntil = typeof wire.validUntil === 'number' ? wire.validUntil : Number.POSITIVE_INFINITY;
    return new KeyIndex(
      entries,
      n,
      wire.codes,
      wire.feeds,
      validUntil,
      String(wire.id),
      hosts,
      wordFilters,
      shortest,
      Array.isArray(wire.sites) ? wire.sites : undefined,
      keys,
    );
  }

  /** Whether the index can tell a text that names no labelled key (it has the keys' words). */
  get knowsWords(): boolean {
    return this.wordFilters !== null;
  }

  /**
   * Whether `text` may lead to a labelled key: one of its words is a labelled key's word, or the
   * index does not know the words. A URL's words are also read percent-decoded and Unicode-folded,
   * as a URL parser reads them; other text's only as written.
   */
  mayName(text: string, url = true): boolean {
    if (!this.wordFilters) return true;
    return (url ? someWordRead : someWord)(text, this.shortest, this.hasWord);
  }

  /** Whether a word's hash is in a word filter (made once: mayName runs for every text of a post). */
  private readonly hasWord = (hash: KeyHash): boolean => {
    for (const filter of this.wordFilters as readonly BloomFilter[]) if (filterHas(filter, hash)) return true;
    return false;
  };

  /** Labels in the index. */
  get size(): number {
    return this.count;
  }

  /** Whether the index still says what the background would (no label in it has expired). */
  usable(now: number): boolean {
    return now < this.validUntil;
  }

  /**
   * The labels the index holds for a key (a `url:` key: for each of its link keys, filed under
   * the `url:` key as the background does), drawn from their feed and definition. Marked `brief`:
   * the evidence is not in them yet. Null when the background must be asked (SHARED_HASH; a key
   * of a site the index does not hold; a link only another site's rules could read).
   */
  labels(key: string, now: number): MatchedLabel[] | null {
    if (!key.startsWith(LINK_URL_PREFIX)) return this.find(key, undefined, now);
    const out: MatchedLabel[] = [];
    const { hosts } = this;
    const labelledHost = hosts ? (host: string) => filterHas(hosts, hashKey(host)) : undefined;
    const candidates = linkCandidates(key.slice(LINK_URL_PREFIX.length), this.keys, labelledHost);
    if (!candidates) return null;
    for (const linkKey of candidates) {
      const found = this.find(linkKey, key, now);
      if (!found) return null;
      out.push(...found);
    }
    return out;
  }

  private find(key: string, asked: string | undefined, now: number): MatchedLabel[] | null {
    // An account or post key of a site this index does not hold (`account:bsky:…` on X): asked for.
    const [kind, site] = key.split(':', 2);
    if (this.sites && kind !== 'link' && kind !== 'server' && !this.sites.includes(site as string))
      return null;
    const { hi, lo } = hashKey(key);
    const { entries } = this;
    const out: MatchedLabel[] = [];
    for (let at = entries.next(hi, lo, entries.first(hi)); at >= 0; at = entries.next(hi, lo, at + 1)) {
      const place = entries.placeAt(at);
      if (place === SHARED_HASH) return null;
      const code = this.codes[place];
      const feed = code === undefined ? undefined : this.feeds[code >>> 16];
      const definition = feed?.definitions[(code as number) & 0xffff];
      if (!feed || !definition) continue;
      const stale = feed.expires !== undefined && Date.parse(feed.expires) < now;
      out.push({
        key,
        ...(asked ? { asked } : {}),
        ...labelFeedFields(feed, stale, feed.updatedAt),
        // One entry is one label: its place names it until the evidence brings its id.
        labelId: `#${at}`,
        definition,
        sources: [],
        cts: '',
        brief: true,
      });
    }
    return out;
  }
}
