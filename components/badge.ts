/**
 * One badge beside an author's name, a link or a profile header: the labels that apply there,
 * grouped, coloured by the most severe, as a keyboard-focusable button that opens the details panel.
 * Escape (or the panel's close button) closes it and gives focus back to the badge.
 *
 * Built as plain DOM (a page shows hundreds of badges and opens few): the chip is a button cloned
 * from one per severity, its icon drawn by the stylesheet, updated in place; colours come from the
 * stylesheet by `data-theme` and `data-severity` (palette.ts `paletteCss`), so every badge of a
 * kind shares its computed style. Only the details panel is Preact (DetailsPanel), rendered when it
 * opens into the place the lens gives it (`openPanel`: in flow inside the post) and removed on close.
 * Feed text is set as text (`textContent`), never as HTML.
 */
import { type ComponentChild, h } from 'preact';
import type { Severity } from '../feed/types';
import type { MatchedLabel } from '../messaging/protocol';
import { DetailsPanel } from './DetailsPanel';
import type { Theme } from './palette';
import { t } from './strings';
import { badgeName, labelTitle } from './text';

export interface BadgeProps {
  /** Most severe first (see `bySeverity`); none when every label was just hidden (Undo only). */
  labels: readonly MatchedLabel[];
  /** The most severe of the labels' severities (colours the badge). */
  severity: Severity;
  theme: Theme;
  lang: string;
  postTime?: string;
  /**
   * Puts the details panel on the page (the lens: in flow inside the post) holding `content`, and
   * gives back its container (to focus it) and how to change or remove it.
   */
  openPanel(content: ComponentChild): PanelSlot;
  /** "Not on this account" (only for a badge beside an account). */
  onHide?(label?: MatchedLabel): void;
  /** The reader just hid labels here: show "Hidden on this account. Undo". */
  undoable?: boolean;
  onUndo?(): void;
}

/** Where an open panel lives (a UI of its own: lens/ui.ts `UiHandle`). */
export interface PanelSlot {
  /** The panel's container: inside it, `.cl-panel` takes focus when the panel opens. */
  readonly root: Element;
  /** The host on the page: a pointer press inside it is not "elsewhere". */
  readonly host: Element;
  update(attrs: Record<string, string>, content: ComponentChild): void;
  remove(): void;
}

export interface BadgeView {
  update(props: BadgeProps): void;
  /** Draws the open panel again, if any (its labels' evidence was filled in where they are). */
  refresh(): void;
  /** Closes the panel and empties the container (its UI is removed next). */
  destroy(): void;
}

/**
 * A badge's button (`<button class="cl-badge">` › `<span class="cl-icon">`, `<span
 * class="cl-badge-text" dir="auto">`), cloned for every badge from one made per document and
 * severity: one native copy instead of a dozen element and attribute calls. The icon is the
 * stylesheet's (components/base.css `.cl-icon`), by its `data-icon`.
 */
const buttons = new WeakMap<Document, Map<Severity, HTMLButtonElement>>();

function newButton(doc: Document, severity: Severity): HTMLButtonElement {
  let bySeverity = buttons.get(doc);
  if (!bySeverity) {
    bySeverity = new Map();
    buttons.set(doc, bySeverity);
  }
  let template = bySeverity.get(severity);
  if (!template) {
    template = doc.createElement('button');
    template.type = 'button';
    template.className = 'cl-badge';
    template.setAttribute('aria-haspopup', 'dialog');
    template.setAttribute('aria-expanded', 'false');
    const icon = doc.createElement('span');
    icon.className = 'cl-icon';
    icon.setAttribute('data-icon', severity);
    icon.setAttribute('aria-hidden', 'true');
    const text = doc.createElement('span');
    text.className = 'cl-badge-text';
    text.dir = 'auto';
    template.append(icon, text);
    bySeverity.set(severity, template);
  }
  return template.cloneNode(true) as HTMLButtonElement;
}

/** Sets an attribute only when its value changes (or removes it for null). */
function attr(element: Element, name: string, value: string | null): void {
  if (element.getAttribute(name) === value) return;
  if (value === null) element.removeAttribute(name);
  else element.setAttribute(name, value);
}

let panels = 0;

/**
 * Draws a badge into `container` (a new UI's empty root, which becomes the badge's root: its class,
 * theme and severity) and keeps it in step with `update`.
 */
export function createBadge(container: Element, initial: BadgeProps): BadgeView {
  const doc = container.ownerDocument;
  let props = initial;
  // The container is the badge's root (no element of its own: one fewer a badge to make and style).
  const root = container;
  root.classList.add('cl-badge-root');

  let button: HTMLButtonElement | null = null;
  let text: HTMLSpanElement | null = null;
  let count: HTMLSpanElement | null = null;
  let shownSeverity: Severity | undefined;
  let undoRow: HTMLSpanElement | null = null;
  let undoButton: HTMLButtonElement | null = null;
  let panel: PanelSlot | null = null;
  const panelId = `cl-panel-${++panels}`;

  /** Set when this badge's panel hid something: focus then goes to Undo, not lost with the panel. */
  let hidHere = false;
  /** Set when Undo was pressed: focus then goes back to the badge. */
  let undone = false;
  /** Set while Undo has focus: when the offer runs out, focus goes to the badge, not to the page. */
  let undoFocused = false;

  // A pointer press anywhere outside the badge and its panel closes the panel (focus stays put).
  const onPointerDown = (event: Event): void => {
    const path = event.composedPath();
    const top = root.getRootNode();
    const host = top instanceof ShadowRoot ? top.host : null;
    if (path.includes(root) || (host && path.includes(host))) return;
    if (panel && (path.includes(panel.host) || path.includes(panel.root))) return;
    close(false);
  };

  function panelContent(): ComponentChild {
    const { labels, lang, postTime, onHide, theme } = props;
    return h(DetailsPanel, {
      id: panelId,
      labels,
      lang,
      theme,
      postTime,
      onClose: () => close(true),
      onHide:
        onHide &&
        ((label?: MatchedLabel) => {
          hidHere = true;
          close(false);
          onHide(label);
        }),
    });
  }

  // Escape on the badge closes its open panel. Listened for only while one is open: a page draws
  // hundreds of badges and opens few panels.
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !panel) return;
    event.preventDefault();
    event.stopPropagation();
    close(true);
  };

  function open(): void {
    if (panel || props.labels.length === 0) return;
    panel = props.openPanel(panelContent());
    doc.addEventListener('pointerdown', onPointerDown, true);
    drawButton();
    button?.addEventListener('keydown', onKeyDown);
    (panel.root.querySelector('.cl-panel') as HTMLElement | null)?.focus();
  }

  function close(refocus: boolean): void {
    if (!panel) return;
    panel.remove();
    panel = null;
    doc.removeEventListener('pointerdown', onPointerDown, true);
    button?.removeEventListener('keydown', onKeyDown);
    drawButton();
    if (refocus) button?.focus();
  }

  function drawButton(): void {
    const { labels, severity } = props;
    if (labels.length === 0) {
      button?.remove();
      button = text = count = null;
      shownSeverity = undefined;
      return;
    }
    const titles = labels.map((label) => labelTitle(label, props.lang));
    if (!button) {
      // A new button is written without reading it first: its copy has no name, no text, and is
      // closed (`aria-expanded="false"`, no `aria-controls`), as no panel is open yet.
      button = newButton(doc, severity);
      text = button.lastElementChild as HTMLSpanElement;
      shownSeverity = severity;
      button.setAttribute('aria-label', badgeName(titles));
      text.textContent = titles[0] ?? '';
      button.addEventListener('click', (event) => {
        event.preventDefault();
        if (panel) close(false);
        else open();
      });
      root.prepend(button);
    } else {
      if (shownSeverity !== severity) {
        button.firstElementChild?.setAttribute('data-icon', severity);
        shownSeverity = severity;
      }
      attr(button, 'aria-label', badgeName(titles));
      attr(button, 'aria-expanded', String(panel !== null));
      attr(button, 'aria-controls', panel ? panelId : null);
      if (text && text.textContent !== titles[0]) text.textContent = titles[0] ?? '';
    }
    if (labels.length > 1) {
      if (!count) {
        count = doc.createElement('span');
        count.className = 'cl-count';
        button.append(count);
      }
      count.textContent = String(labels.length);
    } else {
      count?.remove();
      count = null;
    }
  }

  function drawUndo(): void {
    if (!props.undoable) {
      undoRow?.remove();
      undoRow = undoButton = null;
      return;
    }
    if (undoRow) return;
    undoRow = doc.createElement('span');
    undoRow.className = 'cl-undo';
    undoRow.setAttribute('role', 'status');
    undoButton = doc.createElement('button');
    undoButton.type = 'button';
    undoButton.className = 'cl-undo-button';
    undoButton.textContent = t('lensUndo');
    undoButton.addEventListener('focus', () => {
      undoFocused = true;
    });
    undoButton.addEventListener('blur', () => {
      undoFocused = false;
    });
    undoButton.addEventListener('click', (event) => {
      event.preventDefault();
      undone = true;
      props.onUndo?.();
    });
    undoRow.append(`${t('lensHiddenOnAccount')} `, undoButton);
    root.append(undoRow);
  }

  /** Where focus goes when the Undo offer comes or goes (as the reader expects after a hide). */
  function moveFocus(wasUndoable: boolean | undefined): void {
    const undoable = Boolean(props.undoable);
    if (Boolean(wasUndoable) === undoable) return;
    if (undoable && hidHere) undoButton?.focus();
    if (undoable) return;
    if (undone || undoFocused) button?.focus();
    hidHere = false;
    undone = false;
    undoFocused = false;
  }

  function draw(previous: BadgeProps | undefined): void {
    // Attributes, not `dataset` (whose setter cost more than the rest of a badge's drawing); on
    // the first drawing, into a new root, set without reading them first.
    if (previous) {
      attr(root, 'data-theme', props.theme);
      attr(root, 'data-severity', props.labels.length > 0 ? props.severity : null);
    } else {
      root.setAttribute('data-theme', props.theme);
      if (props.labels.length > 0) root.setAttribute('data-severity', props.severity);
    }
    // Undo leaving takes its focus with it: the badge is drawn first so focus can go there.
    drawButton();
    const undoHadFocus = undoFocused;
    drawUndo();
    if (panel) {
      if (props.labels.length === 0) close(false);
      else panel.update({}, panelContent());
    }
    if (undoHadFocus && !props.undoable) undoFocused = true;
    moveFocus(previous?.undoable);
  }

  draw(undefined);

  return {
    update(next) {
      const previous = props;
      props = next;
      draw(previous);
    },
    refresh() {
      if (panel) panel.update({}, panelContent());
    },
    destroy() {
      close(false);
      root.replaceChildren();
    },
  };
}
