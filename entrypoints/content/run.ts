/**
 * The content script of one site: wires the lens (lens/lens.ts) to the page and the extension. Each
 * site folder has its own content-script entrypoint (`entrypoints/<id>.content.ts`, built to
 * `content-scripts/<id>.js`) that calls `siteContentScript` with that site's adapter alone, so a page
 * evaluates one adapter, not ten. It waits for the adapter to recognise the page, reads and watches
 * the reader's settings and the feeds' state, answers the popup's `getPageHealth` and the
 * background's `getContextTarget`, and follows single-page navigation.
 * Everything it starts (listeners, watchers, timers, the observer, every UI) is tied to `ctx`, so an
 * extension update leaves nothing behind. It never receives the feed: it only asks about keys.
 *
 *   settings items ─watch─▶ lens.update     feedStatus ─watch─▶ lens.feedsChanged
 *   wxt:locationchange ──▶ lens.locationChanged            contextmenu ──▶ lens.contextMenu
 *   lens ── port: { id, keys } ──▶ background (messaging/port.ts)  onMessage(getPageHealth|getContextTarget)
 *
 * The background registers the Mastodon one (content-scripts/mastodon.js) on extra Mastodon hosts.
 */

import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import BADGE_CSS from '../../components/badge.css?inline';
import BASE_CSS from '../../components/base.css?inline';
import LENS_CSS from '../../components/lens.css?inline';
import { paletteCss } from '../../components/palette';
import { useTemplates } from '../../components/strings';
import { keyReader } from '../../feed/site-keys';
import { KeyIndex } from '../../lens/keyIndex';
import { createLens, type Lens, type LensSettings } from '../../lens/lens';
import { createTaskQueue } from '../../lens/scheduler';
import { pageTheme } from '../../lens/theme';
import { createShadowUiHost, sheetsByUi } from '../../lens/ui';
import { createLookupClient, type RuntimeLike } from '../../messaging/port';
import type { FeedStatus, PageHealth } from '../../messaging/protocol';
import { answerInTab, askFromTab, noticeFromTab, type TabRuntime } from '../../messaging/tab';
import { SITES } from '../../sites/catalog';
import type { SiteAdapter } from '../../sites/types';
import { hostIsOnAny, matchPatterns } from '../../sites/url';
import { withException, withoutException } from '../../storage/exceptions';
import {
  accountExceptionsItem,
  curatorModeItem,
  enabledItem,
  feedStatusItem,
  labelActionsItem,
  readAndWatch,
  siteEnabledItem,
} from './settings';

/** How long a page may take to show markup an adapter recognises (Mastodon is recognised by markup). */
const ADAPTER_WAIT_MS = 10_000;
const ADAPTER_POLL_MS = 500;

const NO_HEALTH: PageHealth = {
  site: null,
  postsRecognised: 0,
  postsLabelled: 0,
  labelsShown: 0,
  layoutMayHaveChanged: false,
};

/** What about the feeds changes the answers to look-ups (not sync progress). */
function feedsSignature(feeds: readonly FeedStatus[] | null): string {
  return JSON.stringify(
    (feeds ?? []).map((f) => [f.id, f.enabled, f.sequence, f.lastUpdated, f.state === 'stale']),
  );
}

let hereHref = '';
let hereUrl: URL | undefined;
/** Whether `hereUrl` was checked against the address in this callback already. */
let hereChecked = false;

/**
 * The page's address, parsed once per address and read once per callback (the lens asks for it for
 * every post it reads, a slice of posts in one callback of ours, in which the page does not
 * navigate): it is read again after the next microtask checkpoint. Shared with the adapters, which
 * only read it.
 */
function here(): URL {
  if (hereChecked && hereUrl) return hereUrl;
  const href = window.location.href;
  if (href !== hereHref || !hereUrl) {
    hereUrl = new URL(href);
    hereHref = href;
  }
  hereChecked = true;
  queueMicrotask(() => {
    hereChecked = false;
  });
  return hereUrl;
}

function fromThisExtension(sender: { id?: string }): void {
  if (sender.id !== browser.runtime.id) throw new Error('ignored: the message is not from Context Lens');
}

/**
 * Whether another site folder owns `hostname`. Mastodon's adapter recognises the app by its markup on
 * any host, and its script may be registered on hosts the reader adds; a host another site owns
 * (Truth Social runs a Mastodon fork) is that site's, as when one script held every adapter.
 */
export function ownedByAnotherSite(hostname: string, id: SiteAdapter['id']): boolean {
  return SITES.some(
    (site) => site.id !== id && (site.pageHosts.includes(hostname) || hostIsOnAny(hostname, site.domains)),
  );
}

/** The content-script definition of one site: its match patterns, its adapter, the shared wiring. */
export function siteContentScript(adapter: SiteAdapter): ReturnType<typeof defineContentScript> {
  const site = SITES.find((candidate) => candidate.id === adapter.id);
  if (!site) throw new Error(`no site folder sites/${adapter.id}/`);
  return defineContentScript({
    matches: matchPatterns(site),
    // Our CSS lives only inside our shadow roots, as one constructable stylesheet every root adopts
    // (lens/ui.ts). Not 'ui': that mode fetches the stylesheet again for every badge, and its
    // web-accessible-resource entry does not cover the Mastodon hosts registered at runtime.
    cssInjectionMode: 'manual',
    runAt: 'document_idle',
    async main(ctx) {
      // Silent where another site's script runs: only that one answers the popup.
      if (ownedByAnotherSite(here().hostname, adapter.id)) return;
      let lens: Lens | undefined;

      const runtime = browser.runtime as unknown as TabRuntime;
      const removeHealth = answerInTab(runtime, 'getPageHealth', (sender) => {
        fromThisExtension(sender);
        return lens?.health() ?? NO_HEALTH;
      });
      const removeContext = answerInTab(runtime, 'getContextTarget', (sender) => {
        fromThisExtension(sender);
        return lens?.contextTarget() ?? {};
      });
      ctx.onInvalidated(() => {
        removeHealth();
        removeContext();
      });

      if (!(await waitForAdapter(ctx, adapter)) || !ctx.isValid) return;
      lens = await startLens(ctx, adapter);
    },
  });
}

async function waitForAdapter(ctx: ContentScriptContext, adapter: SiteAdapter): Promise<boolean> {
  const started = Date.now();
  for (;;) {
    if (adapter.matches(here(), document)) return true;
    if (Date.now() - started >= ADAPTER_WAIT_MS || !ctx.isValid) return false;
    await new Promise<void>((resolve) => ctx.setTimeout(resolve, ADAPTER_POLL_MS));
  }
}

async function startLens(ctx: ContentScriptContext, adapter: SiteAdapter): Promise<Lens> {
  let reported = false;
  // `browser` is the browser's own object here (wxt.config.ts: no polyfill in content scripts).
  const lookups = createLookupClient(browser.runtime as unknown as RuntimeLike, {
    setTimeout: (callback, ms) => ctx.setTimeout(callback, ms),
    now: () => performance.now(),
  });
  ctx.onInvalidated(() => lookups.close());
  const soon = createTaskQueue();
  const lens = createLens({
    adapter,
    doc: document,
    location: here,
    lookup: lookups.lookup,
    ui: createShadowUiHost(document, {
      signal: ctx.signal,
      css: sheetsByUi({ base: `${BASE_CSS}\n${paletteCss()}`, badge: BADGE_CSS, other: LENS_CSS }),
    }),
    requestFrame: (callback) => ctx.requestAnimationFrame(() => callback()),
    requestSoon: (callback) =>
      soon(() => {
        if (ctx.isValid) callback();
      }),
    setTimeout: (callback, ms) => ctx.setTimeout(callback, ms),
    now: () => performance.now(),
    lang: navigator.language || 'en',
    theme: () => pageTheme(document),
    openCuratorForm: (target) => {
      noticeFromTab(browser.runtime as unknown as TabRuntime, 'openCuratorForm', target);
    },
    addException: (exception) => {
      accountExceptionsItem
        .getValue()
        .then((list) => accountExceptionsItem.setValue(withException(list, exception)))
        .catch(() => undefined);
    },
    removeException: (exception) => {
      accountExceptionsItem
        .getValue()
        .then((list) => accountExceptionsItem.setValue(withoutException(list, exception)))
        .catch(() => undefined);
    },
    onError: (error) => {
      // Once per page: a site whose markup changed would otherwise fill the console.
      if (reported) return;
      reported = true;
      console.warn(
        `Context Lens: a post on this ${adapter.name} page could not be read; it is left unlabelled.`,
        error,
      );
    },
  });
  ctx.onInvalidated(() => lens.stop());

  const reading = readAndWatch({
    enabled: enabledItem,
    sites: siteEnabledItem,
    actions: labelActionsItem,
    curatorMode: curatorModeItem,
    feeds: feedStatusItem,
    exceptions: accountExceptionsItem,
  });
  const { values, listen } = await reading;
  const state = { ...values, feeds: feedsSignature(values.feeds) };
  const settings = (): LensSettings => ({
    active: state.enabled && state.sites[adapter.id] !== false,
    actions: state.actions,
    curatorMode: state.curatorMode,
    exceptions: state.exceptions,
  });
  // The page index (sync/page-index.ts): asked for once the lens is on, and again when the feeds
  // change; the lens starts reading the page when it comes (lens.ts INDEX_WAIT_MS); until then
  // after a change (or when there is none) every key is asked for as before.
  let indexAsked = 0;
  let indexWanted = true;
  const loadIndex = (): void => {
    indexWanted = false;
    // The page's first posts are read once it is here (or after a short wait), through it.
    lens.expectIndex();
    const asked = ++indexAsked;
    const runtime = browser.runtime as unknown as TabRuntime;
    askFromTab(runtime, 'pageIndex', adapter.id)
      .then(async (wire) => {
        // Long entries come in parts, each its own message (and its own short task here).
        const rest =
          wire?.parts &&
          (await Promise.all(
            Array.from({ length: Math.min(wire.parts, 64) - 1 }, (_, i) =>
              askFromTab(runtime, 'pageIndexPart', { id: wire.id, part: i + 1, site: adapter.id }),
            ),
          ));
        // Decoded in a task of its own: the answer's delivery is a task of tens of milliseconds
        // (Chromium making a megabyte of message into objects), and the decode in it made it a
        // task of 50 ms or more.
        await new Promise<void>((resolve) => soon(resolve));
        if (asked !== indexAsked || !ctx.isValid) return;
        // The lens's words, looked up by the background: a page's own first look-up is a blocking
        // call in which the browser hands it every message.
        useTemplates(wire?.strings);
        lens.setIndex(KeyIndex.decode(wire, keyReader(adapter.keyRules), rest || undefined));
      })
      .catch(() => undefined);
  };
  const apply = (): void => {
    if (!ctx.isValid) return;
    const next = settings();
    if (next.active && indexWanted) loadIndex();
    lens.update(next);
  };
  const unwatch = listen({
    enabled: (value) => {
      state.enabled = value;
      apply();
    },
    sites: (value) => {
      state.sites = value;
      apply();
    },
    actions: (value) => {
      state.actions = value;
      apply();
    },
    curatorMode: (value) => {
      state.curatorMode = value;
      apply();
    },
    exceptions: (value) => {
      state.exceptions = value;
      apply();
    },
    feeds: (value) => {
      const signature = feedsSignature(value);
      if (signature === state.feeds) return;
      state.feeds = signature;
      if (!ctx.isValid) return;
      lens.feedsChanged();
      indexAsked++;
      indexWanted = true;
      if (settings().active) loadIndex();
    },
  });
  ctx.onInvalidated(unwatch);

  ctx.addEventListener(window, 'wxt:locationchange', () => lens.locationChanged());
  ctx.addEventListener(document, 'contextmenu', (event) => lens.contextMenu(event.composedPath()), {
    capture: true,
  });
  const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');
  ctx.addEventListener(darkScheme, 'change', () => lens.themeChanged());
  // Sites paint their theme after the first render; look once more when that has happened.
  ctx.setTimeout(() => lens.themeChanged(), 1500);

  apply();
  return lens;
}
