/**
 * Drawing a decision (lens/decide.ts) on the page: one `<context-lens-label>` per badge, a
 * `<context-lens-cover>` or `<context-lens-hidden>` plus `data-context-lens="warned"|"hidden"` on each
 * covered scope, a `<context-lens-curator>` beside the author in curator mode, and the one page
 * stylesheet that hides covered posts. It keeps what it drew per post (`PostUi`) so the next decision
 * updates in place, and every UI it mounted so `removeEverything` leaves the page as it was. Decides
 * nothing itself; components/ draw the insides.
 */

import type { ComponentChild } from 'preact';
import type { BadgeProps } from '../components/badge';
import { type BadgeView, createBadge, type PanelSlot } from '../components/badge';
import { CuratorButton } from '../components/CuratorButton';
import { HiddenLine } from '../components/HiddenLine';
import type { Theme } from '../components/palette';
import { WarnCover } from '../components/WarnCover';
import type { CuratorTarget, MatchedLabel } from '../messaging/protocol';
import type { CoverDecision, PostDecision } from './decide';
import { fitsInPost, panelSpots } from './panelSpot';
import { place, type UiHandle, type UiHost, type UiSpec } from './ui';

export const PAGE_STYLE = [
  '[data-context-lens="warned"]:not([data-context-lens-shown]) > :not(context-lens-cover),',
  '[data-context-lens="hidden"]:not([data-context-lens-shown]) > :not(context-lens-hidden) { display: none !important; }',
].join('\n');

/** What the renderer drew for one post (or the profile header). */
export interface PostUi {
  badges: Map<Element, UiHandle>;
  covers: Map<Element, { handle: UiHandle; kind: 'warn' | 'hide' }>;
  curator?: UiHandle;
}

export function emptyPostUi(): PostUi {
  return { badges: new Map(), covers: new Map() };
}

export interface RendererDeps {
  doc: Document;
  ui: UiHost;
  lang: string;
  /** The site's post selector: a badge's panel goes in flow inside the post it is in. */
  postSelector?: string;
  pageUrl(): string;
  openCuratorForm(target: CuratorTarget): void;
  /** "Not on this account" from a badge beside `account`: one label, or (without it) all there. */
  hideOnAccount?(account: string, label?: MatchedLabel): void;
  /** Undo the exception the badge offers to undo. */
  undoHide?(): void;
  /** A badge's details panel opens on these labels (brief ones need their evidence now). */
  panelOpened?(labels: readonly MatchedLabel[]): void;
}

export interface Renderer {
  /** Makes the page show `decision` for one post, updating what is already there. */
  apply(drawn: PostUi, decision: PostDecision, theme: Theme, postTime?: string): void;
  /** Removes everything drawn for one post. */
  clear(drawn: PostUi): void;
  /** False when the page threw away any of the post's UIs (the site re-rendered that part). */
  alive(drawn: PostUi): boolean;
  /** Forgets UIs the page already threw away. */
  prune(): void;
  /** Removes every UI, attribute and style the lens put on the page. */
  removeEverything(): void;
  /** Draws open panels again: labels drawn from the page index got their evidence in place. */
  refreshPanels(): void;
  readonly liveCount: number;
}

export function createRenderer(deps: RendererDeps): Renderer {
  const live = new Set<UiHandle>();
  /** The badge drawn in each badge UI (plain DOM, components/badge.ts). */
  const badgeViews = new WeakMap<UiHandle, BadgeView>();
  let pageStyle: HTMLStyleElement | undefined;

  function mount(spec: UiSpec): UiHandle {
    const handle = deps.ui.mount(spec);
    live.add(handle);
    return handle;
  }

  function drop(handle: UiHandle): void {
    badgeViews.get(handle)?.destroy();
    badgeViews.delete(handle);
    handle.remove();
  }

  function unmount(handle: UiHandle | undefined): void {
    if (!handle) return;
    drop(handle);
    live.delete(handle);
  }

  /**
   * A badge's details panel, as a UI of its own (<context-lens-panel>) in flow inside the post:
   * placed after the badge's nearest block that sits in a column (lens/panelSpot.ts), and moved
   * further out until the post and everything between holds it whole. Layout is read here only, on
   * the reader's click, never while badges are inserted.
   */
  function openPanel(badge: Element, content: ComponentChild): PanelSlot {
    const post = deps.postSelector ? badge.closest(deps.postSelector) : null;
    const spots = panelSpots(badge, post ?? deps.doc.body);
    const first = spots.next();
    const start = first.done ? { anchor: badge, append: 'after' as const } : first.value;
    const handle = deps.ui.mount({ name: 'context-lens-panel', ...start, attrs: {}, content });
    for (const spot of spots) {
      if (fitsInPost(handle.host, post)) break;
      place(handle.host, spot.anchor, spot.append);
    }
    return handle;
  }

  function ensurePageStyle(): void {
    if (pageStyle?.isConnected) return;
    pageStyle = deps.doc.createElement('style');
    pageStyle.setAttribute('data-context-lens-style', '');
    pageStyle.textContent = PAGE_STYLE;
    (deps.doc.head ?? deps.doc.documentElement).append(pageStyle);
  }

  function uncover(drawn: PostUi, scope: Element): void {
    const existing = drawn.covers.get(scope);
    if (!existing) return;
    unmount(existing.handle);
    drawn.covers.delete(scope);
    scope.removeAttribute('data-context-lens');
    scope.removeAttribute('data-context-lens-shown');
  }

  function cover(drawn: PostUi, decision: CoverDecision, theme: Theme): void {
    const { scope, action, titles, severity } = decision;
    const existing = drawn.covers.get(scope);
    ensurePageStyle();
    const shown = scope.hasAttribute('data-context-lens-shown');
    const setShown = (value: boolean): void => {
      if (value) scope.setAttribute('data-context-lens-shown', '');
      else scope.removeAttribute('data-context-lens-shown');
    };
    const content =
      action === 'warn' ? (
        <WarnCover
          titles={titles}
          severity={severity}
          theme={theme}
          initiallyShown={shown}
          onShow={() => setShown(true)}
        />
      ) : (
        <HiddenLine
          titles={titles}
          severity={severity}
          theme={theme}
          initiallyShown={shown}
          onToggle={setShown}
        />
      );
    scope.setAttribute('data-context-lens', action === 'warn' ? 'warned' : 'hidden');
    if (existing && existing.kind === action && existing.handle.alive) {
      existing.handle.update({}, content);
      return;
    }
    if (existing) {
      unmount(existing.handle);
      setShown(false);
    }
    const name = action === 'warn' ? 'context-lens-cover' : 'context-lens-hidden';
    drawn.covers.set(scope, {
      kind: action,
      handle: mount({ name, anchor: scope, append: 'first', attrs: {}, content }),
    });
  }

  function curator(drawn: PostUi, decision: PostDecision, theme: Theme): void {
    const author = decision.curator;
    if (!author) {
      unmount(drawn.curator);
      drawn.curator = undefined;
      return;
    }
    const content = (
      <CuratorButton
        theme={theme}
        onLabel={() => deps.openCuratorForm({ kind: 'account', url: author.url, pageUrl: deps.pageUrl() })}
      />
    );
    if (drawn.curator?.alive) drawn.curator.update({}, content);
    else {
      unmount(drawn.curator);
      drawn.curator = mount({
        name: 'context-lens-curator',
        anchor: author.anchor,
        append: 'after',
        attrs: {},
        content,
      });
    }
  }

  return {
    apply(drawn, decision, theme, postTime) {
      const used = new Set<Element>();
      for (const badge of decision.badges) {
        used.add(badge.anchor);
        const existing = drawn.badges.get(badge.anchor);
        const kept = existing?.alive === true && badgeViews.has(existing) ? existing : undefined;
        /** The badge's host on the page: set below for a new badge (the panel opens only later). */
        let host = kept?.host;
        const props: BadgeProps = {
          labels: badge.labels,
          severity: badge.severity,
          theme,
          lang: deps.lang,
          ...(postTime ? { postTime } : {}),
          openPanel: (content) => {
            deps.panelOpened?.(badge.labels);
            return openPanel(host as Element, content);
          },
          ...(badge.account && deps.hideOnAccount
            ? { onHide: (label?: MatchedLabel) => deps.hideOnAccount?.(badge.account as string, label) }
            : {}),
          undoable: badge.undo !== undefined,
          ...(deps.undoHide ? { onUndo: deps.undoHide } : {}),
        };
        if (kept) {
          kept.update(badge.attrs);
          badgeViews.get(kept)?.update(props);
          continue;
        }
        unmount(existing);
        // The badge is drawn inside its UI before the UI goes on the page (lens/ui.ts `build`).
        let view: BadgeView | undefined;
        const handle: UiHandle = mount({
          name: 'context-lens-label',
          anchor: badge.anchor,
          append: badge.append,
          attrs: badge.attrs,
          build: (root) => {
            view = createBadge(root, props);
          },
        });
        host = handle.host;
        if (view) badgeViews.set(handle, view);
        drawn.badges.set(badge.anchor, handle);
      }
      for (const [anchor, handle] of drawn.badges) {
        if (used.has(anchor)) continue;
        unmount(handle);
        drawn.badges.delete(anchor);
      }
      const covered = new Set<Element>();
      for (const decided of decision.covers) {
        covered.add(decided.scope);
        cover(drawn, decided, theme);
      }
      for (const scope of [...drawn.covers.keys()]) if (!covered.has(scope)) uncover(drawn, scope);
      curator(drawn, decision, theme);
    },
    clear(drawn) {
      for (const handle of drawn.badges.values()) unmount(handle);
      drawn.badges.clear();
      for (const scope of [...drawn.covers.keys()]) uncover(drawn, scope);
      unmount(drawn.curator);
      drawn.curator = undefined;
    },
    alive(drawn) {
      for (const handle of drawn.badges.values()) if (!handle.alive) return false;
      for (const { handle } of drawn.covers.values()) if (!handle.alive) return false;
      return !drawn.curator || drawn.curator.alive;
    },
    prune() {
      for (const handle of live) {
        if (handle.alive) continue;
        // A badge the page threw away takes its open panel with it.
        drop(handle);
        live.delete(handle);
      }
    },
    removeEverything() {
      for (const handle of live) drop(handle);
      live.clear();
      for (const element of deps.doc.querySelectorAll('[data-context-lens]')) {
        element.removeAttribute('data-context-lens');
        element.removeAttribute('data-context-lens-shown');
      }
      pageStyle?.remove();
      pageStyle = undefined;
    },
    refreshPanels() {
      for (const handle of live) badgeViews.get(handle)?.refresh();
    },
    get liveCount() {
      return live.size;
    },
  };
}
