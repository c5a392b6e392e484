/**
 * Errors and traffic counted in 5-minute buckets of UTC time, bounded: past
 * 128 days the buckets double (10, 20 ... 160 min, each dividing a day), so
 * memory stays under ~600 kB whatever the span. The time-of-day question
 * reads it by local day; the periodicity question folds it for periods of
 * hours and takes from it the time the evidence covers. Zones are applied
 * only when reading, so the hot path is one division and two increments.
 */
import { DAY, MINUTE, SECOND } from './phase.js';

const BASE_BUCKET_MS = 5 * MINUTE;
const MAX_BUCKETS = 128 * (DAY / BASE_BUCKET_MS);

/** Counts on the UTC bucket grid, as plain data for another thread. */
export interface ClockSeriesPartial {
  bucketMs: number;
  /** First bucket, in units of bucketMs since the epoch. */
  origin: number;
  errors: Float64Array;
  traffic: Float64Array;
  from: number;
  to: number;
}

/** The grid seen from outside, with the ms of each bucket that the evidence covers. */
export interface ClockSeries extends ClockSeriesPartial {
  coveredMs: Float64Array;
}

/** Streaming collector of errors and traffic on the UTC bucket grid, bounded and mergeable. */
export class ClockSeriesCollector {
  #bucketMs = BASE_BUCKET_MS;
  #origin = 0;
  #length = 0;
  #errors = new Float64Array(0);
  #traffic = new Float64Array(0);
  #from = Number.POSITIVE_INFINITY;
  #to = Number.NEGATIVE_INFINITY;

  add(time: number, isError: boolean): void {
    if (time < this.#from) this.#from = time;
    if (time > this.#to) this.#to = time;
    let i = Math.floor(time / this.#bucketMs) - this.#origin;
    if (!(i >= 0 && i < this.#length)) i = this.#grow(time);
    this.#traffic[i] = (this.#traffic[i] as number) + 1;
    if (isError) this.#errors[i] = (this.#errors[i] as number) + 1;
  }

  /** An error whose traffic is counted apart (with `addTraffic`). */
  addError(time: number): void {
    if (time < this.#from) this.#from = time;
    if (time > this.#to) this.#to = time;
    let i = Math.floor(time / this.#bucketMs) - this.#origin;
    if (!(i >= 0 && i < this.#length)) i = this.#grow(time);
    this.#errors[i] = (this.#errors[i] as number) + 1;
  }

  /** Non-error events counted with a weight (e.g. 1 / sampling rate). */
  addTraffic(time: number, weight: number): void {
    if (time < this.#from) this.#from = time;
    if (time > this.#to) this.#to = time;
    let i = Math.floor(time / this.#bucketMs) - this.#origin;
    if (!(i >= 0 && i < this.#length)) i = this.#grow(time);
    this.#traffic[i] = (this.#traffic[i] as number) + weight;
  }

  #grow(time: number): number {
    for (;;) {
      const bucket = Math.floor(time / this.#bucketMs);
      const first = this.#length ? Math.min(bucket, this.#origin) : bucket;
      const last = this.#length ? Math.max(bucket, this.#origin + this.#length - 1) : bucket;
      const length = last - first + 1;
      if (length > MAX_BUCKETS) {
        this.#coarsen();
        continue;
      }
      const shift = this.#length ? this.#origin - first : 0;
      if (shift > 0 || length > this.#errors.length) {
        const capacity = Math.min(MAX_BUCKETS, Math.max(length, 2 * this.#errors.length, 288));
        const errors = new Float64Array(capacity);
        const traffic = new Float64Array(capacity);
        errors.set(this.#errors.subarray(0, this.#length), shift);
        traffic.set(this.#traffic.subarray(0, this.#length), shift);
        this.#errors = errors;
        this.#traffic = traffic;
      }
      this.#origin = first;
      this.#length = length;
      return bucket - first;
    }
  }

  /** Doubles the bucket size (rare: only past MAX_BUCKETS of span). */
  #coarsen(): void {
    const origin = Math.floor(this.#origin / 2);
    const length = Math.floor((this.#origin + this.#length - 1) / 2) - origin + 1;
    const errors = new Float64Array(length);
    const traffic = new Float64Array(length);
    for (let i = 0; i < this.#length; i++) {
      const j = Math.floor((this.#origin + i) / 2) - origin;
      errors[j] = (errors[j] as number) + (this.#errors[i] as number);
      traffic[j] = (traffic[j] as number) + (this.#traffic[i] as number);
    }
    this.#errors = errors;
    this.#traffic = traffic;
    this.#origin = origin;
    this.#length = length;
    this.#bucketMs *= 2;
  }

  partial(): ClockSeriesPartial {
    return {
      bucketMs: this.#bucketMs,
      origin: this.#origin,
      errors: this.#errors.slice(0, this.#length),
      traffic: this.#traffic.slice(0, this.#length),
      from: this.#from,
      to: this.#to,
    };
  }

  merge(part: ClockSeriesPartial): void {
    while (this.#bucketMs < part.bucketMs) this.#coarsen();
    for (let i = 0; i < part.errors.length; i++) {
      const errors = part.errors[i] as number;
      const traffic = part.traffic[i] as number;
      if (!errors && !traffic) continue;
      const time = (part.origin + i) * part.bucketMs;
      let j = Math.floor(time / this.#bucketMs) - this.#origin;
      if (!(j >= 0 && j < this.#length)) j = this.#grow(time);
      this.#errors[j] = (this.#errors[j] as number) + errors;
      this.#traffic[j] = (this.#traffic[j] as number) + traffic;
    }
    this.#from = Math.min(this.#from, part.from);
    this.#to = Math.max(this.#to, part.to);
  }

  /** The counts so far, with the covered time of each bucket (buckets with any event, cut to the span). */
  series(): ClockSeries {
    const part = this.partial();
    const coveredMs = new Float64Array(this.#length);
    for (let i = 0; i < this.#length; i++) {
      if (!((part.traffic[i] as number) > 0)) continue;
      const start = (this.#origin + i) * this.#bucketMs;
      const end = start + this.#bucketMs;
      coveredMs[i] = Math.max(0, Math.min(end, this.#to + 1000) - Math.max(start, this.#from));
    }
    return { ...part, coveredMs };
  }
}

/**
 * The covered time folded onto a cycle of `cycleS` seconds: entry s is how
 * many seconds of the evidence fell on second s of the cycle (the clock's
 * expectation for the phase of a uniform error stream).
 */
export function coverageByPhase(series: ClockSeries, cycleS: number): Float64Array {
  const change = new Float64Array(cycleS + 1);
  let whole = 0;
  for (let i = 0; i < series.coveredMs.length; i++) {
    const covered = series.coveredMs[i] as number;
    if (!(covered > 0)) continue;
    const from = Math.max((series.origin + i) * series.bucketMs, series.from);
    const first = Math.floor(from / SECOND);
    let length = Math.floor((from + covered) / SECOND) - first;
    whole += Math.floor(length / cycleS);
    length %= cycleS;
    const start = first % cycleS;
    const end = start + length;
    change[start] = (change[start] as number) + 1;
    if (end <= cycleS) change[end] = (change[end] as number) - 1;
    else {
      change[cycleS] = (change[cycleS] as number) - 1;
      change[0] = (change[0] as number) + 1;
      change[end - cycleS] = (change[end - cycleS] as number) - 1;
    }
  }
  const out = new Float64Array(cycleS);
  let running = whole;
  for (let s = 0; s < cycleS; s++) {
    running += change[s] as number;
    out[s] = running;
  }
  return out;
}
