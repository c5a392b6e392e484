import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  covering,
  coverSingle,
  fMeasure,
  pythonSetOrder,
  segmentStarts,
  truePositives,
} from './metrics.js';

// The expected values with many digits are the doctests of TCPDBench's metrics.py.
describe('truePositives', () => {
  it('matches each true point at most once, to the closest prediction', () => {
    expect([...truePositives([1, 10, 20, 23], [3, 8, 20])].sort((a, b) => a - b)).toEqual([
      1, 10, 20,
    ]);
    expect(truePositives([1, 10, 20, 23], [1, 3, 5, 8, 20]).size).toBe(3);
    expect(truePositives([], [1, 2, 3]).size).toBe(0);
    expect(truePositives([1, 2, 3], []).size).toBe(0);
  });

  it('respects the margin', () => {
    expect(truePositives([10], [15], 5).size).toBe(1);
    expect(truePositives([10], [16], 5).size).toBe(0);
  });
});

describe('fMeasure', () => {
  it('reproduces the TCPDBench doctests', () => {
    expect(fMeasure({ 1: [10, 20], 2: [11, 20], 3: [10], 4: [0, 5] }, [10, 20]).f1).toBe(1);
    expect(fMeasure({ 1: [], 2: [10], 3: [50] }, [10]).f1).toBeCloseTo(0.9090909090909091, 14);
    expect(fMeasure({ 1: [], 2: [10], 3: [50] }, []).f1).toBeCloseTo(0.8, 14);
  });

  it('computes a small case by hand', () => {
    // Truth: annotator a says 50, b says nothing; with 0 always added: {0, 50} and {0}.
    // Predictions {0, 52, 80}: 0 and 52 match the union {0, 50}, so P = 2/3;
    // a's points are both matched (2/2), b's (1/1): R = 1. F1 = 2PR / (P + R) = 0.8.
    const r = fMeasure({ a: [50], b: [] }, [52, 80]);
    expect(r.precision).toBeCloseTo(2 / 3, 14);
    expect(r.recall).toBe(1);
    expect(r.f1).toBeCloseTo(0.8, 14);
  });

  it('counts index 0 as a change point on both sides: predicting nothing is not zero', () => {
    // P = 1 (only 0, matched); R = mean(1/2, 1/1) = 0.75; F1 = 1.5 / 1.75.
    expect(fMeasure({ a: [30], b: [] }, []).f1).toBeCloseTo(1.5 / 1.75, 14);
  });

  it('visits true points in CPython set order, as TCPDBench does, where it matters', () => {
    // Two true points (3 and 9 of annotator 7) compete for the prediction 7: the result
    // depends on which one is visited first. Value computed with TCPDBench's metrics.py.
    const annotations = { 6: [4, 3], 7: [3, 9], 8: [11, 11] };
    expect(fMeasure(annotations, [11, 7, 20, 27, 22]).f1).toBeCloseTo(0.608695652173913, 14);
  });
});

describe('pythonSetOrder', () => {
  it('iterates like CPython sets of small integers', () => {
    expect(pythonSetOrder([119, 203, 215, 0])).toEqual([0, 215, 203, 119]);
    expect(pythonSetOrder([60, 96, 114, 174, 204, 240, 258, 317, 0])).toEqual([
      96, 0, 258, 204, 174, 240, 114, 60, 317,
    ]);
    expect(pythonSetOrder([3, 9, 17])).toEqual([9, 3, 17]);
    expect(pythonSetOrder([5, 5, 5])).toEqual([5]);
  });

  it('always yields each distinct value once', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 100_000 }), { maxLength: 300 }), (values) => {
        const order = pythonSetOrder(values);
        expect([...order].sort((a, b) => a - b)).toEqual(
          [...new Set(values)].sort((a, b) => a - b),
        );
      }),
    );
  });
});

describe('covering', () => {
  it('reproduces the TCPDBench doctests', () => {
    expect(covering({ 1: [10, 20], 2: [10], 3: [0, 5] }, [10, 20], 45)).toBeCloseTo(
      0.7962962962962963,
      14,
    );
    expect(covering({ 1: [], 2: [10], 3: [40] }, [10], 45)).toBeCloseTo(0.7954144620811286, 14);
    expect(covering({ 1: [], 2: [10], 3: [40] }, [], 45)).toBeCloseTo(0.8189300411522634, 14);
  });

  it('reproduces the cover_single doctests (sets 1..6 shifted to 0..5)', () => {
    // [{1,2,3},{4,5},{6}] covering [{1,2,3},{4,5,6}]
    expect(coverSingle([3, 5], [3], 6)).toBeCloseTo(0.8333333333333334, 14);
    expect(coverSingle([4], [], 6)).toBeCloseTo(0.6666666666666666, 14);
    expect(coverSingle([2, 4], [3], 6)).toBeCloseTo(0.6666666666666666, 14);
    expect(coverSingle([], [1, 2, 3], 6)).toBeCloseTo(0.3333333333333333, 14);
  });

  it('computes a small case by hand', () => {
    // n = 10, truth [0,5) [5,10), prediction [0,4) [4,10).
    // [0,5): best Jaccard is with [0,4): 4/5.  [5,10): with [4,10): 5/6.
    // Cover = (5 * 4/5 + 5 * 5/6) / 10 = (4 + 25/6) / 10.
    expect(coverSingle([4], [5], 10)).toBeCloseTo((4 + 25 / 6) / 10, 14);
    expect(coverSingle([5], [5], 10)).toBe(1);
  });

  it('ignores points outside (0, n) and duplicates', () => {
    expect(segmentStarts([0, 3, 3, -1, 10, 12], 10)).toEqual([0, 3]);
  });

  it('lies in (0, 1] and is 1 for the truth itself', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.nat({ max: 250 }), { maxLength: 12 }),
        fc.array(fc.nat({ max: 250 }), { maxLength: 12 }),
        (n, truth, predicted) => {
          const c = coverSingle(predicted, truth, n);
          expect(c).toBeGreaterThan(0);
          expect(c).toBeLessThanOrEqual(1 + 1e-12);
          expect(coverSingle(truth, truth, n)).toBeCloseTo(1, 12);
        },
      ),
    );
  });
});
