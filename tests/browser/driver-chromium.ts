/// <reference types="chrome" />
/**
 * The shared driver (driver.ts) in Chromium: the lead's Playwright harness (harness.ts) underneath,
 * the built chrome-mv3 folder loaded with --load-extension, the background a service worker whose
 * URL names the extension id.
 */
import type { CDPSession, Page } from 'playwright-core';
import type { BrowserSession, PageBackend, Tab } from './driver';
import { tabOn } from './driver';
import { type ExtensionSession, type LaunchOptions, launchChromium } from './harness';
import { allowPermissionPrompts } from './settings-helpers';

interface RemoteObject {
  objectId?: string;
}

/**
 * The closed shadow roots of the hosts the engine lists, handed to it through CDP: DOM.describeNode
 * with `pierce` names each host's root (closed or not), DOM.resolveNode makes it an object of the
 * page's main world, and the engine's `reveal` keeps it.
 */
async function revealShadowRoots(cdp: CDPSession): Promise<void> {
  const objectGroup = 'context-lens-reveal';
  try {
    const { result } = (await cdp.send('Runtime.evaluate', {
      expression: 'globalThis.__contextLensQuery.unrevealed()',
      objectGroup,
    })) as { result: RemoteObject };
    if (!result.objectId) return;
    const { result: properties } = (await cdp.send('Runtime.getProperties', {
      objectId: result.objectId,
      ownProperties: true,
    })) as { result: { name: string; value?: RemoteObject }[] };
    for (const property of properties) {
      const host = property.value?.objectId;
      if (!/^\d+$/.test(property.name) || !host) continue;
      const { node } = (await cdp.send('DOM.describeNode', { objectId: host, depth: 1, pierce: true })) as {
        node: { shadowRoots?: { backendNodeId: number }[] };
      };
      const backendNodeId = node.shadowRoots?.[0]?.backendNodeId;
      if (backendNodeId === undefined) continue;
      const { object } = (await cdp.send('DOM.resolveNode', { backendNodeId, objectGroup })) as {
        object: RemoteObject;
      };
      await cdp.send('Runtime.callFunctionOn', {
        objectId: host,
        functionDeclaration: 'function (root) { globalThis.__contextLensQuery.reveal(this, root); }',
        arguments: [{ objectId: object.objectId }],
      });
    }
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup }).catch(() => undefined);
  }
}

function backendFor(page: Page): PageBackend {
  let cdp: Promise<CDPSession> | undefined;
  return {
    evaluateExpression: (expression) => page.evaluate(expression),
    evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => never, arg),
    click: (x, y, button) => page.mouse.click(x, y, { button }),
    async revealShadowRoots() {
      cdp ??= page.context().newCDPSession(page);
      await revealShadowRoots(await cdp);
    },
    press: (key) => page.keyboard.press(key),
    type: (text) => page.keyboard.type(text),
    goto: async (url) => {
      await page.goto(url);
    },
    reload: async () => {
      await page.reload();
    },
    bringToFront: () => page.bringToFront(),
    url: () => page.url(),
    close: () => page.close(),
  };
}

export function chromiumTab(page: Page): Tab {
  return tabOn('chromium', backendFor(page), page);
}

/** A Chromium `BrowserSession`; `harness` is the Playwright session beneath, for Chromium-only steps. */
export interface ChromiumSession extends BrowserSession {
  readonly harness: ExtensionSession;
}

export async function launchChromiumSession(options: LaunchOptions = {}): Promise<ChromiumSession> {
  const harness = await launchChromium(options);
  const origin = `chrome-extension://${harness.extensionId}`;
  const session: ChromiumSession = {
    browser: 'chromium',
    harness,
    extensionOrigin: origin,
    servePage: (prefix, html) => harness.servePage(prefix, html),
    async newTab(url) {
      const page = await harness.context.newPage();
      if (url) await page.goto(url);
      return chromiumTab(page);
    },
    async openExtensionPage(path) {
      const page = await harness.context.newPage();
      // Chromium's prompt is a native dialog no automation can answer (see settings-helpers.ts).
      await allowPermissionPrompts(page);
      await page.goto(`${origin}/${path.replace(/^\//, '')}`);
      return chromiumTab(page);
    },
    async inExtension<T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
      // The newest worker: one stopped by stopBackground() stays listed after it restarted.
      const worker =
        harness.context
          .serviceWorkers()
          .filter((w) => w.url().startsWith(`${origin}/`))
          .at(-1) ?? (await harness.serviceWorker());
      return (await worker.evaluate(fn as (arg: unknown) => unknown, arg)) as T;
    },
    getStorage: (key) => harness.getStorage(key),
    setStorage: (values) => harness.setStorage(values),
    waitForSeed: (timeoutMs) => harness.waitForSeed(timeoutMs),
    async tabIdOf(tab) {
      await tab.bringToFront();
      const id = await session.inExtension(
        async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id,
      );
      if (id === undefined) throw new Error(`no active tab for ${tab.url()}`);
      return id;
    },
    async stopBackground() {
      const page = await harness.context.newPage();
      const cdp = await harness.context.newCDPSession(page);
      const stopped = new Promise<void>((resolve) => {
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          if (versions.some((v) => v.scriptURL.startsWith(origin) && v.runningStatus === 'stopped'))
            resolve();
        });
      });
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await stopped;
      await page.close();
    },
    close: () => harness.close(),
  };
  return session;
}
