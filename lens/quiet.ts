/**
 * The lens's first look at a post: whether it may carry a label at all, told from its words before
 * the adapter parses it. Most posts name no labelled account, post or link; reading one fully
 * (parsePost, its keys, the index look-ups) costs several times what scanning its words does.
 *
 *   post ──the adapter's `quickRead` attributes (their elements' text read joined), its text,
 *     the page's URL──▶ KeyIndex.mayName (each word against the index's word filter)
 *       ──none──▶ passed over        └─any──▶ read fully (lens.ts)
 *
 * Sound where the adapter declares `quickRead` truthfully: every key parsePost can lead to comes
 * from those texts, and its word (feed/key-token.ts keyToken) is one of their words.
 * lens/quiet.test.ts checks this on every fixture post of every adapter that declares it.
 */
import { fromRoot } from '../sites/dom';
import type { QuickRead } from '../sites/types';
import type { KeyIndex } from './keyIndex';

export type QuietCheck = (element: Element, location: URL, index: KeyIndex) => boolean;

/** The check for one adapter's posts: true when the post may carry a label (read it), false when it cannot. */
export function createMayLabel(read: QuickRead): QuietCheck {
  const { attributes, joinedText } = read;
  const selector = attributes.map((name) => `[${name}]`).join(',');
  // Plain loops, not arrays and callbacks: this runs for every post, and its garbage is the page's.
  const inAttributes = (element: Element, index: KeyIndex): boolean => {
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (value !== null && index.mayName(value)) return true;
    }
    return false;
  };
  // A link's text is read as a shortened URL is: whitespace and a trailing ellipsis taken out. A
  // link to a path on the page's own host (`/jack`) shortens nothing: its text is not read.
  const inLinkText = (element: Element, index: KeyIndex): boolean => {
    const href = element.getAttribute('href');
    if (href !== null && fromRoot(href)) return false;
    const text = element.textContent?.replace(/\s+/g, '').replace(/…$/, '');
    return !!text && index.mayName(text);
  };
  // The page's URL is the same for every post until the page navigates: its words are read once.
  let page: { location: URL; href: string; index: KeyIndex; names: boolean } | null = null;
  return (element, location, index) => {
    if (page?.location !== location || page.href !== location.href || page.index !== index)
      page = { location, href: location.href, index, names: index.mayName(location.href) };
    if (page.names) return true;
    if (read.text && index.mayName(element.textContent ?? '', false)) return true;
    if (inAttributes(element, index)) return true;
    const inner = element.querySelectorAll(selector);
    for (let i = 0; i < inner.length; i++) {
      const one = inner[i] as Element;
      if (inAttributes(one, index) || (joinedText && inLinkText(one, index))) return true;
    }
    return false;
  };
}
