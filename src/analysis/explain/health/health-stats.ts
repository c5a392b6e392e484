/**
 * Robust statistics for metric series. Written here rather than taken from a
 * library: each is a few lines, the analysis calls them on hundreds of series
 * per report, and their behaviour on ties, constant input and short windows
 * decides whether a quiet metric stays quiet, which the tests check.
 *
 * Metric readings are autocorrelated (a busy minute is followed by a busy
 * minute), so tests that assume independent readings see "significant"
 * changes in pure noise. Every test here therefore shrinks its sample size to
 * the effective one of an AR(1) process, n (1 - rho) / (1 + rho) (Bayley and
 * Hammersley 1946; the usual correction for trend tests, e.g. Hamed and Rao
 * 1998 in hydrology), with rho the lag-1 autocorrelation clamped to [0, 0.95].
 */
import { erfc, normalQuantile } from '../../series/stats.js';

export { normalQuantile };

/** Sorted copy in a typed array: sorts natively, several times faster than a comparator. */
function sorted(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function middle(sortedValues: Float64Array): number {
  const n = sortedValues.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2
    ? (sortedValues[mid] as number)
    : ((sortedValues[mid - 1] as number) + (sortedValues[mid] as number)) / 2;
}

/** Median (the mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  return middle(sorted(values));
}

function interpolate(sortedValues: Float64Array, q: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  const at = Math.min(1, Math.max(0, q)) * (sortedValues.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sortedValues.length - 1, lo + 1);
  const low = sortedValues[lo] as number;
  return low + ((sortedValues[hi] as number) - low) * (at - lo);
}

/** Median absolute deviation scaled to a normal standard deviation (1.4826 MAD). */
export function robustScale(values: readonly number[], center = median(values)): number {
  if (values.length === 0) return 0;
  return 1.4826 * median(values.map((v) => Math.abs(v - center)));
}

/**
 * The spread of a window: the larger of the robust scale (1.4826 MAD) and the
 * standard deviation of the values clipped to their 5th-95th percentiles. A
 * short window of a persistent metric spends most of its time near one level
 * and makes a few long excursions; MAD ignores the excursions and so reads the
 * noise as half what it is, while clipping keeps one wild reading from
 * inflating the scale.
 */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const order = sorted(values);
  const lo = interpolate(order, 0.05);
  const hi = interpolate(order, 0.95);
  let mean = 0;
  for (const v of values) mean += Math.min(hi, Math.max(lo, v));
  mean /= values.length;
  let sum = 0;
  for (const v of values) sum += (Math.min(hi, Math.max(lo, v)) - mean) ** 2;
  return Math.max(robustScale(values, middle(order)), Math.sqrt(sum / (values.length - 1)));
}

/** The q-quantile (0..1) of the values by linear interpolation; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  return interpolate(sorted(values), q);
}

/**
 * Lag-1 autocorrelation, corrected for its downward bias in short series
 * (+ (1 + 3 rho) / n, Kendall 1954) and clamped to [0, 0.95]; 0 for fewer
 * than 4 values or no spread. Underestimating it is what makes noise look
 * significant, so the correction leans the safe way.
 */
export function lag1Autocorrelation(values: readonly number[]): number {
  const n = values.length;
  if (n < 4) return 0;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    den += d * d;
    if (i > 0) num += d * ((values[i - 1] as number) - mean);
  }
  if (!(den > 0)) return 0;
  const rho = num / den;
  return Math.min(0.95, Math.max(0, rho + (1 + 3 * rho) / n));
}

/** n (1 - rho) / (1 + rho): how many independent readings the window is worth. */
export function effectiveSize(n: number, rho: number): number {
  return Math.max(1, (n * (1 - rho)) / (1 + rho));
}

/** Two-sided p-value of a standard normal z. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** Readings per piece that the Theil-Sen slope uses (evenly spread). */
const MAX_THEIL_SEN_POINTS = 120;

export interface Segment {
  times: readonly number[];
  values: readonly number[];
}

/**
 * Theil-Sen slope pooled over segments: the median of the slopes between every
 * two readings of the same segment. Robust to a quarter of the readings being
 * outliers, which least squares is not (one stuck exporter reading of 0 would
 * swing it); pooling within segments lets a series that drops at each
 * restart still show the climb between restarts.
 */
export function pooledTheilSen(segments: readonly Segment[]): number {
  // Pairs grow with the square of the readings: long pieces are thinned evenly first.
  const thinned = segments.map(({ times, values }) => ({
    times: thin(times, MAX_THEIL_SEN_POINTS),
    values: thin(values, MAX_THEIL_SEN_POINTS),
  }));
  let pairs = 0;
  for (const { values } of thinned) pairs += (values.length * (values.length - 1)) / 2;
  // A typed array sorts natively, several times faster than an array with a comparator.
  const slopes = new Float64Array(pairs);
  let k = 0;
  for (const { times, values } of thinned) {
    for (let i = 0; i < values.length; i++)
      for (let j = i + 1; j < values.length; j++) {
        const dt = (times[j] as number) - (times[i] as number);
        if (dt > 0) slopes[k++] = ((values[j] as number) - (values[i] as number)) / dt;
      }
  }
  if (k === 0) return 0;
  const found = slopes.subarray(0, k);
  const mid = k >> 1;
  const upper = select(found, mid);
  if (k % 2) return upper;
  // The largest value below the upper middle one is the lower middle one.
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < mid; i++) if ((found[i] as number) > lower) lower = found[i] as number;
  return (lower + upper) / 2;
}

/**
 * The k-th smallest value (0-based), rearranging `values` so that smaller ones
 * come before it (Hoare's quickselect, median-of-three pivot): linear time,
 * where sorting the tens of thousands of pairwise slopes took most of the analysis.
 */
function select(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const a = values[lo] as number;
    const b = values[mid] as number;
    const c = values[hi] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k] as number;
}

/**
 * How sure the slope is: the slope over its standard error, with the residual
 * noise measured robustly (`spread` of the residuals around the pooled line,
 * each piece with its own level) and inflated for their autocorrelation.
 * Why not Mann-Kendall: with the autocorrelation correction its z is capped
 * (at about 0.5 sqrt(n) for rho = 0.95), so even a clean straight line over
 * half an hour of readings could never be significant; the slope's own
 * standard error grows with how far the climb stands out of the noise.
 * `leastRho` lets a short window borrow the autocorrelation measured on a
 * longer stretch of the same series (a short window underestimates it, which
 * is what makes noise look like a trend). Returns z (positive: rising) and the
 * autocorrelation used.
 */
export function slopeZ(
  segments: readonly Segment[],
  slope: number,
  leastRho = 0,
): { z: number; rho: number } {
  const residuals: number[] = [];
  let spreadOfTimes = 0;
  for (const { times, values } of segments) {
    if (values.length < 3) continue;
    const levels = values.map((v, i) => v - slope * (times[i] as number));
    const level = median(levels);
    for (const l of levels) residuals.push(l - level);
    let meanTime = 0;
    for (const t of times) meanTime += t;
    meanTime /= times.length;
    for (const t of times) spreadOfTimes += (t - meanTime) ** 2;
  }
  if (!(spreadOfTimes > 0) || residuals.length < 4) return { z: 0, rho: leastRho };
  const rho = Math.max(leastRho, lag1Autocorrelation(residuals));
  const noise = spread(residuals);
  const se = (noise * Math.sqrt((1 + rho) / (1 - rho))) / Math.sqrt(spreadOfTimes);
  const z = se > 0 ? slope / se : slope === 0 ? 0 : Math.sign(slope) * Number.POSITIVE_INFINITY;
  return { z, rho };
}

/** At most `max` items, evenly spread, first and last included. */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const out: T[] = [];
  for (let k = 0; k < max; k++)
    out.push(items[Math.round((k * (items.length - 1)) / (max - 1))] as T);
  return out;
}
