/**
 * The page's look-ups travel over one long-lived port (`runtime.connect`), not one `sendMessage`
 * each: a one-time message opens and closes a channel to the background every time, which cost a
 * scrolling page about a third of the content script's time (docs/benchmarks.md). The tab opens the
 * port at its first look-up and closes it `idleMs` (¼ s) after the last answer: a scroll's look-ups
 * share one port, an idle tab holds nothing open (the background may stop as usual) and its timer
 * has fired and gone before the reader stops to read, so a resting page never wakes for it.
 *
 *   tab ── connect({ name: LOOKUP_PORT }) ──▶ background (onConnect: sender checked, as for messages)
 *   tab ── { id, keys } ──▶                    answers every request, in any order
 *       ◀── { id, labels } ──
 *   port closed by the background (worker stopped) ──▶ the tab asks again on a new port, once per
 *   request; a second loss rejects it (the lens then retries that post later)
 *
 * The content side talks to `chrome.runtime` (or Firefox's `browser.runtime`) directly: ports are
 * events, not promises, so the webextension polyfill adds nothing here.
 */
import type { MatchedLabel } from './protocol';

export const LOOKUP_PORT = 'context-lens-lookup';

/** The tab's question: `keys` as for the `lookup` message (account/post keys, `url:` link URLs). */
export interface LookupRequest {
  id: number;
  keys: string[];
}

/** The background's answer to the request with the same `id`. */
export interface LookupAnswer {
  id: number;
  labels: MatchedLabel[];
}

interface PortEvent<T extends unknown[]> {
  addListener(listener: (...args: T) => void): void;
}

/** What this module uses of a `runtime.Port` (Chrome's and Firefox's are the same shape). */
export interface PortLike {
  name: string;
  sender?: { id?: string; url?: string };
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: PortEvent<[unknown]>;
  onDisconnect: PortEvent<[unknown]>;
}

/** What the tab uses of `runtime`. */
export interface RuntimeLike {
  connect(info: { name: string }): PortLike;
  /** Read in onDisconnect, so Chrome does not log an unchecked error when the worker went away. */
  readonly lastError?: unknown;
}

export interface LookupClientOptions {
  /** Close the port this long after the last look-up or answer (default 250 ms). */
  idleMs?: number;
  setTimeout(callback: () => void, ms: number): void;
  now(): number;
}

export interface LookupClient {
  lookup(keys: string[]): Promise<MatchedLabel[]>;
  /** Closes the port; look-ups waiting for an answer fail. */
  close(): void;
}

interface Waiting {
  keys: string[];
  /** Ports this request was sent on; after two lost ones it fails. */
  tries: number;
  resolve(labels: MatchedLabel[]): void;
  reject(error: Error): void;
}

const MAX_TRIES = 2;
export const DEFAULT_IDLE_MS = 250;
const STOPPED = 'Context Lens: the lens stopped';

function isAnswer(message: unknown): message is LookupAnswer {
  const m = message as Partial<LookupAnswer> | null;
  return typeof m === 'object' && m !== null && typeof m.id === 'number' && Array.isArray(m.labels);
}

export function createLookupClient(runtime: RuntimeLike, options: LookupClientOptions): LookupClient {
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const waiting = new Map<number, Waiting>();
  let port: PortLike | undefined;
  let nextId = 1;
  let lastUsed = 0;
  let idleTimer = false;
  let closed = false;

  function fail(id: number, error: Error): void {
    const request = waiting.get(id);
    if (!request) return;
    waiting.delete(id);
    request.reject(error);
  }

  function connect(): PortLike {
    const opened = runtime.connect({ name: LOOKUP_PORT });
    opened.onMessage.addListener((message) => {
      if (!isAnswer(message)) return;
      const request = waiting.get(message.id);
      if (!request) return;
      waiting.delete(message.id);
      lastUsed = options.now();
      request.resolve(message.labels);
    });
    opened.onDisconnect.addListener(() => {
      void runtime.lastError;
      if (port !== opened) return;
      port = undefined;
      // The background went away (a stopped worker): ask again on a new port.
      for (const id of [...waiting.keys()]) send(id);
    });
    return opened;
  }

  function send(id: number): void {
    const request = waiting.get(id);
    if (!request) return;
    if (closed || request.tries >= MAX_TRIES) {
      fail(id, new Error(closed ? STOPPED : 'Context Lens: the background did not answer'));
      return;
    }
    request.tries++;
    try {
      port ??= connect();
      port.postMessage({ id, keys: request.keys } satisfies LookupRequest);
    } catch (error) {
      // The extension was reloaded or removed: this tab's script can no longer reach it.
      port = undefined;
      fail(id, error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** One timer at a time, re-armed while look-ups keep coming. */
  function armIdleTimer(): void {
    if (idleTimer) return;
    idleTimer = true;
    const quiet = options.now() - lastUsed;
    options.setTimeout(
      () => {
        idleTimer = false;
        if (!port) return;
        if (waiting.size > 0 || options.now() - lastUsed < idleMs) {
          armIdleTimer();
          return;
        }
        const open = port;
        port = undefined;
        open.disconnect();
      },
      waiting.size > 0 ? idleMs : Math.max(1, idleMs - quiet),
    );
  }

  return {
    lookup(keys) {
      const id = nextId++;
      lastUsed = options.now();
      const answer = new Promise<MatchedLabel[]>((resolve, reject) => {
        waiting.set(id, { keys, tries: 0, resolve, reject });
      });
      send(id);
      armIdleTimer();
      return answer;
    },
    close() {
      closed = true;
      const open = port;
      port = undefined;
      open?.disconnect();
      for (const id of [...waiting.keys()]) fail(id, new Error(STOPPED));
    },
  };
}

/**
 * The background's side: answers every request on a `LOOKUP_PORT` port with `answer` (which checks
 * the sender, as the `lookup` message does). Other ports are left alone; malformed requests are ignored.
 */
export function serveLookupPort(
  port: PortLike,
  answer: (sender: PortLike['sender'], keys: unknown) => Promise<MatchedLabel[]>,
): void {
  if (port.name !== LOOKUP_PORT) return;
  port.onMessage.addListener((message) => {
    const request = message as Partial<LookupRequest> | null;
    if (typeof request !== 'object' || request === null || typeof request.id !== 'number') return;
    const id = request.id;
    answer(port.sender, request.keys)
      .catch(() => [])
      .then((labels) => {
        try {
          port.postMessage({ id, labels } satisfies LookupAnswer);
        } catch {
          // The tab went away before its answer.
        }
      });
  });
}
