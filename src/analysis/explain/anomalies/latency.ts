/**
 * Request latency per endpoint (and over all requests) on a coarse time grid of its
 * own, in one streaming pass and bounded memory, so that "p95 latency of POST
 * /checkout" can be compared between a baseline and an incident window. Each slice
 * of each endpoint is a log-bucketed histogram (latency-histogram.ts: 2% relative
 * accuracy, exact merges); quantiles over a window merge its slices.
 *
 * Bounds: at most `maxSlices` time slices (the grid coarsens along sizes that divide
 * each other, as SeriesSet does) and at most `maxEndpoints` endpoints with their own
 * histograms; later ones are pooled into OTHER_ENDPOINTS. A tracked endpoint's
 * histograms are never partial: when merging finds one that another part pooled, it
 * is pooled in the result too, so its baseline never lacks events its incident
 * window has. All requests together are the sum of the entries, made when asked for
 * (one histogram update per request, not two). Worst case (maxEndpoints + 1) x
 * maxSlices x MAX_BINS x 4 bytes: 17 MB at the defaults; real endpoints span a few
 * dozen bins.
 */
import type { TimeRange } from './baseline.js';
import {
  addKey,
  countAbove,
  emptyHistogram,
  type Histogram,
  keyOfDuration,
  mergeBins,
  mergeInto,
  quantileOf,
} from './latency-histogram.js';

export const ALL_REQUESTS = '*';
export const OTHER_ENDPOINTS = '(other)';
const MAX_POOLED_NAMES = 1000;
const S = 1000;
const H = 3_600_000;
/** Each size divides the next and is at most 5 times it (1 s ... 1 day, then doubling). */
const CHAIN_MS = [S, 2 * S, 10 * S, 30 * S, 60 * S, 120 * S, 600 * S, 1800 * S, H, 2 * H, 6 * H];
CHAIN_MS.push(12 * H, 24 * H);

/** One endpoint's histograms; a handle from `LatencySketch.entryFor` (valid until the next merge). */
export interface LatencyEntry {
  count: number;
  /** Histograms by slice (in units of sliceMs since the epoch). */
  slices: Map<number, Histogram>;
  /** The slice last written, so that a run of requests skips the map lookup. */
  lastSlice: number;
  last: Histogram | undefined;
  /** Its time range [lastFrom, lastTo) while `addTo` writes it (NaN otherwise). */
  lastFrom: number;
  lastTo: number;
}

/**
 * A sketch as plain data (structured-clonable), for `merge` in another thread.
 * Each endpoint's histograms are packed into one Float64Array (see `pack`):
 * hundreds of small arrays per worker, mostly the zeros of their spare bins,
 * were the largest part of what the main thread had to decode.
 */
export interface LatencyPartial {
  sliceMs: number;
  endpoints: [name: string, count: number, slices: Float64Array][];
  /** Endpoints pooled into OTHER_ENDPOINTS (at most MAX_POOLED_NAMES of them). */
  pooled: string[];
  /** More endpoints were pooled than `pooled` names. */
  pooledOverflow: boolean;
}

const fresh = (s: string) => (s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string));

export class LatencySketch {
  /**
   * From a minute: finer slices would hold a few requests each, worth neither
   * memory nor a test (at 10 s, each 32 MB piece of a large access log made
   * thousands of histograms for its worker to hold and send).
   */
  #sliceMs = 60 * S;
  #first = Number.POSITIVE_INFINITY;
  #last = Number.NEGATIVE_INFINITY;
  #tracked = 0;
  readonly #endpoints = new Map<string, LatencyEntry>();
  readonly #pooled = new Set<string>();
  #pooledOverflow = false;
  #allRequests: { counted: number; sliceMs: number; slices: Map<number, Histogram> } | undefined;
  /** Bumped whenever a slice is made or the slices regrouped (see #sortedSlicesOf). */
  #layout = 0;
  readonly #sorted = new Map<
    string,
    { slices: Map<number, Histogram>; layout: number; sorted: [number, Histogram][] }
  >();

  /**
   * `startSliceMs`: a slice size of the chain, a minute or more, to start
   * at when the span is known to need it (see AnalyzerLimits.start).
   */
  constructor(
    readonly maxEndpoints = 50,
    readonly maxSlices = 200,
    startSliceMs?: number,
  ) {
    if (
      startSliceMs !== undefined &&
      startSliceMs > this.#sliceMs &&
      CHAIN_MS.includes(startSliceMs)
    )
      this.#sliceMs = startSliceMs;
  }

  /** Size of a time slice now (it grows with the span). */
  get sliceMs(): number {
    return this.#sliceMs;
  }

  /** Counts one request; one without a finite time, or a duration >= 0, is left out. */
  add(endpoint: string, timeMs: number, durationMs: number): void {
    this.addTo(this.#destination(endpoint), timeMs, durationMs);
  }

  /**
   * Where the requests of `endpoint` are counted: its own entry, or the pool.
   * A caller that sees one endpoint many times keeps the handle (the
   * Analyzer does, per template) instead of looking the name up per request.
   */
  entryFor(endpoint: string): LatencyEntry {
    return this.#destination(endpoint);
  }

  /**
   * `add` through a handle from `entryFor` (taken since the last `merge`).
   * An endpoint's requests come in time order, nearly all in the slice of
   * the one before: checking its time range skips the slice's division and
   * lookup (the span cannot grow from inside a slice already seen).
   */
  addTo(entry: LatencyEntry, timeMs: number, durationMs: number): void {
    if (!(durationMs >= 0 && durationMs < Number.POSITIVE_INFINITY)) return;
    const last = entry.last;
    if (last !== undefined && timeMs >= entry.lastFrom && timeMs < entry.lastTo) {
      entry.count++;
      addKey(last, keyOfDuration(durationMs), 1);
      return;
    }
    if (!Number.isFinite(timeMs)) return;
    const slice = this.#slice(timeMs);
    const h = this.#histogram(entry, slice);
    entry.lastFrom = slice * this.#sliceMs;
    entry.lastTo = entry.lastFrom + this.#sliceMs;
    addKey(h, keyOfDuration(durationMs), 1);
  }

  /** Endpoints with their own histograms (and OTHER_ENDPOINTS), busiest first. */
  endpoints(): { endpoint: string; count: number }[] {
    return [...this.#endpoints]
      .map(([endpoint, e]) => ({ endpoint, count: e.count }))
      .sort((a, b) => b.count - a.count || (a.endpoint < b.endpoint ? -1 : 1));
  }

  /** Quantiles `qs` of the endpoint's durations in [fromMs, toMs): the slices whose middle is in it. */
  quantiles(
    endpoint: string,
    fromMs: number,
    toMs: number,
    qs: readonly number[],
  ): (number | undefined)[] {
    return this.quantilesIn(endpoint, [{ from: fromMs, to: toMs }], qs).values;
  }

  /** Quantiles over several ranges (same hours on several days), and the count they rest on. */
  quantilesIn(
    endpoint: string,
    ranges: readonly TimeRange[],
    qs: readonly number[],
  ): { count: number; values: (number | undefined)[] } {
    const pooled = emptyHistogram();
    for (const h of this.#slicesIn(endpoint, ranges)) mergeInto(pooled, h);
    return { count: pooled.total, values: qs.map((q) => quantileOf(pooled, q)) };
  }

  /** Per slice in the ranges: its requests, and those slower than `thresholdMs`. */
  slicesAbove(
    endpoint: string,
    thresholdMs: number,
    ranges: readonly TimeRange[],
  ): { totals: number[]; above: number[] } {
    const slices = this.#slicesIn(endpoint, ranges);
    return {
      totals: slices.map((h) => h.total),
      above: slices.map((h) => countAbove(h, thresholdMs)),
    };
  }

  #slicesIn(endpoint: string, ranges: readonly TimeRange[]): Histogram[] {
    const slices = this.#sortedSlicesOf(endpoint);
    const inRanges = ([slice]: [number, Histogram]) => {
      const middle = (slice + 0.5) * this.#sliceMs;
      return ranges.some((r) => middle >= r.from && middle < r.to);
    };
    return slices.filter(inRanges).map(([, h]) => h);
  }

  /**
   * An endpoint's slices in time order, sorted once for the many questions
   * the explain step asks of each endpoint (each quantile, in each window),
   * and again only if slices were made or regrouped since (#layout).
   */
  #sortedSlicesOf(endpoint: string): [number, Histogram][] {
    const slices = this.#slicesOf(endpoint);
    if (!slices) return [];
    const known = this.#sorted.get(endpoint);
    if (known?.slices === slices && known.layout === this.#layout) return known.sorted;
    const sorted = [...slices].sort((a, b) => a[0] - b[0]);
    this.#sorted.set(endpoint, { slices, layout: this.#layout, sorted });
    return sorted;
  }

  /**
   * All requests: every request is in exactly one entry, so their sum (kept
   * once, not per request), made when first asked for and kept while no
   * request is added (the requests counted and the slice size tell).
   */
  #slicesOf(endpoint: string): Map<number, Histogram> | undefined {
    if (endpoint !== ALL_REQUESTS) return this.#endpoints.get(endpoint)?.slices;
    let counted = 0;
    for (const entry of this.#endpoints.values()) counted += entry.count;
    const cached = this.#allRequests;
    if (cached?.counted === counted && cached.sliceMs === this.#sliceMs) return cached.slices;
    const sum = new Map<number, Histogram>();
    for (const entry of this.#endpoints.values())
      for (const [slice, h] of entry.slices) {
        const into = sum.get(slice) ?? emptyHistogram();
        mergeInto(into, h);
        sum.set(slice, into);
      }
    this.#allRequests = { counted, sliceMs: this.#sliceMs, slices: sum };
    return sum;
  }

  partial(): LatencyPartial {
    const endpoints: LatencyPartial['endpoints'] = [];
    for (const [name, e] of this.#endpoints) endpoints.push([name, e.count, pack(e.slices)]);
    return {
      sliceMs: this.#sliceMs,
      endpoints,
      pooled: [...this.#pooled],
      pooledOverflow: this.#pooledOverflow,
    };
  }

  /** Adds another sketch's partial: what one pass over both inputs would give (see above). */
  merge(part: LatencyPartial): void {
    const pooledThere = new Set(part.pooled);
    const trackedThere = new Set(part.endpoints.map(([name]) => name));
    // An endpoint tracked here but pooled there has some of its events in their pool.
    for (const name of [...this.#endpoints.keys()])
      if (
        name !== OTHER_ENDPOINTS &&
        (pooledThere.has(name) || (part.pooledOverflow && !trackedThere.has(name)))
      )
        this.#pool(name);
    for (const name of part.pooled) this.#notePooled(name);
    if (part.pooledOverflow) this.#pooledOverflow = true;
    while (this.#sliceMs < part.sliceMs) this.#regroup(nextSize(this.#sliceMs));
    for (const [name, count, slices] of part.endpoints) {
      const entry = name === OTHER_ENDPOINTS ? this.#entry(name) : this.#destination(name);
      entry.count += count;
      // In place, not through a view and a callback per histogram: the main
      // thread merges tens of thousands of them for a large input.
      for (let at = 0; at < slices.length; ) {
        const bins = slices[at + 4] as number;
        const into = this.#histogram(entry, this.#slice((slices[at] as number) * part.sliceMs), 0);
        const offset = slices[at + 1] as number;
        mergeBins(
          into,
          slices,
          at + HEADER,
          bins,
          offset,
          slices[at + 2] as number,
          slices[at + 3] as number,
        );
        at += HEADER + bins;
      }
    }
  }

  #histogram(entry: LatencyEntry, slice: number, n = 1): Histogram {
    entry.count += n;
    if (entry.lastSlice === slice && entry.last) return entry.last;
    let h = entry.slices.get(slice);
    if (!h) {
      h = emptyHistogram();
      entry.slices.set(slice, h);
      this.#layout++;
    }
    entry.lastSlice = slice;
    entry.last = h;
    entry.lastFrom = Number.NaN;
    entry.lastTo = Number.NaN;
    return h;
  }

  #entry(name: string): LatencyEntry {
    let entry = this.#endpoints.get(name);
    if (!entry) {
      entry = {
        count: 0,
        slices: new Map(),
        lastSlice: Number.NaN,
        last: undefined,
        lastFrom: Number.NaN,
        lastTo: Number.NaN,
      };
      this.#endpoints.set(fresh(name), entry);
    }
    return entry;
  }

  /** The endpoint's own entry; the pool once the table is full, and from then on. */
  #destination(name: string): LatencyEntry {
    if (name === ALL_REQUESTS || name === OTHER_ENDPOINTS) return this.#entry(OTHER_ENDPOINTS);
    const known = this.#endpoints.get(name);
    if (known) return known;
    if (this.#tracked < this.maxEndpoints && !this.#pooledOverflow && !this.#pooled.has(name)) {
      this.#tracked++;
      return this.#entry(name);
    }
    this.#notePooled(name);
    return this.#entry(OTHER_ENDPOINTS);
  }

  #notePooled(name: string): void {
    if (this.#pooled.has(name)) return;
    if (this.#pooled.size < MAX_POOLED_NAMES) this.#pooled.add(fresh(name));
    else this.#pooledOverflow = true;
  }

  #pool(name: string): void {
    const entry = this.#endpoints.get(name);
    if (!entry) return;
    this.#endpoints.delete(name);
    this.#tracked--;
    this.#notePooled(name);
    const other = this.#entry(OTHER_ENDPOINTS);
    other.count += entry.count;
    for (const [slice, h] of entry.slices) mergeInto(this.#histogram(other, slice, 0), h);
  }

  /** The slice of `timeMs`, coarsening the grid while the span needs more than maxSlices. */
  #slice(timeMs: number): number {
    for (;;) {
      const slice = Math.floor(timeMs / this.#sliceMs);
      const first = Math.min(this.#first, slice);
      const last = Math.max(this.#last, slice);
      if (last - first < this.maxSlices) {
        this.#first = first;
        this.#last = last;
        return slice;
      }
      this.#regroup(nextSize(this.#sliceMs));
    }
  }

  #regroup(sliceMs: number): void {
    this.#layout++;
    const factor = sliceMs / this.#sliceMs;
    this.#sliceMs = sliceMs;
    this.#first = Math.floor(this.#first / factor);
    this.#last = Math.floor(this.#last / factor);
    for (const e of this.#endpoints.values()) {
      const merged = new Map<number, Histogram>();
      for (const [slice, h] of e.slices) {
        const into = merged.get(Math.floor(slice / factor));
        if (into) mergeInto(into, h);
        else merged.set(Math.floor(slice / factor), h);
      }
      e.slices = merged;
      e.lastSlice = Number.NaN;
      e.last = undefined;
      e.lastFrom = Number.NaN;
      e.lastTo = Number.NaN;
    }
  }
}

/** Fields before each histogram's counts in a packed array. */
const HEADER = 5;

/**
 * Histograms by slice as one array: per slice, [slice, offset, top, zeros,
 * count of bins, bins...], the bins trimmed of zeros at both ends.
 */
function pack(slices: Map<number, Histogram>): Float64Array {
  let size = 0;
  for (const h of slices.values()) {
    const [first, last] = trimmed(h.counts);
    size += HEADER + last - first + 1;
  }
  const packed = new Float64Array(size);
  let at = 0;
  for (const [slice, h] of slices) {
    const [first, last] = trimmed(h.counts);
    packed[at] = slice;
    packed[at + 1] = h.offset + first;
    packed[at + 2] = h.top;
    packed[at + 3] = h.zeros;
    packed[at + 4] = last - first + 1;
    for (let i = first; i <= last; i++) packed[at + HEADER + i - first] = h.counts[i] as number;
    at += HEADER + last - first + 1;
  }
  return packed;
}

/** The first and last nonzero count (last < first when there is none). */
function trimmed(counts: readonly number[]): [first: number, last: number] {
  let first = 0;
  let last = counts.length - 1;
  while (first <= last && counts[first] === 0) first++;
  while (last >= first && counts[last] === 0) last--;
  return [first, last];
}

const nextSize = (ms: number) => CHAIN_MS.find((size) => size > ms) ?? ms * 2;
