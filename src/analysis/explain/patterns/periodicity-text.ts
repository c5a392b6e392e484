/**
 * The periodicity answer in words and as a typed pattern: the period, its
 * jitter, where on the wall clock it falls ("at :05 past each minute"), and
 * the evidence (cycles, counts, example lines).
 */
import type { Evidence } from '../../report/model.js';
import { formatCount, formatDuration, formatP, pad2 } from './phase.js';
import type { TimeOfDayResult, TimeOfDayWindow } from './time-of-day.js';

const HOUR_S = 3600;
const DAY_S = 86_400;

/** A period's best window, with what the text needs. */
export interface Detected {
  periodS: number;
  binS: number;
  start: number;
  size: number;
  p: number;
  errors: number;
  expected: number;
  totalErrors: number;
  cycles: number;
  cyclesWithPeak: number;
  cyclesByChance: number;
  /** Recurrence beyond chance, 0-1: 1 when every cycle shows the peak. */
  strength: number;
  /** Center and spread of the excess errors, seconds into the UTC cycle. */
  phaseS: number;
  jitterS: number;
  /** Errors above the traffic's share in each bin of the fold: where the peaks are. */
  excessByBin: number[];
}

export interface PeriodicPattern {
  periodMs: number;
  /** Spread (circular standard deviation) of the errors around the peak. */
  jitterMs: number;
  /** Where in each cycle the errors peak: ms after each multiple of the period, counted from local midnight. */
  phaseMs: number;
  /** "at :05 past each minute" */
  phaseLabel: string;
  /** The phase window tested, ms into the local cycle; endMs past periodMs wraps. */
  window: { startMs: number; endMs: number };
  /** Cycles the evidence covers. */
  cycles: number;
  /** Cycles in which the window held more than its share of the cycle's errors. */
  cyclesWithPeak: number;
  /** How many of those chance alone would give. */
  cyclesByChance: number;
  errorsInPeak: number;
  /** Errors the window would hold if errors followed the traffic. */
  expectedInPeak: number;
  /** Share of all timed errors in the window. */
  peakShare: number;
  lift: number;
  /** Bonferroni-adjusted over every window of every period tested (a Chernoff upper bound). */
  pValue: number;
  confidence: number;
  sentence: string;
  examples: Evidence[];
}

const mod = (a: number, m: number) => ((a % m) + m) % m;

/** "at :05 past each minute", "at :01:05, :16:05, :31:05 and :46:05 past each hour", "at 02:30, 08:30 ... each day". */
export function phaseLabel(periodS: number, phaseS: number): string {
  const scope = periodS <= 60 && 60 % periodS === 0 ? 60 : periodS <= HOUR_S ? HOUR_S : DAY_S;
  const format = (s: number) =>
    scope === 60
      ? `:${pad2(s)}`
      : scope === HOUR_S
        ? `:${pad2(s / 60)}:${pad2(s % 60)}`
        : `${pad2(s / HOUR_S)}:${pad2((s % HOUR_S) / 60)}`;
  const count = Math.round(scope / periodS);
  const marks = Array.from({ length: Math.min(count, count > 4 ? 3 : 4) }, (_, k) =>
    format(mod(Math.round(phaseS) + k * periodS, scope)),
  );
  const list =
    count > 4
      ? `${marks.join(', ')} ...`
      : marks.length > 1
        ? `${marks.slice(0, -1).join(', ')} and ${marks.at(-1)}`
        : marks[0];
  return `at ${list} ${scope === 60 ? 'past each minute' : scope === HOUR_S ? 'past each hour' : 'each day'}`;
}

const jitterText = (ms: number) =>
  ms < 1000 ? 'under 1 s' : ms < 60_000 ? `${Math.round(ms / 1000)} s` : formatDuration(ms);

/** Up to three example lines in the window, from different cycles. */
function examplesIn(
  examples: readonly Evidence[],
  periodS: number,
  offsetS: number,
  window: [number, number],
) {
  const picked: Evidence[] = [];
  const cycles = new Set<number>();
  for (const e of [...examples].sort((a, b) => (a.time ?? 0) - (b.time ?? 0))) {
    if (e.time === undefined || picked.length >= 3) continue;
    const local = Math.floor(e.time / 1000) + offsetS;
    const cycle = Math.floor(local / periodS);
    if (mod(local - window[0], periodS) < window[1] - window[0] && !cycles.has(cycle)) {
      picked.push(e);
      cycles.add(cycle);
    }
  }
  return picked;
}

/** The pattern as the report carries it; `offsetS` turns UTC phases into local ones. */
export function toPattern(
  d: Detected,
  offsetS: number,
  examples: readonly Evidence[],
): PeriodicPattern {
  const phaseS = mod(d.phaseS + offsetS, d.periodS);
  const startS = mod(d.start * d.binS + offsetS, d.periodS);
  const widthS = d.size * d.binS;
  const label = phaseLabel(d.periodS, phaseS);
  const share = d.totalErrors > 0 ? d.errors / d.totalErrors : 0;
  const lift = d.errors / Math.max(d.expected, 1e-9);
  const sentence =
    `every ${formatDuration(d.periodS * 1000)} (jitter ${jitterText(d.jitterS * 1000)}), ${label}: ` +
    `the ${formatDuration(widthS * 1000)} window held more than its share of the cycle's errors in ` +
    `${formatCount(d.cyclesWithPeak)} of ${formatCount(d.cycles)} cycles (${formatCount(d.cyclesByChance)} by chance) ` +
    `and holds ${Math.round(share * 100)}% of all errors, ${lift >= 10 ? Math.round(lift) : lift.toFixed(1)}x what the traffic predicts (${formatP(d.p)})`;
  return {
    periodMs: d.periodS * 1000,
    jitterMs: Math.round(d.jitterS * 1000),
    phaseMs: Math.round(phaseS * 1000),
    phaseLabel: label,
    window: { startMs: startS * 1000, endMs: (startS + widthS) * 1000 },
    cycles: d.cycles,
    cyclesWithPeak: d.cyclesWithPeak,
    cyclesByChance: d.cyclesByChance,
    errorsInPeak: d.errors,
    expectedInPeak: d.expected,
    peakShare: share,
    lift,
    pValue: d.p,
    confidence: 1 - d.p,
    sentence,
    examples: examplesIn(examples, d.periodS, offsetS, [startS, startS + widthS]),
  };
}

/** A daily window that is one of a long period's peaks (a 6-hour pattern shows as four daily windows). */
function partOfPeriod(w: TimeOfDayWindow, p: PeriodicPattern): boolean {
  if (p.periodMs < HOUR_S * 1000 || (DAY_S * 1000) % p.periodMs !== 0) return false;
  for (let at = p.phaseMs; at < DAY_S * 1000; at += p.periodMs) {
    const minute = at / 60_000;
    if (minute >= w.startMinute - 5 && minute < w.endMinute + 5) return true;
  }
  return false;
}

/** The whole answer: the periods, the time of day, or "no pattern: random". */
export function describePatterns(
  periods: PeriodicPattern[],
  timeOfDay: TimeOfDayResult,
  tested: readonly { periodSeconds: number }[],
  errors: number,
  minErrors: number,
): string {
  if (errors < minErrors) return `Too few timed errors (${errors}) to look for patterns in time.`;
  const first = tested[0]?.periodSeconds;
  const last = tested.at(-1)?.periodSeconds;
  const range =
    first !== undefined && last !== undefined
      ? `tested periods ${formatDuration(first * 1000)} to ${formatDuration(last * 1000)}`
      : 'the evidence spans too little time to test periods';
  const days = timeOfDay.days >= 2 ? ` and the times of day over ${timeOfDay.days} days` : '';
  if (!periods.length && !timeOfDay.found)
    return `No pattern: the errors look random in time (${range}${days}).${timeOfDay.oneOff ? ` ${timeOfDay.answer}` : ''}`;
  const periodic = periods.length
    ? `Errors recur ${periods.map((p) => p.sentence).join('; and ')}.`
    : '';
  const daily = timeOfDay.found ? timeOfDay.windows : [];
  if (daily.length && daily.every((w) => periods.some((p) => partOfPeriod(w, p))))
    return `${periodic} That is why errors also gather at ${daily.map((w) => w.label).join(', ')} each day.`;
  return [periodic, timeOfDay.found ? timeOfDay.answer : ''].filter(Boolean).join(' ');
}
