// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MatchedLabel } from '../messaging/protocol';
import { type BadgeProps, type BadgeView, createBadge } from './badge';
import { PALETTE, paletteCss } from './palette';
import { matchedLabel } from './testLabels';

afterEach(() => {
  cleanup();
  document.body.replaceChildren();
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

/** The panel in an element of its own right after the badge, as the lens puts it in the post. */
function panelAfter(container: Element): BadgeProps['openPanel'] {
  return (content) => {
    const host = document.createElement('div');
    container.after(host);
    render(content, host);
    return {
      root: host,
      host,
      update: (_attrs, next) => render(next, host),
      remove: () => {
        render(null, host);
        host.remove();
      },
    };
  };
}

function badge(props: Omit<BadgeProps, 'openPanel' | 'theme' | 'lang'> & Partial<BadgeProps>): {
  view: BadgeView;
  container: HTMLElement;
} {
  const container = document.createElement('span');
  document.body.append(container);
  const view = createBadge(container, {
    theme: 'light',
    lang: 'en',
    openPanel: panelAfter(container),
    ...props,
  });
  return { view, container };
}

describe('badge', () => {
  it('is a button named after its label, coloured by severity from the stylesheet', () => {
    badge({ labels: [suspended], severity: 'alert' });
    const button = screen.getByRole('button', { name: 'Context label: Account suspended' });
    expect(button.textContent).toBe('Account suspended');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    const root = button.parentElement as HTMLElement;
    expect([root.dataset.theme, root.dataset.severity]).toEqual(['light', 'alert']);
    expect(root.getAttribute('style')).toBeNull();
    expect(paletteCss()).toContain(
      `[data-theme="light"][data-severity="alert"] { --cl-bg: ${PALETTE.light.severity.alert.background};`,
    );
    expect(paletteCss()).toContain(`[data-theme="dark"] { --cl-panel-bg: ${PALETTE.dark.panel.background};`);
  });

  it('groups several labels with a count, coloured by the most severe, named by all', () => {
    badge({ labels: [suspended, hosting, media], severity: 'alert', theme: 'dark' });
    const button = screen.getByRole('button', {
      name: 'Context labels: 3 — Account suspended, Hosting terminated, State-affiliated media',
    });
    expect(button.querySelector('.cl-count')?.textContent).toBe('3');
    expect((button.parentElement as HTMLElement).dataset.theme).toBe('dark');
    // The stylesheet draws the icon by its severity (an octagon for alert); it adds no text.
    const icon = button.querySelector('.cl-icon');
    expect([icon?.getAttribute('data-icon'), icon?.getAttribute('aria-hidden')]).toEqual(['alert', 'true']);
  });

  it('uses the reader’s language for the title', () => {
    badge({ labels: [suspended], severity: 'alert', lang: 'de-AT' });
    expect(screen.getByRole('button', { name: 'Context label: Konto gesperrt' })).toBeTruthy();
  });

  it('updates in place: the same button takes new labels, severity and count', () => {
    const { view } = badge({ labels: [suspended, hosting], severity: 'alert' });
    const button = screen.getByRole('button', { name: /^Context labels: 2/ });
    button.focus();
    view.update({
      labels: [hosting],
      severity: 'caution',
      theme: 'light',
      lang: 'en',
      openPanel: () => {
        throw new Error('not opened');
      },
    });
    expect(screen.getByRole('button', { name: 'Context label: Hosting terminated' })).toBe(button);
    expect(button.querySelector('.cl-count')).toBeNull();
    expect((button.parentElement as HTMLElement).dataset.severity).toBe('caution');
    expect([...button.querySelectorAll('.cl-icon')].map((icon) => icon.getAttribute('data-icon'))).toEqual([
      'caution',
    ]);
    expect(document.activeElement).toBe(button);
  });

  it('opens the details panel, focuses it, and Escape closes it and returns focus to the badge', () => {
    badge({ labels: [suspended], severity: 'alert', postTime: '2021-01-06T00:00:00Z' });
    const button = screen.getByRole('button', { name: 'Context label: Account suspended' });
    fireEvent.click(button);
    const dialog = screen.getByRole('dialog');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.getAttribute('aria-controls')).toBe(dialog.id);
    expect(dialog.dataset.theme).toBe('light');
    expect(document.activeElement).toBe(dialog);
    expect(dialog.textContent).toContain('Posted 2 days before this applied (from 8 January 2021).');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('closes its open panel on Escape pressed on the badge itself; Escape there does nothing else', () => {
    badge({ labels: [suspended], severity: 'alert' });
    const button = screen.getByRole('button', { name: 'Context label: Account suspended' });
    const heard = vi.fn();
    document.addEventListener('keydown', heard);
    try {
      fireEvent.click(button);
      button.focus();
      fireEvent.keyDown(button, { key: 'Escape' });
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(document.activeElement).toBe(button);
      // The panel's Escape is the badge's own: the page does not hear it.
      expect(heard).not.toHaveBeenCalled();
      fireEvent.keyDown(button, { key: 'Escape' });
      expect(heard).toHaveBeenCalledTimes(1);
      expect(screen.queryByRole('dialog')).toBeNull();
    } finally {
      document.removeEventListener('keydown', heard);
    }
  });

  it('closes with the close button, on a second click, and on a press elsewhere, but not on a press inside the panel', () => {
    badge({ labels: [suspended], severity: 'alert' });
    const elsewhere = document.createElement('p');
    elsewhere.textContent = 'elsewhere';
    document.body.append(elsewhere);
    const button = screen.getByRole('button', { name: 'Context label: Account suspended' });
    fireEvent.click(button);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    fireEvent.click(button);
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(button);
    fireEvent.pointerDown(screen.getByRole('dialog'));
    expect(screen.queryByRole('dialog')).not.toBeNull();
    fireEvent.pointerDown(screen.getByText('elsewhere'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('destroy closes the panel and leaves nothing behind', () => {
    const { view, container } = badge({ labels: [suspended], severity: 'alert' });
    fireEvent.click(screen.getByRole('button', { name: 'Context label: Account suspended' }));
    view.destroy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(container.childNodes).toHaveLength(0);
  });

  it('sets feed text as text, never as HTML', () => {
    const html = matchedLabel({ definition: { id: 'x', title: { en: '<img src=x onerror=alert(1)>' } } });
    badge({ labels: [html], severity: 'alert' });
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByRole('button').textContent).toBe('<img src=x onerror=alert(1)>');
  });
});

/**
 * A badge the way the lens drives it after "Not on this account": the hidden labels leave, the
 * badge offers Undo until the offer runs out (`expire`, the lens's 10 s timer, tested in
 * lens/lens.test.tsx), and Undo brings them back.
 */
function hidingBadge(labels: MatchedLabel[]): { expire(): void } {
  let hidden: string[] | 'all' = [];
  let undoable = false;
  const container = document.createElement('span');
  document.body.append(container);
  const elsewhere = document.createElement('button');
  elsewhere.type = 'button';
  elsewhere.textContent = 'elsewhere';
  document.body.append(elsewhere);
  const props = (): BadgeProps => ({
    labels: hidden === 'all' ? [] : labels.filter((label) => !hidden.includes(label.labelId)),
    severity: 'alert',
    theme: 'light',
    lang: 'en',
    openPanel: panelAfter(container),
    onHide: (label) => {
      hidden = label ? [label.labelId] : 'all';
      undoable = true;
      view.update(props());
    },
    undoable,
    onUndo: () => {
      hidden = [];
      undoable = false;
      view.update(props());
    },
  });
  const view = createBadge(container, props());
  return {
    expire() {
      undoable = false;
      view.update(props());
    },
  };
}

describe('badge: Undo after "Not on this account"', () => {
  const bothName = 'Context labels: 2 — Account suspended, Hosting terminated';
  const hideOne = 'Not on this account: hide “Account suspended” beside this account';

  it('hiding one label moves focus to Undo, which says what happened; Undo brings it back and focuses the badge', () => {
    hidingBadge([suspended, hosting]);
    fireEvent.click(screen.getByRole('button', { name: bothName }));
    fireEvent.click(screen.getByRole('button', { name: hideOne }));
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
    hidingBadge([suspended, hosting]);
    fireEvent.click(screen.getByRole('button', { name: bothName }));
    fireEvent.click(screen.getByRole('button', { name: 'Hide all these labels on this account' }));
    expect(screen.queryByRole('button', { name: /^Context label/ })).toBeNull();
    const undo = screen.getByRole('button', { name: 'Undo' });
    expect(document.activeElement).toBe(undo);
    fireEvent.click(undo);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: bothName }));
  });

  it('when the offer runs out, Undo goes; focus moves to the badge if Undo had it, else stays where the reader put it', () => {
    let control = hidingBadge([suspended, hosting]);
    fireEvent.click(screen.getByRole('button', { name: bothName }));
    fireEvent.click(screen.getByRole('button', { name: hideOne }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Undo' }));
    control.expire();
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
    const remaining = screen.getByRole('button', { name: 'Context label: Hosting terminated' });
    expect(document.activeElement).toBe(remaining);

    // Once more, with the reader gone elsewhere before the offer ran out.
    document.body.replaceChildren();
    control = hidingBadge([suspended, hosting]);
    fireEvent.click(screen.getByRole('button', { name: bothName }));
    fireEvent.click(screen.getByRole('button', { name: hideOne }));
    const elsewhere = screen.getByRole('button', { name: 'elsewhere' });
    fireEvent.blur(screen.getByRole('button', { name: 'Undo' }));
    elsewhere.focus();
    control.expire();
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
    expect(document.activeElement).toBe(elsewhere);
  });

  it('a badge that offers Undo for a label hidden from another badge does not take focus', () => {
    const reading = document.createElement('button');
    reading.type = 'button';
    reading.textContent = 'reading here';
    document.body.append(reading);
    reading.focus();
    badge({ labels: [hosting], severity: 'caution', undoable: true, onUndo: () => undefined });
    expect(screen.getByRole('button', { name: 'Undo' })).toBeTruthy();
    expect(document.activeElement).toBe(reading);
  });
});
