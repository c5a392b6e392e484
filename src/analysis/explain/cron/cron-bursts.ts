/**
 * Error bursts for the cron alignment: when errors started, again and again.
 *
 * The collector counts error times in fine buckets (1 s) during the single
 * streaming pass; it keeps at most `maxBuckets` non-empty buckets and
 * coarsens (1 s, 5 s, 10 s, 30 s, 1 min, ...; each size divides the next)
 * when there would be more, so memory is bounded whatever the input.
 * Collectors filled apart (one per worker thread) merge into exactly what one
 * collector would hold: the final size is always the finest whose non-empty
 * buckets fit, and counts add.
 *
 * Why bursts rather than every error: one timeout storm logs hundreds of
 * errors, and counting them one by one would let a single storm look like a
 * pattern. A burst is a run of "active" 10 s buckets (more errors than the
 * hour's background makes likely), with at most one quiet bucket inside.
 * With sparse errors every error bucket is active; on a busy error
 * background only spikes are, so a steady 1% of 500s does not merge the
 * whole day into one burst and hide the spikes a cron job causes.
 */
import { nextBucketMs } from '../../series/bucket-chain.js';
import { poissonThreshold } from './cron-stats.js';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
/** Bursts are found on buckets of at least this size: long enough to gather a spike's errors. */
const DETECTION_MS = 10 * SECOND;
/** A bucket is active when the hour's background would give it so many errors this rarely. */
const ACTIVE_TAIL = 0.01;
/** The background is the mean of the hour's quietest buckets: spikes do not raise their own bar. */
const BACKGROUND_SHARE = 0.9;

/** A collector as plain data, to pass between threads. */
export interface ErrorBurstsPartial {
  resolutionMs: number;
  /** [bucket index (time / resolutionMs, floored), error count]. */
  buckets: [bucket: number, count: number][];
}

/** Error bursts, ascending by start. */
export interface ErrorBursts {
  /** How precise the starts are. */
  resolutionMs: number;
  /** Each burst's start (epoch ms): the start of the first fine bucket with an error. */
  starts: Float64Array;
  /** Errors in each burst's active buckets. */
  sizes: Float64Array;
}

const nextSize = (ms: number) => nextBucketMs(ms, 2);

export class ErrorBurstCollector {
  #resolutionMs = SECOND;
  #counts = new Map<number, number>();

  constructor(readonly maxBuckets = 50_000) {}

  get resolutionMs(): number {
    return this.#resolutionMs;
  }

  /** Counts `n` errors at `time` (epoch ms). */
  add(time: number, n = 1): void {
    if (!Number.isFinite(time)) return;
    const bucket = Math.floor(time / this.#resolutionMs);
    this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + n);
    if (this.#counts.size > this.maxBuckets) this.#coarsen();
  }

  partial(): ErrorBurstsPartial {
    return { resolutionMs: this.#resolutionMs, buckets: [...this.#counts] };
  }

  merge(part: ErrorBurstsPartial): void {
    while (this.#resolutionMs < part.resolutionMs) this.#regroup(nextSize(this.#resolutionMs));
    const factor = this.#resolutionMs / part.resolutionMs;
    for (const [bucket, count] of part.buckets) {
      const mine = Math.floor(bucket / factor);
      this.#counts.set(mine, (this.#counts.get(mine) ?? 0) + count);
    }
    if (this.#counts.size > this.maxBuckets) this.#coarsen();
  }

  bursts(): ErrorBursts {
    return findErrorBursts(this.partial());
  }

  #coarsen(): void {
    while (this.#counts.size > this.maxBuckets) this.#regroup(nextSize(this.#resolutionMs));
  }

  #regroup(resolutionMs: number): void {
    const factor = resolutionMs / this.#resolutionMs;
    const counts = new Map<number, number>();
    for (const [bucket, count] of this.#counts) {
      const coarse = Math.floor(bucket / factor);
      counts.set(coarse, (counts.get(coarse) ?? 0) + count);
    }
    this.#counts = counts;
    this.#resolutionMs = resolutionMs;
  }
}

/** Sum of the smallest `take` of `values` padded with zeros to `size`. */
function sumOfSmallest(values: number[], size: number, take: number): number {
  const fromValues = take - (size - values.length);
  if (fromValues <= 0) return 0;
  values.sort((a, b) => a - b);
  let sum = 0;
  for (let i = 0; i < fromValues && i < values.length; i++) sum += values[i] as number;
  return sum;
}

/** The bursts in a collector's counts (see the module comment for what a burst is). */
export function findErrorBursts(counts: ErrorBurstsPartial): ErrorBursts {
  const resolutionMs = counts.resolutionMs;
  const detectionMs = Math.max(resolutionMs, DETECTION_MS);
  const factor = detectionMs / resolutionMs;
  const fine = [...counts.buckets].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  // Detection buckets in time order, each with its first fine bucket's start.
  const keys: number[] = [];
  const sums: number[] = [];
  const firsts: number[] = [];
  for (const [bucket, n] of fine) {
    const key = Math.floor(bucket / factor);
    if (keys.at(-1) === key) sums[sums.length - 1] = (sums.at(-1) as number) + n;
    else {
      keys.push(key);
      sums.push(n);
      firsts.push(bucket * resolutionMs);
    }
  }
  const blockMs = Math.max(HOUR, 60 * detectionMs);
  const perBlock = blockMs / detectionMs;
  const blockOf = (key: number) => Math.floor((key * detectionMs) / blockMs);
  const thresholds = new Map<number, number>();
  for (let i = 0; i < keys.length; ) {
    const block = blockOf(keys[i] as number);
    const values: number[] = [];
    for (; i < keys.length && blockOf(keys[i] as number) === block; i++)
      values.push(sums[i] as number);
    const take = Math.floor(BACKGROUND_SHARE * perBlock);
    thresholds.set(
      block,
      poissonThreshold(sumOfSmallest(values, perBlock, take) / take, ACTIVE_TAIL),
    );
  }
  const starts: number[] = [];
  const sizes: number[] = [];
  let lastActive = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number;
    const n = sums[i] as number;
    if (n < (thresholds.get(blockOf(key)) ?? 1)) continue;
    // At most one quiet bucket inside a burst.
    if (key - lastActive > 2) {
      starts.push(firsts[i] as number);
      sizes.push(n);
    } else sizes[sizes.length - 1] = (sizes.at(-1) as number) + n;
    lastActive = key;
  }
  return { resolutionMs, starts: Float64Array.from(starts), sizes: Float64Array.from(sizes) };
}
