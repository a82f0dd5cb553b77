/**
 * What the bundled seed feed puts on each fixture page, shared by the Chromium, Firefox and Mastodon
 * browser tests so they cannot drift apart. Each site folder keeps the rows of its own fixtures
 * (`badges` in sites/<id>/examples.ts); this gathers them as `<site>/<fixture>` → rows.
 *
 * Per fixture: one line per badge, `<index of the post holding it>: <definition ids>` (`header`: the
 * profile header). The seed labels @realDonaldTrump on X (suspended, reinstated, and three of his
 * posts), his Facebook Page, Instagram and YouTube channel, his Truth Social account (and its
 * federated copy on Mastodon), Snapchat, parler.com and Parler's app-store pages.
 */
import { EXAMPLES } from '../site-examples';

export const EXPECTED_BADGES: Record<string, string[]> = Object.fromEntries(
  Object.entries(EXAMPLES).flatMap(([site, examples]) =>
    Object.entries(examples.badges).map(([fixture, rows]) => [`${site}/${fixture}`, rows]),
  ),
);
