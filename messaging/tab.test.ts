import { describe, expect, it } from 'vitest';
import type { PageHealth } from './protocol';
import { answerInTab, askFromTab, noticeFromTab, type TabRuntime } from './tab';

type Listener = Parameters<TabRuntime['onMessage']['addListener']>[0];

function fakeRuntime() {
  const listeners = new Set<Listener>();
  const sent: unknown[] = [];
  let answerWith: (message: unknown) => unknown = () => undefined;
  const runtime: TabRuntime = {
    onMessage: { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) },
    sendMessage: (message, callback) => {
      sent.push(message);
      if (callback) {
        callback();
        return undefined;
      }
      // Without a callback: a promise of the background's answer.
      return Promise.resolve(answerWith(message));
    },
  };
  /** What a sender gets back, as @webext-core/messaging's sendMessage reads it. */
  const ask = (message: unknown, sender = { id: 'ext' }): unknown[] => {
    const answers: unknown[] = [];
    for (const l of listeners) l(message, sender, (answer) => answers.push(answer));
    return answers;
  };
  const answer = (with_: (message: unknown) => unknown) => {
    answerWith = with_;
  };
  return { runtime, sent, ask, listeners, answer };
}

const HEALTH: PageHealth = {
  site: 'x',
  postsRecognised: 3,
  postsLabelled: 1,
  labelsShown: 2,
  layoutMayHaveChanged: false,
};

describe('answerInTab', () => {
  it("answers its message type in @webext-core/messaging's format, and nothing else", () => {
    const { runtime, ask } = fakeRuntime();
    answerInTab(runtime, 'getPageHealth', () => HEALTH);
    expect(ask({ id: 1, type: 'getPageHealth', timestamp: 1 })).toEqual([{ res: HEALTH }]);
    expect(ask({ id: 2, type: 'getContextTarget', timestamp: 1 })).toEqual([]);
    expect(ask({ id: 3, type: 'getPageHealth' })).toEqual([]);
    expect(ask('getPageHealth')).toEqual([]);
  });

  it('answers a refusal as an error the asker rethrows, and stops when removed', () => {
    const { runtime, ask, listeners } = fakeRuntime();
    const remove = answerInTab(runtime, 'getContextTarget', (sender) => {
      if (sender.id !== 'ext') throw new Error('ignored: the message is not from Context Lens');
      return { account: 'https://x.com/jack' };
    });
    expect(ask({ type: 'getContextTarget', timestamp: 1 }, { id: 'other' })).toEqual([
      { err: { name: 'Error', message: 'ignored: the message is not from Context Lens' } },
    ]);
    expect(ask({ type: 'getContextTarget', timestamp: 1 })).toEqual([
      { res: { account: 'https://x.com/jack' } },
    ]);
    remove();
    expect(listeners.size).toBe(0);
  });
});

describe('noticeFromTab', () => {
  it('sends the message as @webext-core/messaging would, and never throws', () => {
    const { runtime, sent } = fakeRuntime();
    noticeFromTab(runtime, 'openCuratorForm', { kind: 'account', url: 'https://x.com/jack' });
    expect(sent).toEqual([
      expect.objectContaining({
        type: 'openCuratorForm',
        data: { kind: 'account', url: 'https://x.com/jack' },
        id: expect.any(Number),
        timestamp: expect.any(Number),
      }),
    ]);
    const gone: TabRuntime = {
      ...runtime,
      sendMessage: () => {
        throw new Error('Extension context invalidated.');
      },
    };
    expect(() =>
      noticeFromTab(gone, 'openCuratorForm', { kind: 'link', url: 'https://a.example/' }),
    ).not.toThrow();
  });
});

describe('askFromTab', () => {
  it("sends the message in @webext-core/messaging's format and resolves to its answer", async () => {
    const { runtime, sent, answer } = fakeRuntime();
    answer(() => ({ res: null }));
    expect(await askFromTab(runtime, 'pageIndex')).toBeNull();
    expect(sent).toEqual([
      expect.objectContaining({ type: 'pageIndex', id: expect.any(Number), timestamp: expect.any(Number) }),
    ]);
  });

  it('rejects when the background refused, failed or did not answer', async () => {
    const { runtime, answer } = fakeRuntime();
    answer(() => ({ err: { name: 'Error', message: 'no' } }));
    await expect(askFromTab(runtime, 'pageIndex')).rejects.toThrow('no');
    answer(() => undefined);
    await expect(askFromTab(runtime, 'pageIndex')).rejects.toThrow('no answer');
  });
});
