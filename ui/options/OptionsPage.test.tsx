// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { defaultDraft } from '../../curator/draft';
import type { FeedPreview, FeedStatus } from '../../messaging/protocol';
import {
  curatorDraftItem,
  curatorModeItem,
  feedStatusItem,
  labelActionsItem,
  siteEnabledItem,
} from '../../storage/settings';
import { checked } from '../test-support';
import { OptionsPage } from './OptionsPage';

const bg = vi.hoisted(() => ({
  calls: [] as [string, unknown][],
  replies: {} as Record<string, unknown>,
}));
vi.mock('../../messaging/protocol', () => ({
  sendMessage: vi.fn(async (type: string, data: unknown) => {
    bg.calls.push([type, data]);
    if (!(type in bg.replies)) throw new Error(`no reply for ${type}`);
    const reply = bg.replies[type];
    return typeof reply === 'function' ? reply(data) : reply;
  }),
}));

const FEED_URL = 'https://labels.example/feed.json';
const preview: FeedPreview = {
  url: FEED_URL,
  id: FEED_URL,
  address: 'publisher',
  name: 'Example Labels',
  publisher: 'Example Newsroom',
  description: 'Accounts our newsroom investigated.',
  homepage: 'https://labels.example/',
  labelCount: 1234,
  definitions: [],
  keyFingerprint: '0123456789abcdef'.repeat(4),
  sequence: 5,
  expires: '2030-01-01T00:00:00Z',
};

function status(patch: Partial<FeedStatus> = {}): FeedStatus {
  return {
    id: FEED_URL,
    url: FEED_URL,
    name: 'Example Labels',
    publisher: 'Example Newsroom',
    homepage: 'https://labels.example/',
    appeals: 'mailto:a@labels.example',
    enabled: true,
    bundled: false,
    state: 'fresh',
    sequence: 5,
    labelCount: 1234,
    keyFingerprint: preview.keyFingerprint,
    lastUpdated: '2026-03-01T10:00:00Z',
    expires: '2030-01-01T00:00:00Z',
    ...patch,
  };
}

function stubPermissions(granted: boolean) {
  const request = vi.fn(async () => granted);
  fakeBrowser.permissions.request = request as unknown as typeof fakeBrowser.permissions.request;
  fakeBrowser.permissions.contains = vi.fn(
    async () => true,
  ) as unknown as typeof fakeBrowser.permissions.contains;
  return request;
}

beforeEach(() => {
  fakeBrowser.i18n.getUILanguage = () => 'en-US';
  bg.calls = [];
  bg.replies = {
    listDefinitions: [],
    previewFeed: { ok: true, value: preview },
    subscribe: { ok: true, value: status() },
  };
});
afterEach(cleanup);

describe('Feeds', () => {
  it('asks for the feed origin first, then shows name, publisher, label count and key before subscribing', async () => {
    const request = stubPermissions(true);
    render(<OptionsPage />);
    fireEvent.input(screen.getByLabelText('Feed URL'), { target: { value: FEED_URL } });
    fireEvent.click(screen.getByRole('button', { name: 'Subscribe' }));
    // Synchronously, inside the click: otherwise the browser refuses to prompt.
    expect(request).toHaveBeenCalledWith({ origins: ['https://labels.example/*'] });
    expect(bg.calls).toEqual([['listDefinitions', undefined]]);

    // The name is isolated in a <bdi>, which happy-dom gives no display: its accessible name then
    // has spaces around the name (a browser's has none, tests/browser/feeds.spec.ts).
    const confirm = await screen.findByRole('region', { name: /^Subscribe to\s*Example Labels\s*\?$/ });
    expect(confirm.textContent).toContain('Example Newsroom');
    expect(confirm.textContent).toContain('1234');
    expect(confirm.textContent).toContain('0123 4567 89ab cdef');
    expect(confirm.textContent).toContain(FEED_URL);
    expect(confirm.textContent).toContain("The publisher's own address, as signed into the feed.");
    expect(confirm.textContent).not.toContain('Published at');
    expect(bg.calls.map((c) => c[0])).not.toContain('subscribe');

    fireEvent.click(within(confirm).getByRole('button', { name: 'Trust and subscribe' }));
    expect(await screen.findByText('Subscribed to Example Labels.')).toBeTruthy();
    expect(bg.calls).toContainEqual(['subscribe', { url: FEED_URL, keyFingerprint: preview.keyFingerprint }]);
  });

  it('says when the address is a mirror the signed feed lists, and where the publisher publishes it', async () => {
    stubPermissions(true);
    const MIRROR = 'https://mirror.example/copy/feed.json';
    bg.replies.previewFeed = { ok: true, value: { ...preview, url: MIRROR, address: 'mirror' } };
    render(<OptionsPage />);
    fireEvent.input(screen.getByLabelText('Feed URL'), { target: { value: MIRROR } });
    fireEvent.click(screen.getByRole('button', { name: 'Subscribe' }));
    const confirm = await screen.findByRole('region', { name: /^Subscribe to\s*Example Labels\s*\?$/ });
    const facts = [...confirm.querySelectorAll('dt')].map((dt) => [
      dt.textContent,
      dt.nextElementSibling?.textContent,
    ]);
    expect(facts.slice(0, 2)).toEqual([
      ['Address', MIRROR],
      ['Published at', FEED_URL],
    ]);
    expect(confirm.textContent).toContain('A mirror: the publisher lists this address in the signed feed');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Trust and subscribe' }));
    await screen.findByText('Subscribed to Example Labels.');
    expect(bg.calls).toContainEqual(['subscribe', { url: MIRROR, keyFingerprint: preview.keyFingerprint }]);
  });

  it('stops when the reader refuses the permission, and says why', async () => {
    stubPermissions(false);
    render(<OptionsPage />);
    fireEvent.input(screen.getByLabelText('Feed URL'), { target: { value: FEED_URL } });
    fireEvent.click(screen.getByRole('button', { name: 'Subscribe' }));
    expect((await screen.findByRole('alert')).textContent).toContain('permission to read labels.example');
    expect(bg.calls.map((c) => c[0])).not.toContain('previewFeed');
  });

  it("shows the background's reason when the feed cannot be previewed", async () => {
    stubPermissions(true);
    bg.replies.previewFeed = { ok: false, error: 'feed.json: the signature does not match the key' };
    render(<OptionsPage />);
    fireEvent.input(screen.getByLabelText('Feed URL'), { target: { value: FEED_URL } });
    fireEvent.click(screen.getByRole('button', { name: 'Subscribe' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'feed.json: the signature does not match the key',
    );
  });

  it('refuses addresses that cannot be a feed without asking for anything', () => {
    const request = stubPermissions(true);
    render(<OptionsPage />);
    fireEvent.input(screen.getByLabelText('Feed URL'), {
      target: { value: 'http://labels.example/feed.json' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Subscribe' }));
    expect(screen.getByRole('alert').textContent).toContain('starting with https://');
    expect(request).not.toHaveBeenCalled();
  });

  it('lists each feed with its facts and controls, following the live status', async () => {
    bg.replies.syncNow = { ok: true, value: null };
    bg.replies.setFeedEnabled = { ok: true, value: null };
    bg.replies.unsubscribe = { ok: true, value: null };
    await feedStatusItem.setValue([
      status({ lastError: { message: 'HTTP 503 from labels.example', at: '2026-03-02T10:00:00Z' } }),
    ]);
    render(<OptionsPage />);
    const feed = await screen.findByRole('region', { name: 'Example Labels' });
    expect(feed.textContent).toContain('HTTP 503 from labels.example');
    expect(within(feed).getByText('Sequence').nextElementSibling?.textContent).toBe('5');

    fireEvent.click(within(feed).getByRole('button', { name: 'Update now' }));
    fireEvent.click(within(feed).getByRole('checkbox', { name: 'Enabled' }));
    await waitFor(() =>
      expect(bg.calls).toContainEqual(['setFeedEnabled', { feedId: FEED_URL, enabled: false }]),
    );
    expect(bg.calls).toContainEqual(['syncNow', FEED_URL]);

    await feedStatusItem.setValue([status({ state: 'syncing', progress: { done: 300, total: 1000 } })]);
    expect(await within(feed).findByRole('progressbar', { name: 'Updating Example Labels' })).toBeTruthy();
    expect(feed.textContent).toContain('updating (30 %)');

    // Focus goes to the question and back when it is cancelled, every time it is asked.
    for (let asked = 0; asked < 2; asked++) {
      fireEvent.click(within(feed).getByRole('button', { name: 'Unsubscribe' }));
      const yes = within(feed).getByRole('button', { name: 'Yes, unsubscribe' });
      await waitFor(() => expect(document.activeElement).toBe(yes));
      fireEvent.click(within(feed).getByRole('button', { name: 'Cancel' }));
      const unsubscribe = within(feed).getByRole('button', { name: 'Unsubscribe' });
      await waitFor(() => expect(document.activeElement).toBe(unsubscribe));
    }
    fireEvent.click(within(feed).getByRole('button', { name: 'Unsubscribe' }));
    expect(bg.calls.map((c) => c[0])).not.toContain('unsubscribe');
    fireEvent.click(within(feed).getByRole('button', { name: 'Yes, unsubscribe' }));
    await waitFor(() => expect(bg.calls).toContainEqual(['unsubscribe', FEED_URL]));
  });

  it('offers no unsubscribe for the bundled feed', async () => {
    await feedStatusItem.setValue([status({ bundled: true, name: 'Seed' })]);
    render(<OptionsPage />);
    const feed = await screen.findByRole('region', { name: 'Seed' });
    expect(within(feed).queryByRole('button', { name: 'Unsubscribe' })).toBeNull();
  });
});

describe('Labels and sites', () => {
  it('offers badge / warn / hide / off per definition, the feed default preselected, and stores only a change', async () => {
    bg.replies.listDefinitions = [
      {
        feedId: FEED_URL,
        feedName: 'Example Labels',
        definition: {
          id: 'suspended',
          title: { en: 'Account suspended' },
          description: { en: 'The platform suspended it.' },
          severity: 'caution',
          defaultAction: 'badge',
        },
      },
    ];
    render(<OptionsPage />);
    const select = (await screen.findByLabelText('What to do with Account suspended')) as HTMLSelectElement;
    expect(select.value).toBe('badge');
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Show a badge (feed default)',
      'Cover with a warning',
      'Hide the post',
      'Off',
    ]);
    expect(screen.getByText('The platform suspended it.')).toBeTruthy();
    fireEvent.change(select, { target: { value: 'hide' } });
    await waitFor(async () =>
      expect(await labelActionsItem.getValue()).toEqual({ [`${FEED_URL} suspended`]: 'hide' }),
    );
    fireEvent.change(select, { target: { value: 'badge' } });
    await waitFor(async () => expect(await labelActionsItem.getValue()).toEqual({}));
  });

  it('turns sites off and on', async () => {
    render(<OptionsPage />);
    const reddit = screen.getByRole('checkbox', { name: 'Reddit' });
    await waitFor(() => expect(checked(reddit)).toBe(true));
    fireEvent.click(reddit);
    await waitFor(async () => expect(await siteEnabledItem.getValue()).toEqual({ reddit: false }));
  });
});

describe('Data', () => {
  function chooseFile(text: string, name = 'settings.json') {
    const input = screen.getByLabelText('Import settings') as HTMLInputElement;
    const file = new File([text], name, { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    fireEvent.change(input);
  }

  it('refuses a bad settings file with the reason', async () => {
    render(<OptionsPage />);
    chooseFile('{"format":"context-lens-settings/1","enabled":"yes"}', 'old.json');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('old.json cannot be imported:');
    expect(alert.textContent).toContain('enabled: must be true or false');
  });

  it('imports a good settings file', async () => {
    stubPermissions(true);
    render(<OptionsPage />);
    chooseFile(
      JSON.stringify({
        format: 'context-lens-settings/1',
        enabled: true,
        siteEnabled: { x: false },
        labelActions: {},
        mastodonHosts: [],
        curatorMode: false,
        curatorDraft: null,
      }),
    );
    expect(await screen.findByText('Settings imported.')).toBeTruthy();
    expect(await siteEnabledItem.getValue()).toEqual({ x: false });
  });

  it('clears the cache only after a confirmation', async () => {
    bg.replies.clearCache = { ok: true, value: null };
    render(<OptionsPage />);
    fireEvent.click(screen.getByRole('button', { name: 'Clear cache' }));
    expect(bg.calls.map((c) => c[0])).not.toContain('clearCache');
    fireEvent.click(screen.getByRole('button', { name: 'Yes, clear the cache' }));
    expect(await screen.findByText(/The cache is cleared/)).toBeTruthy();
    expect(bg.calls.map((c) => c[0])).toContain('clearCache');
  });
});

describe('Curator', () => {
  it('is off by default and shows the draft once turned on', async () => {
    render(<OptionsPage />);
    const mode = screen.getByRole('checkbox', { name: 'Curator mode' });
    await waitFor(() => expect(checked(mode)).toBe(false));
    expect(screen.queryByRole('button', { name: 'Export as feed source' })).toBeNull();
    fireEvent.click(mode);
    await waitFor(async () => expect(await curatorModeItem.getValue()).toBe(true));
    expect(await screen.findByRole('button', { name: 'Export as feed source' })).toBeTruthy();
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('My label feed');
  });

  it("saves the draft feed's fields and definitions", async () => {
    await curatorModeItem.setValue(true);
    render(<OptionsPage />);
    fireEvent.input(await screen.findByLabelText('Publisher'), { target: { value: 'Jane Doe' } });
    fireEvent.input(screen.getAllByLabelText('Title')[0] as HTMLElement, {
      target: { value: 'Banned account' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save draft feed' }));
    expect(await screen.findByText('Draft feed saved.')).toBeTruthy();
    expect((await curatorDraftItem.getValue())?.feed.publisher).toBe('Jane Doe');
    expect((await curatorDraftItem.getValue())?.definitions[0]?.title).toEqual({ en: 'Banned account' });
  });

  it('edits and deletes drafted labels', async () => {
    await curatorModeItem.setValue(true);
    await curatorDraftItem.setValue({
      ...defaultDraft(),
      labels: [
        {
          id: 'draft-1',
          kind: 'account',
          target: 'https://x.com/alice',
          val: 'account-suspended',
          sources: [{ url: 'https://news.example/a' }],
          cts: '2026-03-01T00:00:00.000Z',
        },
      ],
    });
    render(<OptionsPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit the label on https://x.com/alice' }));
    fireEvent.input(screen.getByLabelText('Note (optional)'), {
      target: { value: 'Confirmed by two outlets.' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save label' }));
    await waitFor(async () =>
      expect((await curatorDraftItem.getValue())?.labels[0]?.note).toBe('Confirmed by two outlets.'),
    );
    expect((await curatorDraftItem.getValue())?.labels[0]?.cts).toBe('2026-03-01T00:00:00.000Z');
    fireEvent.click(await screen.findByRole('button', { name: 'Delete the label on https://x.com/alice' }));
    await waitFor(async () => expect((await curatorDraftItem.getValue())?.labels).toEqual([]));
  });

  it('refuses to export an incomplete draft, naming the field', async () => {
    await curatorModeItem.setValue(true);
    await curatorDraftItem.setValue({
      ...defaultDraft(),
      feed: { ...defaultDraft().feed, appeals: 'ftp://x' },
    });
    render(<OptionsPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Export as feed source' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The draft cannot be exported yet:');
    expect(alert.textContent).toContain('appeals:');
  });
});
