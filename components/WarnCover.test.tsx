// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HiddenLine } from './HiddenLine';
import { WarnCover } from './WarnCover';

afterEach(cleanup);

describe('WarnCover', () => {
  it('names the labels and reveals the post with "Show post"', () => {
    const onShow = vi.fn();
    render(<WarnCover titles={['Account suspended']} severity="alert" theme="light" onShow={onShow} />);
    expect(screen.getByRole('note').textContent).toContain('Context label: Account suspended');
    fireEvent.click(screen.getByRole('button', { name: 'Show post' }));
    expect(onShow).toHaveBeenCalledTimes(1);
    // The notice goes away once the post is shown.
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('stays away when the reader already chose to see the post', () => {
    render(<WarnCover titles={['A']} severity="info" theme="light" initiallyShown onShow={vi.fn()} />);
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('names several labels', () => {
    render(<WarnCover titles={['A', 'B']} severity="caution" theme="dark" onShow={vi.fn()} />);
    expect(screen.getByRole('note').textContent).toContain('Context labels: A, B');
    // Its icon is the stylesheet's triangle for caution (components/base.css `.cl-icon`).
    const icon = screen.getByRole('note').querySelector('.cl-icon');
    expect([icon?.getAttribute('data-icon'), icon?.getAttribute('aria-hidden')]).toEqual(['caution', 'true']);
  });
});

describe('HiddenLine', () => {
  it('is one line naming the label that expands and collapses the post', () => {
    const onToggle = vi.fn();
    render(
      <HiddenLine
        titles={['Hosting terminated']}
        severity="caution"
        theme="light"
        initiallyShown={false}
        onToggle={onToggle}
      />,
    );
    const button = screen.getByRole('button');
    expect(button.textContent).toContain('Hidden by Context Lens: Hosting terminated');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    expect(onToggle).toHaveBeenLastCalledWith(true);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(button);
    expect(onToggle).toHaveBeenLastCalledWith(false);
  });
});
