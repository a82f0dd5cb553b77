/**
 * The documented limits of feed format v1 (docs/feed-format.md, "Caps"). Readers refuse anything
 * larger, and byte caps are checked before JSON.parse, so a hostile host cannot make a reader parse
 * or store unbounded data. Owns the numbers only; the checks live in the parsers.
 */
export const FEED_CAPS = {
  /** feed.json (the DSSE envelope) in bytes. */
  envelopeBytes: 2 * 1024 * 1024,
  /** The manifest payload inside the envelope, in bytes. */
  manifestBytes: 1024 * 1024,
  /** One chunk file in bytes. */
  chunkBytes: 4 * 1024 * 1024,
  /** Labels in one chunk. */
  labelsPerChunk: 20_000,
  /** Labels inlined in the manifest (`labels`). */
  inlineLabels: 5_000,
  /** Chunks listed in one manifest. */
  chunks: 1_000,
  /** Labels in one publication, inline and in chunks together. */
  totalLabels: 2_000_000,
  /** Label definitions in one feed. */
  definitions: 200,
  /** Signatures in one envelope. */
  signatures: 8,
  /** Sources on one label. */
  sourcesPerLabel: 20,
  /** Languages in one localised text. */
  languages: 50,
  /** Label id length in characters. */
  labelIdLength: 128,
  /** Definition id length in characters. */
  definitionIdLength: 64,
  /** Any URL (feed id, homepage, appeals, source url, link target) in characters. */
  urlLength: 2_048,
  /** A label target (account, post, link) in characters. */
  targetLength: 2_048,
  /** Feed name, publisher, definition title, source title and publisher, in characters. */
  titleLength: 300,
  /** Feed description, definition description, label note (each language), in characters. */
  textLength: 5_000,
  /** Mirror addresses a manifest may list (`mirrors`). */
  mirrors: 20,
  /** Problems collected before a parser stops looking. */
  problems: 100,
} as const;

export type FeedCaps = typeof FEED_CAPS;
