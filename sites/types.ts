/**
 * The contract every site adapter fulfils: pure functions from a page's DOM to post data.
 * Adapters return URLs exactly as the page exposes them (absolute); turning them into target keys
 * is feed/targets.ts's job. No extension API, no network, no mutation of the page.
 */

import type { SiteId } from './catalog.ts';
import type { SiteKeys } from './url.ts';

/** A site's id: the name of its folder under sites/ (derived from sites/catalog.ts). */
export type { SiteId };

/** A URL found on the page and the element a badge for it goes beside. */
export interface Anchored {
  /** Absolute URL (resolved against the page's location). */
  url: string;
  /** Where a badge is inserted (after this element, or inside it at its end). */
  anchor: Element;
}

export interface PostData {
  /** The post's own element; badges for this post go inside it. */
  element: Element;
  /** The post's permalink, absolute. */
  permalink?: string;
  /** The author's profile URL, anchored at the author's name. */
  author?: Anchored;
  /** When the post was made (ISO 8601), where the page shows it. */
  time?: string;
  /** Links in the post body: the real destination (not a t.co-style wrapper) where the page exposes it. */
  links: Anchored[];
  /** A quoted or reposted-with-comment post; its `element` is the quoted part inside `element`. */
  quoted?: PostData;
  /** For a plain repost: the reposter, anchored on the "X reposted" line. `author` is the original author. */
  repostedBy?: Anchored;
}

/** The header of a profile page ("the account you are looking at"). */
export interface ProfileHeader {
  element: Element;
  account: Anchored;
}

/** What an adapter's parsePost reads keys from, besides the page's URL (lens/quiet.ts). */
export interface QuickRead {
  /** Attributes, of the post and of elements in it, whose values parsePost reads URLs, names or ids from. */
  attributes: readonly string[];
  /**
   * Whether it reads names or domains from the post's text, as written: with ASCII patterns
   * (`@handle`, `example.com`), not through a URL parser (that is `joinedText`).
   */
  text?: boolean;
  /**
   * Whether it reads URLs from the text of the elements that have those attributes, with the
   * whitespace and a trailing `…` taken out (X's t.co links spell their destination). The text of a
   * link whose href is a path on the page's own host (`/jack`) is not read: no shortener is there.
   */
  joinedText?: boolean;
}

export interface SiteAdapter {
  id: SiteId;
  /** Human name: "X", "Bluesky", "Mastodon"… */
  name: string;
  /**
   * Whether this adapter handles the page. Most compare the hostname; Mastodon recognises its
   * markup, since any host may run it.
   */
  matches(location: URL, doc: Document): boolean;
  /** CSS selector of post root elements. The observer uses it with `matches`/`closest`/`querySelectorAll`. */
  postSelector: string;
  /** Reads one post root (an element matching `postSelector`). Null when it is not a readable post (an ad, a placeholder). */
  parsePost(element: Element, location: URL): PostData | null;
  /**
   * Where parsePost reads keys from, for an adapter that reads them from nothing else: these
   * attributes in the post, maybe its text, and the page's URL; nothing outside the post. With it the lens
   * passes over a post none of whose words is a labelled key's without parsing it
   * (lens/quiet.ts); without it every post is parsed.
   */
  quickRead?: QuickRead;
  /** The profile header when the page is a profile page, else null. */
  findProfileHeader(doc: Document, location: URL): ProfileHeader | null;
  /**
   * The account and post rules the tab reads keys with (feed/site-keys.ts `keyReader`): those of
   * every site whose keys the site's page index holds (sync/page-index.ts `KEY_SITES`). A link only
   * another site's rules could read is asked of the background, so the content script does not
   * carry those rules.
   */
  keyRules: readonly SiteKeys[];
}
