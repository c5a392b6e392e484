/**
 * Time buckets for counting events: a "nice" bucket size for a time span, and a dense,
 * memory-bounded count series to accumulate into.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The bucket sizes a person reads without arithmetic, smallest first. */
export const NICE_BUCKETS_MS: readonly number[] = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  6 * HOUR,
  DAY,
];

/** Most buckets a span is cut into by `chooseBucketMs`. */
export const MAX_BUCKETS = 500;

/**
 * The finest nice bucket size that cuts `spanMs` into at most MAX_BUCKETS buckets.
 * The nice sizes are at most 6x apart, so a span of a minute or more gets between
 * ~83 and 500 buckets (fine enough to place an onset, coarse enough to have counts in
 * each bucket). Shorter spans get 1-second buckets; spans beyond 500 days get whole
 * days, as many as keep the count at most 500. Invalid spans get 1 second.
 */
export function chooseBucketMs(spanMs: number): number {
  if (!Number.isFinite(spanMs) || spanMs <= 0) return SECOND;
  for (const size of NICE_BUCKETS_MS) if (spanMs / size <= MAX_BUCKETS) return size;
  return Math.ceil(spanMs / DAY / MAX_BUCKETS) * DAY;
}

/** Number of buckets of `bucketMs` from the bucket holding `startMs` to the one holding `endMs`. */
export function bucketCount(startMs: number, endMs: number, bucketMs: number): number {
  if (!(endMs >= startMs) || !(bucketMs > 0)) return 0;
  return Math.floor(endMs / bucketMs) - Math.floor(startMs / bucketMs) + 1;
}

export interface CountSeriesOptions {
  /** Bucket size in milliseconds (a positive integer). */
  bucketMs: number;
  /**
   * Start of the first bucket, rounded down to a bucket boundary; events before it are
   * dropped. Default: the bucket of the earliest event (the series then grows both ways).
   */
  startMs?: number;
  /** Most buckets kept (memory bound); events beyond are counted in `dropped`. Default 10,000. */
  maxBuckets?: number;
}

/**
 * Event counts per time bucket, dense from the first bucket to the last one touched.
 * Buckets are aligned on multiples of `bucketMs` since the epoch (UTC), so two series
 * with the same bucket size line up. Memory is bounded: at most `maxBuckets` counts are
 * kept; an event that would need more (too far before or after the others), or that has
 * an invalid time, is not counted but added to `dropped`.
 */
export class CountSeries {
  readonly bucketMs: number;
  readonly maxBuckets: number;
  /** Events (sum of n) not counted: invalid time or outside the bounded range. */
  dropped = 0;
  #origin: number | undefined;
  readonly #fixedStart: boolean;
  #counts: number[] = [];

  constructor(options: CountSeriesOptions) {
    const bucketMs = Math.floor(options.bucketMs);
    if (!(bucketMs >= 1)) throw new RangeError(`bucketMs must be >= 1, got ${options.bucketMs}`);
    this.bucketMs = bucketMs;
    this.maxBuckets = Math.max(1, Math.floor(options.maxBuckets ?? 10_000));
    this.#fixedStart = options.startMs !== undefined && Number.isFinite(options.startMs);
    if (this.#fixedStart) this.#origin = Math.floor((options.startMs as number) / bucketMs);
  }

  /** A series whose buckets cover [startMs, endMs], with the bucket size chosen for that span. */
  static forSpan(startMs: number, endMs: number, maxBuckets?: number): CountSeries {
    const bucketMs = chooseBucketMs(endMs - startMs);
    return new CountSeries({ bucketMs, startMs, maxBuckets });
  }

  /** Counts `n` events (default 1) at `timeMs`; false when they were dropped instead. */
  add(timeMs: number, n = 1): boolean {
    if (!Number.isFinite(n) || n <= 0) return n === 0;
    if (!Number.isFinite(timeMs)) {
      this.dropped += n;
      return false;
    }
    const bucket = Math.floor(timeMs / this.bucketMs);
    if (this.#origin === undefined) this.#origin = bucket;
    let index = bucket - this.#origin;
    if (index < 0) {
      if (this.#fixedStart || this.#counts.length - index > this.maxBuckets) {
        this.dropped += n;
        return false;
      }
      this.#counts = [...new Array<number>(-index).fill(0), ...this.#counts];
      this.#origin = bucket;
      index = 0;
    } else if (index >= this.maxBuckets) {
      this.dropped += n;
      return false;
    }
    while (this.#counts.length <= index) this.#counts.push(0);
    this.#counts[index] = (this.#counts[index] ?? 0) + n;
    return true;
  }

  /** Number of buckets from the first to the last one touched. */
  get length(): number {
    return this.#counts.length;
  }

  /** Start (epoch ms) of the first bucket, or undefined before anything was added. */
  get startMs(): number | undefined {
    return this.#origin === undefined ? undefined : this.#origin * this.bucketMs;
  }

  /** Start (epoch ms) of bucket `index`. */
  bucketStart(index: number): number {
    return ((this.#origin ?? 0) + index) * this.bucketMs;
  }

  /** Index of the bucket holding `timeMs` (may be negative or beyond the end). */
  indexOf(timeMs: number): number {
    return (
      Math.floor(timeMs / this.bucketMs) - (this.#origin ?? Math.floor(timeMs / this.bucketMs))
    );
  }

  /**
   * The counts, one per bucket, as a new array. With `length` (at most maxBuckets),
   * padded with zeros or cut to exactly that many buckets, e.g. to line up with another
   * series or to run up to "now".
   */
  counts(length?: number): number[] {
    const size =
      length === undefined || !Number.isFinite(length)
        ? this.#counts.length
        : Math.min(this.maxBuckets, Math.max(0, Math.floor(length)));
    const out = this.#counts.slice(0, size);
    while (out.length < size) out.push(0);
    return out;
  }

  /** Total of the counted events. */
  total(): number {
    return this.#counts.reduce((sum, c) => sum + c, 0);
  }
}
