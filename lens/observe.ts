/**
 * Observing the page: one MutationObserver that only queues added elements (never reads layout, never
 * parses), and a scheduler (lens/scheduler.ts) that, in the task right after (then within a budget
 * per animation frame), turns each queued node into the posts it is in or contains and hands each
 * post element to `onPost` once per slice. After each slice's work `onFrameEnd` runs (the lens sends
 * one look-up then). While the lens has the page index (`inline`), added nodes are read in the
 * MutationObserver callback itself, within INLINE_BUDGET_MS, and the rest are scheduled. The lens's
 * own elements (<context-lens-…>) are never queued.
 */
import { createFrameScheduler, type FrameScheduler } from './scheduler';

export interface PostObserverDeps {
  doc: Document;
  /** CSS selector of post root elements (the site adapter's). */
  selector: string;
  requestFrame(callback: () => void): void;
  /** A task soon: new posts are read there rather than in the next frame (scheduler.ts). */
  requestSoon?(callback: () => void): void;
  now(): number;
  budgetMs: number;
  onPost(element: Element): void;
  onFrameEnd(): void;
  onError(error: unknown): void;
  /**
   * Whether added posts are read in the MutationObserver callback itself (the site's own task, so
   * badges land before its frame), for up to INLINE_BUDGET_MS; what is left goes to the scheduler.
   * The lens says yes while the page index answers look-ups without asking.
   */
  inline?(): boolean;
}

export interface PostObserver {
  start(): void;
  /** Look at this node (and what it contains) again in a coming frame. */
  rescan(node: Node): void;
  stop(): void;
}

/** Work per MutationObserver callback when reading inline; added nodes past it go to the scheduler. */
export const INLINE_BUDGET_MS = 8;
/** Posts found inside one added node that are handled in the same step; more are queued one by one. */
const INLINE_POSTS = 4;
const OWN_TAG = /^CONTEXT-LENS-/;

/** An added node to look into, or one post found inside a large one. */
type Work = Node | { post: Element };

function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 1;
}

export function createPostObserver(deps: PostObserverDeps): PostObserver {
  const { selector } = deps;
  let observer: MutationObserver | undefined;
  let seenThisFrame = new Set<Element>();

  const scheduler: FrameScheduler<Work> = createFrameScheduler<Work>({
    requestFrame: deps.requestFrame,
    ...(deps.requestSoon ? { requestSoon: deps.requestSoon } : {}),
    now: deps.now,
    budgetMs: deps.budgetMs,
    work: (item) => ('post' in item ? post(item.post) : node(item)),
    flush: () => {
      seenThisFrame = new Set();
      deps.onFrameEnd();
    },
    onError: deps.onError,
  });

  function post(element: Element): void {
    if (!observer || !element.isConnected || seenThisFrame.has(element)) return;
    seenThisFrame.add(element);
    deps.onPost(element);
  }

  function node(added: Node): void {
    if (!observer || !isElement(added) || !added.isConnected) return;
    const around = added.closest(selector);
    if (around) post(around);
    const inside = added.querySelectorAll(selector);
    // A few posts are handled at once; a whole timeline (the first scan) is queued post by post, so
    // the frame budget holds.
    if (inside.length <= INLINE_POSTS) for (const found of inside) post(found);
    else for (const found of inside) scheduler.push({ post: found });
  }

  return {
    start() {
      if (observer) return;
      observer = new MutationObserver((mutations) => {
        const inline = deps.inline?.() === true;
        const until = inline ? deps.now() + INLINE_BUDGET_MS : 0;
        let handled = false;
        for (const mutation of mutations) {
          for (const added of mutation.addedNodes) {
            if (added.nodeType !== 1 || OWN_TAG.test((added as Element).tagName)) continue;
            if (!inline || deps.now() >= until) {
              scheduler.push(added);
              continue;
            }
            handled = true;
            try {
              node(added);
            } catch (error) {
              deps.onError(error);
            }
          }
        }
        if (!handled) return;
        seenThisFrame = new Set();
        deps.onFrameEnd();
      });
      observer.observe(deps.doc.documentElement, { childList: true, subtree: true });
      scheduler.push(deps.doc.documentElement);
    },
    rescan(target) {
      scheduler.push(target);
    },
    stop() {
      observer?.disconnect();
      observer = undefined;
      scheduler.clear();
    },
  };
}
