/**
 * The label-feed format v1 library: everything curators' tools and the extension use to read,
 * verify and build feeds. Pure and environment-agnostic (Node 20 and service workers); imports no
 * extension API and no node: module. See docs/feed-format.md.
 */
export * from './address';
export * from './build';
export * from './caps';
export * from './chunks';
export * from './dsse';
export * from './encoding';
export * from './gzip';
export * from './hash';
export * from './keys';
export * from './labels';
export * from './problems';
export * from './source';
export * from './types';
export * from './validate';
export * from './verify';
