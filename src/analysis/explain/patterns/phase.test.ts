import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CycleTally } from './cycle-recurrence.js';
import {
  excessProbability,
  fold,
  formatDuration,
  rebin,
  tailBound,
  WindowScan,
  zoneOffset,
} from './phase.js';

/** P(Bin(n, p) >= k), summed exactly in log space. */
function binomialTail(k: number, n: number, p: number): number {
  let logChoose = 0;
  let total = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) logChoose += Math.log((n - i + 1) / i);
    if (i >= k) total += Math.exp(logChoose + i * Math.log(p) + (n - i) * Math.log1p(-p));
  }
  return total;
}

describe('tailBound', () => {
  it('never falls below the exact binomial tail (so the stated false-alarm rates are ceilings)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, p, at) => {
          const k = Math.round(at * n);
          expect(tailBound(k, n, p)).toBeGreaterThanOrEqual(binomialTail(k, n, p) * (1 - 1e-9));
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });

  it('is 1 at or below the mean and tiny far above it', () => {
    expect(tailBound(10, 100, 0.1)).toBe(1);
    expect(tailBound(60, 100, 0.1)).toBeLessThan(1e-30);
    expect(tailBound(5, 0, 0.5)).toBe(1);
  });
});

describe('excessProbability', () => {
  it('is P(Bin(n, tau) > n tau), exactly', () => {
    for (const [n, tau] of [
      [1, 0.25],
      [7, 0.1],
      [40, 1 / 30],
      [333, 0.2],
    ] as const) {
      const expected = binomialTail(Math.floor(n * tau) + 1, n, tau);
      expect(excessProbability(n, tau)).toBeCloseTo(expected, 10);
    }
    expect(excessProbability(0, 0.5)).toBe(0);
    expect(excessProbability(1, 0.25)).toBeCloseTo(0.25, 12);
  });
});

describe('folding and windows', () => {
  it('folds values onto a phase circle from an offset, and rebins', () => {
    expect([...fold([1, 2, 3, 4, 5], 3, 4)]).toEqual([2, 3, 4, 6]);
    expect([...rebin([1, 2, 3, 4, 5, 6], 2)]).toEqual([3, 7, 11]);
  });

  it('tests a window across the start of the cycle when cyclic, not otherwise', () => {
    const errors = [30, 0, 0, 0, 0, 0, 0, 30];
    const even = [1, 1, 1, 1, 1, 1, 1, 1];
    const cyclic = new WindowScan(errors, even, even, true).test(7, 2);
    expect(cyclic?.errors).toBe(60);
    expect(cyclic?.expectedByTraffic).toBe(15);
    expect(cyclic?.logP).toBeLessThan(Math.log(1e-20));
    expect(new WindowScan(errors, even, even, false).test(7, 2)).toBeUndefined();
  });
});

describe('zones', () => {
  it('gives offsets for IANA zones, summer time included', () => {
    const winter = Date.UTC(2026, 0, 15, 12);
    const summer = Date.UTC(2026, 6, 15, 12);
    expect(zoneOffset('Europe/Berlin')(winter)).toBe(60 * 60_000);
    expect(zoneOffset('Europe/Berlin')(summer)).toBe(120 * 60_000);
    expect(zoneOffset('Asia/Kathmandu')(winter)).toBe(345 * 60_000);
    expect(zoneOffset('UTC')(summer)).toBe(0);
    expect(zoneOffset(() => 42)(summer)).toBe(42);
  });

  it('writes durations as people say them', () => {
    expect([10_000, 60_000, 90_000, 900_000, 5_400_000, 21_600_000].map(formatDuration)).toEqual([
      '10 s',
      '60 s',
      '90 s',
      '15 min',
      '1 h 30 min',
      '6 h',
    ]);
  });
});

describe('CycleTally', () => {
  const batch = (s: number[], c: number[] = s.map(() => 1)) =>
    [Float64Array.from(s), Float64Array.from(c), s.length] as const;

  it('counts per cycle: a burst counts once, a window over every cycle counts every cycle', () => {
    const tally = new CycleTally(60, 30);
    const seconds = Array.from({ length: 10 }, (_, cycle) => cycle * 60 + 10);
    tally.addSeconds(...batch([...seconds, 640], [...seconds.map(() => 1), 500]));
    const result = tally.result();
    expect(result.passes).toBe(1);
    expect(result.cyclesWithPeak[5]).toBe(10); // size 1, bin 5 (seconds 10-11): every cycle
    expect(result.logP[5]).toBeLessThan(Math.log(1e-8));
    expect(result.cyclesWithPeak[20]).toBe(1); // the burst's bin: one cycle
    expect(result.logP[20]).toBeGreaterThan(Math.log(0.5));
  });

  it('keeps logs read one after the other apart: a burst on every host is still one cycle', () => {
    const tally = new CycleTally(60, 30);
    for (let host = 0; host < 12; host++) tally.addSeconds(...batch([5, 640, 1290], [1, 50, 1]));
    const result = tally.result();
    expect(result.passes).toBe(12);
    expect(result.cyclesWithPeak[20]).toBe(1);
  });

  it('joins a cycle, and a pass, cut between two parts on merge', () => {
    const whole = new CycleTally(60, 30);
    const first = new CycleTally(60, 30);
    const second = new CycleTally(60, 30);
    whole.addSeconds(...batch([0, 30, 61, 62, 125, 700, 0, 70, 150]));
    first.addSeconds(...batch([0, 30, 61]));
    second.addSeconds(...batch([62, 125, 700, 0, 70, 150]));
    first.merge(structuredClone(second.partial()));
    const round = (r: ReturnType<CycleTally['result']>) =>
      JSON.stringify(r, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v));
    expect(round(first.result())).toBe(round(whole.result()));
    expect(whole.result().passes).toBe(2);
  });
});
