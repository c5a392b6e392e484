import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectErrorOnset, ONSET_DEFAULTS } from './onset.js';
import { poisson, seededRandom, syntheticTraffic } from './testing.js';

// Two days of 10-minute buckets: 288 buckets, 144 per day.
const DAYS_2 = { buckets: 288, perDay: 144 };

describe('detectErrorOnset: a real onset', () => {
  it.each([
    [1, 97],
    [2, 134],
    [3, 171],
    [4, 208],
    [5, 60],
    [6, 250],
  ])(
    'seed %i: 0.5% of daily-seasonal traffic rising to 5% at bucket %i is found within 1 bucket',
    (seed, at) => {
      const { errors, totals } = syntheticTraffic({
        seed,
        ...DAYS_2,
        meanTraffic: 2000,
        rate: (t) => (t < at ? 0.005 : 0.05),
      });
      const result = detectErrorOnset(errors, totals);
      expect(result.onset).toBeDefined();
      expect(Math.abs((result.onset as number) - at)).toBeLessThanOrEqual(1);
      expect(result.before).toBeGreaterThan(0.004);
      expect(result.before).toBeLessThan(0.006);
      expect(result.after).toBeGreaterThan(0.045);
      expect(result.after).toBeLessThan(0.055);
      expect(result.confidence).toBeGreaterThan(0.999);
      expect(result.model).toBe('rate');
      expect(result.reason).toContain(`bucket ${result.onset}`);
    },
  );

  it('finds the onset at the trough of the traffic cycle too', () => {
    // Bucket 144 is the night trough: ~20% of the peak traffic.
    const { errors, totals } = syntheticTraffic({
      seed: 9,
      ...DAYS_2,
      meanTraffic: 2000,
      rate: (t) => (t < 144 ? 0.005 : 0.05),
    });
    expect(Math.abs((detectErrorOnset(errors, totals).onset ?? -99) - 144)).toBeLessThanOrEqual(1);
  });

  it('reports the first rise, not the recovery, when errors come and go', () => {
    const { errors, totals } = syntheticTraffic({
      seed: 10,
      ...DAYS_2,
      meanTraffic: 2000,
      rate: (t) => (t >= 100 && t < 130 ? 0.05 : 0.005),
    });
    const result = detectErrorOnset(errors, totals);
    expect(Math.abs((result.onset as number) - 100)).toBeLessThanOrEqual(1);
    expect(result.changePoints.some((t) => Math.abs(t - 130) <= 1)).toBe(true);
  });

  it('finds an onset near the end of the window (errors started 2 buckets ago)', () => {
    const { errors, totals } = syntheticTraffic({
      seed: 11,
      ...DAYS_2,
      meanTraffic: 2000,
      rate: (t) => (t < 286 ? 0.005 : 0.05),
    });
    expect(detectErrorOnset(errors, totals).onset).toBe(286);
  });

  it('without totals, finds an onset in counts at steady traffic (Poisson model)', () => {
    const random = seededRandom(12);
    const errors = Array.from({ length: 200 }, (_, t) => poisson(random, t < 120 ? 3 : 15));
    const result = detectErrorOnset(errors, []);
    expect(result.model).toBe('count');
    expect(Math.abs((result.onset as number) - 120)).toBeLessThanOrEqual(1);
    expect(result.before).toBeCloseTo(3, 0);
    expect(result.after).toBeCloseTo(15, -1);
  });
});

describe('detectErrorOnset: no onset', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'seed %i: a quiet series (constant 0.5% rate, seasonal traffic, noise) has no onset',
    (seed) => {
      const { errors, totals } = syntheticTraffic({
        seed: 100 + seed,
        ...DAYS_2,
        meanTraffic: 2000,
        rate: () => 0.005,
        rateNoise: 0.2,
      });
      const result = detectErrorOnset(errors, totals);
      expect(result.onset).toBeUndefined();
      expect(result.confidence).toBeLessThan(1 - ONSET_DEFAULTS.alpha);
      expect(result.reason).toMatch(/no significant/);
      expect(result.before).toBe(result.after);
    },
  );

  it.each([1, 2, 3, 4])(
    'seed %i: traffic seasonality alone (errors proportional to traffic) is no onset',
    (seed) => {
      // Errors swing fivefold between night and day, with heavy traffic and extra noise.
      const { errors, totals } = syntheticTraffic({
        seed: 200 + seed,
        buckets: 432,
        perDay: 144,
        meanTraffic: 50_000,
        rate: () => 0.01,
        rateNoise: 0.1,
      });
      const result = detectErrorOnset(errors, totals);
      expect(result.onset).toBeUndefined();
      expect(result.dispersion).toBeGreaterThan(1);
    },
  );

  it('errors exactly proportional to traffic: no change at all', () => {
    const totals = Array.from({ length: 288 }, (_, t) =>
      Math.round(1000 * (1.2 - Math.cos((2 * Math.PI * t) / 144))),
    );
    const errors = totals.map((n) => n / 100);
    const result = detectErrorOnset(errors, totals);
    expect(result.onset).toBeUndefined();
    expect(result.changePoints).toEqual([]);
    expect(result.before).toBeCloseTo(0.01, 12);
  });

  it('a drop in errors (recovery) is no onset', () => {
    const { errors, totals } = syntheticTraffic({
      seed: 13,
      ...DAYS_2,
      meanTraffic: 2000,
      rate: (t) => (t < 100 ? 0.05 : 0.005),
    });
    const result = detectErrorOnset(errors, totals);
    expect(result.onset).toBeUndefined();
    expect(result.changePoints.length).toBeGreaterThan(0);
  });

  it('a rise smaller than the minimum increase is no onset, however significant', () => {
    const { errors, totals } = syntheticTraffic({
      seed: 14,
      ...DAYS_2,
      meanTraffic: 200_000,
      rate: (t) => (t < 150 ? 0.01 : 0.012),
    });
    const result = detectErrorOnset(errors, totals);
    expect(result.onset).toBeUndefined();
    expect(result.changePoints.length).toBeGreaterThan(0);
  });

  it('says why for empty, short and error-free series', () => {
    expect(detectErrorOnset([], []).reason).toMatch(/too few buckets/);
    expect(detectErrorOnset([1, 2, 3], [10, 10, 10]).reason).toMatch(/too few buckets/);
    const zeros = new Array(100).fill(0);
    const result = detectErrorOnset(zeros, zeros);
    expect(result.onset).toBeUndefined();
    expect(result.reason).toBe('no errors in the series');
    expect(result.confidence).toBe(0);
  });
});

describe('detectErrorOnset: robustness', () => {
  const count = fc.oneof(
    fc.nat({ max: 50 }),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
    fc.constantFrom(0, 1e15, 1e300, Number.MAX_VALUE, -5, Number.NaN, Number.POSITIVE_INFINITY),
  );

  it('never throws or hangs; the onset and changes are sorted valid indices', () => {
    fc.assert(
      fc.property(
        fc.array(count, { maxLength: 150 }),
        fc.oneof(fc.array(count, { maxLength: 150 }), fc.constant([] as number[])),
        (errors, totals) => {
          const result = detectErrorOnset(errors, totals);
          const n = errors.length;
          const { minSegment } = ONSET_DEFAULTS;
          const bounds = [0, ...result.changePoints, n];
          for (let i = 0; result.changePoints.length > 0 && i + 1 < bounds.length; i++) {
            expect(Number.isInteger(bounds[i + 1])).toBe(true);
            expect((bounds[i + 1] as number) - (bounds[i] as number)).toBeGreaterThanOrEqual(
              minSegment,
            );
          }
          if (result.onset !== undefined) expect(result.changePoints).toContain(result.onset);
          expect(result.confidence).toBeGreaterThanOrEqual(0);
          expect(result.confidence).toBeLessThanOrEqual(1);
          expect(Number.isFinite(result.before)).toBe(true);
          expect(Number.isFinite(result.after)).toBe(true);
          expect(result.dispersion).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles huge counts like ordinary ones (rates are scale-free)', () => {
    const { errors, totals } = syntheticTraffic({
      seed: 15,
      ...DAYS_2,
      meanTraffic: 2000,
      rate: (t) => (t < 150 ? 0.005 : 0.05),
    });
    const huge = detectErrorOnset(
      errors.map((e) => e * 1e250),
      totals.map((n) => n * 1e250),
    );
    expect(Math.abs((huge.onset as number) - 150)).toBeLessThanOrEqual(1);
    expect(huge.after).toBeGreaterThan(0.045);
  });
});
