/**
 * A log-bucketed histogram of durations: the DDSketch mapping (Masson, Rim & Lee,
 * "DDSketch: a fast and fully-mergeable quantile sketch with relative-error
 * guarantees", VLDB 2019). A duration d falls in bin ceil(log_gamma d), and every
 * bin is read as one value within RELATIVE_ACCURACY of all the durations in it, so
 * quantiles are accurate to 4% whatever the distribution (180 ms and 2.4 s alike):
 * the resolution of Prometheus' native histograms at their default schema, ample
 * for "p95 went from 180 ms to 2.4 s", and half the bins of 2% (the sketches of a
 * large input are merged bin by bin across threads, and sent between them).
 * Two histograms merge by adding counts: exact, in any order.
 *
 * Hand-written: it is a few lines, it sits on the per-request hot path (one log and
 * one array increment), and its state must be plain structured-clonable data for
 * worker threads, which the npm sketches (class instances) are not. Counts are a
 * dense array over the keys seen; at most MAX_BINS of them, beyond which the
 * lowest keys fold into one (blurring only the fastest requests). The fold depends
 * only on the largest key seen, so it too is independent of order.
 */
export const RELATIVE_ACCURACY = 0.04;

const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Durations below this (0 ms in most access logs) count in a bin of their own, read as 0. */
export const MIN_MS = 1e-3;
/** 1.083^250 = 5e8: the slowest bin and the 8.7 orders of magnitude below it. */
const MAX_BINS = 250;
/** Fewest spare bins allocated beside the keys seen (see relayout). */
const PAD = 16;

/** Counts by key k, each bin holding durations in (GAMMA^(k-1), GAMMA^k] ms. */
export interface Histogram {
  /** Key of counts[0]. */
  offset: number;
  /**
   * A plain array, not a Uint32Array: typed arrays keep their bytes outside
   * the JavaScript heap, where thousands of small ones, replaced as they
   * grow, swelled the process by a hundred MB before a collection freed them.
   */
  counts: number[];
  /** Largest key seen (-Infinity when none): fixes which low keys are folded. */
  top: number;
  zeros: number;
  total: number;
}

/** A histogram read, never written: its counts may be a view on a packed array. */
export type HistogramView = Omit<Readonly<Histogram>, 'counts'> & { counts: ArrayLike<number> };

export const emptyHistogram = (): Histogram => ({
  offset: 0,
  counts: [],
  top: Number.NEGATIVE_INFINITY,
  zeros: 0,
  total: 0,
});
export const keyOf = (ms: number) => Math.ceil(Math.log(ms) / LOG_GAMMA);
/** The value read for a key: within RELATIVE_ACCURACY of every duration in its bin. */
export const readKey = (key: number) => (2 * GAMMA ** key) / (GAMMA + 1);

/**
 * Lays the histogram out over [lo, top + pad], folding keys below the floor
 * into it. The spare bins on each side are as many as half those in use (at
 * least PAD): growing by the bins needed only would reallocate at each new
 * extreme, and in a long pass with thousands of histograms those discarded
 * arrays were most of the garbage that reached the old generation.
 */
function relayout(h: Histogram, low: number): void {
  const floor = h.top - MAX_BINS + 1;
  const pad = Math.max(PAD, h.counts.length >> 1);
  const lo = Math.max(floor, Math.min(low, h.counts.length ? h.offset : low) - pad);
  const counts = new Array<number>(h.top + pad - lo + 1).fill(0);
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i] as number;
    const j = Math.max(h.offset + i, lo) - lo;
    if (c) counts[j] = (counts[j] as number) + c;
  }
  h.offset = lo;
  h.counts = counts;
}

/** Whether the layout holds keys low..high and folds nothing it should no longer fold. */
const holds = (h: Histogram, low: number, high: number) =>
  low >= h.offset && high < h.offset + h.counts.length && h.offset >= h.top - MAX_BINS + 1;

export function addKey(h: Histogram, key: number, n: number): void {
  h.total += n;
  if (key === Number.NEGATIVE_INFINITY) {
    h.zeros += n;
    return;
  }
  if (key > h.top) h.top = key;
  const k = Math.max(key, h.top - MAX_BINS + 1);
  if (!holds(h, k, k)) relayout(h, k);
  h.counts[k - h.offset] = (h.counts[k - h.offset] as number) + n;
}

export function mergeInto(into: Histogram, from: HistogramView): void {
  mergeBins(into, from.counts, 0, from.counts.length, from.offset, from.top, from.zeros);
}

/**
 * Adds the histogram whose `bins` counts, of the keys from `offset` up, are
 * `counts[start, start + bins)`: a histogram packed among others in one
 * array (see latency.ts `pack`) is merged where it lies, without a view or
 * an object made for it.
 */
export function mergeBins(
  into: Histogram,
  counts: ArrayLike<number>,
  start: number,
  bins: number,
  offset: number,
  top: number,
  zeros: number,
): void {
  if (top > into.top) into.top = top;
  // laid out once for the whole range merged (not grown key by key below)
  const low = Math.max(offset, into.top - MAX_BINS + 1);
  const high = offset + bins - 1;
  if (bins && !holds(into, low, high)) relayout(into, low);
  into.zeros += zeros;
  into.total += zeros;
  if (bins && offset >= into.top - MAX_BINS + 1) {
    // Nothing to fold, and the layout holds every key up to `top` (the
    // bins past it, spare ones, are empty): add bin to bin.
    const shift = offset - into.offset - start;
    const end = start + Math.min(bins, top - offset + 1);
    for (let i = start; i < end; i++) {
      const c = counts[i] as number;
      into.counts[shift + i] = (into.counts[shift + i] as number) + c;
      into.total += c;
    }
    return;
  }
  for (let i = 0; i < bins; i++) {
    const c = counts[start + i] as number;
    if (c) addKey(into, offset + i, c);
  }
}

/** The lower q-quantile (the value of rank q(n-1)), undefined for an empty histogram. */
export function quantileOf(h: Histogram, q: number): number | undefined {
  if (h.total === 0) return undefined;
  const rank = Math.max(0, Math.min(1, q)) * (h.total - 1);
  if (rank < h.zeros) return 0;
  let seen = h.zeros;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i] as number;
    if (seen > rank) return readKey(h.offset + i);
  }
  return readKey(h.top);
}

/** Durations in bins above the bin of `ms`: slower than `ms`, to the sketch's accuracy. */
export function countAbove(h: Histogram, ms: number): number {
  const key = ms < MIN_MS ? Number.NEGATIVE_INFINITY : keyOf(ms);
  let above = 0;
  for (let i = h.counts.length - 1; i >= 0 && h.offset + i > key; i--)
    above += h.counts[i] as number;
  return above;
}

/**
 * Keys of the whole milliseconds below 2^16, each computed when first met:
 * access logs give $request_time to the millisecond, and a load is cheaper
 * than a logarithm on every request.
 */
const UNKNOWN = -0x8000;
const KEY_OF_WHOLE_MS = new Int16Array(1 << 16).fill(UNKNOWN);

/** The key of a duration: durations below MIN_MS share the key -Infinity, read as 0. */
export function keyOfDuration(ms: number): number {
  const whole = ms | 0;
  if (whole === ms && whole > 0 && whole < 1 << 16) {
    let key = KEY_OF_WHOLE_MS[whole] as number;
    if (key === UNKNOWN) {
      key = keyOf(whole);
      KEY_OF_WHOLE_MS[whole] = key;
    }
    return key;
  }
  return ms < MIN_MS ? Number.NEGATIVE_INFINITY : keyOf(ms);
}
