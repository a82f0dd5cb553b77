// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MatchedLabel } from '../messaging/protocol';
import { Badge } from './Badge';
import { PALETTE } from './palette';
import { matchedLabel } from './testLabels';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const suspended = matchedLabel();
const hosting = matchedLabel({
  labelId: 'h',
  definition: { id: 'hosting-terminated', title: { en: 'Hosting terminated' }, severity: 'caution' },
});
const media = matchedLabel({
  labelId: 'm',
  definition: { id: 'state-affiliated', title: { en: 'State-affiliated media' }, severity: 'info' },
});

describe('Badge', () => {
  it('is a button named after its label, coloured by severity', () => {
    render(<Badge labels={[suspended]} severity="alert" theme="light" lang="en" />);
    const button = screen.getByRole('button', { name: 'Context label: Account suspended' });
    expect(button.textContent).toBe('Account suspended');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    const root = button.parentElement as HTMLElement;
    expect(root.dataset.severity).toBe('alert');
    expect(root.style.getPropertyValue('--cl-bg')).toBe(PALETTE.light.severity.alert.background);
  });

  it('groups several labels with a count, coloured by the most severe, named by all', () => {
    render(<Badge labels={[suspended, hosting, media]} severity="alert" theme="dark" lang="en" />);
    const button = screen.getByRole('button', {
      name: 'Context labels: 3 — Account suspended, Hosting terminated, State-affiliated media',
    });
    expect(button.querySelector('.cl-count')?.textContent).toBe('3');
    const root = button.parentElement as HTMLElement;
    expect(root.dataset.theme).toBe('dark');
    expect(root.style.getPropertyValue('--cl-bg')).toBe(PALETTE.dark.severity.alert.background);
  });

  it('uses the reader’s language for the title', () => {
    render(<Badge labels={[suspended]} severity="alert" theme="light" lang="de-AT" />);
    expect(screen.getByRole('button', { name: 'Context label: Konto gesperrt' })).toBeTruthy();
  });

  it('opens the details panel, focuses it, and Escape closes it and returns focus to the badge', () => {
    render(
      <Badge labels={[suspended]} severity="alert" theme="light" lang="en" postTime="2021-01-06T00:00:00Z" />,
    );
    const button = screen.getByRole('button', { name: 'Context label: Account suspended' });
    fireEvent.click(button);
    const dialog = screen.getByRole('dialog');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.getAttribute('aria-controls')).toBe(dialog.id);
    expect(document.activeElement).toBe(dialog);
    expect(dialog.textContent).toContain('Posted 2 days before this applied (from 8 January 2021).');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('closes with the close button, on a second click, and on a click elsewhere', () => {
    render(
      <div>
        <Badge labels={[suspended]} severity="alert" theme="light" lang="en" />
        <p>elsewhere</p>
      </div>,
    );
    const button = screen.getByRole('button', { name: 'Context label: Account suspended' });
    fireEvent.click(button);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    fireEvent.click(button);
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(button);
    fireEvent.pointerDown(screen.getByText('elsewhere'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens the panel leftwards when the badge sits near the right edge of the window', () => {
    render(<Badge labels={[suspended]} severity="alert" theme="light" lang="en" />);
    const button = screen.getByRole('button', { name: 'Context label: Account suspended' });
    fireEvent.click(button);
    expect(screen.getByRole('dialog').style.left).toBe('0px');
    fireEvent.click(button);
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(
      DOMRect.fromRect({ x: window.innerWidth - 100, y: 10, width: 80, height: 20 }),
    );
    fireEvent.click(button);
    expect(screen.getByRole('dialog').style.left).toBe('-260px');
  });

  it('keeps the panel inside the post: as wide as the post allows, shifted to stay within it', () => {
    const post = document.createElement('article');
    vi.spyOn(post, 'getBoundingClientRect').mockReturnValue(
      DOMRect.fromRect({ x: 100, y: 0, width: 300, height: 200 }),
    );
    render(<Badge labels={[suspended]} severity="alert" theme="light" lang="en" within={() => post} />);
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(
      DOMRect.fromRect({ x: 250, y: 10, width: 80, height: 20 }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Context label: Account suspended' }));
    const style = screen.getByRole('dialog').style;
    expect([style.left, style.width]).toEqual(['-150px', '300px']);
  });
});

/**
 * A badge the way the lens drives it after "Not on this account": the hidden labels leave, the
 * badge offers Undo until the offer runs out (`expire`, the lens's 10 s timer, tested in
 * lens/lens.test.tsx), and Undo brings them back.
 */
function HidingBadge({ labels, control }: { labels: MatchedLabel[]; control: { expire?: () => void } }) {
  const [hidden, setHidden] = useState<string[] | 'all'>([]);
  const [undoable, setUndoable] = useState(false);
  control.expire = () => setUndoable(false);
  const shown = hidden === 'all' ? [] : labels.filter((label) => !hidden.includes(label.labelId));
  return (
    <div>
      {shown.length > 0 || undoable ? (
        <Badge
          labels={shown}
          severity="alert"
          theme="light"
          lang="en"
          onHide={(label) => {
            setHidden(label ? [label.labelId] : 'all');
            setUndoable(true);
          }}
          undoable={undoable}
          onUndo={() => {
            setHidden([]);
            setUndoable(false);
          }}
        />
      ) : null}
      <button type="button">elsewhere</button>
    </div>
  );
}

describe('Badge: Undo after "Not on this account"', () => {
  const bothName = 'Context labels: 2 — Account suspended, Hosting terminated';

  it('hiding one label moves focus to Undo, which says what happened; Undo brings it back and focuses the badge', () => {
    const control: { expire?: () => void } = {};
    render(<HidingBadge labels={[suspended, hosting]} control={control} />);
    fireEvent.click(screen.getByRole('button', { name: bothName }));
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Not on this account: hide “Account suspended” beside this account',
      }),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    const undo = screen.getByRole('button', { name: 'Undo' });
    expect(document.activeElement).toBe(undo);
    expect(screen.getByRole('status').textContent).toBe('Hidden on this account. Undo');
    expect(screen.getByRole('button', { name: 'Context label: Hosting terminated' })).toBeTruthy();

    fireEvent.click(undo);
    expect(screen.queryByRole('status')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: bothName }));
  });

  it('hiding every label leaves only the focused Undo; Undo restores the badge with focus on it', () => {
    render(<HidingBadge labels={[suspended, hosting]} control={{}} />);
    fireEvent.click(screen.getByRole('button', { name: bothName }));
    fireEvent.click(screen.getByRole('button', { name: 'Hide all these labels on this account' }));
    expect(screen.queryByRole('button', { name: /^Context label/ })).toBeNull();
    const undo = screen.getByRole('button', { name: 'Undo' });
    expect(document.activeElement).toBe(undo);
    fireEvent.click(undo);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: bothName }));
  });

  it('when the offer runs out, Undo goes; focus moves to the badge if Undo had it, else stays where the reader put it', () => {
    const control: { expire?: () => void } = {};
    render(<HidingBadge labels={[suspended, hosting]} control={control} />);
    fireEvent.click(screen.getByRole('button', { name: bothName }));
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Not on this account: hide “Account suspended” beside this account',
      }),
    );
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Undo' }));
    act(() => control.expire?.());
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
    const remaining = screen.getByRole('button', { name: 'Context label: Hosting terminated' });
    expect(document.activeElement).toBe(remaining);

    // Once more, with the reader gone elsewhere before the offer ran out.
    cleanup();
    render(<HidingBadge labels={[suspended, hosting]} control={control} />);
    fireEvent.click(screen.getByRole('button', { name: bothName }));
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Not on this account: hide “Account suspended” beside this account',
      }),
    );
    const elsewhere = screen.getByRole('button', { name: 'elsewhere' });
    fireEvent.blur(screen.getByRole('button', { name: 'Undo' }));
    elsewhere.focus();
    act(() => control.expire?.());
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
    expect(document.activeElement).toBe(elsewhere);
  });

  it('a badge that offers Undo for a label hidden from another badge does not take focus', () => {
    render(
      <div>
        <button type="button">reading here</button>
        <Badge labels={[hosting]} severity="caution" theme="light" lang="en" undoable onUndo={() => {}} />
      </div>,
    );
    const reading = screen.getByRole('button', { name: 'reading here' });
    reading.focus();
    expect(screen.getByRole('button', { name: 'Undo' })).toBeTruthy();
    expect(document.activeElement).toBe(reading);
  });
});
