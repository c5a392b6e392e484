import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optimalPartition, type SegmentCost } from './segment.js';
import { chiSquared1Tail, erfc, median, normalQuantile, normalScores } from './stats.js';

/** Sum of squared deviations from the segment mean: the Gaussian mean-change cost. */
function squaredError(values: readonly number[]): SegmentCost {
  const s1 = [0];
  const s2 = [0];
  for (const v of values) {
    s1.push((s1[s1.length - 1] as number) + v);
    s2.push((s2[s2.length - 1] as number) + v * v);
  }
  return (a, b) => {
    const m = b - a;
    const sum = (s1[b] as number) - (s1[a] as number);
    return Math.max(0, (s2[b] as number) - (s2[a] as number) - (sum * sum) / m);
  };
}

/** Exhaustive search over all segmentations: the reference for small inputs. */
function bruteForce(n: number, cost: SegmentCost, penalty: number, minSize: number): number {
  const best = (start: number): number => {
    let min = n - start >= minSize ? cost(start, n) : Number.POSITIVE_INFINITY;
    for (let t = start + minSize; t + minSize <= n; t++) {
      min = Math.min(min, cost(start, t) + penalty + best(t));
    }
    return min;
  };
  return best(0);
}

function total(n: number, cost: SegmentCost, penalty: number, points: number[]): number {
  const bounds = [0, ...points, n];
  let sum = penalty * points.length;
  for (let i = 0; i + 1 < bounds.length; i++)
    sum += cost(bounds[i] as number, bounds[i + 1] as number);
  return sum;
}

describe('optimalPartition', () => {
  it('finds obvious level shifts', () => {
    const values = [0, 0, 0, 0, 5, 5, 5, 5, 1, 1, 1, 1];
    expect(optimalPartition(values.length, squaredError(values), 1, 2)).toEqual([4, 8]);
  });

  it('returns no change when splitting does not pay the penalty', () => {
    const values = [0, 1, 0, 1, 0, 1];
    expect(optimalPartition(values.length, squaredError(values), 10, 1)).toEqual([]);
  });

  it('returns no change for series too short to split', () => {
    expect(optimalPartition(3, () => 0, 0, 2)).toEqual([]);
    expect(optimalPartition(0, () => 0, 0, 1)).toEqual([]);
  });

  it('is exact: PELT pruning finds the optimum of exhaustive search', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 11 }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        fc.integer({ min: 1, max: 3 }),
        (values, penalty, minSize) => {
          const cost = squaredError(values);
          const n = values.length;
          const points = optimalPartition(n, cost, penalty, minSize);
          if (n < 2 * minSize) {
            expect(points).toEqual([]);
            return;
          }
          expect(total(n, cost, penalty, points)).toBeCloseTo(
            bruteForce(n, cost, penalty, minSize),
            9,
          );
          const bounds = [0, ...points, n];
          for (let i = 0; i + 1 < bounds.length; i++) {
            expect((bounds[i + 1] as number) - (bounds[i] as number)).toBeGreaterThanOrEqual(
              minSize,
            );
          }
        },
      ),
    );
  });
});

describe('statistics helpers', () => {
  it('normal quantiles', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 8);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('chi-squared tail with one degree of freedom', () => {
    expect(chiSquared1Tail(3.841458820694124)).toBeCloseTo(0.05, 6);
    expect(chiSquared1Tail(4)).toBeCloseTo(0.04550026389635844, 6);
    expect(chiSquared1Tail(0)).toBe(1);
    expect(chiSquared1Tail(Number.NaN)).toBe(1);
    expect(chiSquared1Tail(1e6)).toBe(0);
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(-1) + erfc(1)).toBeCloseTo(2, 7);
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('normal scores share ranks on ties, skip missing values, have unit mean square', () => {
    const z = normalScores([3, null, 1, 3, 2]);
    expect(z[1]).toBeNull();
    expect(z[0]).toBe(z[3]);
    expect(z[2] as number).toBeLessThan(z[4] as number);
    expect(z[4] as number).toBeLessThan(z[0] as number);
    const present = z.filter((v): v is number => v !== null);
    const meanSquare = present.reduce((s, v) => s + v * v, 0) / present.length;
    expect(meanSquare).toBeCloseTo(1, 12);
    expect(normalScores([5, 5, 5])).toEqual([0, 0, 0]);
  });
});
