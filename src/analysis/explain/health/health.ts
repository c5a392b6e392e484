/**
 * Question 7 of the checklist, server health: CPU, memory, disk and load per
 * host against their baseline, and resources filling up.
 *
 *   const collector = new MetricsCollector();        // one per thread; partial()/merge()
 *   for (const sample of samples) collector.add(sample);
 *   const health = analyzeHealth(collector, { baseline, incident });
 *   health.answer    // "CPU from 30% to 95% on web-2 only; disk / on db-1 at 91%, ..."
 *   health.findings  // each with sentence, evidence (points, lines) and confidence
 *
 * Three tests per series (see health-shift and health-trend for why each):
 * a level shift between the windows, increases and decreases alike; a spike
 * in the incident; a climb towards exhaustion (memory and disk), with the
 * drops at restarts found and the projection to full. Shifts and spikes are
 * then judged against the rest of the fleet (health-fleet): the whole fleet
 * moving at once is load, told as a note; one server moving is the finding.
 * The false-alarm rate is held for the whole report: each test runs at
 * alpha / (number of tests) (Bonferroni; the tests on one series are
 * dependent, which Bonferroni allows), and a finding must also be material,
 * so a quiet noisy day reports nothing (health.test.ts measures it on
 * simulated noise).
 */
import type { Evidence } from '../../report/model.js';
import { MetricsCollector } from './health-collector.js';
import { shiftFinding, spikeFinding, trendFinding } from './health-findings.js';
import { judgeShifts, spikesOfOneServer } from './health-fleet.js';
import type { MetricSeries } from './health-series.js';
import {
  type ShiftTest,
  type SpikeTest,
  type TimeWindow,
  testShift,
  testSpike,
} from './health-shift.js';
import { testTrend } from './health-trend.js';
import { groupShifts } from './health-wording.js';

export type { MetricSample } from './health-metrics.js';
export type { MetricSeries, TimeWindow };
export { MetricsCollector };

export interface HealthOptions {
  /**
   * The normal period: each metric's usual level. Several windows (the same
   * hours on earlier days) keep a daily cycle from reading as a change.
   * Without it only trends are checked.
   */
  baseline?: TimeWindow | readonly TimeWindow[];
  /** The incident, compared with the baseline; trends are measured up to its end. */
  incident: TimeWindow;
  /** The chance that a report of pure noise names anything at all (default 0.01). */
  alpha?: number;
  /** A resource filling up is reported when it would be full within this (default 48 h). */
  horizonMs?: number;
}

export type HealthFindingKind = 'shift' | 'spike' | 'leak' | 'filling' | 'climbing';

export interface HealthFinding {
  kind: HealthFindingKind;
  host: string;
  metric: string;
  resource?: string;
  /** How the sentence names the metric: "CPU", "disk /". */
  label: string;
  resourceKind: MetricSeries['kind'];
  unit: MetricSeries['unit'];
  direction: 'up' | 'down';
  sentence: string;
  /** Shift: the baseline's and the incident's median; spike: the baseline and the peak. */
  before?: number;
  after?: number;
  /** Trends: how fast the resource fills, in its unit per hour. */
  ratePerHour?: number;
  /** Trends: when the fitted line reaches full (epoch ms). */
  exhaustedBy?: number;
  /** Leaks: the times of the drops (restarts). */
  restarts?: number[];
  evidence: { points: { time: number; value: number }[]; lines: Evidence[] };
  /** p-value adjusted for the number of tests (Bonferroni). */
  pValue: number;
  confidence: number;
}

export interface HealthReport {
  /** The answer in a sentence or a few, or why there is none. */
  answer: string;
  findings: HealthFinding[];
  tested: { series: number; hosts: number; withBaseline: number; trends: number };
  alpha: number;
  notes: string[];
}

export function analyzeHealth(
  input: readonly MetricSeries[] | MetricsCollector,
  options: HealthOptions,
): HealthReport {
  const series = input instanceof MetricsCollector ? input.finish() : input;
  const notes: string[] = [];
  if (input instanceof MetricsCollector && input.dropped > 0)
    notes.push(
      `${input.dropped} readings of series beyond the first ${input.maxSeries} were left out.`,
    );
  const alpha = options.alpha ?? 0.01;
  const horizon = options.horizonMs ?? 48 * 3_600_000;
  const { baseline, incident } = options;
  const shifts = baseline ? series.map((s) => testShift(s, baseline, incident)) : [];
  const withBaseline = shifts.filter(Boolean).length;
  const trendable = series.filter((s) => s.kind === 'memory' || s.kind === 'disk');
  const trends = trendable.map((s) => testTrend(s, incident.to));
  // Two tests per series against the baseline (shift, spike), two per trend (pooled, recent).
  const tests = Math.max(1, 2 * withBaseline + 2 * trends.filter(Boolean).length);

  const findings: HealthFinding[] = [];
  const trending = new Set<MetricSeries>();
  trendable.forEach((s, i) => {
    const trend = trends[i];
    const finding = trend && trendFinding(s, trend, tests, alpha, horizon);
    if (!finding) return;
    findings.push(finding);
    trending.add(s);
  });
  // A resource that fills is also higher in the incident than before: the
  // trend says it better, so its shift and spikes are not told again.
  const judged = baseline
    ? judgeShifts(series, shifts, tests, alpha, trending)
    : { reported: new Set<number>(), common: new Set<number>(), notes: [] };
  notes.push(...judged.notes);
  const spikes: [index: number, spike: SpikeTest][] = [];
  series.forEach((s, i) => {
    const shift = shifts[i];
    if (!baseline || trending.has(s)) return;
    const reported = shift !== undefined && judged.reported.has(i);
    if (reported) findings.push(shiftFinding(s, shift, tests));
    // A rise already told, or the fleet's common rise, is no spike.
    if (shift && (reported || judged.common.has(i)) && shift.after > shift.before) return;
    const spike = testSpike(s, baseline, incident, alpha / tests);
    if (spike) spikes.push([i, spike]);
  });
  if (baseline) {
    const alone = spikesOfOneServer(series, spikes, baseline);
    notes.push(...alone.notes);
    for (const [i, spike] of spikes)
      if (alone.kept.includes(i))
        findings.push(spikeFinding(series[i] as MetricSeries, spike, alpha));
  }

  const hosts = new Set(series.map((s) => s.host));
  findings.sort((a, b) => b.confidence - a.confidence || a.host.localeCompare(b.host));
  const counts = {
    series: series.length,
    hosts: hosts.size,
    withBaseline,
    trends: trends.filter(Boolean).length,
  };
  if (baseline && withBaseline < series.length)
    notes.push(
      `${series.length - withBaseline} of ${series.length} series had too few readings in the baseline or the incident to compare.`,
    );
  return {
    answer: answerOf(series, findings, shifts, baseline !== undefined, counts, notes),
    findings,
    tested: counts,
    alpha,
    notes,
  };
}

function answerOf(
  series: readonly MetricSeries[],
  findings: HealthFinding[],
  shifts: readonly (ShiftTest | undefined)[],
  hasBaseline: boolean,
  tested: HealthReport['tested'],
  notes: readonly string[],
): string {
  if (series.length === 0)
    return 'No server metrics in the evidence (give --metrics or --prometheus).';
  const parts = groupShifts(series, findings, shifts);
  for (const f of findings) if (f.kind !== 'shift') parts.push(f.sentence);
  const kinds = [...new Set(series.map((s) => s.label.split(' ')[0]))].slice(0, 6).join(', ');
  const scope = `${tested.series} series on ${tested.hosts} host${tested.hosts === 1 ? '' : 's'} (${kinds})`;
  if (parts.length) return `${parts.join('; ')}.`;
  if (!hasBaseline || tested.withBaseline === 0)
    return `No resource is filling up (${scope}); no baseline readings to compare the incident with.`;
  const fleet = notes.filter((n) => n.includes('across the fleet'));
  if (fleet.length)
    return `No server stands out and nothing is filling up (${scope}). ${fleet.join(' ')}`;
  return `No metric moved against the baseline and nothing is filling up (${scope}).`;
}
