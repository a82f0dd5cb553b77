/**
 * The content-script core, in three steps: observe → decide → render. It reads the page through a
 * SiteAdapter and writes it only through the renderer (a UiHost and two data attributes); it never
 * reads layout in the observer and never sends a key twice.
 *
 *   observe (observe.ts)   MutationObserver ──added elements──▶ scheduler: the next task, then
 *                          ≤ budgetMs a frame for what is left (scheduler.ts)
 *                          element → posts (closest / querySelectorAll) → readPost
 *   readPost (here)        never read, and its words name no labelled key (quiet.ts)? pass over
 *                          adapter.parsePost → signature (WeakMap per element); unchanged? skip
 *                          : slots + keys (slots.ts)
 *                          keys all cached, or answered by the page index? ──yes──▶ show(post)
 *                                 │ no
 *                                 ▼ once per slice
 *                          LookupCache.fetch(new keys) ── one `lookup` message ──▶ show(batch)
 *   show(post)             decide (decide.ts, pure): labels + settings → badges, covers, curator
 *                          render (render.tsx): <context-lens-label>, data-context-lens, covers
 *
 *   settings / feeds / navigation ──▶ re-render from cache, re-fetch, or rescan
 *
 * With the page index (lens/keyIndex.ts, `setIndex`) posts are read in the site's own
 * MutationObserver task (observe.ts `inline`) and answered from the index at once, so their badges
 * are drawn before the site's frame. The evidence of labels drawn from it (note, sources, period,
 * label id) is asked for only when needed (LookupCache.completeBrief), and completes them in place:
 *
 *   details panel opens on brief labels ──▶ their keys ──┐
 *   post beside an account with a one-label exception ───┴▶ `wanted` ─ once per slice, or at once
 *     (held undrawn until its labels have ids, as the exception names one)      for a panel
 *
 * Without the index (over the cap, feeds just changed), everything goes as above. At page start
 * (`expectIndex`) the lens waits for the index up to INDEX_WAIT_MS before it reads the posts already
 * there: read through it, most are passed over unread.
 */
import { labelTitle } from '../components/text';
import { keyReader } from '../feed/site-keys';
import type { LabelAction } from '../feed/types';
import type { ContextTarget, CuratorTarget, PageHealth } from '../messaging/protocol';
import type { Anchored, PostData, SiteAdapter } from '../sites/types';
import { type AccountException, withException, withoutException } from '../storage/exceptions';
import { decide } from './decide';
import type { KeyIndex } from './keyIndex';
import { type AskLabels, LookupCache } from './lookupCache';
import { createPostObserver } from './observe';
import { createMayLabel } from './quiet';
import { createRenderer, emptyPostUi, type PostUi } from './render';
import { headerSlot, postSignature, postSlots, type Slot } from './slots';
import type { Theme } from './theme';
import type { UiHost } from './ui';

export interface LensSettings {
  /** Global switch and this site's switch together: false removes everything. */
  active: boolean;
  /** labelActionKey(feedId, definitionId) → the reader's choice. */
  actions: Readonly<Record<string, LabelAction>>;
  curatorMode: boolean;
  /** "Not on this account" exceptions (storage/settings.ts accountExceptionsItem). */
  exceptions?: readonly AccountException[];
}

/** How long a badge offers Undo after the reader hid labels beside an account. */
export const UNDO_MS = 10_000;

export interface LensDeps {
  adapter: SiteAdapter;
  doc: Document;
  location(): URL;
  lookup: AskLabels;
  ui: UiHost;
  requestFrame(callback: () => void): void;
  /** A task soon (lens/scheduler.ts createTaskQueue): new posts are read there, not a frame later. */
  requestSoon?(callback: () => void): void;
  setTimeout(callback: () => void, ms: number): void;
  now(): number;
  /** The reader's language, for localised feed text. */
  lang: string;
  theme(): Theme;
  openCuratorForm(target: CuratorTarget): void;
  /** Stores a new "Not on this account" exception (the storage watch then updates every tab). */
  addException?(exception: AccountException): void;
  /** Removes one (Undo). */
  removeException?(exception: AccountException): void;
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
  /** The feeds changed: forget every answer (and the page index) and ask again. */
  feedsChanged(): void;
  /** The page index arrived (lens/keyIndex.ts): answer look-ups from it from now on. */
  setIndex(index: KeyIndex | null): void;
  /**
   * The page index was asked for before the lens started: it starts reading the page when the
   * index comes (setIndex) or after INDEX_WAIT_MS, whichever is first.
   */
  expectIndex(): void;
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
/**
 * How long the lens waits for the page index before it reads the posts already on the page. Read
 * before the index, each is read fully and its keys asked over the port: on the page the
 * first 20 posts cost ~17 ms that way, and ~3 ms through the index, which comes ~125 ms after it is
 * asked there. A worker that has to build the index first costs the first badges at most this.
 */
export const INDEX_WAIT_MS = 500;
const RETRY_MS = 2000;
/** Evidence for labels drawn from the page index, when the background failed to answer. */
const BRIEF_RETRY_MS = 2000;
const MAX_BRIEF_RETRIES = 3;
const HEADER_CHECK_MS = 250;
/**
 * The profile header is looked for at most every HEADER_CHECK_MS, and less often when looking costs
 * more (a long page): at most about 1 % of the time goes to it.
 */
const HEADER_COST_RATIO = 100;

/** What the lens knows about one element (a post, or the profile header) and what it drew there. */
interface Owner {
  signature: string;
  slots: Slot[];
  /** Every key of every slot, each once. */
  keys: string[];
  time?: string;
  author?: Anchored;
  drawn: PostUi;
  labelsShown: number;
}

function slotKeys(slots: readonly Slot[]): string[] {
  // Loops, not flatMap: this runs for every post read.
  const keys = new Set<string>();
  for (const slot of slots) for (const key of slot.keys) keys.add(key);
  return [...keys];
}

function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 1;
}

export function createLens(deps: LensDeps): Lens {
  const { adapter, doc } = deps;
  const selector = adapter.postSelector;
  const keys = keyReader(adapter.keyRules);
  const cache = new LookupCache(deps.lookup, () => Date.now());
  const renderer = createRenderer({
    doc,
    ui: deps.ui,
    lang: deps.lang,
    postSelector: selector,
    pageUrl: () => deps.location().href,
    openCuratorForm: deps.openCuratorForm,
    panelOpened(labels) {
      for (const label of labels) if (label.brief) wanted.add(label.asked ?? label.key);
      completeBrief();
    },
    hideOnAccount(account, label) {
      // A label drawn from the page index is named by its place until its evidence brings its id;
      // its panel keeps the button disabled until then (components/DetailsPanel.tsx).
      if (label?.brief) return;
      const exception: AccountException = {
        account,
        added: new Date().toISOString(),
        ...(label
          ? { label: { feedId: label.feedId, labelId: label.labelId, title: labelTitle(label, deps.lang) } }
          : {}),
      };
      undoable = exception;
      const shown = exception;
      deps.setTimeout(() => {
        if (undoable !== shown) return;
        undoable = undefined;
        if (settings.active) rerenderAll();
      }, UNDO_MS);
      // Applied here at once; the storage watch brings the same list to this and every other tab.
      settings = { ...settings, exceptions: withException(settings.exceptions ?? [], exception) };
      if (settings.active) rerenderAll();
      deps.addException?.(exception);
    },
    undoHide() {
      const exception = undoable;
      undoable = undefined;
      if (exception) {
        // Shown again at once, so the badge comes back in place (and takes focus) rather than
        // vanishing until the storage watch answers.
        settings = { ...settings, exceptions: withoutException(settings.exceptions ?? [], exception) };
        deps.removeException?.(exception);
      }
      if (settings.active) rerenderAll();
    },
  });
  /** The exception made in this tab that badges still offer to undo. */
  let undoable: AccountException | undefined;
  let settings: LensSettings = { active: false, actions: {}, curatorMode: false };
  let theme: Theme = deps.theme();
  let records = new WeakMap<Element, Owner>();
  /** Posts passed over unread: their words name no labelled key (lens/quiet.ts). */
  let quiet = new WeakSet<Element>();
  const mayLabel = adapter.quickRead ? createMayLabel(adapter.quickRead) : null;
  let header: { element: Element; owner: Owner } | undefined;
  let pruneAt = 256;
  let navigatedAt = deps.now();
  let headerCheckedAt = Number.NEGATIVE_INFINITY;
  let headerEvery = HEADER_CHECK_MS;
  let lastContext: ContextTarget = {};

  // Posts of a frame waiting for their look-ups.
  let pendingOwners: { element: Element; owner: Owner }[] = [];
  let pendingKeys = new Set<string>();
  let retryElements: Element[] = [];
  /** Posts drawn from brief labels that need label ids (an exception names one label): redrawn when complete. */
  let waitingIds: { element: Element; owner: Owner }[] = [];
  /** Keys whose brief labels' evidence is needed (an open panel, a post in waitingIds), not yet asked. */
  let wanted = new Set<string>();
  /** Set from expectIndex until the index comes (or INDEX_WAIT_MS): the observer is not started yet. */
  let indexDue = false;

  const observer = createPostObserver({
    doc,
    selector,
    requestFrame: deps.requestFrame,
    ...(deps.requestSoon ? { requestSoon: deps.requestSoon } : {}),
    now: deps.now,
    budgetMs: deps.budgetMs ?? 4,
    onPost: (element) => {
      if (settings.active) readPost(element);
    },
    onFrameEnd: flush,
    onError: (error) => deps.onError?.(error),
    inline: () => settings.active && cache.indexed(),
  });

  // --- Observe: a post element → what it is (PostData), remembered per element ---------------------

  function readPost(element: Element): void {
    const previous = records.get(element);
    if (!previous && passOver(element)) {
      quiet.add(element);
      return;
    }
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
    if (previous && previous.signature === signature && renderer.alive(previous.drawn)) return;
    if (previous && previous.signature !== signature) forget(element, previous);
    let owner: Owner | undefined = previous && previous.signature === signature ? previous : undefined;
    if (!owner) {
      let slots: Slot[];
      try {
        slots = postSlots(post, keys);
      } catch (error) {
        // One post whose keys cannot be computed is skipped; the page's other posts are not.
        deps.onError?.(error);
        return;
      }
      owner = {
        signature,
        slots,
        keys: slotKeys(slots),
        ...(post.time ? { time: post.time } : {}),
        ...(post.author ? { author: post.author } : {}),
        drawn: emptyPostUi(),
        labelsShown: 0,
      };
    }
    records.set(element, owner);
    whenKnown(element, owner);
  }

  /**
   * Whether a post not read before can be passed over: the page index knows every labelled key's
   * word and the post shows none of them. Curator mode offers "Label…" on every post: all are read.
   */
  function passOver(element: Element): boolean {
    const index = mayLabel && !settings.curatorMode ? cache.wordIndex() : null;
    if (!index) return false;
    try {
      return !mayLabel?.(element, deps.location(), index);
    } catch (error) {
      deps.onError?.(error);
      return false;
    }
  }

  /** Posts passed over are looked at again (a new index, other feeds, curator mode). */
  function rereadQuiet(): void {
    for (const element of doc.querySelectorAll(selector)) {
      if (!quiet.has(element)) continue;
      quiet.delete(element);
      readPost(element);
    }
  }

  /** Whether an exception names one label beside one of the post's accounts (matched by label id). */
  function needsIds(owner: Owner): boolean {
    const exceptions = settings.exceptions;
    if (!exceptions?.length) return false;
    return owner.slots.some(
      (slot) => slot.account !== undefined && exceptions.some((e) => e.label && e.account === slot.account),
    );
  }

  function whenKnown(element: Element, owner: Owner): void {
    if (cache.answers(owner.keys)) {
      if (waitForIds(element, owner)) return;
      show(owner);
      return;
    }
    pendingOwners.push({ element, owner });
    for (const key of owner.keys) pendingKeys.add(key);
  }

  function flush(): void {
    if (settings.active && deps.now() - headerCheckedAt >= headerEvery) checkHeader();
    if (renderer.liveCount > pruneAt) prune();
    completeBrief();
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
        if (ok || cache.knows(owner.keys)) show(owner);
        else retryLater(element, owner);
      }
    });
  }

  /** Failed evidence requests in a row (reset by an answer). */
  let briefFailures = 0;

  /** Asks for the evidence wanted of labels drawn from the index; redraws what it corrected. */
  function completeBrief(): void {
    if (wanted.size === 0) return;
    const keys = wanted;
    wanted = new Set();
    void cache.completeBrief(keys).then((changed) => {
      if (!settings.active) return;
      // The background did not answer: asked again with the next posts, or after a pause (a few
      // times) when none come, so an open panel does not wait for ever.
      if (changed === null) {
        for (const key of keys) wanted.add(key);
        if (briefFailures++ < MAX_BRIEF_RETRIES) deps.setTimeout(completeBrief, BRIEF_RETRY_MS);
        return;
      }
      briefFailures = 0;
      // Evidence filled in where the labels are: an open panel shows it now (no badge changes).
      renderer.refreshPanels();
      if (changed?.size) {
        for (const { owner } of owners()) if (owner.keys.some((key) => changed.has(key))) show(owner);
      }
      const waiting = waitingIds;
      waitingIds = [];
      for (const { element, owner } of waiting) {
        if ((element === header?.element ? header.owner : records.get(element)) !== owner) continue;
        if (briefIn(owner)) waitingIds.push({ element, owner });
        else show(owner);
      }
    });
  }

  function briefIn(owner: Owner): boolean {
    return owner.keys.some((key) => cache.get(key)?.some((label) => label.brief));
  }

  /** Whether the post must wait for its labels' ids (it is then queued, and their evidence wanted). */
  function waitForIds(element: Element, owner: Owner): boolean {
    if (!needsIds(owner) || !briefIn(owner)) return false;
    waitingIds.push({ element, owner });
    for (const key of owner.keys) wanted.add(key);
    return true;
  }

  function retryLater(element: Element, owner: Owner): void {
    if (header?.element === element) header = undefined;
    else if (records.get(element) === owner) records.delete(element);
    if (retryElements.length === 0) {
      deps.setTimeout(() => {
        const elements = retryElements;
        retryElements = [];
        headerCheckedAt = Number.NEGATIVE_INFINITY;
        for (const el of elements) observer.rescan(el);
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
    headerEvery = Math.max(HEADER_CHECK_MS, (deps.now() - headerCheckedAt) * HEADER_COST_RATIO);
    const slot = found ? headerSlot(found, keys) : null;
    if (!found || !slot) {
      if (header) clearOwner(header.owner);
      header = undefined;
      return;
    }
    const signature = `${found.account.url}`;
    if (
      header &&
      header.element === found.element &&
      header.owner.signature === signature &&
      renderer.alive(header.owner.drawn)
    )
      return;
    if (header) clearOwner(header.owner);
    const owner: Owner = {
      signature,
      slots: [slot],
      keys: slot.keys,
      drawn: emptyPostUi(),
      labelsShown: 0,
    };
    header = { element: found.element, owner };
    whenKnown(found.element, owner);
  }

  // --- Decide, then render ----------------------------------------------------------------------------

  function show(owner: Owner): void {
    if (!settings.active) return;
    const decision = decide(owner, (key) => cache.get(key), { ...settings, undoable }, deps.lang);
    owner.labelsShown = decision.labelsShown;
    renderer.apply(owner.drawn, decision, theme, owner.time);
  }

  function clearOwner(owner: Owner): void {
    renderer.clear(owner.drawn);
    owner.labelsShown = 0;
  }

  function forget(element: Element, owner: Owner): void {
    clearOwner(owner);
    records.delete(element);
  }

  function prune(): void {
    renderer.prune();
    pruneAt = Math.max(256, renderer.liveCount * 2);
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
    for (const { element, owner } of owners()) {
      if (!cache.knows(owner.keys) || waitingFor(owner)) continue;
      show(owner);
      // An exception naming one label may now apply here: drawn again once the labels have ids.
      waitForIds(element, owner);
    }
    prune();
    completeBrief();
  }

  function waitingFor(owner: Owner): boolean {
    return waitingIds.some((waiting) => waiting.owner === owner);
  }

  /** Starts reading the page, once the lens has waited for the index (expectIndex). */
  function observe(): void {
    indexDue = false;
    if (settings.active) observer.start();
  }

  function stop(): void {
    // Late look-up answers and queued frames find the lens inactive and do nothing.
    settings = { ...settings, active: false };
    observer.stop();
    renderer.removeEverything();
    records = new WeakMap();
    quiet = new WeakSet();
    header = undefined;
    pendingOwners = [];
    pendingKeys = new Set();
    waitingIds = [];
    wanted = new Set();
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
        if (!indexDue) observer.start();
        return;
      }
      rerenderAll();
      if (next.curatorMode && !was.curatorMode) {
        rereadQuiet();
        flush();
      }
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
      observer.rescan(doc.documentElement);
    },
    setIndex(index) {
      cache.setIndex(index);
      if (indexDue) observe();
      if (!settings.active) return;
      rereadQuiet();
      flush();
    },
    expectIndex() {
      if (settings.active || indexDue) return;
      indexDue = true;
      deps.setTimeout(observe, INDEX_WAIT_MS);
    },
    feedsChanged() {
      cache.clear();
      waitingIds = [];
      wanted = new Set();
      if (!settings.active) return;
      for (const { element, owner } of owners()) whenKnown(element, owner);
      rereadQuiet();
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
        const location = deps.location();
        for (const element of doc.querySelectorAll(selector)) {
          const owner = records.get(element);
          // A post passed over unread is parsed now, only to be counted (the popup asks rarely).
          if (!owner && quiet.has(element) && parses(adapter, element, location)) recognised++;
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

function parses(adapter: SiteAdapter, element: Element, location: URL): boolean {
  try {
    return adapter.parsePost(element, location) !== null;
  } catch {
    return false;
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
