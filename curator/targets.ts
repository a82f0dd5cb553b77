/**
 * Which target a curator-mode context-menu item labels: the menu items, and the choice between
 * what the content script saw under the pointer and what the browser reports (link, page).
 * Pure: no extension API.
 */
import type { ContextTarget, CuratorTarget } from '../messaging/protocol';

export type TargetKind = CuratorTarget['kind'];

/** Context-menu item ids, one per kind of target. */
export const CURATOR_MENU_IDS: Record<TargetKind, string> = {
  account: 'context-lens-label-account',
  post: 'context-lens-label-post',
  link: 'context-lens-label-link',
};

/** The i18n message of each menu item's title. */
export const CURATOR_MENU_MESSAGES: Record<TargetKind, string> = {
  account: 'curatorMenuAccount',
  post: 'curatorMenuPost',
  link: 'curatorMenuLink',
};

/**
 * Where each item shows. "Label this link…" needs a link under the pointer; the account and post
 * items also show on the page itself, since posts and profile headers are rarely a single link.
 */
export const CURATOR_MENU_CONTEXTS: Record<TargetKind, ['page' | 'link', ...('page' | 'link')[]]> = {
  account: ['page', 'link'],
  post: ['page', 'link'],
  link: ['link'],
};

export function kindOfMenuItem(menuItemId: string | number): TargetKind | null {
  for (const kind of Object.keys(CURATOR_MENU_IDS) as TargetKind[]) {
    if (CURATOR_MENU_IDS[kind] === menuItemId) return kind;
  }
  return null;
}

/** What the browser tells a context-menu click about where it happened. */
export interface MenuClickInfo {
  linkUrl?: string;
  pageUrl?: string;
}

function isHttpUrl(value: string | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The target for a menu click: the content script's reading of the element under the pointer
 * first (the post's author, the post's permalink, the link), then the link the browser reports,
 * then the page itself (a profile page is the account; a post page is the post). Null when none
 * of them is an http(s) URL.
 */
export function pickTarget(
  kind: TargetKind,
  seen: ContextTarget | undefined,
  info: MenuClickInfo,
): CuratorTarget | null {
  const candidates = [seen?.[kind], info.linkUrl, info.pageUrl];
  const url = candidates.find(isHttpUrl);
  if (!url) return null;
  return { kind, url, ...(isHttpUrl(info.pageUrl) ? { pageUrl: info.pageUrl } : {}) };
}

/** The curator form's query string for a target (`?kind=…&url=…&page=…`). */
export function curatorFormQuery(target: CuratorTarget): string {
  const params = new URLSearchParams({ kind: target.kind, url: target.url });
  if (target.pageUrl) params.set('page', target.pageUrl);
  return `?${params.toString()}`;
}

/** Reads the curator form's address back; null when it names no usable target. */
export function targetFromSearch(search: string): CuratorTarget | null {
  const params = new URLSearchParams(search);
  const kind = params.get('kind');
  const url = params.get('url') ?? '';
  if (kind !== 'account' && kind !== 'post' && kind !== 'link') return null;
  if (!isHttpUrl(url)) return null;
  const page = params.get('page') ?? undefined;
  return { kind, url, ...(isHttpUrl(page) ? { pageUrl: page } : {}) };
}
