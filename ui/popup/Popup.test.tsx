// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { FeedStatus, PageHealth } from '../../messaging/protocol';
import { enabledItem, feedStatusItem, mastodonHostsItem, siteEnabledItem } from '../../storage/settings';
import { checked } from '../test-support';
import { Popup } from './Popup';

const health = vi.hoisted(() => ({ current: null as PageHealth | null }));
vi.mock('../../messaging/protocol', () => ({
  sendMessage: vi.fn(async (type: string) => {
    if (type !== 'getPageHealth') throw new Error(`unexpected ${type}`);
    if (!health.current) throw new Error('Could not establish connection. Receiving end does not exist.');
    return health.current;
  }),
}));

function feed(patch: Partial<FeedStatus>): FeedStatus {
  return {
    id: 'https://feeds.example/feed.json',
    url: 'https://feeds.example/feed.json',
    name: 'Example feed',
    publisher: 'Example',
    homepage: 'https://feeds.example/',
    appeals: 'mailto:a@feeds.example',
    enabled: true,
    bundled: false,
    state: 'fresh',
    sequence: 3,
    labelCount: 10,
    keyFingerprint: 'ab'.repeat(32),
    ...patch,
  };
}

async function openTab(url: string): Promise<number> {
  const tab = await fakeBrowser.tabs.create({ url, active: true });
  return tab.id as number;
}

describe('Popup', () => {
  beforeEach(() => {
    health.current = null;
  });
  afterEach(cleanup);

  it('switches Context Lens off everywhere and on the current site, straight into storage', async () => {
    const tabId = await openTab('https://x.com/home');
    health.current = {
      site: 'x',
      postsRecognised: 12,
      postsLabelled: 2,
      labelsShown: 3,
      layoutMayHaveChanged: false,
    };
    render(<Popup search={`?tab=${tabId}`} />);

    const site = await screen.findByRole('checkbox', { name: 'Show labels on X' });
    expect(checked(site)).toBe(true);
    fireEvent.click(site);
    await waitFor(async () => expect(await siteEnabledItem.getValue()).toEqual({ x: false }));
    expect(checked(site)).toBe(false);

    fireEvent.click(screen.getByRole('checkbox', { name: 'Show labels' }));
    await waitFor(async () => expect(await enabledItem.getValue()).toBe(false));
    expect((screen.getByRole('checkbox', { name: 'Show labels on X' }) as HTMLInputElement).disabled).toBe(
      true,
    );
  });

  it('reflects a change made elsewhere (another popup, the options page) at once', async () => {
    const tabId = await openTab('https://bsky.app/profile/alice.bsky.social');
    render(<Popup search={`?tab=${tabId}`} />);
    const site = await screen.findByRole('checkbox', { name: 'Show labels on Bluesky' });
    expect(checked(site)).toBe(true);
    await siteEnabledItem.setValue({ bluesky: false });
    await waitFor(() => expect(checked(site)).toBe(false));
  });

  it("shows what the content script recognised, and warns when a supported site's layout may have changed", async () => {
    const tabId = await openTab('https://www.reddit.com/r/news/');
    health.current = {
      site: 'reddit',
      postsRecognised: 0,
      postsLabelled: 0,
      labelsShown: 0,
      layoutMayHaveChanged: true,
    };
    render(<Popup search={`?tab=${tabId}`} />);
    expect(
      await screen.findByText("This site's layout may have changed: no posts were recognised."),
    ).toBeTruthy();
    expect(screen.getByText('Posts recognised').nextElementSibling?.textContent).toBe('0');
  });

  it('counts posts and labels on a healthy page without a warning', async () => {
    const tabId = await openTab('https://x.com/home');
    health.current = {
      site: 'x',
      postsRecognised: 7,
      postsLabelled: 2,
      labelsShown: 4,
      layoutMayHaveChanged: false,
    };
    render(<Popup search={`?tab=${tabId}`} />);
    await screen.findByText('Labels shown');
    expect(screen.getByText('Posts recognised').nextElementSibling?.textContent).toBe('7');
    expect(screen.getByText('Labels shown').nextElementSibling?.textContent).toBe('4');
    expect(screen.queryByText(/layout may have changed/)).toBeNull();
  });

  it('shows each feed on one line: fresh, syncing with its percentage, out of date, error with its reason', async () => {
    await feedStatusItem.setValue([
      feed({ id: 'a', name: 'Alpha', state: 'fresh' }),
      feed({ id: 'b', name: 'Beta', state: 'syncing', progress: { done: 450, total: 1000 } }),
      feed({ id: 'c', name: 'Gamma', state: 'stale' }),
      feed({
        id: 'd',
        name: 'Delta',
        state: 'error',
        lastError: { message: 'HTTP 404 from feeds.example', at: '2026-01-01T00:00:00Z' },
      }),
    ]);
    const tabId = await openTab('https://x.com/home');
    render(<Popup search={`?tab=${tabId}`} />);
    const items = await screen.findAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'Alpha: up to date',
      'Beta: updating (45 %)',
      'Gamma: out of date',
      'Delta: error: HTTP 404 from feeds.example',
    ]);
    await feedStatusItem.setValue([
      feed({ id: 'a', name: 'Alpha', state: 'syncing', progress: { done: 1, total: 4 } }),
    ]);
    await waitFor(() => expect(screen.getByRole('listitem').textContent).toBe('Alpha: updating (25 %)'));
  });

  it('offers "Enable on <host>" on an unsupported https page and enables it once it proves to be Mastodon', async () => {
    const tabId = await openTab('https://social.example/@alice');
    const request = vi.fn(async () => true);
    const remove = vi.fn(async () => true);
    fakeBrowser.permissions.request = request as unknown as typeof fakeBrowser.permissions.request;
    fakeBrowser.permissions.remove = remove as unknown as typeof fakeBrowser.permissions.remove;
    fakeBrowser.scripting.executeScript = vi.fn(async () => [
      { frameId: 0, result: true },
    ]) as unknown as typeof fakeBrowser.scripting.executeScript;
    render(<Popup search={`?tab=${tabId}`} />);
    expect(await screen.findByText('Context Lens does not run on this page.')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Enable on social.example' }));
    expect(request).toHaveBeenCalledWith({ origins: ['https://social.example/*'] });
    await waitFor(async () => expect(await mastodonHostsItem.getValue()).toEqual(['social.example']));
    // Now the host is a Mastodon site like any other.
    expect(checked(await screen.findByRole('checkbox', { name: 'Show labels on Mastodon' }))).toBe(true);
    expect(remove).not.toHaveBeenCalled();
  });

  it('gives the permission back and says so when the page is not a Mastodon server', async () => {
    const tabId = await openTab('https://shop.example/');
    const remove = vi.fn(async () => true);
    fakeBrowser.permissions.request = vi.fn(
      async () => true,
    ) as unknown as typeof fakeBrowser.permissions.request;
    fakeBrowser.permissions.remove = remove as unknown as typeof fakeBrowser.permissions.remove;
    fakeBrowser.scripting.executeScript = vi.fn(async () => [
      { frameId: 0, result: false },
    ]) as unknown as typeof fakeBrowser.scripting.executeScript;
    render(<Popup search={`?tab=${tabId}`} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Enable on shop.example' }));
    expect(await screen.findByText("shop.example doesn't look like a Mastodon server.")).toBeTruthy();
    expect(remove).toHaveBeenCalledWith({ origins: ['https://shop.example/*'] });
    expect(await mastodonHostsItem.getValue()).toEqual([]);
  });

  it('knows the site from the content script when the browser does not tell the tab address', async () => {
    const tab = await fakeBrowser.tabs.create({ active: true });
    health.current = {
      site: 'youtube',
      postsRecognised: 3,
      postsLabelled: 0,
      labelsShown: 0,
      layoutMayHaveChanged: false,
    };
    render(<Popup search={`?tab=${tab.id}`} />);
    expect(checked(await screen.findByRole('checkbox', { name: 'Show labels on YouTube' }))).toBe(true);
  });

  it('offers nothing site-specific on browser pages', async () => {
    const tabId = await openTab('chrome://extensions/');
    render(<Popup search={`?tab=${tabId}`} />);
    await screen.findByText('Context Lens does not run on this page.');
    expect(screen.getAllByRole('checkbox').map((c) => c.getAttribute('type'))).toHaveLength(1);
    expect(screen.queryByRole('button', { name: /Enable on/ })).toBeNull();
  });
});
