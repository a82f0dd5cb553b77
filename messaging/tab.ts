/**
 * The content script's side of messaging/protocol.ts's messages to and from a tab, in the same wire
 * format as @webext-core/messaging (`{ id, type, data, timestamp }` in, `{ res }` or `{ err }` back)
 * but straight on `runtime`, so the script every page loads carries neither that library nor the
 * webextension polyfill. Answers are synchronous (the lens knows them at once).
 */
import type { ProtocolMap } from './protocol';

export interface TabSender {
  id?: string;
  url?: string;
}

interface MessageEvent {
  addListener(listener: TabListener): void;
  removeListener(listener: TabListener): void;
}

type TabListener = (message: unknown, sender: TabSender, sendResponse: (answer: unknown) => void) => unknown;

/** What this module uses of `runtime` (Chrome's `chrome.runtime`, Firefox's `browser.runtime`). */
export interface TabRuntime {
  onMessage: MessageEvent;
  /** With a callback (Chrome); without one it returns a promise (Chrome MV3 and Firefox). */
  sendMessage(message: unknown, callback?: () => void): unknown;
  readonly lastError?: unknown;
}

/** Messages a tab answers. */
export type TabRequests = Pick<ProtocolMap, 'getPageHealth' | 'getContextTarget'>;
/** Messages a tab sends and forgets. */
export type TabNotices = Pick<ProtocolMap, 'openCuratorForm'>;
/** Messages a tab asks the background and waits for. */
export type TabQuestions = Pick<ProtocolMap, 'pageIndex' | 'pageIndexPart'>;

function isRequest(message: unknown, type: string): boolean {
  const m = message as { type?: unknown; timestamp?: unknown } | null;
  return typeof m === 'object' && m !== null && m.type === type && typeof m.timestamp === 'number';
}

/**
 * Answers `type` with what `answer` returns for the sender; a throw answers with the error (the
 * asker's `sendMessage` rejects with it). Returns the removal.
 */
export function answerInTab<K extends keyof TabRequests>(
  runtime: TabRuntime,
  type: K,
  answer: (sender: TabSender) => ReturnType<TabRequests[K]>,
): () => void {
  const listener: TabListener = (message, sender, sendResponse) => {
    if (!isRequest(message, type)) return undefined;
    try {
      sendResponse({ res: answer(sender) });
    } catch (error) {
      const { name = 'Error', message: text = String(error) } = error instanceof Error ? error : {};
      sendResponse({ err: { name, message: text } });
    }
    return undefined;
  };
  runtime.onMessage.addListener(listener);
  return () => runtime.onMessage.removeListener(listener);
}

let nextId = Math.floor(Math.random() * 1e4);

/** Sends `type` to the background without waiting for an answer. */
export function noticeFromTab<K extends keyof TabNotices>(
  runtime: TabRuntime,
  type: K,
  data: Parameters<TabNotices[K]>[0],
): void {
  try {
    runtime.sendMessage({ id: nextId++, type, data, timestamp: Date.now() }, () => {
      void runtime.lastError;
    });
  } catch {
    // The extension was reloaded: nobody is listening any more.
  }
}

/** Asks the background `type` and resolves to its answer (rejects when nobody answered or it failed). */
export async function askFromTab<K extends keyof TabQuestions>(
  runtime: TabRuntime,
  type: K,
  ...data: Parameters<TabQuestions[K]>
): Promise<ReturnType<TabQuestions[K]>> {
  const answer = (await runtime.sendMessage({ id: nextId++, type, data: data[0], timestamp: Date.now() })) as
    | { res?: unknown; err?: { message?: string } }
    | undefined;
  if (!answer || typeof answer !== 'object' || answer.err || !('res' in answer)) {
    throw new Error(
      `Context Lens: no answer to ${type}${answer?.err?.message ? `: ${answer.err.message}` : ''}`,
    );
  }
  return answer.res as ReturnType<TabQuestions[K]>;
}
