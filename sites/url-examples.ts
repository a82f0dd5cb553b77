/**
 * The shape of a site folder's `examples.ts`: real URLs of the site, each with the one account or
 * post key it must give (or none), in the spirit of github-url-detection's tables. Test support.
 */

/** A URL seen on a page or written by a curator, and the one account or post key it stands for (if any). */
export interface UrlExample {
  url: string;
  account?: string;
  post?: string;
}

export const account = (key: string, ...urls: string[]): UrlExample[] =>
  urls.map((url) => ({ url, account: key }));
export const post = (key: string, ...urls: string[]): UrlExample[] => urls.map((url) => ({ url, post: key }));
export const neither = (...urls: string[]): UrlExample[] => urls.map((url) => ({ url }));

/** What a site folder's `examples.ts` exports. */
export interface SiteExamples {
  urls: UrlExample[];
  /** Fixture names (without `.html`) the demo shows. */
  demo: string[];
  /** Per fixture name: the seed feed's badges the browser tests expect, `<post index>: <definition ids>`. */
  badges: Record<string, string[]>;
  /** The site's link wrappers: each URL and where it leads (null: a wrapper that hides it, like an ad click). */
  wrappers?: [wrapper: string, destination: string | null][];
}
