// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DetailsPanel } from './DetailsPanel';
import { matchedLabel } from './testLabels';

afterEach(cleanup);

function panel(labels = [matchedLabel()], postTime?: string) {
  render(
    <DetailsPanel id="p1" labels={labels} lang="en" theme="light" postTime={postTime} onClose={vi.fn()} />,
  );
  return screen.getByRole('dialog');
}

describe('DetailsPanel', () => {
  it('shows the label, its note, the time window, the curator, signature and freshness', () => {
    const dialog = panel([matchedLabel()], '2023-02-25T12:00:00Z');
    expect(within(dialog).getByRole('heading', { level: 3 }).textContent).toBe('Account suspended');
    const text = dialog.textContent ?? '';
    expect(text).toContain('The platform suspended this account.');
    expect(text).toContain('Note: Permanently suspended on 8 January 2021; reinstated on 19 November 2022.');
    expect(text).toContain('Posted 3 months after this ended (19 November 2022).');
    expect(text).toContain('Curator: Platform Actions, published by Example Research Lab');
    expect(text).toContain('Signature verified');
    expect(text).toContain('Feed last updated 20 November 2026');
    expect(text).not.toContain('out of date');
  });

  it('lists sources as safe links that open in a new tab, and leaves out non-http(s) ones', () => {
    const dialog = panel([
      matchedLabel({
        sources: [
          {
            url: 'https://example.org/report',
            title: 'The report',
            publisher: 'Example News',
            date: '2021-01-08',
          },
          { url: 'javascript:alert(1)', title: 'Evil' },
          { url: 'http://example.net/plain' },
        ],
      }),
    ]);
    const links = within(dialog).getAllByRole('link');
    const report = within(dialog).getByRole('link', { name: 'The report' });
    expect(report.getAttribute('href')).toBe('https://example.org/report');
    expect(report.getAttribute('target')).toBe('_blank');
    expect(report.getAttribute('rel')).toBe('noopener noreferrer');
    expect(report.parentElement?.textContent).toBe('The report — Example News, 8 January 2021');
    expect(within(dialog).getByRole('link', { name: 'http://example.net/plain' })).toBeTruthy();
    expect(within(dialog).queryByText('Evil')).toBeNull();
    expect(links.every((a) => /^(https?|mailto):/.test(a.getAttribute('href') ?? ''))).toBe(true);
  });

  it('offers the feed’s appeals link (https or mailto only) to dispute the label', () => {
    let dialog = panel([matchedLabel({ appeals: 'mailto:appeals@example.org' })]);
    expect(within(dialog).getByRole('link', { name: 'Dispute this label' }).getAttribute('href')).toBe(
      'mailto:appeals@example.org',
    );
    cleanup();
    dialog = panel([matchedLabel({ appeals: 'https://example.org/appeal' })]);
    expect(within(dialog).getByRole('link', { name: 'Dispute this label' }).getAttribute('href')).toBe(
      'https://example.org/appeal',
    );
    cleanup();
    dialog = panel([matchedLabel({ appeals: 'javascript:alert(1)' })]);
    expect(within(dialog).queryByRole('link', { name: 'Dispute this label' })).toBeNull();
  });

  it('says when the signature did not verify and when the feed is out of date', () => {
    const dialog = panel([
      matchedLabel({ verified: false, stale: true, staleSince: '2026-11-22T00:00:00Z' }),
    ]);
    expect(dialog.textContent).toContain('Signature not verified');
    expect(dialog.textContent).toContain('Feed out of date since 22 November 2026');
  });

  it('renders feed text as text, never as HTML', () => {
    const dialog = panel([
      matchedLabel({
        note: '<img src=x onerror="alert(1)"><b>bold</b>',
        definition: {
          title: { en: '<script>alert(1)</script>' },
          description: { en: '<a href="https://evil">x</a>' },
        },
      }),
    ]);
    expect(dialog.querySelector('img, script, b')).toBeNull();
    expect(within(dialog).queryByRole('link', { name: 'x' })).toBeNull();
    expect(dialog.textContent).toContain('<script>alert(1)</script>');
    expect(dialog.textContent).toContain('<img src=x onerror="alert(1)"><b>bold</b>');
  });

  it('shows every label of a group, and leaves out the time window without the post date', () => {
    const dialog = panel([
      matchedLabel(),
      matchedLabel({ labelId: 'two', definition: { id: 'other', title: { en: 'Hosting terminated' } } }),
    ]);
    expect(
      within(dialog)
        .getAllByRole('heading', { level: 3 })
        .map((h) => h.textContent),
    ).toEqual(['Account suspended', 'Hosting terminated']);
    expect(within(dialog).getByRole('heading', { level: 2 }).textContent).toBe('Context labels (2)');
    expect(dialog.textContent).not.toContain('Posted');
  });

  it('offers "Not on this account" per label and for all, when the badge is beside an account', () => {
    const onHide = vi.fn();
    const two = [matchedLabel(), matchedLabel({ labelId: 'm1' })];
    render(<DetailsPanel id="p2" labels={two} lang="en" theme="light" onClose={vi.fn()} onHide={onHide} />);
    const dialog = screen.getByRole('dialog');
    const buttons = within(dialog).getAllByRole('button', { name: /^Not on this account: hide/ });
    expect(buttons).toHaveLength(2);
    buttons[1]?.click();
    expect(onHide).toHaveBeenLastCalledWith(two[1]);
    within(dialog).getByRole('button', { name: 'Hide all these labels on this account' }).click();
    expect(onHide).toHaveBeenLastCalledWith();
  });

  it('offers no hiding beside a link', () => {
    expect(within(panel()).queryByRole('button', { name: /Not on this account/ })).toBeNull();
  });
});
