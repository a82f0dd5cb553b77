/**
 * The label-feed format v1 as TypeScript types: what curators publish and what the extension reads.
 * Owns the shapes only; parsing, signing and building live beside it. Imports no extension API.
 * docs/feed-format.md is the prose version of this file; keep the two in step.
 */

/** Localised text: `{ "en": "..." }`. Label notes may also be a plain string. */
export type LocalizedText = Record<string, string>;

export type Severity = 'info' | 'caution' | 'alert';
/** What a label does by default. Readers may override it per definition, or turn it off. */
export type DefaultAction = 'badge' | 'warn' | 'hide';
/** What a reader may choose for a definition. */
export type LabelAction = DefaultAction | 'off';

export type TargetKind = 'account' | 'post' | 'link';

export interface LabelDefinition {
  /** Lowercase kebab-case, unique in the feed. */
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  severity: Severity;
  defaultAction: DefaultAction;
}

export interface Source {
  /** http(s) only. */
  url: string;
  title?: string;
  publisher?: string;
  /** ISO 8601 date (YYYY-MM-DD) or date-time. */
  date?: string;
}

export interface Label {
  /** Stable within the feed; a later `neg: true` label with the same id retracts it. */
  id: string;
  /** Exactly one of account / post / link is set. */
  account?: string;
  post?: string;
  link?: string;
  /** A definition id of this feed. */
  val: string;
  note?: string | LocalizedText;
  /** At least one. */
  sources: Source[];
  /** The period the labelled fact holds (ISO dates). */
  since?: string;
  until?: string;
  /** Created (ISO date-time). */
  cts: string;
  /** The label stops applying after this instant (ISO date-time). */
  exp?: string;
  /** Retracts the earlier label with the same id. */
  neg?: true;
  /**
   * With a bare-domain `link`: the domain is a fediverse server, and the label is about the whole
   * server — it shows beside every account on it (`someone@blocked.example`) as well as beside
   * links to it. Readers that predate it ignore it and show a link label (docs/feed-format.md).
   */
  server?: true;
  /**
   * Format 2 with `keyRules`: the lookup key the builder normalised the target to (feed/targets.ts,
   * rules version `keyRules`), so a reader with the same rules need not normalise every label.
   */
  key?: string;
}

/**
 * A content-addressed chunk of labels, `chunks/<sha256>.json` (or `.json.gz`), covered by the signed
 * manifest. Its SHA-256 and size are of the bytes as stored and served.
 */
export interface ChunkRef {
  path: string;
  /** Hex SHA-256 of the chunk file's exact bytes. */
  sha256: string;
  count: number;
  bytes: number;
  /** Format 2: the file is gzip-compressed (`chunks/<sha256>.json.gz`); decoded it is a chunk file. */
  encoding?: 'gzip';
  /**
   * Format 2: a change chunk. Its labels replace every earlier label with the same id (a `neg`
   * one retracts it); change chunks come after every base chunk, in publication order.
   */
  layer?: 'change';
}

/** The body of a chunk file. */
export interface ChunkFile {
  labels: Label[];
}

export interface FeedManifest {
  format: FeedFormat;
  /** The feed's URL (where feed.json is published). */
  id: string;
  name: string;
  publisher: string;
  homepage: string;
  description: string;
  /** https or mailto URL where a labelled person can dispute a label. */
  appeals: string;
  /** Strictly increasing from one publication to the next. */
  sequence: number;
  issued: string;
  expires: string;
  definitions: LabelDefinition[];
  labels?: Label[];
  chunks?: ChunkRef[];
  /**
   * The signing key: base64 of the raw 32-byte Ed25519 public key whose SHA-256 (hex) is the
   * envelope's keyid. A reader trusts it on first use (shown as its fingerprint) and pins it;
   * afterwards only the pinned key counts, and a publication signed by another key is refused
   * unless the pinned key announced it as `nextKey`.
   */
  publicKey: string;
  /** Key rotation: base64 raw Ed25519 public key that signs the next publications. */
  nextKey?: string;
  /**
   * Other feed.json addresses that serve this same feed (copies the publisher runs or allows).
   * A reader reads a feed only at its `id`, one of these, or its own computer (feed/address.ts).
   */
  mirrors?: string[];
  /**
   * Format 2: every chunk label carries its normalised lookup `key`, made under this version of the
   * target rules (KEY_RULES in feed/targets.ts). A reader with the same version trusts the keys after
   * spot-checking a sample; a reader with other rules normalises every target itself.
   */
  keyRules?: number;
}

/** DSSE envelope (https://github.com/secure-systems-lab/dsse), the bytes of feed.json. */
export interface Envelope {
  payloadType: 'application/vnd.context-lens.feed+json';
  /** base64 of the exact manifest bytes that were signed. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

export const FEED_FORMAT = 'context-lens/1';
/** Format 2 adds gzip chunks and change chunks (docs/feed-format.md); readers take 1 and 2. */
export const FEED_FORMAT_2 = 'context-lens/2';
export type FeedFormat = typeof FEED_FORMAT | typeof FEED_FORMAT_2;
export const FEED_FORMATS: readonly string[] = [FEED_FORMAT, FEED_FORMAT_2];
export const PAYLOAD_TYPE = 'application/vnd.context-lens.feed+json';

/** One thing wrong with a feed, named by its place: `labels[17].sources[0].url`. */
export interface FeedProblem {
  path: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: FeedProblem[] };

/** `labels[3].sources[0].url: only http(s) URLs are allowed` */
export function formatProblem(problem: FeedProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}
