import type { SegmentCost } from './segment.js';
import { isPresent } from './stats.js';

/**
 * The nonparametric "empirical distribution" segment cost of ED-PELT (Haynes,
 * Fearnhead & Eckley 2017, "A computationally efficient nonparametric approach for
 * changepoint detection", Statistics and Computing 27): -2 x the maximised
 * log-likelihood of the segment's empirical CDF, evaluated at K = ceil(4 log n)
 * quantiles of the n present values of the whole series, placed so that the sum
 * approximates the integral over the CDF with weight 1/(F(1-F)) (more resolution in the
 * tails), as in the `changepoint.np` package. A segment of m present values where a
 * fraction F lies below a quantile q contributes
 *   -m [F log F + (1 - F) log(1 - F)]
 * for that quantile, weighted by 2 log(2n - 1) / K. Values equal to q count one half.
 *
 * Why this cost: it assumes no distribution at all, so heavy tails, skew, integer data
 * and outliers do not fake changes the way a Gaussian variance term does, and it sees
 * any change in distribution (location, scale, shape). Missing values (null, NaN,
 * +-Infinity) are skipped: a segment's cost uses its present values only.
 */
export function empiricalDistributionCost(
  values: readonly (number | null)[],
  quantiles?: number,
): SegmentCost {
  const n = values.length;
  const present: number[] = [];
  for (const v of values) if (isPresent(v)) present.push(v);
  present.sort((a, b) => a - b);
  const m = present.length;
  if (m < 2) return () => 0;
  const k = Math.max(1, Math.floor(quantiles ?? Math.ceil(4 * Math.log(m))));
  const c = Math.log(2 * m - 1);
  // Distinct quantile values with their multiplicity (ties in the data repeat them).
  const points: number[] = [];
  const multiplicity: number[] = [];
  for (let i = 1; i <= k; i++) {
    const p = 1 / (1 + (2 * m - 1) * Math.exp((-c / k) * (2 * i - 1)));
    const q = present[Math.min(m - 1, Math.max(0, Math.trunc((m - 1) * p)))] as number;
    if (points[points.length - 1] === q) {
      multiplicity[multiplicity.length - 1] = (multiplicity[multiplicity.length - 1] ?? 0) + 1;
    } else {
      points.push(q);
      multiplicity.push(1);
    }
  }
  // Twice the running count below each quantile (ties count 1), so sums stay integers.
  const below = points.map(() => new Int32Array(n + 1));
  const count = new Int32Array(n + 1);
  for (let t = 0; t < n; t++) {
    const v = values[t];
    const ok = isPresent(v);
    count[t + 1] = (count[t] ?? 0) + (ok ? 1 : 0);
    for (let j = 0; j < points.length; j++) {
      const row = below[j] as Int32Array;
      const q = points[j] as number;
      row[t + 1] = (row[t] ?? 0) + (ok ? (v < q ? 2 : v === q ? 1 : 0) : 0);
    }
  }
  // xlogx[h] = (h/2) log(h/2): the counts are half-integers, so a table replaces log().
  const xlogx = new Float64Array(2 * m + 1);
  for (let h = 1; h <= 2 * m; h++) xlogx[h] = (h / 2) * Math.log(h / 2);
  // Each of the K quantiles weighs 2 log(2m - 1) / K.
  const weights = multiplicity.map((times) => (times * 2 * c) / k);
  return (start, end) => {
    const size = (count[end] ?? 0) - (count[start] ?? 0);
    if (size <= 0) return 0;
    const whole = xlogx[2 * size] ?? 0;
    let sum = 0;
    for (let j = 0; j < below.length; j++) {
      const row = below[j] as Int32Array;
      const h = (row[end] ?? 0) - (row[start] ?? 0);
      sum += (weights[j] ?? 0) * (whole - (xlogx[h] ?? 0) - (xlogx[2 * size - h] ?? 0));
    }
    return sum;
  };
}
