/**
 * Each host against the rest of the fleet. When CPU rises on every web server
 * at once, the load rose (traffic's daily cycle, a surge): that is not the
 * health of a server, and other questions (anomalies against the baseline,
 * time of day) answer it. What question 7 wants is the server that moves
 * unlike the others: "CPU from 30% to 95% on web-2 only".
 *
 * So with three hosts or more measuring the same thing, a host's move is
 * judged after taking away the fleet's common move (the median move of the
 * other hosts), with the same standard error, materiality and multiple-test
 * threshold as its own move. When most hosts moved together, that common
 * move becomes a note, or a finding when it reaches saturation (CPU at 95%
 * everywhere is a health problem whatever its cause). A spike is one
 * server's only if the others did not rise with it at that moment.
 */

import { formatValue } from './health-metrics.js';
import type { MetricSeries } from './health-series.js';
import {
  materialFloor,
  type ShiftTest,
  type SpikeTest,
  type TimeWindow,
  within,
} from './health-shift.js';
import { median, twoSidedP } from './health-stats.js';

/** Fewer hosts than this share no common move worth taking away. */
const MIN_FLEET = 3;
/** A percent level at which a resource is saturated. */
const SATURATED = 90;

export interface FleetJudgement {
  /** Indices of the series whose shift is reported. */
  reported: Set<number>;
  /** Indices of the series whose shift is the fleet's common move (reported or not). */
  common: Set<number>;
  notes: string[];
}

const significant = (shift: ShiftTest, tests: number, alpha: number) =>
  shift.material && shift.p * tests < alpha;

export function judgeShifts(
  series: readonly MetricSeries[],
  shifts: readonly (ShiftTest | undefined)[],
  tests: number,
  alpha: number,
  /** Series told by a trend (a leak): neither judged here nor part of the common move. */
  told: ReadonlySet<MetricSeries> = new Set(),
): FleetJudgement {
  const reported = new Set<number>();
  const common = new Set<number>();
  const notes: string[] = [];
  const groups = new Map<string, number[]>();
  series.forEach((s, i) => {
    if (shifts[i] && !told.has(s)) groups.set(s.label, [...(groups.get(s.label) ?? []), i]);
  });
  for (const [label, members] of groups) {
    const test = (i: number) => shifts[i] as ShiftTest;
    if (members.length < MIN_FLEET) {
      for (const i of members) if (significant(test(i), tests, alpha)) reported.add(i);
      continue;
    }
    const deltas = members.map((i) => test(i).after - test(i).before);
    const direction = Math.sign(median(deltas));
    const moved = members.filter((i) => {
      const t = test(i);
      return significant(t, tests, alpha) && Math.sign(t.after - t.before) === direction;
    });
    if (direction !== 0 && moved.length >= Math.max(MIN_FLEET, 0.75 * members.length)) {
      for (const i of moved) common.add(i);
      const unit = series[members[0] as number]?.unit ?? 'count';
      const before = median(moved.map((i) => test(i).before));
      const after = median(moved.map((i) => test(i).after));
      if (unit === 'percent' && after >= SATURATED && direction > 0)
        for (const i of moved) reported.add(i);
      else
        notes.push(
          `${label} ${direction > 0 ? 'rose' : 'fell'} on ${moved.length} of ${members.length} hosts together (median ${formatValue(before, unit)} to ${formatValue(after, unit)}): a change of load across the fleet, not one server.`,
        );
    }
    // A host stands out when its own move is material and, less the others'
    // median move, still a significant and material move the same way.
    members.forEach((i, k) => {
      const t = test(i);
      const others = deltas.filter((_, j) => j !== k);
      const relative = (deltas[k] as number) - median(others);
      const se = Math.abs((t.after - t.before) / t.z) || Number.POSITIVE_INFINITY;
      const floor = materialFloor(series[i]?.unit ?? 'count', [t.before, t.after]);
      const standsOut =
        t.material &&
        Math.abs(relative) >= Math.max(floor, 2 * t.scale) &&
        twoSidedP(relative / se) * tests < alpha &&
        Math.sign(relative) === Math.sign(t.after - t.before);
      if (standsOut) reported.add(i);
    });
  }
  return { reported, common, notes };
}

/**
 * Which spikes are one server's: at the spike's peak, the other hosts of the
 * same metric must have stayed near their own usual level (their median rise
 * under half of this host's rise, each relative to its own level). Spikes that
 * the fleet shared are a surge of load, told as one note per metric.
 */
export function spikesOfOneServer(
  series: readonly MetricSeries[],
  spikes: readonly (readonly [index: number, spike: SpikeTest])[],
  baseline: TimeWindow | readonly TimeWindow[],
): { kept: number[]; notes: string[] } {
  const usual = new Map<number, number>();
  const usualOf = (i: number) => {
    let level = usual.get(i);
    if (level === undefined) {
      level = median(within(series[i]?.points ?? [], baseline).map((p) => p.high));
      usual.set(i, level);
    }
    return level;
  };
  // Relative rises: a busier host rises more in points with the same surge.
  const rise = (i: number, value: number) => {
    const level = usualOf(i);
    return (value - level) / Math.max(Math.abs(level), 1e-9);
  };
  const kept: number[] = [];
  const shared = new Map<string, string[]>();
  for (const [i, spike] of spikes) {
    const own = series[i] as MetricSeries;
    const others: number[] = [];
    series.forEach((other, j) => {
      if (j === i || other.label !== own.label) return;
      const at = other.points.find((p) => p.time === spike.peak.time);
      if (at && Number.isFinite(usualOf(j))) others.push(rise(j, at.high));
    });
    if (others.length < MIN_FLEET - 1 || median(others) < 0.5 * rise(i, spike.peak.high))
      kept.push(i);
    else shared.set(own.label, [...(shared.get(own.label) ?? []), own.host]);
  }
  const notes = [...shared].map(
    ([label, hosts]) =>
      `${label} spiked on ${hosts.join(', ')} while the other hosts rose as well: a surge across the fleet, not one server.`,
  );
  return { kept, notes };
}
