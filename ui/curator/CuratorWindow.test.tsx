// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { curatorDraftItem } from '../../storage/settings';
import { CuratorWindow } from './CuratorWindow';

const search = `?${new URLSearchParams({ kind: 'account', url: 'https://x.com/alice', page: 'https://x.com/home' })}`;

beforeEach(() => {
  fakeBrowser.i18n.getUILanguage = () => 'en';
});
afterEach(cleanup);

describe('the curator label form', () => {
  it('starts from the target it was opened for and saves a label into the draft', async () => {
    render(<CuratorWindow search={search} />);
    const target = (await screen.findByLabelText('Address of what is labelled')) as HTMLInputElement;
    expect(target.value).toBe('https://x.com/alice');
    expect((screen.getByLabelText('What is labelled') as HTMLSelectElement).value).toBe('account');
    fireEvent.change(screen.getByLabelText('Label'), { target: { value: 'hosting-terminated' } });
    fireEvent.input(screen.getByLabelText('Note (optional)'), { target: { value: 'Host dropped them.' } });
    fireEvent.input(screen.getByLabelText('Source 1 (address)'), {
      target: { value: 'https://news.example/a' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add a source' }));
    fireEvent.input(screen.getByLabelText('Source 2 (address)'), {
      target: { value: 'https://news.example/b' },
    });
    fireEvent.input(screen.getByLabelText('True since (optional)'), { target: { value: '2026-01-15' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to draft' }));

    expect(await screen.findByText('Saved to your draft feed.')).toBeTruthy();
    const draft = await curatorDraftItem.getValue();
    expect(draft?.feed.name).toBe('My label feed');
    expect(draft?.labels).toHaveLength(1);
    expect(draft?.labels[0]).toMatchObject({
      kind: 'account',
      target: 'https://x.com/alice',
      val: 'hosting-terminated',
      note: 'Host dropped them.',
      sources: [{ url: 'https://news.example/a' }, { url: 'https://news.example/b' }],
      since: '2026-01-15',
    });
  });

  it('refuses to save without an http(s) source, marking the field', async () => {
    render(<CuratorWindow search={search} />);
    const source = await screen.findByLabelText('Source 1 (address)');
    fireEvent.input(source, { target: { value: 'javascript:alert(1)' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to draft' }));
    await waitFor(() => expect(source.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Enter an address starting with https:// or http://')).toBeTruthy();
    fireEvent.input(source, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to draft' }));
    expect(await screen.findByText('Give at least one source.')).toBeTruthy();
    expect(await curatorDraftItem.getValue()).toBeNull();
  });

  it('offers the draft feed’s own definitions', async () => {
    render(<CuratorWindow search={search} />);
    const select = (await screen.findByLabelText('Label')) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Account suspended',
      'Hosting terminated',
      'Fabricated content',
    ]);
  });
});
