import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addKey,
  emptyHistogram,
  type Histogram,
  mergeInto,
  quantileOf,
} from './latency-histogram.js';

const keys = fc.array(fc.oneof(fc.integer({ min: -400, max: 400 }), fc.constant(-Infinity)), {
  maxLength: 60,
});

const histogramOf = (ks: readonly number[]): Histogram => {
  const h = emptyHistogram();
  for (const k of ks) addKey(h, k, 1);
  return h;
};

/** Every count by key, the folded keys read at the floor. */
const countsOf = (h: Histogram) => {
  const out = new Map<number, number>();
  h.counts.forEach((c, i) => {
    if (c) out.set(h.offset + i, c);
  });
  return { zeros: h.zeros, total: h.total, top: h.top, counts: out };
};

describe('latency histogram', () => {
  it('merges into exactly what adding every key to one histogram gives, in any order', () => {
    fc.assert(
      fc.property(fc.array(keys, { minLength: 1, maxLength: 5 }), (parts) => {
        const whole = histogramOf(parts.flat());
        const merged = emptyHistogram();
        for (const part of parts) mergeInto(merged, histogramOf(part));
        expect(countsOf(merged)).toEqual(countsOf(whole));
        for (const q of [0, 0.5, 0.95, 1]) expect(quantileOf(merged, q)).toBe(quantileOf(whole, q));
      }),
    );
  });
});
