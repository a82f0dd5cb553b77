// @vitest-environment happy-dom
// The content script's context (lens/scriptContext.ts): WXT's API, with nothing the page can see
// or send; a newer copy replaces an older one, and an orphaned copy (extension updated) stops.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from './scriptContext';

const contexts: ContentScriptContext[] = [];
function start(name = 'content'): ContentScriptContext {
  const ctx = new ContentScriptContext(name);
  contexts.push(ctx);
  return ctx;
}
afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.notifyInvalidated();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('ContentScriptContext', () => {
  it('starts without posting a message or dispatching an event the page could see', () => {
    const posted = vi.spyOn(window, 'postMessage');
    const onDocument = vi.spyOn(document, 'dispatchEvent');
    const onWindow = vi.spyOn(window, 'dispatchEvent');
    start();
    expect(posted).not.toHaveBeenCalled();
    expect(onDocument).not.toHaveBeenCalled();
    expect(onWindow).not.toHaveBeenCalled();
  });

  it('ignores every WXT signal the page sends, and stops only when a newer copy of itself starts', () => {
    const first = start();
    const type = `${fakeBrowser.runtime.id}:content:wxt:content-script-started`;
    document.dispatchEvent(
      new CustomEvent(type, { detail: { contentScriptName: 'content', messageId: 'x' } }),
    );
    window.postMessage({ type, contentScriptName: 'content', messageId: 'x' }, '*');
    expect(first.isValid).toBe(true);
    const other = start('other-script');
    expect(first.isValid).toBe(true);
    const second = start();
    expect(first.isValid).toBe(false);
    expect(second.isValid).toBe(true);
    expect(other.isValid).toBe(true);
  });

  it('stops an orphaned copy within a second of the extension going away, with its timers and listeners', () => {
    vi.useFakeTimers();
    const ctx = start();
    const tick = vi.fn();
    const click = vi.fn();
    ctx.setTimeout(tick, 5_000);
    ctx.addEventListener(document, 'click', click);
    const invalidated = vi.fn();
    ctx.onInvalidated(invalidated);
    vi.spyOn(fakeBrowser.runtime, 'id', 'get').mockReturnValue(undefined as unknown as string);
    vi.advanceTimersByTime(1_000);
    expect(invalidated).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(5_000);
    document.dispatchEvent(new Event('click'));
    expect(tick).not.toHaveBeenCalled();
    expect(click).not.toHaveBeenCalled();
  });

  it('cancels what is still waiting when it stops, without one abort listener per timer or frame', () => {
    vi.useFakeTimers();
    const ctx = start();
    const listen = vi.spyOn(ctx.signal, 'addEventListener');
    const clearTimeout = vi.spyOn(window, 'clearTimeout');
    const cancelFrame = vi.spyOn(window, 'cancelAnimationFrame');
    const fired = vi.fn();
    for (let i = 0; i < 100; i++) ctx.setTimeout(fired, 10);
    vi.advanceTimersByTime(10);
    expect(fired).toHaveBeenCalledTimes(100);
    const late = vi.fn();
    const waitingTimer = ctx.setTimeout(late, 5_000);
    const waitingFrame = ctx.requestAnimationFrame(late);
    expect(listen).not.toHaveBeenCalled();
    ctx.notifyInvalidated();
    // Only the two still waiting are cancelled; the hundred that fired are not remembered.
    expect(clearTimeout.mock.calls).toEqual([[waitingTimer]]);
    expect(cancelFrame.mock.calls).toEqual([[waitingFrame]]);
    vi.advanceTimersByTime(5_000);
    expect(late).not.toHaveBeenCalled();
  });

  it('reports a single-page navigation to wxt:locationchange handlers without any DOM event', async () => {
    vi.useFakeTimers();
    const ctx = start();
    const changes: string[] = [];
    ctx.addEventListener(window, 'wxt:locationchange', (change: { newUrl: URL }) =>
      changes.push(change.newUrl.pathname),
    );
    history.pushState(null, '', '/alice');
    vi.advanceTimersByTime(1_000);
    window.dispatchEvent(new Event(`${fakeBrowser.runtime.id}:content:wxt:locationchange`));
    expect(changes).toEqual(['/alice']);
  });
});
