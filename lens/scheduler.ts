/**
 * Work in slices: items are queued (cheaply, from a MutationObserver) and handled for at most
 * `budgetMs` in the next task (`requestSoon`, when given) or the next animation frame; what is left
 * waits for the following frames. After each slice's work `flush` runs once (one lookup message per
 * batch). One item failing never stops the others. Pure: the task and frame sources and the clock
 * are given, so tests drive it by hand.
 *
 * Why a task first: posts a site inserts are read, and their look-up sent, right after the site's
 * own task, so the answer can come back (and the badge be drawn) before or at the next frame; a
 * frame callback would first wait up to a whole frame (16.7 ms) for it. A backlog (the first scan of
 * a long page) still goes at most `budgetMs` a frame.
 */

export interface FrameSchedulerOptions<T> {
  requestFrame(callback: () => void): void;
  /** Runs a callback in a task soon (createTaskQueue); the first slice of new work goes there. */
  requestSoon?(callback: () => void): void;
  now(): number;
  budgetMs: number;
  work(item: T): void;
  flush(): void;
  /** An item's work threw: the item is dropped, the rest go on. */
  onError?(error: unknown): void;
}

export interface FrameScheduler<T> {
  push(item: T): void;
  /** Items still waiting. */
  readonly pending: number;
  /** Drops everything waiting; a frame already requested does nothing. */
  clear(): void;
}

export function createFrameScheduler<T>(options: FrameSchedulerOptions<T>): FrameScheduler<T> {
  let queue: T[] = [];
  let head = 0;
  let requested = false;

  const frame = (): void => {
    requested = false;
    const start = options.now();
    while (head < queue.length) {
      const item = queue[head] as T;
      head++;
      try {
        options.work(item);
      } catch (error) {
        options.onError?.(error);
      }
      if (options.now() - start >= options.budgetMs) break;
    }
    if (head >= queue.length) {
      queue = [];
      head = 0;
    }
    options.flush();
    if (head < queue.length) request(false);
  };

  const request = (soon: boolean): void => {
    if (requested) return;
    requested = true;
    if (soon && options.requestSoon) options.requestSoon(frame);
    else options.requestFrame(frame);
  };

  return {
    push(item) {
      queue.push(item);
      request(true);
    },
    get pending() {
      return queue.length - head;
    },
    clear() {
      queue = [];
      head = 0;
    },
  };
}

/**
 * `callback` in a task of its own as soon as the event loop gets to it (a MessageChannel message:
 * no timer clamping, unlike setTimeout), callbacks asked for before it runs sharing that task.
 */
export function createTaskQueue(): (callback: () => void) => void {
  const channel = new MessageChannel();
  let waiting: (() => void)[] = [];
  channel.port1.onmessage = () => {
    const run = waiting;
    waiting = [];
    for (const callback of run) callback();
  };
  return (callback) => {
    waiting.push(callback);
    if (waiting.length === 1) channel.port2.postMessage(null);
  };
}
