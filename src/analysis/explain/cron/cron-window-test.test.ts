import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rotationChance, testWindow, unionOf, usableWindows } from './cron-window-test.js';

const MINUTE = 60_000;

describe('rotationChance', () => {
  it('is the share of rotations that put a burst in the window (property, against counting)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 599 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 300 }),
        (positions, window) => {
          const block = 600;
          const starts = Float64Array.from([...positions].sort((a, b) => a - b));
          let hits = 0;
          for (let shift = 0; shift < block; shift++)
            if (positions.some((p) => (p + shift) % block >= block - window)) hits++;
          expect(rotationChance(starts, 0, starts.length, 0, block, window)).toBeCloseTo(
            hits / block,
            9,
          );
        },
      ),
      { seed: 9, numRuns: 200 },
    );
  });
});

describe('testWindow', () => {
  const span = { from: 0, to: 24 * 60 * MINUTE };
  // Hourly at :30.
  const runs = Float64Array.from({ length: 24 }, (_, h) => h * 60 * MINUTE + 30 * MINUTE);

  it('counts runs with a burst in their window, against what rotation would give', () => {
    const bursts = Float64Array.from(runs, (r) => r + 40_000);
    const test = testWindow(runs, bursts, {
      span,
      windowMs: MINUTE,
      skewMs: 5000,
      flankWindows: 6,
    });
    expect(test).toMatchObject({ tested: 24, matched: 24, lags: new Array(24).fill(40_000) });
    // One burst per block of 6 min of control + 65 s of window.
    expect(test.expected).toBeCloseTo((24 * 65) / 425, 9);
    expect(test.pValue).toBeCloseTo((65 / 425) ** 24, 30);
  });

  it('leaves out runs whose block touches excluded time, or that are skipped', () => {
    const bursts = Float64Array.from(runs, (r) => r + 40_000);
    const excluded = unionOf([
      [runs[3] as number, (runs[3] as number) + 1000],
      [(runs[3] as number) + 500, (runs[3] as number) + 2000],
      [(runs[7] as number) - 2 * MINUTE, (runs[7] as number) - MINUTE],
    ]);
    expect(Array.from(excluded.starts).length).toBe(2);
    const skip = new Uint8Array(runs.length);
    skip[10] = 1;
    const test = testWindow(runs, bursts, {
      span,
      windowMs: MINUTE,
      skewMs: 5000,
      flankWindows: 6,
      excluded,
      skip,
    });
    expect(test.tested).toBe(21);
  });

  it('tests frequent jobs with short windows only, and none for every-minute jobs', () => {
    const every = (ms: number) => Float64Array.from({ length: 10 }, (_, i) => i * ms);
    const windows = [30_000, MINUTE, 2 * MINUTE, 5 * MINUTE, 15 * MINUTE];
    expect(usableWindows(every(MINUTE), windows, 1000, 5000)).toEqual([]);
    expect(usableWindows(every(2 * MINUTE), windows, 1000, 5000)).toEqual([30_000]);
    expect(usableWindows(every(15 * MINUTE), windows, 1000, 5000)).toEqual([
      30_000,
      MINUTE,
      2 * MINUTE,
      5 * MINUTE,
    ]);
    expect(usableWindows(every(60 * MINUTE), windows, 60_000, 5000)).toEqual([
      2 * MINUTE,
      5 * MINUTE,
      15 * MINUTE,
    ]);
  });
});
