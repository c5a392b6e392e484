/**
 * Test results turned into findings: a sentence a responder can act on, the
 * readings that show it (times, values, file:line) and a confidence, which is
 * one minus the p-value adjusted for the number of tests in the report.
 */
import { localClock, localDateTime } from '../../../core/local-time.js';
import type { Evidence } from '../../report/model.js';
import type { HealthFinding, HealthFindingKind } from './health.js';
import { formatApproxDuration, formatRatePerHour, formatValue } from './health-metrics.js';
import type { MetricPoint, MetricSeries, SampleRef } from './health-series.js';
import type { ShiftTest, SpikeTest } from './health-shift.js';
import { median, thin } from './health-stats.js';
import type { Fit, TrendTest } from './health-trend.js';

const HOUR = 3_600_000;

function evidenceLine(
  series: MetricSeries,
  at: SampleRef | undefined,
  point: MetricPoint,
  value: number,
): Evidence[] {
  if (!at) return [];
  const resource = series.resource ? ` (${series.resource})` : '';
  return [
    {
      source: at.source,
      line: at.line,
      text: `${series.metric}${resource} ${formatValue(value, series.unit)}`,
      time: point.time,
      host: series.host,
    },
  ];
}

const pointsOf = (points: readonly MetricPoint[], max: number) =>
  thin(points, max).map((p) => ({ time: p.time, value: p.value }));

const confidenceOf = (adjustedP: number) => Math.max(0, Math.min(0.999, 1 - adjustedP));

function about(series: MetricSeries) {
  return {
    host: series.host,
    metric: series.metric,
    ...(series.resource !== undefined ? { resource: series.resource } : {}),
    label: series.label,
    resourceKind: series.kind,
    unit: series.unit,
  };
}

export function shiftFinding(series: MetricSeries, shift: ShiftTest, tests: number): HealthFinding {
  const up = shift.after > shift.before;
  const extreme = shift.incidentPoints.reduce((a, b) =>
    up ? (b.high > a.high ? b : a) : b.low < a.low ? b : a,
  );
  const pValue = Math.min(1, shift.p * tests);
  const value = (v: number) => formatValue(v, series.unit);
  return {
    kind: 'shift',
    ...about(series),
    direction: up ? 'up' : 'down',
    sentence: `${series.label} on ${series.host} from ${value(shift.before)} to ${value(shift.after)}`,
    before: shift.before,
    after: shift.after,
    evidence: {
      points: [...pointsOf(shift.baselinePoints, 6), ...pointsOf(shift.incidentPoints, 6)],
      lines: evidenceLine(
        series,
        up ? extreme.highAt : extreme.lowAt,
        extreme,
        up ? extreme.high : extreme.low,
      ),
    },
    pValue,
    confidence: confidenceOf(pValue),
  };
}

/** A spike passed a threshold set for `alpha` (already divided among the tests). */
export function spikeFinding(series: MetricSeries, spike: SpikeTest, alpha: number): HealthFinding {
  const { peak } = spike;
  const value = (v: number) => formatValue(v, series.unit);
  return {
    kind: 'spike',
    ...about(series),
    direction: 'up',
    sentence: `${series.label} on ${series.host} spiked to ${value(peak.high)} at ${localClock(peak.time)} (usually ${value(spike.before)}; ${spike.above} readings above ${value(spike.threshold)})`,
    before: spike.before,
    after: peak.high,
    evidence: {
      points: [{ time: peak.time, value: peak.high }],
      lines: evidenceLine(series, peak.highAt, peak, peak.high),
    },
    pValue: alpha,
    confidence: confidenceOf(alpha),
  };
}

/** Within 5% of exhaustion (of 100% or of the known size), by the last readings. */
function nearlyFull(series: MetricSeries): boolean {
  const full = series.exhaustedAt;
  if (full === undefined || full <= 0 || series.polarity === 'free') return false;
  const level = median(series.points.slice(-3).map((p) => p.value));
  return level >= 0.95 * full;
}

/**
 * A significant, clear climb becomes a leak (memory that drops at two
 * restarts or more and rises between most of them), a resource filling (the
 * recent climb reaches full within the horizon and within four times the time
 * it was measured over), or memory climbing over the whole series (by at
 * least 5 points or a tenth of its level); a disk growing slowly is not news.
 */
export function trendFinding(
  series: MetricSeries,
  trend: TrendTest,
  tests: number,
  alpha: number,
  horizonMs: number,
): HealthFinding | undefined {
  const levels = series.points.map((p) => p.value);
  const floor = series.unit === 'percent' ? 5 : 0.1 * Math.abs(levels[levels.length >> 1] ?? 0);
  const filling = (fit: Fit) => fit.fillRate > 0 && fit.clear && fit.p * tests < alpha;
  const leak =
    series.kind === 'memory' &&
    trend.drops.length >= 2 &&
    trend.risingPieces * 3 >= trend.pieces * 2 &&
    filling(trend.pooled) &&
    trend.pooled.climb >= floor;
  // A line fitted to an hour of readings says little about next week: the
  // projection counts only as far as four times the time it was fitted on.
  const reach = Math.min(horizonMs, 4 * (trend.until - trend.recent.from));
  // Or nearly full already after a clear climb: the recent slope may then be
  // unsure (the climb slows as writes fail), but there is little room left.
  const soon =
    trend.exhaustedBy !== undefined &&
    ((filling(trend.recent) && trend.exhaustedBy - trend.until <= reach) ||
      (nearlyFull(series) && filling(trend.pooled) && trend.recent.fillRate > 0));
  // Climbing steadily: over the whole series, not just its last hour.
  const climbing = series.kind === 'memory' && filling(trend.pooled) && trend.pooled.climb >= floor;
  if (!leak && !soon && !climbing) return undefined;
  const kind: HealthFindingKind = leak ? 'leak' : soon ? 'filling' : 'climbing';
  const fit = kind === 'filling' ? trend.recent : trend.pooled;
  const perHour = fit.slope * HOUR;
  const free = series.polarity === 'free';
  const size = formatRatePerHour(Math.abs(perHour), series.unit).slice(1);
  // "climbs ~200 MB/h" when a verb says the direction; "+4%/h", "-1 GB/h" when none does.
  const approx = `~${size}`;
  const signed = `${free ? '-' : '+'}${size}`;
  const climbs = free ? 'falls' : 'climbs';
  const level = formatValue(trend.current, series.unit);
  const left = (trend.exhaustedBy ?? 0) - trend.until;
  const full = !soon
    ? ''
    : left <= 0
      ? `, ${free ? 'used up' : 'full'} now`
      : `, ${free ? 'runs out' : 'full'} in ${formatApproxDuration(left)} (around ${localDateTime(trend.exhaustedBy ?? 0)})`;
  const where = `${series.label} on ${series.host}`;
  const drops = trend.drops.length;
  const sentence =
    kind === 'leak'
      ? `${where} ${climbs} ${approx} and ${free ? 'recovers' : 'drops'} at each restart, ${drops} restarts: a leak${full}`
      : kind === 'filling'
        ? `${where} at ${level}, ${signed}${full}`
        : `${where} ${climbs} ${approx} since ${localClock(fit.from)} (now ${level}), ${drops ? `${drops} drop${drops > 1 ? 's' : ''}` : 'no restart seen'}`;
  const shown = series.points.filter((p) => p.time >= fit.from && p.time <= trend.until);
  const last = shown.at(-1);
  const pValue = Math.min(1, fit.p * tests);
  return {
    kind,
    ...about(series),
    direction: 'up',
    sentence,
    ratePerHour: perHour,
    ...(trend.exhaustedBy !== undefined ? { exhaustedBy: trend.exhaustedBy } : {}),
    ...(drops ? { restarts: trend.drops.map((d) => d.time) } : {}),
    evidence: {
      points: pointsOf(shown, 12),
      lines: last ? evidenceLine(series, last.highAt, last, last.value) : [],
    },
    pValue,
    confidence: confidenceOf(pValue) * (leak ? trend.risingPieces / trend.pieces : 1),
  };
}
