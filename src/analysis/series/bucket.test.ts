import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketCount,
  CountSeries,
  chooseBucketMs,
  MAX_BUCKETS,
  NICE_BUCKETS_MS,
} from './bucket.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('chooseBucketMs', () => {
  it.each([
    [30 * SECOND, SECOND], // too short for 60 buckets: the finest size
    [10 * MINUTE, 5 * SECOND], // 120 buckets
    [HOUR, 10 * SECOND], // 360
    [6 * HOUR, MINUTE], // 360
    [DAY, 5 * MINUTE], // 288
    [2 * DAY, 10 * MINUTE], // 288
    [7 * DAY, 30 * MINUTE], // 336
    [30 * DAY, 6 * HOUR], // 120
    [365 * DAY, DAY], // 365
    [3 * 365 * DAY, 3 * DAY], // beyond 500 days: whole days
  ])('cuts a span of %d ms into buckets of %d ms', (span, size) => {
    expect(chooseBucketMs(span)).toBe(size);
  });

  it('falls back to 1 s for empty or invalid spans', () => {
    for (const span of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(chooseBucketMs(span)).toBe(SECOND);
    }
  });

  it('gives roughly 60-500 buckets for any span from a minute to 500 days', () => {
    fc.assert(
      fc.property(fc.integer({ min: MINUTE, max: 500 * DAY }), (span) => {
        const size = chooseBucketMs(span);
        expect(NICE_BUCKETS_MS).toContain(size);
        const buckets = span / size;
        expect(buckets).toBeLessThanOrEqual(MAX_BUCKETS);
        expect(buckets).toBeGreaterThanOrEqual(60);
      }),
    );
  });
});

describe('bucketCount', () => {
  it('counts the buckets touched by a span, ends included', () => {
    expect(bucketCount(0, 0, 10)).toBe(1);
    expect(bucketCount(5, 25, 10)).toBe(3);
    expect(bucketCount(0, DAY - 1, 5 * MINUTE)).toBe(288);
    expect(bucketCount(10, 5, 10)).toBe(0);
    expect(bucketCount(0, 10, 0)).toBe(0);
  });
});

describe('CountSeries', () => {
  it('counts events per bucket, dense, aligned on bucket boundaries', () => {
    const s = new CountSeries({ bucketMs: MINUTE });
    const t0 = Date.UTC(2026, 2, 14, 15, 0, 30);
    s.add(t0);
    s.add(t0 + 10 * SECOND, 2);
    s.add(t0 + 3 * MINUTE);
    expect(s.startMs).toBe(Date.UTC(2026, 2, 14, 15, 0));
    expect(s.counts()).toEqual([3, 0, 0, 1]);
    expect(s.total()).toBe(4);
    expect(s.indexOf(t0 + 3 * MINUTE)).toBe(3);
    expect(s.bucketStart(3)).toBe(Date.UTC(2026, 2, 14, 15, 3));
  });

  it('grows backwards for an earlier event when no start was fixed', () => {
    const s = new CountSeries({ bucketMs: 10 });
    s.add(100);
    s.add(75);
    expect(s.startMs).toBe(70);
    expect(s.counts()).toEqual([1, 0, 0, 1]);
  });

  it('drops events before a fixed start, and pads or cuts to a length', () => {
    const s = new CountSeries({ bucketMs: 10, startMs: 105 });
    expect(s.add(99)).toBe(false);
    expect(s.add(100)).toBe(true);
    expect(s.add(125)).toBe(true);
    expect(s.dropped).toBe(1);
    expect(s.counts()).toEqual([1, 0, 1]);
    expect(s.counts(5)).toEqual([1, 0, 1, 0, 0]);
    expect(s.counts(1)).toEqual([1]);
  });

  it('bounds memory: events beyond maxBuckets are dropped and counted', () => {
    const s = new CountSeries({ bucketMs: 1, maxBuckets: 100 });
    expect(s.add(0)).toBe(true);
    expect(s.add(99)).toBe(true);
    expect(s.add(100, 3)).toBe(false);
    expect(s.add(-1)).toBe(false);
    expect(s.add(Number.NaN)).toBe(false);
    expect(s.length).toBe(100);
    expect(s.dropped).toBe(5);
    expect(s.counts(1e9)).toHaveLength(100);
  });

  it('ignores zero and invalid amounts', () => {
    const s = new CountSeries({ bucketMs: 1000 });
    expect(s.add(0, 0)).toBe(true);
    expect(s.add(0, -2)).toBe(false);
    expect(s.add(0, Number.NaN)).toBe(false);
    expect(s.total()).toBe(0);
  });

  it('forSpan chooses the bucket size for the span', () => {
    const start = Date.UTC(2026, 0, 1);
    const s = CountSeries.forSpan(start, start + DAY);
    expect(s.bucketMs).toBe(5 * MINUTE);
    expect(s.startMs).toBe(start);
  });

  it('rejects a bucket size below 1 ms', () => {
    expect(() => new CountSeries({ bucketMs: 0 })).toThrow(RangeError);
  });

  it('never holds more than maxBuckets and keeps every event counted or dropped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 1, max: 5 })), {
          maxLength: 200,
        }),
        fc.integer({ min: 1, max: 50 }),
        (events, maxBuckets) => {
          const s = new CountSeries({ bucketMs: 1000, maxBuckets });
          let sum = 0;
          for (const [t, n] of events) {
            s.add(t, n);
            sum += n;
          }
          expect(s.length).toBeLessThanOrEqual(maxBuckets);
          expect(s.total() + s.dropped).toBe(sum);
        },
      ),
    );
  });
});
