import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionSession, launchChromium } from './harness';

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
