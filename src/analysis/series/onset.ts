/**
 * "When did the errors start?": the onset of a rise in an error-count series.
 *
 * Written here, not taken from a package, for the reason given in changepoints.ts: the
 * answer is only as good as the statistical model, and the model has to know about
 * traffic. The method:
 *
 * - Model the error RATE, not the count. With the total-traffic series of the same
 *   buckets, errors[t] ~ Binomial(totals[t], p_t): busy hours have more errors at the
 *   same rate, so daily seasonality of traffic (and errors that just follow traffic)
 *   is no change at all. Without usable totals, errors[t] ~ Poisson(lambda_t).
 * - Noise: real error counts vary more than binomial or Poisson sampling (bursts,
 *   retries, a mix of clients). A dispersion factor phi >= 1 (quasi-likelihood) is
 *   estimated from adjacent buckets, where a change affects at most one pair: the mean
 *   of the squared standardised differences, which is 1 per pair under the plain model,
 *   leaving out pairs beyond the 99.9% chi-squared point (a change, not noise).
 *   Deviances are divided by phi.
 * - Segment the rate with PELT (segment.ts) on the binomial (or Poisson) deviance, with
 *   the same MBIC-style penalty of 3 log n per change as the general detector; at n of
 *   60-500 buckets this is about a 1% chance of a false change per series.
 * - The onset is the first change where the rate goes up by at least 50% (smaller
 *   moves are not an incident) and whose likelihood-ratio test against one constant
 *   rate between its neighbouring changes is significant: p = (positions tried) x
 *   P(chi2_1 > LR), a Bonferroni bound for the unknown location, must be <= 0.01.
 *   confidence = 1 - p.
 * - A series without such a change gets no onset, and says why.
 */
import { optimalPartition, type SegmentCost } from './segment.js';
import { chiSquared1Tail, isPresent } from './stats.js';

export const ONSET_DEFAULTS = Object.freeze({
  /** Penalty per change, in units of log(number of buckets). */
  penaltyPerLogN: 3,
  /** Fewest buckets in a segment: an onset needs two buckets of raised errors. */
  minSegment: 2,
  /** Largest p-value reported as an onset. */
  alpha: 0.01,
  /** Smallest rise of the rate (after / before) reported as an onset. */
  minIncrease: 1.5,
} as const);

export interface ErrorOnset {
  /** Bucket index where the raised error rate begins; absent when there is none. */
  onset?: number;
  /** Error rate before the onset (errors / total, or errors per bucket without totals). */
  before: number;
  /** Error rate from the onset to the next change (equal to `before` without an onset). */
  after: number;
  /** 1 - p of the onset's test; without an onset, that of the strongest candidate (or 0). */
  confidence: number;
  /** One sentence for a person. */
  reason: string;
  /** All changes of the rate found, ascending (bucket indices where a segment starts). */
  changePoints: number[];
  /** Estimated dispersion (1 = plain binomial / Poisson noise). */
  dispersion: number;
  /** 'rate' when totals were used, 'count' when not. */
  model: 'rate' | 'count';
}

const CHI2_1_Q999 = 10.8276; // 99.9% point of chi-squared with 1 df
const MAX_MAGNITUDE = 1e12;

/**
 * When did the errors start? `errors[t]` and `totals[t]` are the error count and the total
 * request count of bucket t. Totals are used when they have the same length as errors and
 * are not all zero; a bucket's total is raised to its errors if lower. Missing, negative
 * or non-finite values count as 0.
 */
export function detectErrorOnset(
  errors: readonly number[],
  totals: readonly number[] = [],
): ErrorOnset {
  const { penaltyPerLogN, minSegment, alpha, minIncrease } = ONSET_DEFAULTS;
  const n = errors.length;
  let e = Array.from(errors, (v) => (isPresent(v) && v > 0 ? v : 0));
  const model: 'rate' | 'count' =
    totals.length === n && totals.some((v) => isPresent(v) && v > 0) ? 'rate' : 'count';
  let size =
    model === 'rate'
      ? Array.from(totals, (v, t) => Math.max(isPresent(v) && v > 0 ? v : 0, e[t] ?? 0))
      : e.map(() => 1);
  // Keep sums finite: rescaling counts leaves the rates, and with phi the tests, unchanged.
  const peak = (model === 'rate' ? size : e).reduce((max, v) => Math.max(max, v), 0);
  const scale = peak > MAX_MAGNITUDE ? MAX_MAGNITUDE / peak : 1;
  if (scale !== 1) {
    e = e.map((v) => v * scale);
    if (model === 'rate') size = size.map((v) => v * scale);
  }
  const unit = model === 'rate' ? 1 : scale;
  const errorSum = prefixSums(e);
  const sizeSum = prefixSums(size);
  const rate = (a: number, b: number) => {
    const exposure = (sizeSum[b] ?? 0) - (sizeSum[a] ?? 0);
    return exposure > 0 ? ((errorSum[b] ?? 0) - (errorSum[a] ?? 0)) / exposure / unit : 0;
  };
  const overall = n > 0 ? rate(0, n) : 0;
  const base = { before: overall, after: overall, changePoints: [], dispersion: 1, model };

  if (n < 2 * minSegment) {
    return { ...base, confidence: 0, reason: `too few buckets (${n}) to find a change` };
  }
  if ((errorSum[n] ?? 0) === 0) {
    return { ...base, confidence: 0, reason: 'no errors in the series' };
  }

  const dispersion = estimateDispersion(e, size, model);
  const deviance =
    model === 'rate' ? binomialDeviance(errorSum, sizeSum) : poissonDeviance(errorSum, sizeSum);
  const cost: SegmentCost = (a, b) => deviance(a, b) / dispersion;
  const changePoints = optimalPartition(n, cost, penaltyPerLogN * Math.log(n), minSegment);
  const bounds = [0, ...changePoints, n];
  const describe = (r: number) => formatRate(r, model);

  let strongest: { at: number; before: number; after: number; p: number } | undefined;
  for (let i = 1; i + 1 < bounds.length; i++) {
    const a = bounds[i - 1] as number;
    const t = bounds[i] as number;
    const c = bounds[i + 1] as number;
    const before = rate(a, t);
    const after = rate(t, c);
    if (!(after > before * minIncrease)) continue;
    const lr = Math.max(0, cost(a, c) - cost(a, t) - cost(t, c));
    const p = Math.min(1, (c - a - 1) * chiSquared1Tail(lr));
    if (p <= alpha) {
      const rise = before > 0 ? ` (x${(after / before).toFixed(1)})` : '';
      return {
        onset: t,
        before,
        after,
        confidence: 1 - p,
        reason:
          `error rate rose from ${describe(before)} to ${describe(after)}${rise} at bucket ${t}; ` +
          `${formatP(p)}, dispersion ${dispersion.toFixed(2)}`,
        changePoints,
        dispersion,
        model,
      };
    }
    if (!strongest || p < strongest.p) strongest = { at: t, before, after, p };
  }

  const first = bounds[1] as number;
  const reason = strongest
    ? `no significant rise in the error rate (${describe(overall)} overall); the strongest ` +
      `candidate, ${describe(strongest.before)} to ${describe(strongest.after)} at bucket ` +
      `${strongest.at}, has ${formatP(strongest.p)}`
    : changePoints.length > 0
      ? `no rise in the error rate by ${Math.round((minIncrease - 1) * 100)}% or more; it went ` +
        `from ${describe(rate(0, first))} to ${describe(rate(first, bounds[2] ?? n))} ` +
        `at bucket ${first}`
      : `no significant change in the error rate (${describe(overall)})`;
  return {
    ...base,
    confidence: strongest ? 1 - strongest.p : 0,
    reason,
    changePoints,
    dispersion,
  };
}

function prefixSums(values: readonly number[]): Float64Array {
  const sums = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) sums[i + 1] = (sums[i] ?? 0) + (values[i] ?? 0);
  return sums;
}

const xlogx = (x: number) => (x > 0 ? x * Math.log(x) : 0);

/** -2 x maximised binomial log-likelihood of [a, b), up to a constant. */
function binomialDeviance(errorSum: Float64Array, sizeSum: Float64Array): SegmentCost {
  return (a, b) => {
    const errs = (errorSum[b] ?? 0) - (errorSum[a] ?? 0);
    const size = (sizeSum[b] ?? 0) - (sizeSum[a] ?? 0);
    if (!(size > 0)) return 0;
    const ok = Math.min(size, Math.max(0, errs));
    return -2 * (xlogx(ok) + xlogx(size - ok) - xlogx(size));
  };
}

/** -2 x maximised Poisson log-likelihood of [a, b) (exposure 1 per bucket), up to a constant. */
function poissonDeviance(errorSum: Float64Array, sizeSum: Float64Array): SegmentCost {
  return (a, b) => {
    const errs = Math.max(0, (errorSum[b] ?? 0) - (errorSum[a] ?? 0));
    const size = (sizeSum[b] ?? 0) - (sizeSum[a] ?? 0);
    if (!(size > 0) || errs === 0) return 0;
    return -2 * (xlogx(errs) - errs * Math.log(size) - errs);
  };
}

/**
 * Dispersion phi: mean of the squared standardised differences of adjacent buckets
 * (each about chi-squared with 1 df, mean 1, under plain binomial / Poisson noise),
 * over pairs with at least one error, dropping those beyond the 99.9% point of
 * chi2_1 x phi (iterated, as phi moves). Never below 1.
 */
function estimateDispersion(e: number[], size: number[], model: 'rate' | 'count'): number {
  const squares: number[] = [];
  for (let t = 1; t < e.length; t++) {
    const e0 = e[t - 1] ?? 0;
    const e1 = e[t] ?? 0;
    if (e0 + e1 <= 0) continue;
    if (model === 'count') {
      squares.push((e1 - e0) ** 2 / (e1 + e0));
      continue;
    }
    const n0 = size[t - 1] ?? 0;
    const n1 = size[t] ?? 0;
    if (!(n0 > 0 && n1 > 0)) continue;
    const p = (e0 + e1) / (n0 + n1);
    const variance = p * (1 - p) * (1 / n0 + 1 / n1);
    if (!(variance > 0)) continue;
    squares.push((e1 / n1 - e0 / n0) ** 2 / variance);
  }
  if (squares.length === 0) return 1;
  let phi = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    let sum = 0;
    let count = 0;
    for (const s of squares) {
      if (s <= CHI2_1_Q999 * phi) {
        sum += s;
        count++;
      }
    }
    const next = count > 0 ? Math.max(1, sum / count) : 1;
    if (next === phi) break;
    phi = next;
  }
  return Number.isFinite(phi) ? phi : 1;
}

function formatP(p: number): string {
  return p < 1e-12 ? 'p < 1e-12' : `p = ${p.toPrecision(2)}`;
}

function formatRate(rate: number, model: 'rate' | 'count'): string {
  if (model === 'count') return `${Number(rate.toPrecision(3))} errors per bucket`;
  const percent = rate * 100;
  return `${percent >= 10 ? percent.toFixed(1) : Number(percent.toPrecision(2))}%`;
}
