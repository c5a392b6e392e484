/**
 * One candidate finding per series for anomalies.ts: the test that fits the series'
 * kind (counts, latency quantiles, metric samples), its size, and its sentence.
 */

import type { AnomalyInput, AnomalyOptions, Candidate } from './anomalies.js';
import { compareCounts, compareMeans } from './anomaly-stats.js';
import { change, duration, labelOf, measureOf, number, percent, perTime } from './anomaly-text.js';
import { bucketsIn, type ComparisonWindows, type TimeRange } from './baseline.js';
import { ALL_REQUESTS, type LatencySketch } from './latency.js';

export function countTests(
  input: AnomalyInput,
  windows: ComparisonWindows,
  options: AnomalyOptions,
) {
  const counts = input.counts;
  if (!counts) return [];
  const length = Math.max(0, ...[...counts.series.values()].map((v) => v.length));
  const grid = { start: counts.start, bucketMs: counts.bucketMs, length };
  const inBase = bucketsIn(windows.baseline, grid, counts.span);
  const inIncident = bucketsIn([windows.incident], grid, counts.span);
  const all = counts.series.get('all') ?? [];
  const pick = (values: readonly number[], at: number[]) => at.map((i) => values[i] ?? 0);
  const perMinute = 60_000 / counts.bucketMs;
  // A baseline bucket's place in its window (the same hours on several days line up).
  const places = inBase.map((i) => {
    const middle = counts.start + (i + 0.5) * counts.bucketMs;
    const range = windows.baseline.find((r) => middle >= r.from && middle < r.to);
    return Math.floor((middle - (range?.from ?? 0)) / counts.bucketMs);
  });
  const allTest = compareCounts(
    { x: pick(all, inBase) },
    { x: pick(all, inIncident) },
    { minCount: 1 },
  );
  // The totals every share is of, picked once for all the series.
  const allTotals = { b: pick(all, inBase), i: pick(all, inIncident) };
  return [...counts.series].map(([key, values]): Candidate | undefined => {
    const measure = (counts.measure ?? measureOf)(key);
    const label = (counts.label ?? labelOf)(key);
    const totals = measure === 'share' ? allTotals : undefined;
    const test = compareCounts(
      { x: pick(values, inBase), place: places, ...(totals ? { n: totals.b } : {}) },
      { x: pick(values, inIncident), ...(totals ? { n: totals.i } : {}) },
      {
        minCount: options.minCount,
        minBuckets: options.minBaselineBuckets,
        minRatio: options.minRatio,
      },
    );
    if (!test || (key === 'all' && measure === 'share')) return undefined;
    const scale = measure === 'rate' ? perMinute : 1;
    const [before, after] = [test.before * scale, test.after * scale];
    const withTraffic =
      measure === 'rate' &&
      key !== 'all' &&
      allTest &&
      Math.abs(Math.log(test.ratio / allTest.ratio)) < Math.log(1.25);
    return {
      key,
      label,
      kind: measure,
      direction: test.ratio >= 1 ? 'increase' : 'decrease',
      before,
      after,
      ratio: test.ratio,
      pValue: test.pValue,
      evidence: {
        baselineCount: test.xb,
        incidentCount: test.xi,
        ...(measure === 'share' ? { baselineTotal: test.nb, incidentTotal: test.ni } : {}),
        dispersion: test.dispersion,
        examples: [], // of the reported ones only (anomalies.ts)
      },
      say: () =>
        measure === 'share'
          ? `${label} ${percent(before)} -> ${percent(after)} of events (${change(test.ratio)})`
          : `${label} ${change(test.ratio)} (${perTime(before)} -> ${perTime(after)})${withTraffic ? ', in step with all traffic' : ''}`,
    };
  });
}

export function latencyTests(
  sketch: LatencySketch | undefined,
  windows: ComparisonWindows,
  options: AnomalyOptions,
) {
  if (!sketch) return [];
  const names = [ALL_REQUESTS, ...sketch.endpoints().map((e) => e.endpoint)];
  return names.map((endpoint): Candidate | undefined => {
    const qs = options.quantiles;
    const base = sketch.quantilesIn(endpoint, windows.baseline, qs);
    const incident = sketch.quantilesIn(endpoint, [windows.incident], qs);
    const label = endpoint === ALL_REQUESTS ? 'all requests' : endpoint;
    const quantiles = qs.flatMap((q, j) => {
      const [b, a] = [base.values[j], incident.values[j]];
      return b !== undefined && a !== undefined ? [{ q, before: b, after: a }] : [];
    });
    // Each quantile with enough requests beyond it is tested; the endpoint is judged by
    // its most significant one (Bonferroni over its quantiles, so it counts as one test)
    // and the sentence names every quantile that moved as much, the same way.
    let best: { ratio: number; pValue: number; dispersion: number } | undefined;
    for (const { q, before, after } of quantiles) {
      if (Math.min(base.count, incident.count) * (1 - q) < options.minCount / 2) continue;
      const b = sketch.slicesAbove(endpoint, before, windows.baseline);
      const i = sketch.slicesAbove(endpoint, before, [windows.incident]);
      const test = compareCounts(
        { x: b.above, n: b.totals },
        { x: i.above, n: i.totals },
        { minCount: options.minCount, minBuckets: options.minBaselineBuckets },
      );
      // tested, unless the counts and the quantiles disagree on the direction (a
      // quantile that stayed in its bin agrees with both: it did not move)
      if (!test || (after !== before && test.ratio > 1 !== after > before)) continue;
      const pValue = Math.min(1, test.pValue * quantiles.length);
      if (!best || pValue < best.pValue)
        best = { ratio: after / before, pValue, dispersion: test.dispersion };
    }
    if (!best) return undefined;
    const { ratio, pValue, dispersion } = best;
    const moved = quantiles.filter(
      (m) => (ratio > 1 ? m.after / m.before : m.before / m.after) >= options.minRatio,
    );
    return {
      key: `latency:${endpoint}`,
      label: `latency of ${label}`,
      kind: 'latency',
      direction: ratio > 1 ? 'increase' : 'decrease',
      before: moved[0]?.before ?? 0,
      after: moved[0]?.after ?? 0,
      ratio: moved[0] ? moved[0].after / moved[0].before : ratio,
      pValue,
      evidence: {
        baselineCount: base.count,
        incidentCount: incident.count,
        dispersion,
        quantiles,
        examples: [],
      },
      say: () =>
        moved
          .map(
            (m, k) =>
              `p${Math.round(m.q * 1000) / 10}${k ? '' : ` latency of ${label}`} ${duration(m.before)} -> ${duration(m.after)} (${change(m.after / m.before)})`,
          )
          .join(', '),
    };
  });
}

export function metricTest(
  metric: { key: string; label?: string; times: number[]; values: number[] },
  windows: ComparisonWindows,
  options: AnomalyOptions,
): Candidate | undefined {
  const order = metric.times
    .map((_, i) => i)
    .sort((a, b) => (metric.times[a] as number) - (metric.times[b] as number));
  const samplesIn = (ranges: readonly TimeRange[]) =>
    order.flatMap((i) => {
      const [t, v] = [metric.times[i] as number, metric.values[i]];
      const inside = ranges.some((r) => t >= r.from && t < r.to);
      return inside && v !== undefined && Number.isFinite(v) ? [v] : [];
    });
  const [base, incident] = [samplesIn(windows.baseline), samplesIn([windows.incident])];
  if (base.length < Math.max(3, options.minBaselineBuckets) || incident.length < 3)
    return undefined;
  const test = compareMeans(base, incident);
  if (!test) return undefined;
  const { before, after } = test;
  const label = metric.label ?? metric.key;
  const size =
    before > 0 && after >= 0
      ? change(after / before)
      : `${after > before ? '+' : ''}${number(after - before)}`;
  return {
    key: metric.key,
    label,
    kind: 'metric',
    direction: after > before ? 'increase' : 'decrease',
    before,
    after,
    ratio: after / before,
    pValue: test.pValue,
    evidence: {
      baselineCount: base.length,
      incidentCount: incident.length,
      dispersion: test.autocorrelation,
      examples: [],
    },
    say: () => `${label} ${number(before)} -> ${number(after)} (${size})`,
  };
}
