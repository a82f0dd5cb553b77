/**
 * Real URLs of Google, Bing and DuckDuckGo: their pages name no account and no post (not even a
 * `/@name` path, which on another host would read as a fediverse account), and their click
 * redirectors lead to the result's destination, or nowhere for an ad. Checked by feed/targets.test.ts
 * and, against every other site's rules, by sites/meta.test.ts. Test and demo data only.
 */
import { neither, type SiteExamples } from '../url-examples.ts';

export const urls = neither(
  'https://www.google.com/search?q=parler',
  'https://www.google.com/@parler',
  'https://www.google.co.uk/search?q=parler',
  'https://www.bing.com/search?q=parler&form=QBLH',
  'https://www.bing.com/@parler',
  'https://duckduckgo.com/?q=parler&ia=web',
  'https://html.duckduckgo.com/html/?q=parler',
);

export const wrappers: SiteExamples['wrappers'] = [
  ['https://www.google.com/url?q=https://parler.com/&sa=U&ved=2ahUKEwi', 'https://parler.com/'],
  ['https://www.google.de/url?sa=t&url=https://parler.com/x&ved=2ah', 'https://parler.com/x'],
  ['https://www.google.com/aclk?sa=l&ai=DChcSEwj5&adurl=https://parler.com/join', null],
  ['https://www.googleadservices.com/pagead/aclk?sa=L&adurl=https://parler.com/join', null],
  [
    'https://www.bing.com/ck/a?!&&p=4b8f0c1e&ptn=3&ver=2&hsh=4&fclid=1c1b&u=a1aHR0cHM6Ly9wYXJsZXIuY29tLw&ntb=1',
    'https://parler.com/',
  ],
  [
    'https://www.bing.com/ck/a?!&&p=8e7d&u=a1aHR0cHM6Ly9lbi53aWtpcGVkaWEub3JnL3dpa2kvUGFybGVy&ntb=1',
    'https://en.wikipedia.org/wiki/Parler',
  ],
  // Bing sometimes percent-encodes the URL before base64: `https%3a%2f%2fparler.com%2fx`.
  [
    'https://www.bing.com/ck/a?!&&p=1&u=a1aHR0cHMlM2ElMmYlMmZwYXJsZXIuY29tJTJmeA&ntb=1',
    'https://parler.com/x',
  ],
  ['https://www.bing.com/ck/a?!&&p=1&u=not-base64&ntb=1', null],
  ['https://www.bing.com/aclick?ld=e8abc&u=aHR0cHMlM2ElMmYlMmZwYXJsZXIuY29t', null],
  ['https://duckduckgo.com/l/?uddg=https%3A%2F%2Fparler.com%2F&rut=5e1b', 'https://parler.com/'],
  ['https://duckduckgo.com/y.js?ad_domain=parler.com&ad_provider=bingv7aa', null],
];

/** The fixture pages (`./fixtures/<name>.html`) `npm run demo` shows for this site. */
export const demo = ['google', 'bing', 'duckduckgo'];

/**
 * What the bundled seed feed puts on each fixture page, checked by the browser tests in Chromium and
 * Firefox: one line per badge, `<index of the result holding it>: <definition ids>`. The index counts
 * every element matching the adapter's selector, ads included (DuckDuckGo's ad comes first); an ad
 * never carries a badge.
 */
export const badges: Record<string, string[]> = {
  google: ['0: hosting-terminated', '2: app-store-removed'],
  bing: ['0: hosting-terminated', '2: app-store-removed'],
  duckduckgo: ['1: hosting-terminated', '3: app-store-removed'],
  'duckduckgo-html': ['1: hosting-terminated', '3: app-store-removed'],
};
