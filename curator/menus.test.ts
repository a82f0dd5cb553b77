import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ContextTarget } from '../messaging/protocol';
import { curatorModeItem, mastodonHostsItem } from '../storage/settings';
import { curatorMenuPatterns, openCuratorWindow, refreshCuratorMenus, setupCuratorMenus } from './menus';

const seen = vi.hoisted(() => ({ target: undefined as ContextTarget | undefined, asked: [] as unknown[] }));
vi.mock('../messaging/protocol', () => ({
  sendMessage: vi.fn(async (type: string, _data: unknown, to: unknown) => {
    seen.asked.push([type, to]);
    if (!seen.target) throw new Error('Could not establish connection. Receiving end does not exist.');
    return seen.target;
  }),
}));

type Item = { id: string; title: string; contexts: string[]; documentUrlPatterns: string[] };
type ClickListener = (
  info: { menuItemId: string; linkUrl?: string; pageUrl?: string; frameId?: number },
  tab?: { id?: number },
) => void;

function fakeMenus() {
  const items = new Map<string, Item>();
  const listeners: ClickListener[] = [];
  const menus = fakeBrowser.contextMenus as unknown as Record<string, unknown>;
  menus.removeAll = vi.fn(async () => items.clear());
  menus.create = vi.fn((props: Item, done?: () => void) => {
    if (items.has(props.id)) throw new Error(`duplicate id ${props.id}`);
    items.set(props.id, props);
    done?.();
    return props.id;
  });
  menus.onClicked = { addListener: (l: ClickListener) => listeners.push(l) };
  return {
    items,
    click: (info: Parameters<ClickListener>[0], tab?: { id?: number }) => {
      for (const l of listeners) l(info, tab);
    },
  };
}

describe('curator menus', () => {
  let windows: { url?: string; type?: string }[];
  beforeEach(() => {
    seen.target = undefined;
    seen.asked = [];
    windows = [];
    fakeBrowser.windows.create = vi.fn(async (data: { url?: string; type?: string }) => {
      windows.push(data);
      return { id: 1 };
    }) as unknown as typeof fakeBrowser.windows.create;
  });

  it('shows no items while curator mode is off, and the three items on supported sites when it is on', async () => {
    const { items } = fakeMenus();
    setupCuratorMenus();
    await refreshCuratorMenus();
    expect(items.size).toBe(0);

    await curatorModeItem.setValue(true);
    await vi.waitFor(() => expect(items.size).toBe(3));
    await refreshCuratorMenus();
    expect([...items.values()].map((i) => [i.title, i.contexts])).toEqual([
      ['Label this account…', ['page', 'link']],
      ['Label this post…', ['page', 'link']],
      ['Label this link…', ['link']],
    ]);
    expect(items.get('context-lens-label-post')?.documentUrlPatterns).toContain('*://x.com/*');

    await mastodonHostsItem.setValue(['social.example']);
    await vi.waitFor(() =>
      expect(items.get('context-lens-label-post')?.documentUrlPatterns).toContain('https://social.example/*'),
    );
    await curatorModeItem.setValue(false);
    await vi.waitFor(() => expect(items.size).toBe(0));
  });

  it("opens the label form for what the tab's content script saw under the pointer", async () => {
    const { click } = fakeMenus();
    setupCuratorMenus();
    seen.target = { account: 'https://x.com/alice', post: 'https://x.com/alice/status/20' };
    click({ menuItemId: 'context-lens-label-account', pageUrl: 'https://x.com/home', frameId: 0 }, { id: 7 });
    await vi.waitFor(() => expect(windows).toHaveLength(1));
    expect(seen.asked).toEqual([['getContextTarget', { tabId: 7, frameId: 0 }]]);
    const url = new URL(windows[0]?.url ?? '');
    expect(url.pathname).toBe('/curator.html');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      kind: 'account',
      url: 'https://x.com/alice',
      page: 'https://x.com/home',
    });
    expect(windows[0]?.type).toBe('popup');
  });

  it("falls back to the browser's link when the content script does not answer", async () => {
    const { click } = fakeMenus();
    setupCuratorMenus();
    click(
      {
        menuItemId: 'context-lens-label-link',
        linkUrl: 'https://news.example/a',
        pageUrl: 'https://x.com/home',
      },
      { id: 7 },
    );
    await vi.waitFor(() => expect(windows).toHaveLength(1));
    expect(new URL(windows[0]?.url ?? '').searchParams.get('url')).toBe('https://news.example/a');
  });

  it('never puts a malformed host into the match patterns (one bad entry would break every item)', () => {
    expect(curatorMenuPatterns(['ok.example', 'bad host/*', '*.example'])).toContain('https://ok.example/*');
    expect(curatorMenuPatterns(['bad host/*', '*.example']).some((p) => p.includes('example'))).toBe(false);
  });

  it('keeps at most one form window: a burst of requests opens one, later ones load into it, a closed one is reopened', async () => {
    const open = new Map<number, { id: number; tabs: { id: number; url: string }[] }>();
    let nextId = 1;
    const focused: number[] = [];
    fakeBrowser.windows.create = vi.fn(async (data: { url?: string }) => {
      const id = nextId++;
      open.set(id, { id, tabs: [{ id: 100 + id, url: data.url ?? '' }] });
      windows.push(data);
      return { id };
    }) as unknown as typeof fakeBrowser.windows.create;
    fakeBrowser.windows.get = vi.fn(async (id: number) => {
      const window = open.get(id);
      if (!window) throw new Error(`No window with id: ${id}.`);
      return window;
    }) as unknown as typeof fakeBrowser.windows.get;
    fakeBrowser.windows.update = vi.fn(async (id: number) => {
      focused.push(id);
      return open.get(id);
    }) as unknown as typeof fakeBrowser.windows.update;
    fakeBrowser.tabs.update = vi.fn(async (tabId: number, data: { url?: string }) => {
      for (const window of open.values())
        for (const tab of window.tabs) if (tab.id === tabId) tab.url = data.url ?? tab.url;
      return {};
    }) as unknown as typeof fakeBrowser.tabs.update;
    const target = (i: number) => ({
      kind: 'account' as const,
      url: `https://x.com/user${i}`,
      pageUrl: 'https://x.com/home',
    });

    await Promise.all(Array.from({ length: 22 }, (_, i) => openCuratorWindow(target(i))));
    expect(windows).toHaveLength(1);
    expect(open.size).toBe(1);
    const tab = open.get(1)?.tabs[0];
    expect(new URL(tab?.url ?? '').searchParams.get('url')).toBe('https://x.com/user21');
    expect(focused.length).toBe(21);

    // The same target again leaves the form (and what the curator typed) alone.
    const updates = vi.mocked(fakeBrowser.tabs.update).mock.calls.length;
    await openCuratorWindow(target(21));
    expect(vi.mocked(fakeBrowser.tabs.update).mock.calls.length).toBe(updates);

    open.clear(); // the curator closed it
    await openCuratorWindow(target(5));
    expect(windows).toHaveLength(2);
    expect(new URL(windows[1]?.url ?? '').searchParams.get('url')).toBe('https://x.com/user5');
  });
});
