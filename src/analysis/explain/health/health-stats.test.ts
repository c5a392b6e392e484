import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normal, seededRandom } from '../../series/testing.js';
import {
  effectiveSize,
  lag1Autocorrelation,
  median,
  pooledTheilSen,
  quantile,
  slopeZ,
  spread,
  thin,
} from './health-stats.js';

describe('pooledTheilSen', () => {
  it('is the median of the pairwise slopes within each segment (quickselect = sorting)', () => {
    const segment = fc
      .array(fc.integer({ min: -50, max: 50 }), { minLength: 0, maxLength: 25 })
      .map((values) => ({ times: values.map((_, i) => i * 10), values }));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), (segments) => {
        const slopes: number[] = [];
        for (const { times, values } of segments)
          for (let i = 0; i < values.length; i++)
            for (let j = i + 1; j < values.length; j++)
              slopes.push(
                ((values[j] as number) - (values[i] as number)) /
                  ((times[j] as number) - (times[i] as number)),
              );
        expect(pooledTheilSen(segments)).toBeCloseTo(slopes.length ? median(slopes) : 0, 12);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('ignores a quarter of wild readings', () => {
    const times = Array.from({ length: 40 }, (_, i) => i);
    const values = times.map((t, i) => (i % 4 === 0 ? 1000 : 2 * t));
    expect(pooledTheilSen([{ times, values }])).toBeCloseTo(2, 6);
  });
});

describe('noise measures', () => {
  it('lag-1 autocorrelation: near 0 for white noise, near rho for AR(1), clamped to 0.95', () => {
    const random = seededRandom(1);
    const white = Array.from({ length: 2000 }, () => normal(random));
    expect(lag1Autocorrelation(white)).toBeLessThan(0.05);
    let x = 0;
    const ar = Array.from({ length: 2000 }, () => (x = 0.7 * x + normal(random)));
    expect(lag1Autocorrelation(ar)).toBeCloseTo(0.7, 1);
    expect(lag1Autocorrelation(Array.from({ length: 50 }, (_, i) => i))).toBe(0.95);
    expect(lag1Autocorrelation([1, 1, 1, 1])).toBe(0);
  });

  it('effective size shrinks with autocorrelation, never below one reading', () => {
    expect(effectiveSize(100, 0)).toBe(100);
    expect(effectiveSize(100, 0.9)).toBeCloseTo(100 / 19, 6);
    expect(effectiveSize(3, 0.95)).toBe(1);
  });

  it('spread is about the standard deviation for normal data and shrugs off one wild reading', () => {
    const random = seededRandom(2);
    const values = Array.from({ length: 500 }, () => 3 * normal(random));
    expect(spread(values)).toBeGreaterThan(2.5);
    expect(spread(values)).toBeLessThan(3.3);
    expect(spread([...values, 1e9])).toBeLessThan(3.3);
  });

  it('slopeZ: large for a clean line, small for a random walk of the same length', () => {
    const times = Array.from({ length: 60 }, (_, i) => i * 60_000);
    const random = seededRandom(3);
    const line = times.map((t) => t / 60_000 + 0.3 * normal(random));
    expect(
      slopeZ([{ times, values: line }], pooledTheilSen([{ times, values: line }])).z,
    ).toBeGreaterThan(10);
    let walk = 0;
    const walks = times.map(() => (walk += normal(random)));
    expect(
      Math.abs(slopeZ([{ times, values: walks }], pooledTheilSen([{ times, values: walks }])).z),
    ).toBeLessThan(4);
    // A short window may borrow a longer stretch's autocorrelation: a larger standard error.
    const borrowed = slopeZ([{ times, values: line }], 1 / 60_000, 0.9);
    expect(borrowed.rho).toBe(0.9);
  });

  it('quantile and thin', () => {
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(thin([1, 2, 3, 4, 5], 3)).toEqual([1, 3, 5]);
    expect(thin([1, 2], 5)).toEqual([1, 2]);
  });
});
