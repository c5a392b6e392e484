/**
 * From the collector's buckets to the series the health analysis reads: one
 * point per non-empty bucket, in the unit the analysis speaks (percent, bytes
 * or a plain number), turned so that higher always means fuller where that is
 * known (idle CPU becomes busy CPU; free disk with the disk's size becomes
 * used percent), and with the level at which the resource is exhausted.
 */
import {
  describeSeries,
  type MetricIdentity,
  type MetricUnit,
  type ResourceKind,
  resolveUnit,
} from './health-metrics.js';

/** Numbers per bucket: sum, count, low, high, line of low, line of high, sources of both. */
export const STRIDE = 7;
export const [SUM, COUNT, LOW, HIGH, LOW_LINE, HIGH_LINE, SOURCES] = [0, 1, 2, 3, 4, 5, 6] as const;
/** Source index meaning "no source"; a bucket packs its sources as high * 65536 + low. */
export const NO_SOURCE = 0xffff;

/** A counter's raw reading and where it was read. */
export interface RawReading {
  time: number;
  value: number;
  source?: string;
  line?: number;
}

export interface CollectedSeries {
  host: string;
  metric: string;
  resource?: string;
  identity: MetricIdentity;
  /** STRIDE numbers per bucket of the grid. */
  cells: Float64Array;
  /** A counter's first and last raw readings: merging stitches the rate across the seam. */
  firstRaw?: RawReading;
  lastRaw?: RawReading;
}

/** A collector's contents as plain, structured-clonable data. */
export interface MetricsPartial {
  bucketMs: number;
  /** First bucket, in units of bucketMs since the epoch. */
  origin: number | undefined;
  length: number;
  sources: string[];
  series: CollectedSeries[];
  dropped: number;
}

/** Where a reading was read. */
export interface SampleRef {
  source: string;
  line: number;
}

export interface MetricPoint {
  /** Start of the bucket (epoch ms). */
  time: number;
  /** Mean of the bucket's readings. */
  value: number;
  low: number;
  high: number;
  count: number;
  lowAt?: SampleRef;
  highAt?: SampleRef;
}

export interface MetricSeries {
  host: string;
  /** The metric's name in the input (for a combined pair, the used or free one). */
  metric: string;
  resource?: string;
  /** How sentences name it: "CPU", "disk /", "queue_depth". */
  label: string;
  kind: ResourceKind;
  /** `free`: falls as the resource fills (free bytes with no known size). */
  polarity: 'used' | 'free';
  unit: MetricUnit;
  /** The value at which the resource is exhausted (100%, 0 bytes free, the memory size). */
  exhaustedAt?: number;
  bucketMs: number;
  points: MetricPoint[];
}

function pointsOf(series: CollectedSeries, partial: MetricsPartial): MetricPoint[] {
  const points: MetricPoint[] = [];
  const cells = series.cells;
  const ref = (sourceId: number, line: number): SampleRef | undefined => {
    const source = partial.sources[sourceId];
    return source !== undefined && line >= 0 ? { source, line } : undefined;
  };
  for (let i = 0; i < partial.length; i++) {
    const at = i * STRIDE;
    const count = cells[at + COUNT] as number;
    if (!count) continue;
    const sources = cells[at + SOURCES] as number;
    const lowAt = ref(sources & NO_SOURCE, cells[at + LOW_LINE] as number);
    const highAt = ref(sources >>> 16, cells[at + HIGH_LINE] as number);
    points.push({
      time: ((partial.origin ?? 0) + i) * partial.bucketMs,
      value: (cells[at + SUM] as number) / count,
      low: cells[at + LOW] as number,
      high: cells[at + HIGH] as number,
      count,
      ...(lowAt ? { lowAt } : {}),
      ...(highAt ? { highAt } : {}),
    });
  }
  return points;
}

/** v -> a * v + b for every value of the point; a negative `a` swaps low and high. */
function transform(point: MetricPoint, a: number, b: number): MetricPoint {
  const low = a * point.low + b;
  const high = a * point.high + b;
  const swap = a < 0;
  const lowAt = swap ? point.highAt : point.lowAt;
  const highAt = swap ? point.lowAt : point.highAt;
  return {
    time: point.time,
    value: a * point.value + b,
    low: swap ? high : low,
    high: swap ? low : high,
    count: point.count,
    ...(lowAt ? { lowAt } : {}),
    ...(highAt ? { highAt } : {}),
  };
}

const pairKey = (s: CollectedSeries) =>
  `${s.host}\u0000${s.resource ?? ''}\u0000${s.identity.kind}`;

/** Combines a used or free series with the size of its resource, bucket by bucket. */
function withCapacity(
  points: MetricPoint[],
  capacity: MetricPoint[],
  series: CollectedSeries,
  scale: number,
): { points: MetricPoint[]; unit: MetricUnit; exhaustedAt: number } | undefined {
  const sizeAt = new Map(capacity.map((p) => [p.time, p.value * scale]));
  const free = series.identity.polarity === 'free';
  const asPercent = series.identity.kind === 'disk';
  const out: MetricPoint[] = [];
  let lastSize = 0;
  for (const point of points) {
    const size = sizeAt.get(point.time);
    if (!size || !(size > 0)) continue;
    lastSize = size;
    const a =
      (free ? -1 : 1) * (asPercent ? (100 * series.identity.scale) / size : series.identity.scale);
    out.push(transform(point, a, free ? (asPercent ? 100 : size) : 0));
  }
  if (out.length === 0) return undefined;
  return asPercent
    ? { points: out, unit: 'percent', exhaustedAt: 100 }
    : { points: out, unit: 'bytes', exhaustedAt: lastSize };
}

/** The collector's series, ready for the analysis (see the file comment). */
export function seriesFromPartial(partial: MetricsPartial): MetricSeries[] {
  const capacities = new Map<string, CollectedSeries>();
  for (const s of partial.series) if (s.identity.capacity) capacities.set(pairKey(s), s);
  const out: MetricSeries[] = [];
  for (const series of partial.series) {
    const identity = series.identity;
    if (identity.capacity) continue;
    let points = pointsOf(series, partial);
    if (points.length === 0) continue;
    const base = {
      host: series.host,
      metric: series.metric,
      ...(series.resource !== undefined ? { resource: series.resource } : {}),
      label: describeSeries(series.metric, identity.kind, series.resource),
      kind: identity.kind,
      bucketMs: partial.bucketMs,
    };
    const capacity = capacities.get(pairKey(series));
    if (capacity && identity.unit !== 'percent' && identity.unit !== 'fraction') {
      const paired = withCapacity(
        points,
        pointsOf(capacity, partial),
        series,
        capacity.identity.scale,
      );
      if (paired) {
        const label = describeSeries(identity.kind, identity.kind, series.resource);
        out.push({ ...base, label, polarity: 'used', ...paired });
        continue;
      }
    }
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (const p of points) {
      if (p.low < low) low = p.low;
      if (p.high > high) high = p.high;
    }
    const { unit, factor } = resolveUnit(identity, low, high);
    let polarity = identity.polarity;
    let label = base.label;
    if (unit === 'percent' && polarity === 'free') {
      // Idle CPU at 5% is busy CPU at 95%: say it the way people read it.
      points = points.map((p) => transform(p, -factor, 100));
      polarity = 'used';
      if (identity.kind !== 'other')
        label = describeSeries(identity.kind, identity.kind, series.resource);
    } else if (factor !== 1) points = points.map((p) => transform(p, factor, 0));
    // Free bytes with no size to compare them with stay free bytes, and say so.
    if (polarity === 'free' && identity.kind !== 'other')
      label = `free ${describeSeries(identity.kind, identity.kind, series.resource)}`;
    const exhaustedAt =
      unit === 'percent' && identity.kind !== 'other' && identity.kind !== 'load'
        ? 100
        : unit === 'bytes' && polarity === 'free'
          ? 0
          : undefined;
    out.push({
      ...base,
      label,
      polarity,
      unit,
      ...(exhaustedAt !== undefined ? { exhaustedAt } : {}),
      points,
    });
  }
  return out;
}
