import { describe, expect, it } from 'vitest';
import {
  type CpuProfile,
  chargeAllocations,
  chargeProfile,
  describeLongTasks,
  extensionMs,
  extensionMsOverTime,
  type HeapProfileNode,
  longTaskDetails,
  longTasksWithExtension,
  MARKER_FUNCTION,
  msByKind,
  percentile,
} from './profile';

const EXT = 'chrome-extension://abcdefghijklmnop/content-scripts/content.js';

// root → page function (page URL) → extension callback (content.js) → anonymous native (no URL)
//      → (garbage collector); root → marker
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 5, 6] },
    { id: 2, callFrame: { functionName: 'append', url: 'https://x.com/home' }, children: [3] },
    { id: 3, callFrame: { functionName: 'observe', url: EXT }, children: [4] },
    { id: 4, callFrame: { functionName: 'querySelectorAll', url: '' } },
    { id: 5, callFrame: { functionName: '(garbage collector)', url: '' } },
    { id: 6, callFrame: { functionName: MARKER_FUNCTION, url: '' } },
  ],
  startTime: 1_000_000,
  endTime: 1_010_000,
  samples: [6, 2, 3, 4, 5, 2],
  // µs since the previous sample: the marker at 1,001,000, then one sample every 1,000 µs.
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
};

describe('a profile by what its samples were spent on', () => {
  it('names the script of the nearest frame with a URL, else V8’s own node', () => {
    const withIdle: CpuProfile = {
      ...profile,
      nodes: [
        ...profile.nodes.map((n) => (n.id === 1 ? { ...n, children: [2, 5, 6, 7] } : n)),
        { id: 7, callFrame: { functionName: '(idle)', url: '' } },
      ],
      samples: [6, 2, 3, 4, 5, 7],
    };
    // Samples of 1 ms each, the last until the profile's end (4 ms).
    expect(msByKind(withIdle)).toEqual({
      extension: 2,
      'page script': 1,
      'garbage collection': 1,
      'no script': 1,
      idle: 4,
    });
  });
});

describe('charging a CPU profile to the extension', () => {
  it('charges samples whose nearest frame with a URL is chrome-extension://, on the page clock', () => {
    // The marker ran at page time 500 ms; its sample is at profile time 1,001 ms.
    const charged = chargeProfile(profile, 500);
    expect(charged.markerFound).toBe(true);
    expect(charged.samples.map((s) => s.extension)).toEqual([false, false, true, true, false, false]);
    expect(charged.samples.map((s) => s.at)).toEqual([500, 501, 502, 503, 504, 505]);
    // The last sample lasts until the profile's end (1,010 ms − 1,006 ms).
    expect(charged.samples.map((s) => s.ms)).toEqual([1, 1, 1, 1, 1, 4]);
    expect(extensionMs(charged)).toBe(2);
    expect(extensionMs(charged, 503)).toBe(1);
    expect(longTasksWithExtension(charged, [[501.5, 60]])).toBe(1);
    expect(longTasksWithExtension(charged, [[504, 60]])).toBe(0);
    expect(longTasksWithExtension(charged, [[501.5, 40]])).toBe(0);
  });

  it('tells what of the extension ran in each long task', () => {
    const charged = chargeProfile(profile, 500);
    const details = longTaskDetails(profile, charged, [
      [501.5, 60],
      [504, 60],
    ]);
    expect(details).toEqual([
      {
        start: 501.5,
        duration: 60,
        extMs: 2,
        top: [
          ['observe', 1],
          ['querySelectorAll', 1],
        ],
      },
    ]);
    expect(describeLongTasks(details)).toBe(
      ' [at 502 ms, 60 ms, extension 2 ms: observe 1, querySelectorAll 1]',
    );
  });

  it('splits the extension’s milliseconds into windows of page time from its first sample', () => {
    // Extension samples at page times 502 and 503 (1 ms each), then one at 508 (4 ms, to the end).
    const later: CpuProfile = {
      ...profile,
      samples: [6, 2, 3, 4, 5, 2, 5, 5, 3],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
      endTime: 1_013_000,
    };
    const charged = chargeProfile(later, 500);
    expect(extensionMsOverTime(charged, 2)).toEqual([2, 0, 0, 4]);
    expect(extensionMsOverTime(charged, 4)).toEqual([2, 4]);
    expect(extensionMsOverTime(charged, 10)).toEqual([6]);
  });

  it('says when the marker is missing', () => {
    expect(chargeProfile({ ...profile, samples: [2, 3] }, 500).markerFound).toBe(false);
  });

  it('takes percentiles by nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
    expect(percentile([], 95)).toBeNaN();
  });
});

describe('charging a sampling heap profile to the extension', () => {
  const node = (functionName: string, url: string, selfSize: number, children: HeapProfileNode[] = []) => ({
    callFrame: { functionName, url, lineNumber: 9 },
    selfSize,
    children,
  });

  it('charges bytes whose nearest frame with a URL is chrome-extension://, natives by their caller', () => {
    // root → page batch (page URL) → extension readPost → native Set (no URL) → page callback again.
    const head = node('(root)', '', 0, [
      node('batch', 'https://x.com/home', 300, [
        node('readPost', EXT, 200, [
          node('Set', '', 50),
          node('toLowerCase', '', 0),
          node('pageCallback', 'https://x.com/home', 7),
        ]),
      ]),
      node('(idle)', '', 5),
    ]);
    const charged = chargeAllocations(head);
    expect(charged.total).toBe(562);
    expect(charged.extension).toBe(250);
    expect([...charged.byFunction]).toEqual([
      ['readPost content-scripts/content.js:10', 200],
      ['Set (native, from readPost content-scripts/content.js:10)', 50],
    ]);
  });
});
