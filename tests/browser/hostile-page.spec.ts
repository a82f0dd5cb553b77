/**
 * A hostile page against the built extension, in Chromium AND Firefox ESR (driver.ts): page script
 * that watches everything the content script could announce and sends everything that could stop
 * or steer it (docs/security.md, "A hostile page").
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { adapterById } from '../../sites/registry';
import { type BrowserSession, describeEachBrowser, eventually, launch, type Tab } from './driver';
import { EXPECTED_BADGES } from './expected-badges';
import { badgesOn, launchSeeded, openFixtureIn, settleBadges, tabTracker } from './shared-helpers';

const X_POST = adapterById('x').postSelector;
const X_HOME_BADGES = EXPECTED_BADGES['x/home']?.length ?? 0;

/**
 * Page script run before anything else on the page: it records every window message and every
 * document event named after WXT's signals, as a page trying to detect the extension would.
 */
function spyScript(extensionId: string): string {
  const names = ['wxt:content-script-started', 'wxt:locationchange'].map(
    (n) => `${extensionId}:content:${n}`,
  );
  return `<script>
    window.__seen = [];
    window.addEventListener('message', (e) => window.__seen.push('message ' + JSON.stringify(e.data)), true);
    for (const name of ${JSON.stringify(names)}) {
      document.addEventListener(name, () => window.__seen.push('document ' + name), true);
      window.addEventListener(name, () => window.__seen.push('window ' + name), true);
    }
  </script>`;
}

describeEachBrowser('a hostile page', (browser) => {
  let session: BrowserSession;
  let extensionId: string;
  const tabs: Tab[] = [];

  beforeAll(async () => {
    session = await launch(browser);
    await session.waitForSeed();
    extensionId = await session.inExtension(() => {
      const api = globalThis as unknown as { chrome?: { runtime?: { id?: string } } };
      return api.chrome?.runtime?.id ?? '';
    });
    expect(extensionId).not.toBe('');
  });
  afterAll(async () => {
    await session?.close();
  });
  afterEach(async () => {
    for (const tab of tabs.splice(0)) await tab.close();
  });

  it('sees nothing that names the extension, and cannot switch the content script off with WXT’s signals', async () => {
    const tab = await openFixtureIn(session, 'x', 'home', (html) =>
      html.replace(/<head[^>]*>/i, (head) => `${head}${spyScript(extensionId)}`),
    );
    tabs.push(tab);
    expect(await settleBadges(tab, X_HOME_BADGES)).toBe(X_HOME_BADGES);

    const seen = await tab.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    expect(seen.filter((entry) => /wxt|context.?lens/i.test(entry) || entry.includes(extensionId))).toEqual(
      [],
    );

    // Everything WXT 0.21's context listens for, from page script, with every plausible id.
    await tab.evaluate((id) => {
      const type = `${id}:content:wxt:content-script-started`;
      const detail = { contentScriptName: 'content', messageId: 'page' };
      document.dispatchEvent(new CustomEvent(type, { detail }));
      window.postMessage({ type, ...detail }, '*');
      window.dispatchEvent(new Event(`${id}:content:wxt:locationchange`));
    }, extensionId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await tab.evaluate(() => document.querySelectorAll('context-lens-label').length)).toBe(
      X_HOME_BADGES,
    );

    // Still running: a post the page adds afterwards is labelled too.
    await tab.evaluate((selector) => {
      const first = document.querySelector(selector);
      if (!first?.parentElement) throw new Error('no post to copy');
      const copy = first.cloneNode(true) as Element;
      for (const ours of copy.querySelectorAll(
        '[data-context-lens], context-lens-label, context-lens-curator',
      ))
        if (ours.tagName.toLowerCase().startsWith('context-lens')) ours.remove();
      copy.removeAttribute('data-context-lens');
      first.parentElement.append(copy);
    }, X_POST);
    expect(await settleBadges(tab, X_HOME_BADGES + 1)).toBeGreaterThan(X_HOME_BADGES);
  });

  it('hears none of the reader’s clicks and keys on a badge: the site’s own listeners do not fire', async () => {
    // A page listening on the document for everything a badge stops at its host.
    const listen = `<script>
      window.__heard = [];
      for (const type of ['click', 'pointerdown', 'pointerup', 'mousedown', 'mouseup', 'keydown', 'keyup'])
        document.addEventListener(type, (e) => window.__heard.push(type + ' ' + e.target.localName));
    </script>`;
    const tab = await openFixtureIn(session, 'x', 'home', (html) =>
      html.replace(/<head[^>]*>/i, (head) => `${head}${listen}`),
    );
    tabs.push(tab);
    expect(await settleBadges(tab, X_HOME_BADGES)).toBe(X_HOME_BADGES);
    const heard = () => tab.evaluate(() => (window as unknown as { __heard: string[] }).__heard);
    const badge = tab.locator(X_POST).first().locator('context-lens-label').locator('button.cl-badge');
    await badge.click();
    const dialog = tab.getByRole('dialog');
    await dialog.waitFor();
    await tab.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await badge.click();
    await dialog.waitFor();
    expect(await heard()).toEqual([]);
    // The check could see one: a click on the post's own text reaches the page.
    await tab.locator(X_POST).nth(1).locator('[data-testid="tweetText"] > span').first().click();
    expect(await heard()).toContain('click span');
  });

  it('reads a bounded number of links per post: 2,000 long links before a labelled one leave it unread', async () => {
    // Post 2 links to parler.com (labelled): 2,000 long links go in front of that link.
    const flood = Array.from(
      { length: 2000 },
      (_, i) =>
        `<a dir="ltr" href="https://t.co/f${i}" role="link"><span aria-hidden="true" class="r-qlhcfr">https://</span>example-${i}.com/${'p'.repeat(200)}</a> `,
    ).join('');
    const tab = await openFixtureIn(session, 'x', 'home', (html) =>
      html.replace("<span>We're moving. Follow us here from now on: </span>", (text) => `${text}${flood}`),
    );
    tabs.push(tab);
    expect(await tab.evaluate(() => document.querySelectorAll('a[href^="https://t.co/f"]').length)).toBe(
      2000,
    );
    const expected = (EXPECTED_BADGES['x/home'] ?? []).filter((row) => row !== '2: hosting-terminated');
    await settleBadges(tab, expected.length);
    expect(await badgesOn(tab, X_POST)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile feed text on the page: the seed feed's stored copy is rewritten (in the extension's own
// IndexedDB, before any page asked for a label) with text a feed could carry (a 300-character word,
// the longest title the caps allow) and text the validator refuses (bidi overrides), since what the
// page shows must hold even if such text got past it.

const LONG_WARN = 'W'.repeat(300);
/** An unterminated right-to-left override, then a 299-character word: long AND bidi-hostile. */
const LONG_HIDE = `\u202E${'h'.repeat(299)}`;
/** An override, then a 250-character word. */
const RLO_TITLE = `\u202Edetaler ton ${'x'.repeat(250)}`;
const RLO_FEED = 'Context Lens seed\u202E';

interface Tampering {
  feedId: string;
  feedName: string;
  titles: Record<string, string>;
}

/** Rewrites the feed's name and some definitions' titles in the extension's cache database. */
async function tamperWithFeed(session: BrowserSession, change: Tampering): Promise<void> {
  await session.inExtension(async ({ feedId, feedName, titles }: Tampering) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('context-lens-cache');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const done = <T>(request: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const tx = db.transaction(['feeds', 'versions'], 'readwrite');
    const feed = await done(tx.objectStore('feeds').get(feedId));
    feed.name = feedName;
    await done(tx.objectStore('feeds').put(feed));
    const version = await done(tx.objectStore('versions').get(feed.currentVersion));
    for (const definition of version.definitions)
      if (titles[definition.id]) definition.title = { en: titles[definition.id] };
    await done(tx.objectStore('versions').put(version));
    db.close();
  }, change);
}

/**
 * Whether the text `needle`, in an element matching `selector` whose text holds `near` (through
 * the lens's closed roots), is laid out left to right: its first character left of its last.
 */
function readsLeftToRight(tab: Tab, selector: string, needle: string, near = ''): Promise<boolean | string> {
  return tab.withEngine(
    (q, { selector, needle, near }) => {
      const roots: (Document | ShadowRoot)[] = [document];
      for (const host of document.querySelectorAll('*')) {
        const shadow = q.shadowOf(host);
        if (shadow) roots.push(shadow);
      }
      for (const root of roots)
        for (const el of root.querySelectorAll(selector)) {
          if (!el.textContent?.includes(near)) continue;
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.textContent?.indexOf(needle) ?? -1;
            if (at < 0) continue;
            const x = (offset: number) => {
              const range = document.createRange();
              range.setStart(node as Text, offset);
              range.setEnd(node as Text, offset + 1);
              return range.getBoundingClientRect().left;
            };
            return x(at) < x(at + needle.length - 1);
          }
        }
      return `no "${needle}" in ${selector}`;
    },
    { selector, needle, near },
  );
}

/** The page with a "Who to follow" column beside the timeline, laid out in flow as X's is. */
function withFollowColumn(html: string): string {
  return html
    .replace(
      '</head>',
      `<style>
        #react-root { display: flex; justify-content: center; gap: 24px; }
        #react-root main { margin: 0; flex: 0 0 600px; }
        aside[aria-label="Who to follow"] { flex: 0 0 300px; }
        aside[aria-label="Who to follow"] button { display: block; height: 32px; padding: 0 16px; border-radius: 16px; border: 0; background: #0f1419; color: #fff; font-weight: 700; }
      </style></head>`,
    )
    .replace('</main>', '</main><aside aria-label="Who to follow"></aside>')
    .replace(
      /<head[^>]*>/i,
      (head) =>
        `${head}<script>window.__clicks = []; document.addEventListener('click', (e) => window.__clicks.push(e.target.getAttribute('data-testid') || e.target.tagName.toLowerCase()), true);</script>`,
    );
}

describeEachBrowser('hostile feed text on the page', (browser) => {
  let session: BrowserSession;
  let feedId: string;
  const { open, closeAll } = tabTracker();

  beforeAll(async () => {
    ({ session, feedId } = await launchSeeded(browser));
    await tamperWithFeed(session, {
      feedId,
      feedName: RLO_FEED,
      titles: {
        'account-suspended': LONG_WARN,
        'hosting-terminated': LONG_HIDE,
        'app-store-removed': RLO_TITLE,
      },
    });
    // The feeds' status (what the popup and options page list) carries the name too.
    const status = (await session.getStorage<{ id: string; name: string }[]>('feedStatus')) ?? [];
    await session.setStorage({
      feedStatus: status.map((feed) => (feed.id === feedId ? { ...feed, name: RLO_FEED } : feed)),
      labelActions: { [`${feedId} account-suspended`]: 'warn', [`${feedId} hosting-terminated`]: 'hide' },
    });
  });
  afterAll(async () => {
    await session?.close();
  });
  afterEach(async () => {
    await closeAll();
  });

  it('lets page script read no title, note, source or feed name, however it looks (closed shadow roots)', async () => {
    // Page script that runs first: it records every shadow root attached through the page's own
    // attachShadow (and asks for open ones), and the composed path of every click.
    const spy = `<script>
      window.__roots = [];
      window.__paths = [];
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init) {
        const root = attach.call(this, { ...init, mode: 'open' });
        window.__roots.push(root);
        return root;
      };
      document.addEventListener('click', (e) => window.__paths.push(e.composedPath().slice(0, 3).map((n) => n.nodeName)), true);
    </script>`;
    const tab = await open(
      openFixtureIn(session, 'x', 'home', (html) => html.replace(/<head[^>]*>/i, (head) => `${head}${spy}`)),
    );
    await settleBadges(tab, 1);
    // The reader opens post 5's badge with a real click (aimed at the host: the page sees no more).
    const at = await tab.evaluate((selector) => {
      const host = document.querySelectorAll(selector)[5]?.querySelector('context-lens-label');
      host?.scrollIntoView({ block: 'center' });
      const box = host?.getBoundingClientRect();
      return box && { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    }, X_POST);
    if (!at) throw new Error('no badge on post 5');
    await tab.mouse.click(at.x, at.y);

    const seen = await tab.evaluate(() => {
      const hosts = [
        ...document.querySelectorAll(
          'context-lens-label, context-lens-cover, context-lens-hidden, context-lens-panel',
        ),
      ];
      const selection = getSelection();
      selection?.selectAllChildren(document.body);
      const selected = selection?.toString() ?? '';
      selection?.removeAllRanges();
      const text = [
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, as a page reads it.
        document.body.innerText,
        document.documentElement.textContent ?? '',
        document.documentElement.outerHTML,
        selected,
        ...hosts.map((host) => `${host.innerHTML}${host.getAttribute('aria-label') ?? ''}`),
      ].join('\n');
      const win = window as unknown as { __roots: ShadowRoot[]; __paths: string[][] };
      return {
        hosts: hosts.length,
        openRoots: hosts.filter((host) => host.shadowRoot !== null).length,
        rootsCaught: win.__roots.length,
        clickPath: win.__paths.at(-1)?.[0],
        active: document.activeElement?.localName,
        attributes: [...new Set(hosts.flatMap((host) => host.getAttributeNames()))].sort(),
        text,
      };
    });
    expect(seen.hosts).toBeGreaterThan(3);
    expect({ ...seen, text: undefined }).toEqual({
      hosts: seen.hosts,
      openRoots: 0,
      rootsCaught: 0,
      clickPath: 'CONTEXT-LENS-LABEL',
      // The open panel has focus: a UI of its own in the post (<context-lens-panel>), as closed.
      active: 'context-lens-panel',
      attributes: ['data-labels', 'data-targets'],
      text: undefined,
    });
    for (const secret of [
      'detaler',
      'Context Lens seed',
      LONG_WARN.slice(0, 40),
      'Signature verified',
      'Hidden by',
    ])
      expect(seen.text).not.toContain(secret);
    // Meanwhile the reader sees the panel (through the test driver's handle on the closed root).
    expect(await tab.locator(X_POST).nth(5).getByRole('dialog').textContent()).toContain('Context Lens seed');
  });

  it('acts on no untrusted event: page script’s .click() opens no panel, reveals no post, opens no curator form', async () => {
    const popups = () =>
      session.inExtension(async () => (await chrome.windows.getAll({ windowTypes: ['popup'] })).length);
    await session.setStorage({ curatorMode: true });
    try {
      const tab = await open(openFixtureIn(session, 'x', 'home'));
      const curators = tab.locator('context-lens-curator');
      expect(await eventually(async () => (await curators.count()) > 3, true)).toBe(true);
      const before = await popups();
      // A page that got hold of the UIs' buttons anyway: here through the test driver's handle on the
      // closed roots, which page script does not have (the test above).
      const clicked = await tab.withEngine((q) => {
        let count = 0;
        for (const host of document.querySelectorAll(
          'context-lens-curator, context-lens-label, context-lens-cover, context-lens-hidden',
        ))
          for (const button of q.shadowOf(host)?.querySelectorAll('button') ?? []) {
            (button as HTMLButtonElement).click();
            button.dispatchEvent(
              new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }),
            );
            count++;
          }
        return count;
      });
      expect(clicked).toBeGreaterThan(10);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await popups()).toBe(before);
      expect(await tab.getByRole('dialog').count()).toBe(0);
      expect(await tab.locator(X_POST).first().getAttribute('data-context-lens-shown')).toBeNull();
      expect(await tab.locator(X_POST).nth(2).getAttribute('data-context-lens-shown')).toBeNull();

      // The reader's own click on "Label…" does open the form: the check above could see one.
      await tab.locator(X_POST).nth(1).locator('context-lens-curator').locator('button').click();
      expect(await eventually(popups, before + 1)).toBe(before + 1);
    } finally {
      await session.setStorage({ curatorMode: false });
      await session.inExtension(async () => {
        for (const win of await chrome.windows.getAll({ windowTypes: ['popup'] }))
          if (win.id !== undefined) await chrome.windows.remove(win.id);
      });
    }
  });

  it('keeps every cover, hidden line and badge inside its post, and the site’s buttons take real clicks', async () => {
    const tab = await open(openFixtureIn(session, 'x', 'home', withFollowColumn));
    const hidden = tab.locator(X_POST).nth(2);
    expect(await eventually(() => hidden.getAttribute('data-context-lens'), 'hidden')).toBe('hidden');
    expect(
      await eventually(() => tab.locator(X_POST).first().getAttribute('data-context-lens'), 'warned'),
    ).toBe('warned');
    await settleBadges(tab, 1);

    // A "Follow" button beside each of the first posts (covered, hidden or not), at its height.
    const follows = await tab.evaluate((selector) => {
      const column = document.querySelector('aside[aria-label="Who to follow"]') as HTMLElement;
      // The posts in view (the covered post 0 and the hidden post 2 among them).
      const posts = [...document.querySelectorAll(selector)].filter(
        (post) => post.getBoundingClientRect().bottom < window.innerHeight - 40,
      );
      let bottom = column.getBoundingClientRect().top;
      return posts.map((post, i) => {
        const box = post.getBoundingClientRect();
        const button = document.createElement('button');
        button.textContent = 'Follow';
        button.setAttribute('data-testid', `follow-${i}`);
        button.style.marginTop = `${Math.max(0, box.top + box.height / 2 - 16 - bottom)}px`;
        column.append(button);
        const placed = button.getBoundingClientRect();
        bottom = placed.bottom;
        return { x: placed.left + placed.width / 2, y: placed.top + placed.height / 2 };
      });
    }, X_POST);
    expect(follows.length).toBeGreaterThanOrEqual(3);
    for (const point of follows) await tab.mouse.click(point.x, point.y);
    expect(await tab.evaluate(() => (window as unknown as { __clicks: string[] }).__clicks)).toEqual(
      follows.map((_, i) => `follow-${i}`),
    );
    // No click elsewhere un-hid or revealed a post.
    expect(await hidden.getAttribute('data-context-lens-shown')).toBeNull();
    expect(await hidden.locator(':scope > div').first().isVisible()).toBe(false);
    expect(await tab.locator(X_POST).first().getAttribute('data-context-lens-shown')).toBeNull();

    // Every element of every UI (through its closed root) lies within its post, none scrolls sideways.
    const outside = await tab.withEngine((q, selector) => {
      const out: string[] = [];
      for (const host of document.querySelectorAll(
        'context-lens-cover, context-lens-hidden, context-lens-label',
      )) {
        const post = host.closest(selector)?.getBoundingClientRect();
        const shadow = q.shadowOf(host);
        if (!post || !shadow) continue;
        for (const el of [host, ...shadow.querySelectorAll('*')]) {
          const box = el.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue;
          const name = `${host.localName} ${el.localName}.${el.getAttribute('class') ?? ''}`;
          if (box.left < post.left - 1 || box.right > post.right + 1)
            out.push(
              `${name}: ${Math.round(box.left)}–${Math.round(box.right)} outside ${post.left}–${post.right}`,
            );
          // (An inline element has no scroll box: Firefox reports its clientWidth as 0.)
          const style = getComputedStyle(el);
          if (style.display === 'inline' || style.overflowX === 'hidden') continue;
          if (el.scrollWidth > el.clientWidth + 1)
            out.push(`${name}: ${el.scrollWidth} px of content in ${el.clientWidth}`);
        }
      }
      return out;
    }, X_POST);
    expect(outside).toEqual([]);
  });

  it('keeps an open panel inside its post, in flow, wrapping long text', async () => {
    const tab = await open(openFixtureIn(session, 'x', 'home', withFollowColumn));
    const post = tab.locator(X_POST).nth(5);
    // The post's height once the lens has drawn it (its badges and covers come in one go).
    await settleBadges(tab, 1);
    await post.locator('context-lens-label').first().waitFor();
    const before = await post.evaluate((el) => el.getBoundingClientRect().height);
    await post.locator('context-lens-label').first().locator('button.cl-badge').click();
    const dialog = post.getByRole('dialog');
    await dialog.waitFor();
    // The panel (with 300-character titles, the tallest the caps allow) lies whole inside its post's
    // box: not over the posts below or the column beside it, and the post grew to hold it.
    const fit = await tab.withEngine((q, selector) => {
      const element = document.querySelectorAll(selector)[5];
      const roots = [...(element?.querySelectorAll('*') ?? [])].flatMap((el) => q.shadowOf(el) ?? []);
      const panel = roots.map((root) => root.querySelector('.cl-panel')).find((el) => el !== null);
      const box = element?.getBoundingClientRect();
      if (!panel || !box) return 'no panel in the post';
      const own = panel.getBoundingClientRect();
      return {
        inside:
          own.left >= box.left - 1 &&
          own.right <= box.right + 1 &&
          own.top >= box.top - 1 &&
          own.bottom <= box.bottom + 1,
        scrolls: panel.scrollWidth > panel.clientWidth + 1,
        grew: box.height,
      };
    }, X_POST);
    expect(fit).toEqual({ inside: true, scrolls: false, grew: expect.any(Number) });
    expect((fit as { grew: number }).grew).toBeGreaterThan(before + 100);
    // Closing gives the post its own height back.
    await tab.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await post.evaluate((el) => el.getBoundingClientRect().height)).toBeCloseTo(before, 0);
  });

  it('isolates feed text: an override in a title or a feed name never reverses the extension’s words', async () => {
    const tab = await open(openFixtureIn(session, 'x', 'home'));
    const post = tab.locator(X_POST).nth(5);
    await post.locator('context-lens-label').first().locator('button.cl-badge').click();
    await post.getByRole('dialog').waitFor();
    // "Curator: Context Lens seed‮, published by Context Lens"
    expect(await readsLeftToRight(tab, '.cl-feed', ', published by')).toBe(true);
    // "Hidden by Context Lens: ‮hhh… (show)"
    expect(await readsLeftToRight(tab, '.cl-hidden-line', '(show)')).toBe(true);

    const popup = await open(session.openExtensionPage('popup.html'));
    await popup.getByText(RLO_FEED).waitFor();
    // "Context Lens seed‮: up to date"
    const state = await popup.locator('li', { hasText: RLO_FEED }).locator('span').textContent();
    expect(await readsLeftToRight(popup, 'li', state ?? '?', RLO_FEED)).toBe(true);
    // "‮detaler ton (caution)"
    const options = await open(session.openExtensionPage('options.html'));
    await options.getByText(RLO_TITLE).first().waitFor();
    expect(await readsLeftToRight(options, 'li p', 'caution', RLO_TITLE)).toBe(true);
  });
});
