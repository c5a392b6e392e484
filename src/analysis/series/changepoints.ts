/**
 * General change-point detection for real-valued series, univariate or multivariate,
 * with missing values (null, NaN, +-Infinity). One default setting, no tuning knobs
 * exposed to callers: the same call is what Calm uses on every series and what the
 * TCPD benchmark (bench/tcpd.mjs) measures.
 *
 * Written here rather than taken from a package because this is where Calm's accuracy
 * comes from: every step below is a statistical choice (the cost, the penalty, how
 * trends and serial dependence are treated) that we must be able to read, test and
 * justify, and no JavaScript package offers these choices with missing values and
 * several dimensions. The method, step by step:
 *
 * 1. Cost: the nonparametric empirical-distribution cost of ED-PELT (see
 *    nonparametric.ts). Distribution-free, so heavy tails, skew, integer data and
 *    outliers do not fake changes (a Gaussian mean/variance cost splits a heavy-tailed
 *    series at every burst), and it sees any change in distribution.
 *
 * 2. Representation: levels or increments, chosen per column. A change in a trending
 *    or random-walk series (GDP, inventories, exchange rates) is a change in its
 *    increments; a change in a stationary series (quality control, river flow) is a
 *    change in its levels, which differencing would hide. Both are segmented, and the
 *    one with the lower BIC of a Laplace (double-exponential) likelihood with a median
 *    and a scale per segment wins. Both likelihoods are densities of the same
 *    observations (x_1..x_{n-1}; increments condition on the previous value), so the
 *    comparison is a proper model choice between "piecewise stationary" and "piecewise
 *    stationary increments"; the Laplace is the simplest heavy-tailed likelihood with
 *    closed-form estimates, so a few large jumps do not decide the choice.
 *
 * 3. Penalty: 3 log n per change point and per dimension: the MBIC-style default of
 *    the `changepoint.np` package for this cost (Haynes et al. 2017), scaled by the
 *    number of dimensions because a change point in d dimensions adds d sets of
 *    parameters (BIC counts parameters). Segments have at least 5 observations: shorter
 *    "segments" are outliers, not regimes.
 *
 * 4. Serial dependence: penalties like MBIC assume independent observations; smooth
 *    or autocorrelated series then get split everywhere, because positive dependence
 *    inflates the variance of every segment statistic by the long-run variance factor
 *    (1 + rho) / (1 - rho) of an AR(1) process. We estimate rho as the lag-1
 *    autocorrelation of the normal scores of the residuals within the segments found
 *    (so that real changes do not count as dependence), and segment once more with the
 *    penalty multiplied by that factor (rho clamped to [0, 0.9]).
 *
 * The combination was checked on the TCPD benchmark and on TCPD series outside the
 * shared set (F1 with margin 5): see bench/tcpd.mjs.
 *
 * Known trade-off: MBIC is liberal for this cost. Under no change, the best single
 * split of n points gains about 2.25 log n (median), and 3.9 log n at the 95th
 * percentile, so about a third of pure-noise series (white noise, heavy tails or random
 * walks; n = 100 to 2000) get one to three spurious change points. A penalty of
 * 4.5 log n would bring that to about 3% but lowers TCPD F1 from 0.815 to 0.784 (and
 * from 0.834 to 0.799 on the held-out series): human annotators mark moderate changes
 * too. Use detectChangePoints to describe a series; for an alerting-grade decision
 * ("did errors start?") use detectErrorOnset, which tests its answer.
 */
import { empiricalDistributionCost } from './nonparametric.js';
import { optimalPartition, type SegmentCost } from './segment.js';
import { isPresent, median, normalScores } from './stats.js';

export type SeriesValue = number | null;

/** The one default setting (see the module comment for why each value). */
export const CHANGE_POINT_DEFAULTS = Object.freeze({
  /** Penalty per change point and per dimension, in units of log(n). */
  penaltyPerLogN: 3,
  /** Fewest observations in a segment. */
  minSegment: 5,
  /** Largest lag-1 autocorrelation credited to serial dependence. */
  maxDependence: 0.9,
} as const);

export interface ChangePointAnalysis {
  /** Change points: 0-based indices where a new segment starts, ascending, never 0. */
  points: number[];
  /** Per column: true when it was analysed as increments (x[t] - x[t-1]), false as levels. */
  differenced: boolean[];
  /** Estimated lag-1 dependence of the residuals, in [0, maxDependence]. */
  dependence: number;
  /** The penalty per change point of the final segmentation. */
  penalty: number;
}

/** Change points of a univariate series or of several aligned columns. */
export function detectChangePoints(
  series: readonly SeriesValue[] | readonly (readonly SeriesValue[])[],
): number[] {
  return analyzeChangePoints(series).points;
}

/** detectChangePoints with the intermediate choices, for reports and the benchmark. */
export function analyzeChangePoints(
  series: readonly SeriesValue[] | readonly (readonly SeriesValue[])[],
): ChangePointAnalysis {
  const columns = toColumns(series);
  const n = columns.reduce((max, c) => Math.max(max, c.length), 0);
  const { penaltyPerLogN, minSegment, maxDependence } = CHANGE_POINT_DEFAULTS;
  const differenced = columns.map(() => false);
  const none = { points: [], differenced, dependence: 0, penalty: 0 };
  // Columns padded to n with missing values; too sparse columns are left out.
  const used: { index: number; values: SeriesValue[] }[] = [];
  columns.forEach((c, index) => {
    const values = Array.from({ length: n }, (_, t) => (isPresent(c[t]) ? (c[t] as number) : null));
    if (values.filter(isPresent).length >= 2 * minSegment) used.push({ index, values });
  });
  if (n < 2 * minSegment || used.length === 0) return none;

  const logN = Math.log(n);
  for (const { index, values } of used) {
    differenced[index] = prefersIncrements(values, penaltyPerLogN * logN, minSegment);
  }
  const offset = differenced.some(Boolean) ? 1 : 0;
  const aligned = used.map(({ index, values }) =>
    differenced[index] ? increments(values) : values.slice(offset),
  );
  const costs = aligned.map((c) => empiricalDistributionCost(c));
  const cost: SegmentCost = (a, b) => {
    let sum = 0;
    for (const f of costs) sum += f(a, b);
    return sum;
  };
  const length = n - offset;
  let penalty = penaltyPerLogN * logN * aligned.length;
  let points = optimalPartition(length, cost, penalty, minSegment);
  let dependence = 0;
  if (points.length > 0) {
    let rho = 0;
    for (const c of aligned) rho += residualAutocorrelation(c, points);
    dependence = Math.min(maxDependence, Math.max(0, rho / aligned.length));
    if (dependence > 0) {
      penalty *= (1 + dependence) / (1 - dependence);
      points = optimalPartition(length, cost, penalty, minSegment);
    }
  }
  return { points: points.map((t) => t + offset), differenced, dependence, penalty };
}

function toColumns(
  series: readonly SeriesValue[] | readonly (readonly SeriesValue[])[],
): (readonly SeriesValue[])[] {
  if (series.length === 0) return [];
  if (series.some((v) => Array.isArray(v))) {
    return (series as readonly unknown[]).filter((v): v is SeriesValue[] => Array.isArray(v));
  }
  return [series as readonly SeriesValue[]];
}

/** x[t] - x[t-1] for t = 1..n-1; missing when either value is missing or it overflows. */
export function increments(values: readonly SeriesValue[]): SeriesValue[] {
  const out: SeriesValue[] = [];
  for (let t = 1; t < values.length; t++) {
    const a = values[t - 1];
    const b = values[t];
    out.push(isPresent(a) && isPresent(b) && Number.isFinite(b - a) ? b - a : null);
  }
  return out;
}

/**
 * Step 2 of the module comment: does the column read better as increments? Each
 * representation is segmented with the ED cost, then scored by the BIC of a Laplace
 * likelihood (a median and a scale per segment, 3 parameters per change point counting
 * its location) over the same observations x_1..x_{n-1}.
 */
function prefersIncrements(column: SeriesValue[], penalty: number, minSize: number): boolean {
  const n = column.length;
  const diffs = increments(column);
  const levelPoints = optimalPartition(n, empiricalDistributionCost(column), penalty, minSize);
  const diffPoints = optimalPartition(n - 1, empiricalDistributionCost(diffs), penalty, minSize);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const v of column) {
    if (!isPresent(v)) continue;
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const range = high - low;
  const floor = Number.isFinite(range) && range > 0 ? range * 1e-9 : Number.MIN_VALUE;
  const logN = Math.log(n);
  const levels = column.slice(1);
  const levelShifted = levelPoints.map((t) => t - 1).filter((t) => t > 0);
  const levelBic =
    laplaceDeviance(levels, levelShifted, floor) + (3 * levelShifted.length + 2) * logN;
  const diffBic = laplaceDeviance(diffs, diffPoints, floor) + (3 * diffPoints.length + 2) * logN;
  return diffBic < levelBic;
}

/** -2 x the maximised Laplace log-likelihood, a median and a scale per segment. */
function laplaceDeviance(values: readonly SeriesValue[], points: number[], floor: number): number {
  const bounds = [0, ...points, values.length];
  let deviance = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const segment = values.slice(bounds[i], bounds[i + 1]).filter(isPresent);
    if (segment.length === 0) continue;
    const mid = median(segment);
    let spread = 0;
    for (const v of segment) spread += Math.abs(v - mid);
    const scale = Math.max(spread / segment.length, floor);
    deviance += 2 * segment.length * (Math.log(scale) + 1);
  }
  return Number.isNaN(deviance) ? Number.POSITIVE_INFINITY : deviance;
}

/**
 * Lag-1 autocorrelation of the normal scores around their segment means (pairs within
 * one segment only, so that the changes found do not count as dependence); 0 when
 * undefined.
 */
function residualAutocorrelation(values: readonly SeriesValue[], points: number[]): number {
  const scores = normalScores(values);
  const bounds = [0, ...points, values.length];
  let cross = 0;
  let square = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = bounds[i] as number;
    const b = bounds[i + 1] as number;
    let sum = 0;
    let count = 0;
    for (let t = a; t < b; t++) {
      const z = scores[t];
      if (z !== null && z !== undefined) {
        sum += z;
        count++;
      }
    }
    if (count < 3) continue;
    const mean = sum / count;
    for (let t = a; t < b; t++) {
      const z = scores[t];
      if (z === null || z === undefined) continue;
      square += (z - mean) ** 2;
      const next = t + 1 < b ? scores[t + 1] : null;
      if (next !== null && next !== undefined) cross += (z - mean) * (next - mean);
    }
  }
  return square > 0 ? cross / square : 0;
}
