/**
 * The tab's memory of what the background said: key → the labels that match it (empty when none).
 * Only keys never asked before in this tab are sent, all of a batch in one message; a key already
 * on its way is waited for, not asked again. The feed itself never enters the tab.
 */
import type { MatchedLabel } from '../messaging/protocol';

export type AskLabels = (keys: string[]) => Promise<MatchedLabel[]>;

/**
 * Keys in one `lookup` message at most; a larger batch is split. Well under the background's own
 * cap (sync/lookup.ts MAX_LOOKUP_KEYS), which answers only that many keys of a message.
 */
export const MAX_KEYS_PER_MESSAGE = 500;

export class LookupCache {
  private readonly known = new Map<string, MatchedLabel[]>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Bumped by clear(): answers to questions asked before it are dropped. */
  private generation = 0;

  constructor(private readonly ask: AskLabels) {}

  /** The labels for a key, or undefined when the background has not answered for it yet. */
  get(key: string): readonly MatchedLabel[] | undefined {
    return this.known.get(key);
  }

  /** Whether every key has an answer. */
  knows(keys: Iterable<string>): boolean {
    for (const key of keys) if (!this.known.has(key)) return false;
    return true;
  }

  /**
   * Asks, in one message (or a few, for more than MAX_KEYS_PER_MESSAGE), for the keys neither known
   * nor on their way; resolves when every key
   * given has an answer. Resolves to false when the background failed to answer (those keys may be
   * asked again later).
   */
  async fetch(keys: Iterable<string>): Promise<boolean> {
    const toAsk: string[] = [];
    const waits = new Set<Promise<void>>();
    for (const key of new Set(keys)) {
      if (this.known.has(key)) continue;
      const pending = this.inFlight.get(key);
      if (pending) waits.add(pending);
      else toAsk.push(key);
    }
    for (let start = 0; start < toAsk.length; start += MAX_KEYS_PER_MESSAGE) {
      waits.add(this.send(toAsk.slice(start, start + MAX_KEYS_PER_MESSAGE)));
    }
    if (waits.size === 0) return true;
    const results = await Promise.allSettled(waits);
    return results.every((result) => result.status === 'fulfilled');
  }

  private send(keys: string[]): Promise<void> {
    const generation = this.generation;
    const request = this.ask(keys).then((labels) => {
      if (generation !== this.generation) return;
      const byKey = new Map<string, MatchedLabel[]>(keys.map((key) => [key, []]));
      for (const label of labels) byKey.get(label.asked ?? label.key)?.push(label);
      for (const [key, matched] of byKey) this.known.set(key, matched);
    });
    const settled = request.finally(() => {
      for (const key of keys) if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    });
    for (const key of keys) this.inFlight.set(key, settled);
    return settled;
  }

  /** Forgets every answer (the feeds changed): the next look-ups ask again. */
  clear(): void {
    this.generation++;
    this.known.clear();
    this.inFlight.clear();
  }
}
