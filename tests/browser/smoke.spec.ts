import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionSession, launchChromium } from './harness';
import { StaticServer } from './static-server';

describe('the built extension in Chromium', () => {
  let session: ExtensionSession;
  beforeAll(async () => {
    session = await launchChromium();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('starts its service worker and serves fixture pages under real host names', async () => {
    expect(session.extensionId).toMatch(/^[a-p]{32}$/);
    await session.servePage('https://x.com/', '<!doctype html><title>fixture</title><p>hello from x.com</p>');
    const page = await session.context.newPage();
    await page.goto('https://x.com/home');
    await expect(page.textContent('p')).resolves.toBe('hello from x.com');
    await session.setStorage({ smoke: { ok: 1 } });
    expect(await session.getStorage('smoke')).toEqual({ ok: 1 });
  });
});

// The feed bench's session: Playwright stays out of the worker's downloads, and still nothing but
// loopback is reached.
describe('a Chromium session launched without interception', () => {
  const host = new StaticServer();
  let session: ExtensionSession | undefined;
  const variable = 'PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK';
  const before = process.env[variable];
  beforeAll(async () => {
    await host.start();
    host.publish('/smoke/', new Map([['hello.txt', new TextEncoder().encode('hello from loopback')]]));
    session = await launchChromium({ intercept: false });
  });
  afterAll(async () => {
    await session?.close();
    await host.stop();
  });

  it('reaches loopback hosts only, serves no fixture pages, and puts the environment back on close', async () => {
    const worker = await (session as ExtensionSession).serviceWorker();
    const fetched = async (url: string) =>
      worker.evaluate(async (u) => {
        try {
          return await (await fetch(u)).text();
        } catch (error) {
          return `failed: ${String(error)}`;
        }
      }, url);
    await expect(fetched(`${host.origin}/smoke/hello.txt`)).resolves.toBe('hello from loopback');
    // localhost is loopback too, but resolves only without the session's resolver rules.
    const named = `${host.origin.replace('127.0.0.1', 'localhost')}/smoke/hello.txt`;
    await expect(fetched(named)).resolves.toMatch(/^failed: TypeError/);
    await expect((session as ExtensionSession).servePage('https://x.com/', '<p>x</p>')).rejects.toThrow(
      /interception/,
    );
    expect(process.env[variable]).toBe('1');
    await (session as ExtensionSession).close();
    session = undefined;
    expect(process.env[variable]).toBe(before);
  });
});
