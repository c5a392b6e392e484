/**
 * Is a resource filling up? Memory that climbs and falls back at each restart,
 * a disk that grows towards full.
 *
 * First the sharp drops (restarts, clean-ups) are found: a fall far beyond the
 * series' usual step (six robust deviations of the differences) and a quarter
 * of its range, after which the level stays down, so one outlier and its
 * return do not count; a fall spread over two neighbouring buckets is one
 * drop. The series is cut there, and two fits answer two questions:
 *
 * - Does it climb between drops? A Theil-Sen slope pooled over all the
 *   pieces, tested against its standard error under autocorrelated noise (see
 *   health-stats). This is the leak: climbs, restarts, climbs again.
 * - Where is it heading now? The same fit on the recent readings only (since
 *   the last drop, and at most a quarter of the span, between 1 h and 24 h),
 *   extended to the level at which the resource is exhausted. Recent, because
 *   a disk that was flat for a day and started filling an hour ago fills at
 *   the rate of that hour.
 *
 * Both fits are robust (a quarter of wild readings do not move them).
 */
import type { MetricSeries } from './health-series.js';
import {
  median,
  pooledTheilSen,
  quantile,
  robustScale,
  type Segment,
  slopeZ,
  spread,
  twoSidedP,
} from './health-stats.js';

const MIN_SEGMENT_POINTS = 4;
const MIN_TREND_POINTS = 8;
const HOUR = 3_600_000;

/** A sharp fall in fullness (a restart, a clean-up): the readings before and after. */
export interface Drop {
  time: number;
  from: number;
  to: number;
}

/** A fit: slope (the series' unit per ms; fillRate is positive when filling) and its z. */
export interface Fit {
  from: number;
  slope: number;
  fillRate: number;
  z: number;
  p: number;
  /** The climb over the fitted time against the noise: 3 robust deviations of the residuals. */
  clear: boolean;
  /** The climb over the fitted time, in the series' unit. */
  climb: number;
  /** Lag-1 autocorrelation of the residuals, as used for z. */
  rho: number;
}

export interface TrendTest {
  drops: Drop[];
  /** Over all pieces between drops. */
  pooled: Fit;
  /** Pieces measured, and how many of them filled. */
  pieces: number;
  risingPieces: number;
  /** Over the recent readings (see the file comment). */
  recent: Fit;
  until: number;
  /** The recent fit's level at `until`. */
  current: number;
  /** When the recent fit reaches the exhaustion level, if it heads there. */
  exhaustedBy?: number;
}

interface FoundDrop {
  /** The first bucket of the fall, and the last one still falling. */
  start: number;
  end: number;
  before: number;
}

/** Where the level falls sharply and stays down; a fall over neighbouring buckets is one. */
function levelDrops(values: readonly number[]): FoundDrop[] {
  const diffs: number[] = [];
  for (let i = 1; i < values.length; i++)
    diffs.push((values[i] as number) - (values[i - 1] as number));
  const step = robustScale(diffs);
  const range = quantile(values, 0.95) - quantile(values, 0.05);
  const least = Math.max(6 * step, 0.25 * range);
  if (!(least > 0)) return [];
  const drops: FoundDrop[] = [];
  for (let i = 1; i < values.length; i++) {
    const fall = (values[i - 1] as number) - (values[i] as number);
    const previous = drops.at(-1);
    // A restart in the middle of a bucket leaves that bucket half way down.
    if (previous?.end === i - 1 && fall >= Math.max(6 * step, 0.05 * range)) {
      previous.end = i;
      continue;
    }
    if (fall < least) continue;
    const before = median(values.slice(Math.max(0, i - 3), i));
    const after = median(values.slice(i, i + 3));
    if (before - after >= 0.25 * range)
      drops.push({ start: i, end: i, before: values[i - 1] as number });
  }
  return drops;
}

function fitLine(segments: readonly Segment[], sign: number, leastRho = 0): Fit {
  const slope = pooledTheilSen(segments);
  const residuals = segments.flatMap((s) => {
    const level = median(s.values.map((v, i) => v - slope * (s.times[i] as number)));
    return s.values.map((v, i) => v - level - slope * (s.times[i] as number));
  });
  const span = segments.reduce((sum, s) => sum + ((s.times.at(-1) ?? 0) - (s.times[0] ?? 0)), 0);
  const climb = slope * span;
  const { z, rho } = slopeZ(segments, slope, leastRho);
  return {
    from: segments[0]?.times[0] ?? 0,
    slope: sign * slope,
    fillRate: slope,
    z,
    p: twoSidedP(z),
    clear: Math.abs(climb) >= 3 * spread(residuals),
    climb: Math.abs(climb),
    rho,
  };
}

const piece = (
  times: readonly number[],
  values: readonly number[],
  from: number,
  to: number,
): Segment => ({
  times: times.slice(from, to),
  values: values.slice(from, to),
});

export function testTrend(series: MetricSeries, until: number): TrendTest | undefined {
  const points = series.points.filter((p) => p.time <= until);
  if (points.length < MIN_TREND_POINTS) return undefined;
  // Worked in "fullness": a free metric is negated, so filling is rising and restarts drop.
  const sign = series.polarity === 'free' ? -1 : 1;
  const times = points.map((p) => p.time);
  const values = points.map((p) => sign * p.value);
  const drops = levelDrops(values);
  const segments: Segment[] = [];
  let start = 0;
  for (const drop of [...drops, { start: values.length, end: values.length }]) {
    if (drop.start - start >= MIN_SEGMENT_POINTS)
      segments.push(piece(times, values, start, drop.start));
    start = drop.end;
  }
  if (segments.length === 0) return undefined;
  const pooled = fitLine(segments, sign);
  const rising =
    segments.length === 1
      ? Number(pooled.fillRate > 0)
      : segments.filter((s) => pooledTheilSen([s]) > 0).length;

  const lastTime = times.at(-1) as number;
  const span = lastTime - (times[0] as number);
  const window = Math.min(24 * HOUR, Math.max(HOUR, span / 4));
  let first = Math.max(
    drops.at(-1)?.end ?? 0,
    times.findIndex((t) => t >= lastTime - window),
  );
  first = Math.max(0, Math.min(first, values.length - MIN_TREND_POINTS));
  const last = piece(times, values, first, values.length);
  // The recent window borrows the autocorrelation of the whole series (see slopeZ).
  const recent = fitLine([last], sign, pooled.rho);
  const level = median(last.values.map((v, i) => v - recent.fillRate * (last.times[i] as number)));
  const current = level + recent.fillRate * lastTime;
  const full = series.exhaustedAt === undefined ? undefined : sign * series.exhaustedAt;
  let exhaustedBy: number | undefined;
  if (full !== undefined && recent.fillRate > 0)
    exhaustedBy = full > current ? lastTime + (full - current) / recent.fillRate : lastTime;
  return {
    drops: drops.map(({ start, end, before }) => ({
      time: times[start] as number,
      from: sign * before,
      to: sign * (values[end] as number),
    })),
    pooled,
    pieces: segments.length,
    risingPieces: rising,
    recent,
    until: lastTime,
    current: sign * current,
    ...(exhaustedBy !== undefined ? { exhaustedBy } : {}),
  };
}
