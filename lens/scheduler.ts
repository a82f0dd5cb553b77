/**
 * Work in frames: items are queued (cheaply, from a MutationObserver) and handled in the next
 * animation frame for at most `budgetMs`; the rest waits for the following frame. After each
 * frame's work `flush` runs once (one lookup message per batch). One item failing never stops the
 * others. Pure: the frame source and the
 * clock are given, so tests drive it by hand.
 */

export interface FrameSchedulerOptions<T> {
  requestFrame(callback: () => void): void;
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
    if (head < queue.length) request();
  };

  const request = (): void => {
    if (requested) return;
    requested = true;
    options.requestFrame(frame);
  };

  return {
    push(item) {
      queue.push(item);
      request();
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
