import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjust, compareCounts, compareMeans, fTail } from './anomaly-stats.js';

describe('fTail', () => {
  it('reads the F(1, df) tail as Student t tables do', () => {
    expect(fTail(12.706 ** 2, 1)).toBeCloseTo(0.05, 4);
    expect(fTail(2.228 ** 2, 10)).toBeCloseTo(0.05, 4);
    expect(fTail(2.042 ** 2, 30)).toBeCloseTo(0.05, 4);
    expect(fTail(3.85 ** 2, 20)).toBeCloseTo(0.001, 4);
    expect(fTail(1.96 ** 2, 1e9)).toBeCloseTo(0.05, 4);
    expect(fTail(0, 5)).toBe(1);
    expect(fTail(1e6, 3)).toBeLessThan(1e-4);
  });
});

describe('adjust', () => {
  it('gives Benjamini-Hochberg and Benjamini-Yekutieli q-values', () => {
    const p = [0.01, 0.04, 0.03, 0.005];
    expect(adjust(p)).toEqual([0.02, 0.04, 0.04, 0.02]);
    expect(adjust(p, 'by')[3]).toBeCloseTo(0.02 * (1 + 1 / 2 + 1 / 3 + 1 / 4), 10);
    expect(adjust([])).toEqual([]);
  });

  it('never lowers a p-value, caps at 1 and keeps the order of the p-values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (p) => {
        const q = adjust(p);
        p.forEach((pi, i) => {
          expect(q[i]).toBeGreaterThanOrEqual(pi);
          expect(q[i]).toBeLessThanOrEqual(1);
          p.forEach((pj, j) => {
            if (pi < pj) expect(q[i]).toBeLessThanOrEqual(q[j] as number);
          });
        });
      }),
      { seed: 5 },
    );
  });
});

describe('compareCounts', () => {
  const flat = (n: number, value: number) => new Array<number>(n).fill(value);

  it('leaves out series with too little evidence', () => {
    expect(compareCounts({ x: flat(10, 0) }, { x: flat(10, 0) })).toBeUndefined();
    expect(compareCounts({ x: [5, 5] }, { x: [50, 50] })).toBeUndefined(); // 2 baseline buckets
    expect(
      compareCounts({ x: flat(10, 5), n: flat(10, 0) }, { x: flat(10, 5), n: flat(10, 9) }),
    ).toBeUndefined();
  });

  it('finds something new, and a change below the smallest news is no finding', () => {
    const fresh = compareCounts({ x: flat(20, 0) }, { x: flat(20, 5) }, { minRatio: 1.5 });
    expect(fresh?.ratio).toBe(Number.POSITIVE_INFINITY);
    expect(fresh?.pValue).toBeLessThan(1e-6);
    const small = compareCounts({ x: flat(20, 100) }, { x: flat(20, 140) }, { minRatio: 1.5 });
    expect(small?.pValue).toBe(1);
    const plain = compareCounts({ x: flat(20, 100) }, { x: flat(20, 140) });
    expect(plain?.pValue).toBeLessThan(1e-6);
  });

  it('tests a share of the totals: errors 0.2% -> 4% of a changing traffic', () => {
    // Six baseline buckets say little about the noise: F(1, 5) keeps p modest.
    const test = compareCounts(
      { x: [2, 2, 2, 2, 2, 2], n: flat(6, 1000) },
      { x: [20, 20, 20], n: flat(3, 500) },
      { minRatio: 1.5 },
    );
    expect(test?.before).toBeCloseTo(0.002, 6);
    expect(test?.after).toBeCloseTo(0.04, 6);
    expect(test?.ratio).toBeCloseTo(20, 6);
    expect(test?.dispersion).toBe(1);
    expect(test?.pValue).toBeLessThan(1e-3);
  });

  it('measures the noise around each place of a same-hours baseline', () => {
    // Two days of a ramp 10, 20, ..., 80: flat within each place, so no extra noise.
    const ramp = [10, 20, 30, 40, 50, 60, 70, 80];
    const base = { x: [...ramp, ...ramp], place: [...ramp.keys(), ...ramp.keys()] };
    expect(compareCounts(base, { x: ramp })?.dispersion).toBe(1);
    const { place: _place, ...pooled } = base;
    expect(compareCounts(pooled, { x: ramp })?.dispersion).toBeGreaterThan(10);
  });
});

describe('compareMeans', () => {
  it('compares constant windows exactly, and equal ones not at all', () => {
    expect(compareMeans([5, 5, 5], [9, 9, 9])?.pValue).toBe(0);
    expect(compareMeans([5, 5, 5], [5, 5, 5])).toBeUndefined();
  });

  it('discounts correlated samples: a smooth drift is weaker evidence than the same values unordered', () => {
    const drift = Array.from({ length: 40 }, (_, t) => Math.sin(t / 6) + t / 40);
    // The same values in each window, in an order without memory.
    const unordered = (v: number[]) => v.map((_, i) => v[(i * 7) % v.length] as number);
    const smooth = compareMeans(drift.slice(0, 20), drift.slice(20));
    const mixed = compareMeans(unordered(drift.slice(0, 20)), unordered(drift.slice(20)));
    expect(smooth?.before).toBeCloseTo(mixed?.before ?? 0, 10);
    expect(smooth?.autocorrelation).toBeGreaterThan(0.5);
    expect(mixed?.autocorrelation).toBeLessThan(0.2);
    expect(smooth?.pValue).toBeGreaterThan(10 * (mixed?.pValue ?? 1));
  });
});
