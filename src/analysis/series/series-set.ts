/**
 * Many count series on one shared time grid, filled in a single streaming pass
 * before the span (and so the bucket size) is known. The grid starts at one
 * second and coarsens along sizes that divide each other whenever the span
 * would need more than `maxBuckets` buckets, so memory stays bounded whatever
 * the input; `finish()` regroups to the bucket size chosen for the final span.
 */
import { chooseBucketMs } from './bucket.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Each size divides the next, so coarsening merges whole buckets. */
const CHAIN_MS = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  6 * HOUR,
  24 * HOUR,
];

export interface FinishedSeries {
  start: number;
  bucketMs: number;
  series: Map<string, number[]>;
}

export class SeriesSet {
  #bucketMs: number = CHAIN_MS[0] ?? SECOND;
  /** Index (in units of bucketMs since the epoch) of the first bucket. */
  #origin: number | undefined;
  #length = 0;
  readonly #series = new Map<string, number[]>();

  constructor(readonly maxBuckets = 2000) {}

  get bucketMs(): number {
    return this.#bucketMs;
  }

  /** Counts `n` at `timeMs` in series `key`. */
  add(key: string, timeMs: number, n = 1): void {
    let bucket = Math.floor(timeMs / this.#bucketMs);
    if (this.#origin === undefined) {
      this.#origin = bucket;
      this.#length = 1;
    }
    while (bucket < this.#origin || bucket >= this.#origin + this.#length) {
      const first = Math.min(bucket, this.#origin);
      const last = Math.max(bucket, this.#origin + this.#length - 1);
      if (last - first + 1 <= this.maxBuckets) {
        this.#extend(first, last);
        break;
      }
      this.#coarsen();
      bucket = Math.floor(timeMs / this.#bucketMs);
    }
    let counts = this.#series.get(key);
    if (!counts) {
      counts = new Array<number>(this.#length).fill(0);
      this.#series.set(key, counts);
    }
    const index = bucket - this.#origin;
    counts[index] = (counts[index] ?? 0) + n;
  }

  /** Keys of the series that hold any count. */
  keys(): IterableIterator<string> {
    return this.#series.keys();
  }

  #extend(first: number, last: number): void {
    const origin = this.#origin ?? first;
    const before = origin - first;
    const length = last - first + 1;
    for (const [key, counts] of this.#series) {
      const grown = new Array<number>(length).fill(0);
      for (let i = 0; i < counts.length; i++) grown[i + before] = counts[i] ?? 0;
      this.#series.set(key, grown);
    }
    this.#origin = first;
    this.#length = length;
  }

  #coarsen(): void {
    const next = CHAIN_MS.find((size) => size > this.#bucketMs) ?? this.#bucketMs * 4;
    this.#regroup(next);
  }

  #regroup(bucketMs: number): void {
    const factor = bucketMs / this.#bucketMs;
    const origin = this.#origin ?? 0;
    const newOrigin = Math.floor(origin / factor);
    const newLength = Math.floor((origin + this.#length - 1) / factor) - newOrigin + 1;
    for (const [key, counts] of this.#series) {
      const merged = new Array<number>(newLength).fill(0);
      for (let i = 0; i < counts.length; i++) {
        const j = Math.floor((origin + i) / factor) - newOrigin;
        merged[j] = (merged[j] ?? 0) + (counts[i] ?? 0);
      }
      this.#series.set(key, merged);
    }
    this.#bucketMs = bucketMs;
    this.#origin = newOrigin;
    this.#length = newLength;
  }

  /** Regroups to the bucket size chosen for the span seen, and hands the series out. */
  finish(): FinishedSeries | undefined {
    if (this.#origin === undefined) return undefined;
    const span = this.#length * this.#bucketMs;
    const wanted = chooseBucketMs(span);
    if (wanted > this.#bucketMs && wanted % this.#bucketMs === 0) this.#regroup(wanted);
    return {
      start: (this.#origin ?? 0) * this.#bucketMs,
      bucketMs: this.#bucketMs,
      series: this.#series,
    };
  }
}
