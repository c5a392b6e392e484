/**
 * Metric readings gathered in one streaming pass into bounded memory: every
 * series (host x metric x resource) shares one time grid that starts at one
 * second and coarsens along sizes that divide each other whenever the span
 * would need more than `maxBuckets` buckets, like the log grid (SeriesSet).
 * Each bucket keeps the sum, count, lowest and highest reading and where the
 * extremes were read, so the analysis sees means for trends, extremes for
 * spikes, and file:line evidence for both. Past `maxSeries` series, readings
 * of new series are counted as dropped.
 *
 * Counters are turned into rates as they come (a reset counts from zero, as
 * Prometheus' rate() does); a partial keeps its first and last raw counter
 * readings so merging partials in input order gives the rates one pass would.
 */

import { nextBucketMs } from '../../series/bucket-chain.js';
import { identifyMetric, type MetricSample } from './health-metrics.js';
import {
  COUNT,
  type CollectedSeries,
  HIGH,
  HIGH_LINE,
  LOW,
  LOW_LINE,
  type MetricSeries,
  type MetricsPartial,
  NO_SOURCE,
  type RawReading,
  SOURCES,
  STRIDE,
  SUM,
  seriesFromPartial,
} from './health-series.js';

const SECOND = 1000;

export interface MetricsCollectorOptions {
  maxSeries?: number;
  maxBuckets?: number;
}

export class MetricsCollector {
  readonly maxSeries: number;
  readonly maxBuckets: number;
  #bucketMs = SECOND;
  #origin: number | undefined;
  #length = 0;
  #capacity = 0;
  readonly #series = new Map<string, CollectedSeries>();
  readonly #sources: string[] = [];
  readonly #sourceIndex = new Map<string, number>();
  #dropped = 0;

  constructor(options: MetricsCollectorOptions = {}) {
    this.maxSeries = options.maxSeries ?? 500;
    this.maxBuckets = options.maxBuckets ?? 1000;
  }

  /** Readings left out because `maxSeries` series were already being kept. */
  get dropped(): number {
    return this.#dropped;
  }

  add(sample: MetricSample): void {
    if (!Number.isFinite(sample.value) || !Number.isFinite(sample.time)) return;
    const series = this.#seriesFor(sample.host, sample.metric, sample.resource);
    if (!series) {
      this.#dropped++;
      return;
    }
    if (!series.identity.counter) {
      const source = sample.source === undefined ? NO_SOURCE : this.#sourceId(sample.source);
      this.#record(series, sample.time, sample.value, source, sample.line ?? -1);
      return;
    }
    const reading: RawReading = {
      time: sample.time,
      value: sample.value,
      ...(sample.source !== undefined ? { source: sample.source } : {}),
      ...(sample.line !== undefined ? { line: sample.line } : {}),
    };
    const previous = series.lastRaw;
    series.firstRaw ??= reading;
    if (previous && reading.time <= previous.time) return;
    series.lastRaw = reading;
    if (previous) this.#recordRate(series, previous, reading);
  }

  /** The rate from one raw counter reading to the next; a reset counts from zero. */
  #recordRate(series: CollectedSeries, from: RawReading, to: RawReading): void {
    const increase = to.value >= from.value ? to.value - from.value : to.value;
    const source = to.source === undefined ? NO_SOURCE : this.#sourceId(to.source);
    const rate = increase / ((to.time - from.time) / SECOND);
    this.#record(series, to.time, rate, source, to.line ?? -1);
  }

  #seriesFor(host: string, metric: string, resource?: string): CollectedSeries | undefined {
    const key = `${host}\u0000${metric}\u0000${resource ?? ''}`;
    let series = this.#series.get(key);
    if (!series && this.#series.size < this.maxSeries) {
      series = {
        host,
        metric,
        ...(resource !== undefined ? { resource } : {}),
        identity: identifyMetric(metric),
        cells: emptyCells(this.#capacity),
      };
      this.#series.set(key, series);
    }
    return series;
  }

  #sourceId(source: string): number {
    let id = this.#sourceIndex.get(source);
    if (id === undefined) {
      id = this.#sources.length < NO_SOURCE ? this.#sources.length : NO_SOURCE;
      if (id !== NO_SOURCE) this.#sources.push(source);
      this.#sourceIndex.set(source, id);
    }
    return id;
  }

  #record(series: CollectedSeries, time: number, value: number, source: number, line: number) {
    const at = this.#slot(time) * STRIDE;
    addToBucket(series.cells, at, value, 1, value, value, line, line, source, source);
  }

  /** The bucket index of `time`, growing or coarsening the grid to hold it. */
  #slot(time: number): number {
    let bucket = Math.floor(time / this.#bucketMs);
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
      bucket = Math.floor(time / this.#bucketMs);
    }
    return bucket - this.#origin;
  }

  #resize(first: number, last: number): void {
    const origin = this.#origin ?? first;
    const length = last - first + 1;
    if (first === origin && length <= this.#capacity) {
      this.#length = length;
      return;
    }
    // Readings mostly come in time order: allocate ahead, as the log grid does.
    const capacity = Math.min(this.maxBuckets, Math.max(length, 2 * this.#capacity, 64));
    const shift = (origin - first) * STRIDE;
    for (const s of this.#series.values()) {
      const grown = emptyCells(capacity);
      grown.set(s.cells.subarray(0, this.#length * STRIDE), shift);
      s.cells = grown;
    }
    this.#origin = first;
    this.#length = length;
    this.#capacity = capacity;
  }

  #regroup(bucketMs: number): void {
    const factor = bucketMs / this.#bucketMs;
    const origin = this.#origin ?? 0;
    const newOrigin = Math.floor(origin / factor);
    const newLength = Math.floor((origin + this.#length - 1) / factor) - newOrigin + 1;
    for (const s of this.#series.values()) {
      const merged = emptyCells(newLength);
      for (let i = 0; i < this.#length; i++) {
        const j = Math.floor((origin + i) / factor) - newOrigin;
        mergeBucket(merged, j * STRIDE, s.cells, i * STRIDE);
      }
      s.cells = merged;
    }
    this.#bucketMs = bucketMs;
    this.#origin = this.#origin === undefined ? undefined : newOrigin;
    this.#length = this.#origin === undefined ? 0 : newLength;
    this.#capacity = this.#length;
  }

  /** Everything gathered so far, as plain data (copied) for `merge` in another thread. */
  partial(): MetricsPartial {
    return {
      bucketMs: this.#bucketMs,
      origin: this.#origin,
      length: this.#length,
      sources: [...this.#sources],
      series: [...this.#series.values()].map((s) => ({
        ...s,
        cells: s.cells.slice(0, this.#length * STRIDE),
      })),
      dropped: this.#dropped,
    };
  }

  /**
   * Adds another collector's readings. Partials merged in input order give what
   * one pass over the whole input gives (counter rates across the seam included).
   */
  merge(part: MetricsPartial): void {
    this.#dropped += part.dropped;
    while (this.#bucketMs < part.bucketMs) {
      this.#regroup(nextBucketMs(this.#bucketMs));
    }
    const sourceIds = part.sources.map((name) => this.#sourceId(name));
    const mapSource = (packed: number) =>
      packed === NO_SOURCE ? NO_SOURCE : (sourceIds[packed] ?? NO_SOURCE);
    for (const other of part.series) {
      const series = this.#seriesFor(other.host, other.metric, other.resource);
      if (!series) {
        for (let i = 0; i < part.length; i++) this.#dropped += other.cells[i * STRIDE + COUNT] ?? 0;
        continue;
      }
      if (series.identity.counter && other.firstRaw) {
        const previous = series.lastRaw;
        series.firstRaw ??= other.firstRaw;
        if (previous && other.firstRaw.time > previous.time)
          this.#recordRate(series, previous, other.firstRaw);
        if (other.lastRaw && !(previous && previous.time >= other.lastRaw.time))
          series.lastRaw = other.lastRaw;
      }
      for (let i = 0; i < part.length; i++) {
        if (!other.cells[i * STRIDE + COUNT]) continue;
        // slot() may grow the grid and swap series.cells: place first, then read.
        const at = this.#slot(((part.origin ?? 0) + i) * part.bucketMs) * STRIDE;
        mergeBucket(series.cells, at, other.cells, i * STRIDE, mapSource);
      }
    }
  }

  /** The series as they stand: means per bucket in their analysis unit, pairs combined. */
  finish(): MetricSeries[] {
    return seriesFromPartial(this.partial());
  }
}

function emptyCells(buckets: number): Float64Array {
  return new Float64Array(buckets * STRIDE);
}

function addToBucket(
  cells: Float64Array,
  at: number,
  sum: number,
  count: number,
  low: number,
  high: number,
  lowLine: number,
  highLine: number,
  lowSource: number,
  highSource: number,
): void {
  const had = (cells[at + COUNT] as number) > 0;
  const sources = cells[at + SOURCES] as number;
  cells[at + SUM] = (cells[at + SUM] as number) + sum;
  cells[at + COUNT] = (cells[at + COUNT] as number) + count;
  let lowId = had ? sources & NO_SOURCE : lowSource;
  let highId = had ? sources >>> 16 : highSource;
  if (!had || low < (cells[at + LOW] as number)) {
    cells[at + LOW] = low;
    cells[at + LOW_LINE] = lowLine;
    lowId = lowSource;
  }
  if (!had || high > (cells[at + HIGH] as number)) {
    cells[at + HIGH] = high;
    cells[at + HIGH_LINE] = highLine;
    highId = highSource;
  }
  cells[at + SOURCES] = highId * 65536 + lowId;
}

function mergeBucket(
  into: Float64Array,
  at: number,
  from: Float64Array,
  fromAt: number,
  mapSource: (id: number) => number = (id) => id,
): void {
  const count = from[fromAt + COUNT] as number;
  if (!count) return;
  const sources = from[fromAt + SOURCES] as number;
  addToBucket(
    into,
    at,
    from[fromAt + SUM] as number,
    count,
    from[fromAt + LOW] as number,
    from[fromAt + HIGH] as number,
    from[fromAt + LOW_LINE] as number,
    from[fromAt + HIGH_LINE] as number,
    mapSource(sources & NO_SOURCE),
    mapSource(sources >>> 16),
  );
}
