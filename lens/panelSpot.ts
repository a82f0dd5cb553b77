/**
 * Where a badge's details panel goes: in flow inside the post, right below the line the badge sits
 * on, pushing the post's content down; never over anything outside the post (issue 11, item 2).
 *
 *   badge ─▶ the nearest ancestor-or-self that is a block (not inline) in a parent that stacks its
 *            children (block flow, or a flex column): the panel goes right after it
 *         ─▶ if the post, or any box between, does not hold the panel whole (a box of fixed height,
 *            a clipped one, a row the panel would share), the next such block further out
 *         ─▶ last: at the end of the post itself
 *
 * A node assigned to a slot of a site's own shadow root is laid out in that root, not in its light
 * parent: it is passed over. Reads computed styles and boxes, so it runs on the reader's click only.
 */
import type { Placement } from './ui';

export interface PanelSpot {
  anchor: Element;
  append: Placement;
}

const STACKING_BLOCKS = new Set(['block', 'flow-root', 'list-item', 'table-cell', 'inline-block']);

function stacksChildren(style: CSSStyleDeclaration): boolean {
  if (STACKING_BLOCKS.has(style.display)) return true;
  const flex = style.display === 'flex' || style.display === 'inline-flex';
  return flex && style.flexDirection === 'column';
}

function isBlockLevel(style: CSSStyleDeclaration): boolean {
  return !style.display.startsWith('inline') && style.display !== 'contents' && style.display !== 'none';
}

/** The places to try, nearest first, up to `limit` (the post; the page's body outside any post). */
export function* panelSpots(badge: Element, limit: Element): Generator<PanelSpot> {
  const view = badge.ownerDocument.defaultView;
  if (!view) return;
  for (let node: Element = badge; node !== limit; ) {
    const parent = node.parentElement;
    if (!parent || !limit.contains(parent)) break;
    if (!node.assignedSlot && isBlockLevel(view.getComputedStyle(node))) {
      if (stacksChildren(view.getComputedStyle(parent))) yield { anchor: node, append: 'after' };
    }
    node = parent;
  }
  yield { anchor: limit, append: 'last' };
}

/**
 * Whether the panel lies whole inside the post and inside every box between them (so it pushed
 * them down rather than spilling over), and is not squeezed narrower than a readable width.
 */
export function fitsInPost(panel: Element, post: Element | null): boolean {
  const own = panel.getBoundingClientRect();
  if (own.height <= 0) return false;
  const outer = post?.getBoundingClientRect();
  if (outer && own.width < Math.min(280, outer.width - 2)) return false;
  for (let box = panel.parentElement; box; box = box.parentElement) {
    const r = box.getBoundingClientRect();
    const inside =
      own.left >= r.left - 1 &&
      own.right <= r.right + 1 &&
      own.top >= r.top - 1 &&
      own.bottom <= r.bottom + 1;
    if (!inside) return false;
    if (box === post) return true;
  }
  return post === null;
}
