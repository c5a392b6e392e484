/**
 * A log-bucketed histogram of durations: the DDSketch mapping (Masson, Rim & Lee,
 * "DDSketch: a fast and fully-mergeable quantile sketch with relative-error
 * guarantees", VLDB 2019). A duration d falls in bin ceil(log_gamma d), and every
 * bin is read as one value within RELATIVE_ACCURACY of all the durations in it, so
 * quantiles are accurate to 2% whatever the distribution (180 ms and 2.4 s alike).
 * Two histograms merge by adding counts: exact, in any order.
 *
 * Hand-written: it is a few lines, it sits on the per-request hot path (one log and
 * one array increment), and its state must be plain structured-clonable data for
 * worker threads, which the npm sketches (class instances) are not. Counts are a
 * dense Uint32Array over the keys seen; at most MAX_BINS of them, beyond which the
 * lowest keys fold into one (blurring only the fastest requests). The fold depends
 * only on the largest key seen, so it too is independent of order.
 */
export const RELATIVE_ACCURACY = 0.02;

const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Durations below this (0 ms in most access logs) count in a bin of their own, read as 0. */
export const MIN_MS = 1e-3;
const MAX_BINS = 400;
/** Spare bins allocated beside the keys seen, so that growing rarely reallocates. */
const PAD = 8;

/** Counts by key k, each bin holding durations in (GAMMA^(k-1), GAMMA^k] ms. */
export interface Histogram {
  /** Key of counts[0]. */
  offset: number;
  counts: Uint32Array;
  /** Largest key seen (-Infinity when none): fixes which low keys are folded. */
  top: number;
  zeros: number;
  total: number;
}

export const emptyHistogram = (): Histogram => ({
  offset: 0,
  counts: new Uint32Array(0),
  top: Number.NEGATIVE_INFINITY,
  zeros: 0,
  total: 0,
});
export const keyOf = (ms: number) => Math.ceil(Math.log(ms) / LOG_GAMMA);
/** The value read for a key: within RELATIVE_ACCURACY of every duration in its bin. */
export const readKey = (key: number) => (2 * GAMMA ** key) / (GAMMA + 1);

/** Lays the histogram out over [lo, top + PAD], folding keys below the floor into it. */
function relayout(h: Histogram, low: number): void {
  const floor = h.top - MAX_BINS + 1;
  const lo = Math.max(floor, Math.min(low, h.counts.length ? h.offset : low) - PAD);
  const counts = new Uint32Array(h.top + PAD - lo + 1);
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i] as number;
    const j = Math.max(h.offset + i, lo) - lo;
    if (c) counts[j] = (counts[j] as number) + c;
  }
  h.offset = lo;
  h.counts = counts;
}

export function addKey(h: Histogram, key: number, n: number): void {
  h.total += n;
  if (key === Number.NEGATIVE_INFINITY) {
    h.zeros += n;
    return;
  }
  if (key > h.top) h.top = key;
  const k = Math.max(key, h.top - MAX_BINS + 1);
  if (k < h.offset || k >= h.offset + h.counts.length || h.offset < h.top - MAX_BINS + 1)
    relayout(h, k);
  h.counts[k - h.offset] = (h.counts[k - h.offset] as number) + n;
}

export function mergeInto(into: Histogram, from: Histogram): void {
  if (from.top > into.top) into.top = from.top;
  if (from.counts.length) relayout(into, from.offset);
  into.zeros += from.zeros;
  into.total += from.zeros;
  for (let i = 0; i < from.counts.length; i++) {
    const c = from.counts[i] as number;
    if (c) addKey(into, from.offset + i, c);
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

/** The key of a duration: durations below MIN_MS share the key -Infinity, read as 0. */
export const keyOfDuration = (ms: number) => (ms < MIN_MS ? Number.NEGATIVE_INFINITY : keyOf(ms));
