import { describe, expect, it } from 'vitest';
import { createFrameScheduler } from './scheduler';

function harness(budgetMs: number, costMs: number) {
  const frames: (() => void)[] = [];
  let clock = 0;
  const done: number[] = [];
  let flushes = 0;
  const scheduler = createFrameScheduler<number>({
    requestFrame: (cb) => frames.push(cb),
    now: () => clock,
    budgetMs,
    work: (item) => {
      clock += costMs;
      done.push(item);
    },
    flush: () => {
      flushes++;
    },
  });
  const runFrame = () => {
    const frame = frames.shift();
    if (!frame) throw new Error('no frame requested');
    frame();
  };
  return { scheduler, frames, done, runFrame, flushes: () => flushes };
}

describe('createFrameScheduler', () => {
  it('does nothing until the next frame, then works through the queue and flushes once', () => {
    const h = harness(4, 0.1);
    h.scheduler.push(1);
    h.scheduler.push(2);
    expect(h.frames).toHaveLength(1);
    expect(h.done).toEqual([]);
    h.runFrame();
    expect(h.done).toEqual([1, 2]);
    expect(h.flushes()).toBe(1);
    expect(h.frames).toHaveLength(0);
  });

  it('stops at the time budget and continues in the next frame', () => {
    const h = harness(4, 1);
    for (let i = 0; i < 10; i++) h.scheduler.push(i);
    h.runFrame();
    expect(h.done).toEqual([0, 1, 2, 3]);
    expect(h.scheduler.pending).toBe(6);
    expect(h.flushes()).toBe(1);
    expect(h.frames).toHaveLength(1);
    h.runFrame();
    h.runFrame();
    expect(h.done).toHaveLength(10);
    expect(h.scheduler.pending).toBe(0);
    expect(h.flushes()).toBe(3);
    expect(h.frames).toHaveLength(0);
  });

  it('goes on with the other items when one fails, and still flushes', () => {
    const errors: unknown[] = [];
    const frames: (() => void)[] = [];
    const done: number[] = [];
    let flushed = 0;
    const scheduler = createFrameScheduler<number>({
      requestFrame: (cb) => frames.push(cb),
      now: () => 0,
      budgetMs: 4,
      work: (item) => {
        if (item === 2) throw new Error('unreadable post');
        done.push(item);
      },
      flush: () => {
        flushed++;
      },
      onError: (error) => errors.push(error),
    });
    for (const item of [1, 2, 3]) scheduler.push(item);
    frames.shift()?.();
    expect(done).toEqual([1, 3]);
    expect(flushed).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('does new work in the next task when it can, and what exceeds the budget in frames', () => {
    const frames: (() => void)[] = [];
    const tasks: (() => void)[] = [];
    let clock = 0;
    const done: number[] = [];
    const scheduler = createFrameScheduler<number>({
      requestFrame: (cb) => frames.push(cb),
      requestSoon: (cb) => tasks.push(cb),
      now: () => clock,
      budgetMs: 4,
      work: (item) => {
        clock += 1;
        done.push(item);
      },
      flush: () => undefined,
    });
    for (let i = 0; i < 6; i++) scheduler.push(i);
    expect(tasks).toHaveLength(1);
    expect(frames).toHaveLength(0);
    tasks.shift()?.();
    expect(done).toEqual([0, 1, 2, 3]);
    // The rest waits for a frame, not another task: a backlog never takes more than the budget a frame.
    expect(tasks).toHaveLength(0);
    expect(frames).toHaveLength(1);
    scheduler.push(6);
    expect(tasks).toHaveLength(0);
    frames.shift()?.();
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6]);
    scheduler.push(7);
    expect(tasks).toHaveLength(1);
  });

  it('drops queued work on clear', () => {
    const h = harness(4, 1);
    h.scheduler.push(1);
    h.scheduler.clear();
    h.runFrame();
    expect(h.done).toEqual([]);
  });
});
