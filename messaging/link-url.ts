/**
 * A link as found on a page, asked about in `lookup` as `url:<absolute URL>`: the background turns it
 * into link keys (that needs the Public Suffix List, which the content scripts do not ship). Its own
 * module, with no imports, so the content scripts can use it without loading messaging/protocol.ts
 * (which sets up @webext-core/messaging when it is evaluated).
 */
export const LINK_URL_PREFIX = 'url:';
