/**
 * Many count series on one shared time grid, filled in a single streaming pass
 * before the span (and so the bucket size) is known. The grid starts at one
 * second and coarsens along sizes that divide each other whenever the span
 * would need more than `maxBuckets` buckets, so memory stays bounded whatever
 * the input; `finish()` regroups to the bucket size chosen for the final span.
 *
 * The hot path is two calls per event: `slot(time)` places the time on the
 * grid once, then `bump(series, slot)` counts it in each series it belongs
 * to, through a handle the caller keeps (no key strings built, no map lookup).
 * Grids filled apart (one per worker thread) combine with `snapshot()` and
 * `merge()`.
 */
import { chooseBucketMs } from './bucket.js';
import { BUCKET_CHAIN_MS, nextBucketMs } from './bucket-chain.js';

export interface FinishedSeries {
  start: number;
  bucketMs: number;
  series: Map<string, number[]>;
}

/**
 * A series' counts; the grid swaps the array when it grows or coarsens.
 * A Float64Array, not a plain array: a worker's grid holds hundreds of
 * template series, each of up to maxBuckets counts. Plain arrays had to be
 * filled with zeros when made and were copied by every young-generation
 * collection they survived (megabytes per piece); a typed array's bytes
 * start zeroed, live outside the heap, and grow or pack with one memcpy.
 * Measured on a 64 MB piece of an access log (511 templates), making and
 * packing the template series took about 10 ms with plain arrays, 5 with
 * typed ones.
 */
export interface Series {
  readonly key: string;
  counts: Float64Array;
}

/**
 * A grid as plain data, to pass between threads. Each series holds only its
 * nonzero counts: a worker's grid is mostly rare templates' series, nearly
 * all zeros. All series share two typed arrays, which cross threads as
 * bytes: plain arrays are decoded element by element on the receiving
 * thread, and v8.deserialize makes each typed array through a callback
 * (two per series, thousands per worker partial, took longer than all
 * the rest of the grid's merge).
 */
export interface SeriesSnapshot {
  bucketMs: number;
  /** First bucket, in units of bucketMs since the epoch. */
  origin: number;
  /**
   * Per series, in order: its key, how many counts it has in `counts`, and
   * whether they are dense (from one slot on, one after another) or sparse
   * (each with its slot), whichever is smaller.
   */
  series: [key: string, counts: number, dense: boolean][];
  /** The series' counts, one series after another. */
  counts: Float64Array;
  /** Per series, in order: a dense series' first slot, or each count's slot of a sparse one. */
  slots: Int32Array;
}

/** The nonzero counts of `counts[0, length)`: how many, and their first and last slot. */
function nonzeroOf(
  counts: Float64Array,
  length: number,
): [nonzero: number, first: number, last: number] {
  let nonzero = 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < length; i++)
    if (counts[i] !== 0) {
      nonzero++;
      if (first < 0) first = i;
      last = i;
    }
  return [nonzero, first, last];
}

/** Dense (8 bytes per slot from the first nonzero to the last) when no larger than sparse (12 per nonzero count). */
const isDense = (nonzero: number, first: number, last: number) =>
  8 * (last - first + 1) <= 12 * nonzero;

export class SeriesSet {
  #bucketMs: number = BUCKET_CHAIN_MS[0] ?? 1000;
  /** Index (in units of bucketMs since the epoch) of the first bucket. */
  #origin: number | undefined;
  #length = 0;
  /** Buckets allocated in every counts array (>= #length): growing forward is usually free. */
  #capacity = 0;
  readonly #series = new Map<string, Series>();

  /**
   * `startBucketMs`: a size of the chain to start at instead of the finest,
   * when the span is known to need it (see AnalyzerLimits.start): the grid
   * ends the same, having skipped the finer sizes on the way.
   */
  constructor(
    readonly maxBuckets = 2000,
    startBucketMs?: number,
  ) {
    if (startBucketMs !== undefined && BUCKET_CHAIN_MS.includes(startBucketMs))
      this.#bucketMs = startBucketMs;
  }

  get bucketMs(): number {
    return this.#bucketMs;
  }

  /** The series called `key`, created empty on first use. */
  series(key: string): Series {
    let s = this.#series.get(key);
    if (!s) {
      s = { key, counts: new Float64Array(this.#capacity) };
      this.#series.set(key, s);
    }
    return s;
  }

  /**
   * The index of `timeMs` on the grid, growing or coarsening the grid to
   * cover it. Valid for `bump` until the next call to `slot` or `add`.
   */
  slot(timeMs: number): number {
    let bucket = Math.floor(timeMs / this.#bucketMs);
    if (this.#origin === undefined) {
      this.#origin = bucket;
      this.#resize(bucket, bucket);
    }
    while (bucket < this.#origin || bucket >= this.#origin + this.#length) {
      const first = Math.min(bucket, this.#origin);
      const last = Math.max(bucket, this.#origin + this.#length - 1);
      if (last - first + 1 <= this.maxBuckets) {
        this.#resize(first, last);
        break;
      }
      this.#regroup(nextBucketMs(this.#bucketMs));
      bucket = Math.floor(timeMs / this.#bucketMs);
    }
    return bucket - this.#origin;
  }

  /** Counts `n` in `series` at a slot from `slot()`. */
  bump(series: Series, slot: number, n = 1): void {
    series.counts[slot] = (series.counts[slot] as number) + n;
  }

  /** Counts `n` at `timeMs` in series `key` (the convenient, slower form). */
  add(key: string, timeMs: number, n = 1): void {
    const series = this.series(key);
    this.bump(series, this.slot(timeMs), n);
  }

  /** Keys of the series that hold any count. */
  keys(): IterableIterator<string> {
    return this.#series.keys();
  }

  /**
   * The grid as plain data (copied), for `merge` in another thread. Plain
   * loops, no closures: a worker makes a snapshot per piece, and a closure
   * made anew per call was compiled anew per piece.
   */
  snapshot(): SeriesSnapshot | undefined {
    if (this.#origin === undefined) return undefined;
    const all = [...this.#series.values()];
    const shapes: [nonzero: number, first: number, last: number][] = [];
    let countsSize = 0;
    let slotsSize = 0;
    for (const s of all) {
      const shape = nonzeroOf(s.counts, this.#length);
      shapes.push(shape);
      const [nonzero, first, last] = shape;
      if (nonzero === 0) continue;
      const dense = isDense(nonzero, first, last);
      countsSize += dense ? last - first + 1 : nonzero;
      slotsSize += dense ? 1 : nonzero;
    }
    const counts = new Float64Array(countsSize);
    const slots = new Int32Array(slotsSize);
    const series: SeriesSnapshot['series'] = [];
    let c = 0;
    let at = 0;
    for (let k = 0; k < all.length; k++) {
      const s = all[k] as Series;
      const [nonzero, first, last] = shapes[k] as [number, number, number];
      if (nonzero === 0) {
        series.push([s.key, 0, true]);
        continue;
      }
      const dense = isDense(nonzero, first, last);
      if (dense) {
        counts.set(s.counts.subarray(first, last + 1), c);
        slots[at++] = first;
        c += last - first + 1;
      } else
        for (let i = first; i <= last; i++)
          if (s.counts[i] !== 0) {
            counts[c++] = s.counts[i] as number;
            slots[at++] = i;
          }
      series.push([s.key, dense ? last - first + 1 : nonzero, dense]);
    }
    return { bucketMs: this.#bucketMs, origin: this.#origin, series, counts, slots };
  }

  /**
   * Adds the counts of another grid, renaming its keys with `rename` (a key
   * mapped to undefined is left out). The finer grid is coarsened to the
   * coarser one first, so no count lands in the wrong bucket.
   */
  merge(other: SeriesSnapshot, rename: (key: string) => string | undefined = (k) => k): void {
    while (this.#bucketMs < other.bucketMs) this.#regroup(nextBucketMs(this.#bucketMs));
    const { counts, slots } = other;
    // The grid is made to cover the other's whole span first (one resize or
    // regroup at most), so that each count's slot is arithmetic: the main
    // thread merges hundreds of series per worker partial, and placing each
    // count with `slot` was most of the time. Bucket sizes divide each other.
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (let k = 0, at = 0; k < other.series.length; k++) {
      const [, n, dense] = other.series[k] as SeriesSnapshot['series'][number];
      if (n === 0) continue;
      const from = slots[at] as number;
      const to = dense ? from + n - 1 : (slots[at + n - 1] as number);
      if (from < first) first = from;
      if (to > last) last = to;
      at += dense ? 1 : n;
    }
    if (first > last) return;
    this.slot((other.origin + first) * other.bucketMs);
    this.slot((other.origin + last) * other.bucketMs);
    const factor = this.#bucketMs / other.bucketMs;
    const origin = this.#origin as number;
    let c = 0;
    let at = 0;
    for (const [key, n, dense] of other.series) {
      // Renamed even when empty, as the renaming may make the series (see Analyzer.merge).
      const name = rename(key);
      if (n === 0) continue;
      if (name !== undefined) {
        const series = this.series(name);
        for (let i = 0; i < n; i++) {
          const count = counts[c + i] as number;
          const slot = dense ? (slots[at] as number) + i : (slots[at + i] as number);
          if (count !== 0)
            this.bump(series, Math.floor((other.origin + slot) / factor) - origin, count);
        }
      }
      c += n;
      at += dense ? 1 : n;
    }
  }

  #resize(first: number, last: number): void {
    const origin = this.#origin ?? first;
    const length = last - first + 1;
    if (first === origin && length <= this.#capacity) {
      this.#length = length;
      return;
    }
    // Events mostly come in time order, one new bucket at a time: allocate ahead, by
    // large steps (a grid holds hundreds of template series, each copied at each step).
    const capacity = Math.min(this.maxBuckets, Math.max(length, 4 * this.#capacity, 256));
    const before = origin - first;
    for (const s of this.#series.values()) {
      const grown = new Float64Array(capacity);
      grown.set(s.counts.subarray(0, this.#length), before);
      s.counts = grown;
    }
    this.#origin = first;
    this.#length = length;
    this.#capacity = capacity;
  }

  #regroup(bucketMs: number): void {
    if (this.#origin === undefined) {
      this.#bucketMs = bucketMs;
      return;
    }
    const factor = bucketMs / this.#bucketMs;
    const origin = this.#origin;
    const newOrigin = Math.floor(origin / factor);
    const newLength = Math.floor((origin + this.#length - 1) / factor) - newOrigin + 1;
    for (const s of this.#series.values()) {
      const merged = new Float64Array(newLength);
      for (let i = 0; i < this.#length; i++) {
        const j = Math.floor((origin + i) / factor) - newOrigin;
        merged[j] = (merged[j] as number) + (s.counts[i] as number);
      }
      s.counts = merged;
    }
    this.#bucketMs = bucketMs;
    this.#origin = newOrigin;
    this.#length = newLength;
    this.#capacity = newLength;
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
      series: new Map(
        [...this.#series.values()].map((s) => [
          s.key,
          Array.from(s.counts.subarray(0, this.#length)),
        ]),
      ),
    };
  }
}
