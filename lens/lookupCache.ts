/**
 * The tab's memory of what the background said: key → the labels that match it (empty when none).
 * Only keys never asked before in this tab are sent, all of a batch in one message; a key already
 * on its way is waited for, not asked again. The feed itself never enters the tab.
 *
 * With the page index (lens/keyIndex.ts) a key is answered at once from it instead: no labels, or
 * `brief` labels (feed and definition, no evidence) that badges are drawn from. The evidence of a
 * key it gave labels for is asked only when something needs it (`completeBrief`: a details panel
 * opened, a post beside an account with a one-label exception): each answer completes its brief
 * labels in place (every badge drawn from them shows the evidence, nothing on the page is
 * redrawn), or replaces them when the two disagree, which the lens then redraws.
 */
import type { MatchedLabel } from '../messaging/protocol';
import type { KeyIndex } from './keyIndex';

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
  private index: KeyIndex | null = null;
  /** Keys answered from the index with labels, whose evidence is still to be asked for. */
  private readonly brief = new Set<string>();

  constructor(
    private readonly ask: AskLabels,
    private readonly now: () => number = Date.now,
  ) {}

  /** Answers keys from this index from now on (null: ask for every key again). */
  setIndex(index: KeyIndex | null): void {
    this.index = index;
  }

  /** Whether keys not yet known are answered from the page index now. */
  indexed(): boolean {
    return this.index?.usable(this.now()) === true;
  }

  /** The page index when it answers now and knows every labelled key's word (lens/quiet.ts), else null. */
  wordIndex(): KeyIndex | null {
    return this.indexed() && this.index?.knowsWords ? this.index : null;
  }

  /**
   * Whether every key has an answer; with the page index (unless `fromIndex` is false), keys it
   * can answer are answered from it here (not those it says to ask the background for).
   */
  answers(keys: Iterable<string>, fromIndex = true): boolean {
    const index = fromIndex && this.indexed() ? this.index : null;
    for (const key of keys) {
      if (this.known.has(key)) continue;
      if (!index || this.inFlight.has(key)) return false;
      const labels = index.labels(key, this.now());
      if (!labels) return false;
      this.known.set(key, labels);
      if (labels.length > 0) this.brief.add(key);
    }
    return true;
  }

  /**
   * Asks for the evidence of the labels the index gave for `wanted` (keys not brief, or already
   * asked, are skipped); resolves to the keys whose labels were replaced rather than completed
   * (their posts must be drawn again), or null when the background did not answer (they can be
   * asked again).
   */
  async completeBrief(wanted: Iterable<string>): Promise<Set<string> | null> {
    const keys: string[] = [];
    for (const key of wanted) if (this.brief.delete(key)) keys.push(key);
    if (keys.length === 0) return new Set();
    const generation = this.generation;
    const changed = new Set<string>();
    const answers: Promise<void>[] = [];
    for (let start = 0; start < keys.length; start += MAX_KEYS_PER_MESSAGE) {
      answers.push(
        this.askFor(keys.slice(start, start + MAX_KEYS_PER_MESSAGE), (key, full) => {
          const shown = this.known.get(key);
          if (shown && complete(shown, full)) return;
          this.known.set(key, full);
          changed.add(key);
        }),
      );
    }
    const results = await Promise.allSettled(answers);
    if (results.some((result) => result.status === 'rejected')) {
      if (generation === this.generation)
        for (const key of keys) if (this.known.get(key)?.some(isBrief)) this.brief.add(key);
      return null;
    }
    return changed;
  }

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

  /** Asks for keys in one message and hands each its labels, unless clear() came in between. */
  private askFor(keys: string[], take: (key: string, labels: MatchedLabel[]) => void): Promise<void> {
    const generation = this.generation;
    return this.ask(keys).then((labels) => {
      if (generation !== this.generation) return;
      const byKey = new Map<string, MatchedLabel[]>(keys.map((key) => [key, []]));
      for (const label of labels) byKey.get(label.asked ?? label.key)?.push(label);
      for (const [key, found] of byKey) take(key, found);
    });
  }

  private send(keys: string[]): Promise<void> {
    const request = this.askFor(keys, (key, matched) => this.known.set(key, matched));
    const settled = request.finally(() => {
      for (const key of keys) if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    });
    for (const key of keys) this.inFlight.set(key, settled);
    return settled;
  }

  /** Forgets every answer and the index (the feeds changed): the next look-ups ask again. */
  clear(): void {
    this.generation++;
    this.known.clear();
    this.inFlight.clear();
    this.brief.clear();
    this.index = null;
  }
}

function isBrief(label: MatchedLabel): boolean {
  return label.brief === true;
}

/** What a brief label and a full one are both drawn from. */
function drawnAs(label: MatchedLabel): string {
  return [label.feedId, label.definition.id, label.key, label.asked ?? '', label.stale].join('\n');
}

/**
 * Completes `shown` (brief labels from the index) with `full`'s evidence in place when both say the
 * same labels (in any order); false, leaving `shown` alone, when they differ.
 */
function complete(shown: MatchedLabel[], full: readonly MatchedLabel[]): boolean {
  if (shown.length !== full.length) return false;
  if (!shown.some(isBrief)) return false;
  const unused = [...full];
  const pairs: [MatchedLabel, MatchedLabel][] = [];
  for (const label of shown) {
    const at = unused.findIndex((f) => drawnAs(f) === drawnAs(label));
    if (at < 0) return false;
    pairs.push([label, unused[at] as MatchedLabel]);
    unused.splice(at, 1);
  }
  for (const [label, evidence] of pairs) {
    delete label.brief;
    Object.assign(label, evidence);
  }
  return true;
}
