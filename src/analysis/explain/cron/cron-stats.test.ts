import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chernoffUpperTail,
  holmAdjust,
  poissonBinomialUpperTail,
  poissonThreshold,
} from './cron-stats.js';

/** P(X >= k) by enumerating all 2^n outcomes. */
function bruteForceTail(ps: number[], k: number): number {
  let total = 0;
  for (let mask = 0; mask < 1 << ps.length; mask++) {
    let p = 1;
    let count = 0;
    for (const [i, pi] of ps.entries()) {
      const hit = (mask >> i) & 1;
      count += hit;
      p *= hit ? pi : 1 - pi;
    }
    if (count >= k) total += p;
  }
  return total;
}

const probabilities = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
  minLength: 0,
  maxLength: 12,
});

describe('poissonBinomialUpperTail', () => {
  it('equals brute force (property)', () => {
    fc.assert(
      fc.property(probabilities, fc.integer({ min: 0, max: 13 }), (ps, k) => {
        expect(poissonBinomialUpperTail(ps, k)).toBeCloseTo(bruteForceTail(ps, k), 12);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('uses a Chernoff bound that never falls below the exact tail (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 0.999, noNaN: true }), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (ps, share) => {
          const observed = Math.round(share * ps.length);
          const exact = poissonBinomialUpperTail(ps, observed);
          expect(chernoffUpperTail(ps, observed)).toBeGreaterThanOrEqual(exact * (1 - 1e-9));
        },
      ),
      { seed: 11, numRuns: 300 },
    );
    // Past 4,000,000 steps the bound is what comes out: 5,000 runs, 2,000 matched.
    const ps = new Array<number>(5000).fill(0.3);
    expect(poissonBinomialUpperTail(ps, 2000)).toBe(chernoffUpperTail(ps, 2000));
    expect(poissonBinomialUpperTail(ps, 2000)).toBeLessThan(1e-30);
  });

  it('handles the edges: all matched, none, more than possible', () => {
    expect(poissonBinomialUpperTail([0.5, 0.5, 0], 2)).toBeCloseTo(0.25, 15);
    expect(poissonBinomialUpperTail([0.5, 0.5], 0)).toBe(1);
    expect(poissonBinomialUpperTail([0.5, 0.5], 3)).toBe(0);
    expect(poissonBinomialUpperTail(new Float64Array(40).fill(0.1), 40)).toBeCloseTo(1e-40, 50);
  });
});

describe('holmAdjust and poissonThreshold', () => {
  it('adjusts step-down and keeps the order', () => {
    expect(holmAdjust([0.01, 0.04, 0.03, 0.5])).toEqual([0.04, 0.09, 0.09, 0.5]);
    expect(holmAdjust([])).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }), (ps) => {
        const adjusted = holmAdjust(ps);
        for (const [i, p] of ps.entries()) {
          expect(adjusted[i]).toBeGreaterThanOrEqual(p);
          expect(adjusted[i]).toBeLessThanOrEqual(Math.min(1, p * ps.length) + 1e-12);
        }
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('finds the fewest errors a bucket needs to stand out from its background', () => {
    expect(poissonThreshold(0, 0.01)).toBe(1);
    expect(poissonThreshold(0.005, 0.01)).toBe(1);
    expect(poissonThreshold(0.1, 0.01)).toBe(2);
    expect(poissonThreshold(1, 0.01)).toBe(5);
    // A busy background: the far tail without underflow.
    const busy = poissonThreshold(5000, 0.01);
    expect(busy).toBeGreaterThan(5000 + 2.2 * Math.sqrt(5000));
    expect(busy).toBeLessThan(5000 + 2.5 * Math.sqrt(5000));
  });
});
