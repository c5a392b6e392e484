import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../series/testing.js';
import { ErrorBurstCollector, findErrorBursts } from './cron-bursts.js';

const T0 = Date.UTC(2026, 2, 10, 12);
const SECOND = 1000;

const sorted = (p: { resolutionMs: number; buckets: [number, number][] }) => ({
  resolutionMs: p.resolutionMs,
  buckets: [...p.buckets].sort((a, b) => a[0] - b[0]),
});

describe('ErrorBurstCollector', () => {
  it('merges per-thread collectors into what one collector holds, whatever the split (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 * 86_400_000 }), { maxLength: 400 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 20, max: 200 }),
        (offsets, parts, maxBuckets) => {
          const whole = new ErrorBurstCollector(maxBuckets);
          const pieces = Array.from({ length: parts }, () => new ErrorBurstCollector(maxBuckets));
          for (const [i, offset] of offsets.entries()) {
            whole.add(T0 + offset);
            pieces[i % parts]?.add(T0 + offset);
          }
          const merged = new ErrorBurstCollector(maxBuckets);
          for (const piece of pieces) merged.merge(structuredClone(piece.partial()));
          expect(sorted(merged.partial())).toEqual(sorted(whole.partial()));
          expect(merged.partial().buckets.length).toBeLessThanOrEqual(maxBuckets);
        },
      ),
      { seed: 5, numRuns: 150 },
    );
  });

  it('keeps memory bounded: a month of errors every second coarsens to fit', () => {
    const collector = new ErrorBurstCollector(50_000);
    for (let t = 0; t < 30 * 86_400; t += 7) collector.add(T0 + t * SECOND);
    const partial = collector.partial();
    expect(partial.buckets.length).toBeLessThanOrEqual(50_000);
    expect(partial.resolutionMs).toBe(60 * SECOND);
    expect(partial.buckets.reduce((sum, [, n]) => sum + n, 0)).toBe(Math.ceil((30 * 86_400) / 7));
  });

  it('ignores times that are not numbers', () => {
    const collector = new ErrorBurstCollector();
    collector.add(Number.NaN);
    collector.add(Number.POSITIVE_INFINITY);
    expect(collector.partial().buckets).toEqual([]);
  });
});

describe('findErrorBursts', () => {
  it('makes one burst of a storm and one of each lone error on a quiet background', () => {
    const collector = new ErrorBurstCollector();
    for (let k = 0; k < 30; k++) collector.add(T0 + 20 * SECOND + k * 1500); // 45 s of errors
    collector.add(T0 + 10 * 60 * SECOND + 400);
    collector.add(T0 + 30 * 60 * SECOND);
    const bursts = collector.bursts();
    expect(Array.from(bursts.starts)).toEqual([
      T0 + 20 * SECOND,
      T0 + 600 * SECOND,
      T0 + 1800 * SECOND,
    ]);
    expect(Array.from(bursts.sizes)).toEqual([30, 1, 1]);
  });

  it('keeps a quiet bucket inside a burst but splits at two', () => {
    const at = (...seconds: number[]) =>
      findErrorBursts({ resolutionMs: SECOND, buckets: seconds.map((s) => [T0 / SECOND + s, 1]) });
    expect(at(0, 15).starts.length).toBe(1);
    expect(at(0, 25).starts.length).toBe(1);
    expect(at(0, 35).starts.length).toBe(2);
  });

  it('finds spikes on a busy background instead of one endless burst', () => {
    const random = seededRandom(3);
    const collector = new ErrorBurstCollector();
    // About 3 errors per 10 s all hour long, and a spike of 40 errors at 15:00 and 45:00.
    for (let s = 0; s < 3600; s++) if (random() < 0.3) collector.add(T0 + s * SECOND);
    for (const minute of [15, 45])
      for (let k = 0; k < 40; k++) collector.add(T0 + minute * 60 * SECOND + 3 * SECOND + k * 100);
    const starts = Array.from(collector.bursts().starts, (t) => (t - T0) / SECOND);
    expect(starts.length).toBeLessThan(10);
    expect(starts.some((s) => s >= 900 && s < 910)).toBe(true);
    expect(starts.some((s) => s >= 2700 && s < 2710)).toBe(true);
  });
});
