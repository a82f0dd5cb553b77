/**
 * The part of a `link:url:` key that needs no Public Suffix List: tracking parameters dropped, the
 * rest sorted, escapes normalised, no fragment or trailing slash. The host is the caller's:
 * feed/link-keys.ts gives `bareHost` (PSL-bounded `www.` removal); the tab's page index
 * (lens/keyIndex.ts) tries the host with and without its `www.`. Pure; no imports.
 */

/** Query parameters that track the click and never say which page it is. */
const TRACKING_PARAMS = new Set(
  '_ga _gl dclid fbclid gbraid gclid igsh igshid mc_cid mc_eid mibextid msclkid ref_src ref_url si ttclid twclid wbraid yclid'.split(
    ' ',
  ),
);

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower.startsWith('utm_') ||
    lower.startsWith('__cft__') ||
    lower === '__tn__' ||
    TRACKING_PARAMS.has(lower)
  );
}

/** `%41` → `A` for unreserved letters, digits, `-`, `_`, `~`; other escapes in upper case. */
function normalizeEscapes(path: string): string {
  return path.replace(/%[0-9a-fA-F]{2}/g, (encoded) => {
    const char = String.fromCharCode(Number.parseInt(encoded.slice(1), 16));
    return /^[A-Za-z0-9_~-]$/.test(char) ? char : encoded.toUpperCase();
  });
}

/** `link:url:<host>[:port]/path?query` of a parsed URL, on the host given. */
export function linkUrlKeyOn(url: URL, host: string): string {
  const params = new URLSearchParams(url.search);
  // forEach, not keys(): in a Firefox content script URLSearchParams iterators are not iterable.
  const tracking: string[] = [];
  params.forEach((_value, name) => {
    if (isTrackingParam(name)) tracking.push(name);
  });
  for (const name of tracking) params.delete(name);
  params.sort();
  const query = params.toString();
  const path = normalizeEscapes(url.pathname).replace(/\/+$/, '');
  const port = url.port ? `:${url.port}` : '';
  return `link:url:${host}${port}${path}${query ? `?${query}` : ''}`;
}
