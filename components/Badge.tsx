/**
 * One badge beside an author's name, a link or a profile header: the labels that apply there,
 * grouped, coloured by the most severe, as a keyboard-focusable button that opens the details panel.
 * Escape (or the panel's close button) closes it and gives focus back to the badge.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { Severity } from '../feed/types';
import type { MatchedLabel } from '../messaging/protocol';
import { t } from '../ui/i18n';
import { DetailsPanel, type PanelPlacement, panelPlacement } from './DetailsPanel';
import { paletteVars, type Theme } from './palette';
import { SeverityIcon } from './SeverityIcon';
import { badgeName, labelTitle } from './text';

export interface BadgeProps {
  /** Most severe first (see `bySeverity`); at least one. */
  labels: readonly MatchedLabel[];
  /** The most severe of the labels' severities (colours the badge). */
  severity: Severity;
  theme: Theme;
  lang: string;
  postTime?: string;
  /** The post the badge is in: its panel stays inside that box (else inside the window). */
  within?(): Element | null;
  /** "Not on this account" (only for a badge beside an account). */
  onHide?(label?: MatchedLabel): void;
  /** The reader just hid labels here: show "Hidden on this account. Undo". */
  undoable?: boolean;
  onUndo?(): void;
}

export function Badge({
  labels,
  severity,
  theme,
  lang,
  postTime,
  within,
  onHide,
  undoable,
  onUndo,
}: BadgeProps) {
  const [open, setOpen] = useState(false);
  const undoButton = useRef<HTMLButtonElement>(null);
  /** Set when this badge's panel hid something: focus then goes to Undo, not lost with the panel. */
  const hidHere = useRef(false);
  /** Set when Undo was pressed: focus then goes back to the badge. */
  const undone = useRef(false);
  /** Set while Undo has focus: when the offer runs out, focus goes to the badge, not to the page. */
  const undoFocused = useRef(false);
  useEffect(() => {
    if (undoable && hidHere.current) undoButton.current?.focus();
    if (undoable) return;
    if (undone.current || undoFocused.current) button.current?.focus();
    hidHere.current = false;
    undone.current = false;
    undoFocused.current = false;
  }, [undoable]);
  /** Where the panel goes inside the post and the window (measured on click, never before). */
  const [placement, setPlacement] = useState<PanelPlacement>();
  const root = useRef<HTMLSpanElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = `cl-panel-${useId()}`;
  const titles = labels.map((label) => labelTitle(label, lang));

  const close = (): void => {
    setOpen(false);
    button.current?.focus();
  };

  // A click anywhere outside the badge closes the panel (without moving focus).
  useEffect(() => {
    if (!open) return;
    const doc = root.current?.ownerDocument;
    const onPointerDown = (event: Event): void => {
      const host = (root.current?.getRootNode() as ShadowRoot | Document | undefined) ?? null;
      const inside = event
        .composedPath()
        .some((node) => node === root.current || node === (host as ShadowRoot)?.host);
      if (!inside) setOpen(false);
    };
    doc?.addEventListener('pointerdown', onPointerDown, true);
    return () => doc?.removeEventListener('pointerdown', onPointerDown, true);
  }, [open]);

  const undo = undoable && (
    <span class="cl-undo" role="status">
      {`${t('lensHiddenOnAccount')} `}
      <button
        type="button"
        class="cl-undo-button"
        ref={undoButton}
        onFocus={() => {
          undoFocused.current = true;
        }}
        onBlur={() => {
          undoFocused.current = false;
        }}
        onClick={(event) => {
          event.preventDefault();
          undone.current = true;
          onUndo?.();
        }}
      >
        {t('lensUndo')}
      </button>
    </span>
  );
  if (labels.length === 0) {
    return (
      <span class="cl-badge-root" data-theme={theme} style={paletteVars(theme, severity)} ref={root}>
        {undo}
      </span>
    );
  }

  return (
    <span
      class="cl-badge-root"
      data-theme={theme}
      data-severity={severity}
      style={paletteVars(theme, severity)}
      ref={root}
    >
      <button
        type="button"
        class="cl-badge"
        ref={button}
        aria-label={badgeName(titles)}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-haspopup="dialog"
        onClick={(event) => {
          event.preventDefault();
          const view = root.current?.ownerDocument.defaultView;
          const left = root.current?.getBoundingClientRect().left ?? 0;
          const box = within?.()?.getBoundingClientRect();
          setPlacement(panelPlacement(left, box, view?.innerWidth ?? Number.POSITIVE_INFINITY));
          setOpen((was) => !was);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && open) {
            event.preventDefault();
            event.stopPropagation();
            close();
          }
        }}
      >
        <SeverityIcon severity={severity} />
        <span class="cl-badge-text" dir="auto">
          {titles[0]}
        </span>
        {labels.length > 1 && <span class="cl-count">{labels.length}</span>}
      </button>
      {open && (
        <DetailsPanel
          id={panelId}
          labels={labels}
          lang={lang}
          postTime={postTime}
          placement={placement}
          onClose={close}
          onHide={
            onHide &&
            ((label) => {
              hidHere.current = true;
              setOpen(false);
              onHide(label);
            })
          }
        />
      )}
      {undo}
    </span>
  );
}
