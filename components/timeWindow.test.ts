import { describe, expect, it } from 'vitest';
import { describeDistance, describeTimeWindow, formatDate, timeWindow } from './timeWindow';

describe('timeWindow', () => {
  const since = '2021-01-08';
  const until = '2022-11-19';
  it.each([
    // post time, since, until, sentence
    ['2021-01-06T18:00:00Z', since, until, 'Posted 1 day before this applied (from 8 January 2021).'],
    ['2021-01-06T00:00:00Z', since, until, 'Posted 2 days before this applied (from 8 January 2021).'],
    ['2021-01-07T22:30:00Z', since, until, 'Posted 1 hour before this applied (from 8 January 2021).'],
    [
      '2021-01-07T23:30:00Z',
      since,
      until,
      'Posted less than an hour before this applied (from 8 January 2021).',
    ],
    ['2020-10-01T12:00:00Z', since, until, 'Posted 3 months before this applied (from 8 January 2021).'],
    ['2016-11-08T12:00:00Z', since, until, 'Posted 4 years before this applied (from 8 January 2021).'],
    ['2021-01-08T00:00:00Z', since, until, 'Posted while this applied (8 January 2021 – 19 November 2022).'],
    ['2022-11-19T23:59:00Z', since, until, 'Posted while this applied (8 January 2021 – 19 November 2022).'],
    ['2022-11-20T00:00:00Z', since, until, 'Posted less than an hour after this ended (19 November 2022).'],
    ['2023-02-25T12:00:00Z', since, until, 'Posted 3 months after this ended (19 November 2022).'],
    ['2025-01-01T00:00:00Z', since, undefined, 'Posted while this applied (since 8 January 2021).'],
    ['2020-01-01T00:00:00Z', undefined, until, 'Posted while this applied (until 19 November 2022).'],
    ['2024-01-01T00:00:00Z', undefined, until, 'Posted 1 year after this ended (19 November 2022).'],
    [
      '2021-03-01T10:00:00Z',
      '2021-03-01T12:00:00Z',
      undefined,
      'Posted 2 hours before this applied (from 1 March 2021).',
    ],
  ])('post %s, period %s – %s: %s', (post, from, to, sentence) => {
    const window = timeWindow(post, from, to);
    expect(window).not.toBeNull();
    expect(describeTimeWindow(window as NonNullable<typeof window>)).toBe(sentence);
  });

  it('says nothing without the post date or without a period', () => {
    expect(timeWindow(undefined, since, until)).toBeNull();
    expect(timeWindow('2021-01-01T00:00:00Z', undefined, undefined)).toBeNull();
    expect(timeWindow('not a date', since, until)).toBeNull();
    expect(timeWindow('2021-01-01T00:00:00Z', 'garbage', undefined)).toBeNull();
  });

  it('gives structured relations', () => {
    expect(timeWindow('2021-01-06T00:00:00Z', since, until)).toEqual({
      relation: 'before',
      distance: '2 days',
      since,
    });
    expect(timeWindow('2022-01-01T00:00:00Z', since, until)).toEqual({ relation: 'during', since, until });
  });
});

describe('describeDistance', () => {
  it.each([
    [59 * 60_000, 'less than an hour'],
    [60 * 60_000, '1 hour'],
    [23 * 3_600_000, '23 hours'],
    [24 * 3_600_000, '1 day'],
    [30 * 86_400_000, '30 days'],
    [31 * 86_400_000, '1 month'],
    [364 * 86_400_000, '11 months'],
    [366 * 86_400_000, '1 year'],
    [-2 * 86_400_000, '2 days'],
  ])('%i ms is %s', (ms, text) => {
    expect(describeDistance(ms)).toBe(text);
  });
});

describe('formatDate', () => {
  it('formats dates and date-times in UTC and leaves other text alone', () => {
    expect(formatDate('2021-01-08')).toBe('8 January 2021');
    expect(formatDate('2022-11-19T23:30:00-05:00')).toBe('20 November 2022');
    expect(formatDate('soon')).toBe('soon');
  });
});
