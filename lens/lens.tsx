/**
 * The content-script core: finds posts as the page renders them, asks the background about their
 * keys, and shows badges, covers and curator buttons. It reads the page through a SiteAdapter and
 * writes it only through a UiHost and two data attributes; it never reads layout in the observer
 * and never sends a key twice.
 *
 *   MutationObserver ──added elements──▶ FrameScheduler (≤ budgetMs per animation frame)
 *        │                                   │ work: element → posts (closest / querySelectorAll)
 *        │                                   │       post → adapter.parsePost → signature (WeakMap)
 *        │                                   │       unchanged? skip : slots + keys (postSlots)
 *        │                                   ▼
 *        │                          keys all cached? ──yes──▶ render(post)
 *        │                                   │ no
 *        │                                   ▼ flush (once per frame)
 *        │                          LookupCache.fetch(new keys) ── one `lookup` message ──▶ render(batch)
 *        ▼
 *   settings / feeds / navigation ──▶ re-render from cache, re-fetch, or rescan
 *
 *   render(post): per slot its labels (action ≠ off) → one <context-lens-label> badge (UiHost);
 *                 per scope the strongest action → data-context-lens + <context-lens-cover|hidden>.
 */
import { Badge } from '../components/Badge';
import { CuratorButton } from '../components/CuratorButton';
import { HiddenLine } from '../components/HiddenLine';
import { labelTitle } from '../components/text';
import { WarnCover } from '../components/WarnCover';
import type { LabelAction } from '../feed/types';
import type { ContextTarget, CuratorTarget, MatchedLabel, PageHealth } from '../messaging/protocol';
import type { PostData, SiteAdapter } from '../sites/types';
import { bySeverity, highestSeverity, labelAction, strongestAction } from './actions';
import { type AskLabels, LookupCache } from './lookupCache';
import { createFrameScheduler, type FrameScheduler } from './scheduler';
import { headerSlot, postSignature, postSlots, type Slot } from './slots';
import type { Theme } from './theme';
import type { UiHandle, UiHost } from './ui';

export interface LensSettings {
  /** Global switch and this site's switch together: false removes everything. */
  active: boolean;
  /** labelActionKey(feedId, definitionId) → the reader's choice. */
  actions: Readonly<Record<string, LabelAction>>;
  curatorMode: boolean;
}

export interface LensDeps {
  adapter: SiteAdapter;
  doc: Document;
  location(): URL;
  lookup: AskLabels;
  ui: UiHost;
  requestFrame(callback: () => void): void;
  setTimeout(callback: () => void, ms: number): void;
  now(): number;
  /** The reader's language, for localised feed text. */
  lang: string;
  theme(): Theme;
  openCuratorForm(target: CuratorTarget): void;
  /** Milliseconds of work per animation frame. */
  budgetMs?: number;
  /** A post could not be read (an adapter or key error): it is skipped, the others go on. */
  onError?(error: unknown): void;
}

export interface Lens {
  /** Applies settings: starts, stops, or re-renders every post from the cached look-ups. */
  update(settings: LensSettings): void;
  /** The page navigated (single-page app): scan again, re-read the profile header and the theme. */
  locationChanged(): void;
  /** The feeds changed: forget every answer and ask again. */
  feedsChanged(): void;
  /** The page theme may have changed. */
  themeChanged(): void;
  /**
   * Remember what is under the pointer at a contextmenu event, given the event's composed path
   * (innermost first), so links inside a site's own shadow roots count too.
   */
  contextMenu(path: readonly EventTarget[]): void;
  contextTarget(): ContextTarget;
  health(): PageHealth;
  /** Removes everything and stops observing. */
  stop(): void;
}

/** How long after load (or navigation) a page without recognised posts counts as a possible layout change. */
export const LAYOUT_GRACE_MS = 5000;
const RETRY_MS = 2000;
/** Posts found inside one added node that are handled in the same step; more are queued one by one. */
const INLINE_POSTS = 4;
const HEADER_CHECK_MS = 250;
const OWN_TAG = /^CONTEXT-LENS-/;
export const PAGE_STYLE = [
  '[data-context-lens="warned"]:not([data-context-lens-shown]) > :not(context-lens-cover),',
  '[data-context-lens="hidden"]:not([data-context-lens-shown]) > :not(context-lens-hidden) { display: none !important; }',
].join('\n');

interface SlotView {
  slot: Slot;
  labels: MatchedLabel[];
  actions: LabelAction[];
}

/** What the lens did to one element (a post, or the profile header). */
interface Owner {
  signature: string;
  slots: Slot[];
  time?: string;
  badges: Map<Element, UiHandle>;
  covers: Map<Element, { handle: UiHandle; kind: 'warn' | 'hide' }>;
  curator?: UiHandle;
  author?: { url: string; anchor: Element };
  labelsShown: number;
}

function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 1;
}

function labelId(label: MatchedLabel): string {
  return `${label.feedId}\n${label.labelId}`;
}

export function createLens(deps: LensDeps): Lens {
  const { adapter, doc } = deps;
  const selector = adapter.postSelector;
  const cache = new LookupCache(deps.lookup);
  let settings: LensSettings = { active: false, actions: {}, curatorMode: false };
  let theme: Theme = deps.theme();
  let records = new WeakMap<Element, Owner>();
  let header: { element: Element; owner: Owner } | undefined;
  const live = new Set<UiHandle>();
  let pruneAt = 256;
  let observer: MutationObserver | undefined;
  let navigatedAt = deps.now();
  let headerCheckedAt = Number.NEGATIVE_INFINITY;
  let lastContext: ContextTarget = {};
  let pageStyle: HTMLStyleElement | undefined;

  // Batches of a frame waiting for their look-ups.
  let pendingOwners: { element: Element; owner: Owner }[] = [];
  let pendingKeys = new Set<string>();
  let retryElements: Element[] = [];
  let seenThisFrame = new Set<Element>();

  /** Work items: an added node to look into, or one post found inside a large one. */
  type Work = Node | { post: Element };
  const scheduler: FrameScheduler<Work> = createFrameScheduler<Work>({
    requestFrame: deps.requestFrame,
    now: deps.now,
    budgetMs: deps.budgetMs ?? 4,
    work: (item) => ('post' in item ? handleFoundPost(item.post) : handleNode(item)),
    flush,
    onError: (error) => deps.onError?.(error),
  });

  function mount(spec: Parameters<UiHost['mount']>[0]): UiHandle {
    const handle = deps.ui.mount(spec);
    live.add(handle);
    return handle;
  }

  function unmount(handle: UiHandle | undefined): void {
    if (!handle) return;
    handle.remove();
    live.delete(handle);
  }

  function prune(): void {
    for (const handle of live) if (!handle.alive) live.delete(handle);
    pruneAt = Math.max(256, live.size * 2);
  }

  // --- Observing -------------------------------------------------------------------------------------

  function observe(): void {
    if (observer) return;
    observer = new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        for (const node of mutation.addedNodes) {
          if (node.nodeType === 1 && !OWN_TAG.test((node as Element).tagName)) scheduler.push(node);
        }
      }
    });
    observer.observe(doc.documentElement, { childList: true, subtree: true });
    scheduler.push(doc.documentElement);
  }

  function handleNode(node: Node): void {
    if (!settings.active || !isElement(node) || !node.isConnected) return;
    const around = node.closest(selector);
    if (around) handlePost(around);
    const inside = node.querySelectorAll(selector);
    // A few posts are handled at once; a whole timeline (the first scan) is queued post by post, so
    // the frame budget holds.
    if (inside.length <= INLINE_POSTS) for (const post of inside) handlePost(post);
    else for (const post of inside) scheduler.push({ post });
  }

  function handleFoundPost(post: Element): void {
    if (settings.active && post.isConnected) handlePost(post);
  }

  function handlePost(element: Element): void {
    if (seenThisFrame.has(element)) return;
    seenThisFrame.add(element);
    const previous = records.get(element);
    let read: { post: PostData; signature: string } | null = null;
    try {
      const post = adapter.parsePost(element, deps.location());
      if (post) read = { post, signature: postSignature(post) };
    } catch (error) {
      deps.onError?.(error);
    }
    if (!read) {
      if (previous) forget(element, previous);
      return;
    }
    const { post, signature } = read;
    if (previous && previous.signature === signature && uiAlive(previous)) return;
    if (previous && previous.signature !== signature) forget(element, previous);
    let owner: Owner | undefined = previous && previous.signature === signature ? previous : undefined;
    if (!owner) {
      let slots: Slot[];
      try {
        slots = postSlots(post);
      } catch (error) {
        // One post whose keys cannot be computed is skipped; the page's other posts are not.
        deps.onError?.(error);
        return;
      }
      owner = {
        signature,
        slots,
        ...(post.time ? { time: post.time } : {}),
        ...(post.author ? { author: post.author } : {}),
        badges: new Map(),
        covers: new Map(),
        labelsShown: 0,
      };
    }
    records.set(element, owner);
    whenKnown(element, owner);
  }

  function whenKnown(element: Element, owner: Owner): void {
    const keys = owner.slots.flatMap((slot) => slot.keys);
    if (cache.knows(keys)) {
      render(owner);
      return;
    }
    pendingOwners.push({ element, owner });
    for (const key of keys) pendingKeys.add(key);
  }

  function flush(): void {
    seenThisFrame = new Set();
    if (settings.active && deps.now() - headerCheckedAt >= HEADER_CHECK_MS) checkHeader();
    if (live.size > pruneAt) prune();
    if (pendingOwners.length === 0) return;
    const batch = pendingOwners;
    const keys = [...pendingKeys];
    pendingOwners = [];
    pendingKeys = new Set();
    void cache.fetch(keys).then((ok) => {
      if (!settings.active) return;
      for (const { element, owner } of batch) {
        const current = element === header?.element ? header.owner : records.get(element);
        if (current !== owner) continue;
        if (ok || cache.knows(owner.slots.flatMap((slot) => slot.keys))) render(owner);
        else retryLater(element, owner);
      }
    });
  }

  function retryLater(element: Element, owner: Owner): void {
    if (header?.element === element) header = undefined;
    else if (records.get(element) === owner) records.delete(element);
    if (retryElements.length === 0) {
      deps.setTimeout(() => {
        const elements = retryElements;
        retryElements = [];
        headerCheckedAt = Number.NEGATIVE_INFINITY;
        for (const el of elements) scheduler.push(el);
      }, RETRY_MS);
    }
    retryElements.push(element);
  }

  function checkHeader(): void {
    headerCheckedAt = deps.now();
    let found: ReturnType<SiteAdapter['findProfileHeader']>;
    try {
      found = adapter.findProfileHeader(doc, deps.location());
    } catch {
      found = null;
    }
    const slot = found ? headerSlot(found) : null;
    if (!found || !slot) {
      if (header) clearOwner(header.element, header.owner);
      header = undefined;
      return;
    }
    const signature = `${found.account.url}`;
    if (
      header &&
      header.element === found.element &&
      header.owner.signature === signature &&
      uiAlive(header.owner)
    )
      return;
    if (header) clearOwner(header.element, header.owner);
    const owner: Owner = { signature, slots: [slot], badges: new Map(), covers: new Map(), labelsShown: 0 };
    header = { element: found.element, owner };
    whenKnown(found.element, owner);
  }

  // --- Rendering -------------------------------------------------------------------------------------

  function uiAlive(owner: Owner): boolean {
    for (const handle of owner.badges.values()) if (!handle.alive) return false;
    for (const { handle } of owner.covers.values()) if (!handle.alive) return false;
    if (owner.curator && !owner.curator.alive) return false;
    return true;
  }

  function view(slot: Slot): SlotView {
    const seen = new Set<string>();
    const labels: MatchedLabel[] = [];
    const actions: LabelAction[] = [];
    for (const key of slot.keys) {
      for (const label of cache.get(key) ?? []) {
        const action = labelAction(label, settings.actions);
        if (action === 'off' || seen.has(labelId(label))) continue;
        seen.add(labelId(label));
        labels.push(label);
        actions.push(action);
      }
    }
    const sorted = bySeverity(labels);
    return {
      slot,
      labels: sorted,
      actions: sorted.map((label) => actions[labels.indexOf(label)] ?? 'badge'),
    };
  }

  function render(owner: Owner): void {
    if (!settings.active) return;
    const views = owner.slots.map(view);
    owner.labelsShown = 0;
    const usedBadges = new Set<Element>();
    const scopeActions = new Map<Element, { actions: LabelAction[]; labels: MatchedLabel[] }>();
    for (const { slot, labels, actions } of views) {
      if (labels.length === 0) continue;
      owner.labelsShown += labels.length;
      usedBadges.add(slot.anchor);
      const attrs = {
        'data-labels': [...new Set(labels.map((l) => l.definition.id))].join(' '),
        'data-targets': [...new Set(labels.map((l) => l.key))].join(' '),
      };
      const content = <Badge labels={labels} theme={theme} lang={deps.lang} postTime={owner.time} />;
      const existing = owner.badges.get(slot.anchor);
      if (existing?.alive) existing.update(attrs, content);
      else {
        unmount(existing);
        owner.badges.set(
          slot.anchor,
          mount({ name: 'context-lens-label', anchor: slot.anchor, append: slot.append, attrs, content }),
        );
      }
      const scope = scopeActions.get(slot.scope) ?? { actions: [], labels: [] };
      scope.actions.push(...actions);
      scope.labels.push(...labels.filter((_, i) => actions[i] !== 'badge'));
      scopeActions.set(slot.scope, scope);
    }
    for (const [anchor, handle] of owner.badges) {
      if (usedBadges.has(anchor)) continue;
      unmount(handle);
      owner.badges.delete(anchor);
    }
    const scopes = new Set<Element>([...owner.covers.keys(), ...scopeActions.keys()]);
    for (const scope of scopes) {
      const entry = scopeActions.get(scope);
      const action = entry ? strongestAction(entry.actions) : 'off';
      cover(owner, scope, action, entry?.labels ?? []);
    }
    renderCurator(owner);
  }

  function cover(owner: Owner, scope: Element, action: LabelAction, labels: MatchedLabel[]): void {
    const existing = owner.covers.get(scope);
    if (action !== 'warn' && action !== 'hide') {
      if (existing) {
        unmount(existing.handle);
        owner.covers.delete(scope);
        scope.removeAttribute('data-context-lens');
        scope.removeAttribute('data-context-lens-shown');
      }
      return;
    }
    ensurePageStyle();
    // The labels that asked for this action (the strongest), named on the cover.
    const strongest = bySeverity(labels.filter((label) => labelAction(label, settings.actions) === action));
    const titles = [...new Set(strongest.map((label) => labelTitle(label, deps.lang)))];
    const severity = highestSeverity(strongest);
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
    owner.covers.set(scope, {
      kind: action,
      handle: mount({ name, anchor: scope, append: 'first', attrs: {}, content }),
    });
  }

  function renderCurator(owner: Owner): void {
    const author = owner.author;
    if (!settings.curatorMode || !author) {
      unmount(owner.curator);
      owner.curator = undefined;
      return;
    }
    const content = (
      <CuratorButton
        theme={theme}
        onLabel={() =>
          deps.openCuratorForm({ kind: 'account', url: author.url, pageUrl: deps.location().href })
        }
      />
    );
    if (owner.curator?.alive) owner.curator.update({}, content);
    else {
      unmount(owner.curator);
      owner.curator = mount({
        name: 'context-lens-curator',
        anchor: author.anchor,
        append: 'after',
        attrs: {},
        content,
      });
    }
  }

  function clearOwner(_element: Element, owner: Owner): void {
    for (const handle of owner.badges.values()) unmount(handle);
    owner.badges.clear();
    for (const [scope, { handle }] of owner.covers) {
      unmount(handle);
      scope.removeAttribute('data-context-lens');
      scope.removeAttribute('data-context-lens-shown');
    }
    owner.covers.clear();
    unmount(owner.curator);
    owner.curator = undefined;
    owner.labelsShown = 0;
  }

  function forget(element: Element, owner: Owner): void {
    clearOwner(element, owner);
    records.delete(element);
  }

  function ensurePageStyle(): void {
    if (pageStyle?.isConnected) return;
    pageStyle = doc.createElement('style');
    pageStyle.setAttribute('data-context-lens-style', '');
    pageStyle.textContent = PAGE_STYLE;
    (doc.head ?? doc.documentElement).append(pageStyle);
  }

  /** Every recognised post now in the page, with what the lens did to it. */
  function* owners(): Generator<{ element: Element; owner: Owner }> {
    for (const element of doc.querySelectorAll(selector)) {
      const owner = records.get(element);
      if (owner) yield { element, owner };
    }
    if (header) yield header;
  }

  function rerenderAll(): void {
    for (const { owner } of owners()) {
      if (cache.knows(owner.slots.flatMap((slot) => slot.keys))) render(owner);
    }
    prune();
  }

  function removeEverything(): void {
    for (const handle of live) handle.remove();
    live.clear();
    for (const element of doc.querySelectorAll('[data-context-lens]')) {
      element.removeAttribute('data-context-lens');
      element.removeAttribute('data-context-lens-shown');
    }
    pageStyle?.remove();
    pageStyle = undefined;
    records = new WeakMap();
    header = undefined;
    pendingOwners = [];
    pendingKeys = new Set();
    scheduler.clear();
  }

  function stop(): void {
    // Late look-up answers and queued frames find the lens inactive and do nothing.
    settings = { ...settings, active: false };
    observer?.disconnect();
    observer = undefined;
    removeEverything();
  }

  return {
    update(next) {
      const was = settings;
      settings = next;
      if (!next.active) {
        if (was.active) stop();
        return;
      }
      if (!was.active) {
        navigatedAt = deps.now();
        headerCheckedAt = Number.NEGATIVE_INFINITY;
        observe();
        return;
      }
      rerenderAll();
    },
    locationChanged() {
      navigatedAt = deps.now();
      if (!settings.active) return;
      headerCheckedAt = Number.NEGATIVE_INFINITY;
      const nextTheme = deps.theme();
      if (nextTheme !== theme) {
        theme = nextTheme;
        rerenderAll();
      }
      scheduler.push(doc.documentElement);
    },
    feedsChanged() {
      cache.clear();
      if (!settings.active) return;
      for (const { element, owner } of owners()) whenKnown(element, owner);
      flush();
    },
    themeChanged() {
      const nextTheme = deps.theme();
      if (nextTheme === theme) return;
      theme = nextTheme;
      if (settings.active) rerenderAll();
    },
    contextMenu(path) {
      lastContext = contextAt(path);
    },
    contextTarget() {
      return lastContext;
    },
    health() {
      let recognised = 0;
      let labelled = 0;
      let shown = 0;
      if (settings.active) {
        for (const element of doc.querySelectorAll(selector)) {
          const owner = records.get(element);
          if (!owner) continue;
          recognised++;
          if (owner.labelsShown > 0) labelled++;
          shown += owner.labelsShown;
        }
        shown += header?.owner.labelsShown ?? 0;
      }
      return {
        site: adapter.id,
        postsRecognised: recognised,
        postsLabelled: labelled,
        labelsShown: shown,
        layoutMayHaveChanged:
          settings.active && recognised === 0 && deps.now() - navigatedAt >= LAYOUT_GRACE_MS,
      };
    },
    stop,
  };

  function contextAt(path: readonly EventTarget[]): ContextTarget {
    const elements = path.filter(isElement);
    // The innermost element of the page's own document (a site's shadow root is walked out of).
    const element = elements.find((el) => el.getRootNode() === doc) ?? null;
    if (!element) return {};
    const result: ContextTarget = {};
    const location = deps.location();
    const postElement = element.closest(selector);
    let post: PostData | null = null;
    if (postElement) {
      try {
        post = adapter.parsePost(postElement, location);
      } catch {
        post = null;
      }
    }
    if (post?.quoted?.element.contains(element)) post = post.quoted;
    if (post) {
      if (post.author) result.account = post.author.url;
      if (post.permalink) result.post = post.permalink;
    } else {
      try {
        const found = adapter.findProfileHeader(doc, location);
        if (found?.element.contains(element)) result.account = found.account.url;
      } catch {
        // A broken adapter leaves the context menu without an account.
      }
    }
    const anchor =
      elements.find((el) => el.tagName === 'A' && el.hasAttribute('href')) ?? element.closest('a[href]');
    if (anchor) {
      const known = post?.links.find((link) => link.anchor === anchor || link.anchor.contains(anchor));
      const url = known?.url ?? safeHref(anchor.getAttribute('href'), location);
      if (url) result.link = url;
    }
    return result;
  }
}

function safeHref(href: string | null, base: URL): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
