/**
 * Did a metric move between the baseline window and the incident window?
 *
 * Level shift: the incident's median against the baseline's, in units of a
 * standard error that accounts for noise (the spread of each window) and
 * autocorrelation (effective sample sizes, see health-stats). Medians, not
 * means, so one spike does not read as a shift (spikes have their own test),
 * and a shift must also be material: beyond the range the baseline itself
 * went through, large against the noise of single readings and against a
 * floor per unit, so a statistically clear but tiny move (CPU 31% -> 33%
 * over thousands of readings) is not news.
 *
 * Spike: readings of the incident above the baseline's level by more than
 * any of n readings would reach by chance, by a union bound on the normal
 * tail (valid for correlated readings too), on two readings in a row (one
 * outlier of a heavy-tailed metric is not a spike) but briefly (a quarter of
 * the incident at most, an hour at most: longer is a shift), and twice as far above
 * the usual level as the baseline ever went (the baseline's scale is itself
 * an estimate, too low for a persistent metric).
 */
import type { MetricUnit } from './health-metrics.js';
import type { MetricPoint, MetricSeries } from './health-series.js';
import {
  effectiveSize,
  lag1Autocorrelation,
  median,
  normalQuantile,
  quantile,
  spread,
  twoSidedP,
} from './health-stats.js';

export interface TimeWindow {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

/** Readings a window needs before it is compared: fewer tell nothing. */
export const MIN_BASELINE_POINTS = 6;
export const MIN_INCIDENT_POINTS = 3;
/** A spike is brief: longer, it is a level. */
const MAX_SPIKE_MS = 3_600_000;

export interface ShiftTest {
  before: number;
  after: number;
  z: number;
  p: number;
  /** The noise of single readings (the larger window's spread). */
  scale: number;
  /** The incident's median lies beyond the baseline's 5-95% range, on its side. */
  outside: boolean;
  material: boolean;
  baselinePoints: MetricPoint[];
  incidentPoints: MetricPoint[];
}

export interface SpikeTest {
  before: number;
  peak: MetricPoint;
  /** Incident readings above the threshold. */
  above: number;
  threshold: number;
}

/** The points inside any of the windows. */
export const within = (
  points: readonly MetricPoint[],
  windows: TimeWindow | readonly TimeWindow[],
) => {
  const list: readonly TimeWindow[] = Array.isArray(windows) ? windows : [windows as TimeWindow];
  return points.filter((p) => list.some((w) => p.time >= w.from && p.time < w.to));
};

/**
 * The smallest move worth reporting, whatever its significance: 5 percentage
 * points, a fifth of the level in bytes, half the level of a plain number
 * (load 0.5 -> 0.7 is nothing; 1 -> 8 is news).
 */
export function materialFloor(unit: MetricUnit, levels: readonly number[]): number {
  if (unit === 'percent') return 5;
  const level = Math.max(...levels.map(Math.abs), Number.MIN_VALUE);
  return (unit === 'bytes' ? 0.2 : 0.5) * level;
}

/** A scale that is never zero: constant readings still have a resolution. */
function noiseScale(values: readonly number[], unit: MetricUnit, level: number): number {
  const floor = unit === 'percent' ? 0.5 : Math.max(0.01 * Math.abs(level), 1e-9);
  return Math.max(spread(values), floor);
}

export function testShift(
  series: MetricSeries,
  baseline: TimeWindow | readonly TimeWindow[],
  incident: TimeWindow,
): ShiftTest | undefined {
  const baselinePoints = within(series.points, baseline);
  const incidentPoints = within(series.points, incident);
  if (baselinePoints.length < MIN_BASELINE_POINTS || incidentPoints.length < MIN_INCIDENT_POINTS)
    return undefined;
  const b = baselinePoints.map((p) => p.value);
  const i = incidentPoints.map((p) => p.value);
  const before = median(b);
  const after = median(i);
  // A short window of a persistent metric sees only part of its spread: the
  // larger of the two scales stands for both.
  const scale = Math.max(noiseScale(b, series.unit, before), noiseScale(i, series.unit, after));
  const rho = Math.max(lag1Autocorrelation(b), lag1Autocorrelation(i));
  // The median's standard error is sqrt(pi / 2) times the mean's for normal data.
  const se =
    scale *
    Math.sqrt(
      (Math.PI / 2) * (1 / effectiveSize(b.length, rho) + 1 / effectiveSize(i.length, rho)),
    );
  const z = (after - before) / se;
  const delta = Math.abs(after - before);
  // Outside the baseline's own 5-95% range: a baseline that already swung
  // that far (a daily cycle) makes the incident's level nothing new.
  const outside = after > before ? after > quantile(b, 0.95) : after < quantile(b, 0.05);
  const material =
    outside && delta >= 2 * scale && delta >= materialFloor(series.unit, [before, after]);
  return {
    before,
    after,
    z,
    p: twoSidedP(z),
    scale,
    outside,
    material,
    baselinePoints,
    incidentPoints,
  };
}

/**
 * `alpha` is the false-alarm rate allowed for this series: the threshold is
 * the normal quantile of alpha / (readings in the incident).
 */
export function testSpike(
  series: MetricSeries,
  baseline: TimeWindow | readonly TimeWindow[],
  incident: TimeWindow,
  alpha: number,
): SpikeTest | undefined {
  const baselinePoints = within(series.points, baseline);
  const incidentPoints = within(series.points, incident);
  if (baselinePoints.length < MIN_BASELINE_POINTS || incidentPoints.length < 2) return undefined;
  const highs = baselinePoints.map((p) => p.high);
  const before = median(highs);
  const scale = noiseScale(highs, series.unit, before);
  const c = normalQuantile(1 - alpha / incidentPoints.length);
  // The baseline's scale is an estimate, low for a persistent metric: the spike
  // must also reach twice as far above the usual level as the baseline ever went.
  const threshold = Math.max(
    before + c * scale,
    before + 2 * (Math.max(...highs) - before),
    before + 2 * materialFloor(series.unit, [before]),
  );
  let above = 0;
  let run = 0;
  let longest = 0;
  let runStart = 0;
  let longestMs = 0;
  let peak: MetricPoint | undefined;
  for (const point of incidentPoints) {
    if (point.high > threshold) {
      if (run === 0) runStart = point.time;
      above++;
      run++;
      longest = Math.max(longest, run);
      longestMs = Math.max(longestMs, point.time + series.bucketMs - runStart);
      if (!peak || point.high > peak.high) peak = point;
    } else run = 0;
  }
  // High for a quarter of the incident, or for over an hour, is a change of
  // level (or a daily cycle), not a spike: the shift test judges that.
  const brief = 4 * above <= incidentPoints.length && longestMs <= MAX_SPIKE_MS;
  if (longest < 2 || !peak || !brief) return undefined;
  return { before, peak, above, threshold };
}
