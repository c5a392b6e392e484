/**
 * "Do the errors happen at certain times of the day?" Errors and traffic are
 * counted in 5-minute buckets of UTC time (bounded: past 128 days the
 * buckets double, always dividing a day), and only at the end mapped to the
 * local wall clock, bucket by bucket with the zone's offset at that moment.
 * So the hot path knows nothing of zones, and a DST change mid-log is exact
 * (offsets are whole quarter hours).
 *
 * Why this method: a window of the day (5 min to 3 h) is scanned on the
 * days pooled, tested against traffic and clock (see phase.ts) with
 * Bonferroni over every window; then each day is tested on its own, and
 * the window is a daily pattern only when it is significant on two days or
 * more, more often than that day's own bursts would allow (see
 * daily-recurrence.ts), again corrected for every window. One bad
 * afternoon is reported as what it is: a concentration on one day only.
 */
import type { Evidence } from '../../report/model.js';
import { type ClockSeries, ClockSeriesCollector } from './clock-series.js';
import { byLocalDay, DailyEvidence, type DayCounts, type DayEvidence } from './daily-recurrence.js';
import {
  adjustedP,
  DAY,
  formatCount,
  formatP,
  MINUTE,
  pad2,
  WindowScan,
  type WindowTest,
  type Zone,
  zoneName,
  zoneOffset,
} from './phase.js';

/** Window lengths scanned, in minutes: a short cron run up to a morning's log-on wave. */
const WINDOW_MINUTES = [5, 10, 15, 20, 30, 40, 60, 90, 120, 180];
/** A window must hold this many times what traffic and clock predict. */
const MIN_LIFT = 1.5;
const MAX_WINDOWS = 3;
/** Recurrence is checked for at most this many significant windows, strongest first. */
const MAX_CANDIDATES = 500;

export interface TimeOfDayWindow {
  /** Minutes after local midnight, end exclusive. */
  startMinute: number;
  endMinute: number;
  /** "09:00-09:20" */
  label: string;
  errors: number;
  expectedByTraffic: number;
  expectedByClock: number;
  /** Share of all timed errors that fall in the window. */
  share: number;
  /** How many times the traffic's expectation the window holds. */
  lift: number;
  days: DayEvidence[];
  recurringDays: number;
  coveredDays: number;
  /** Significant on two days or more, more often than the days' own bursts explain (see daily-recurrence.ts). */
  recurring: boolean;
  /** That recurrence's p-value, Bonferroni-adjusted like pValue. */
  recurrenceP: number;
  /** Bonferroni-adjusted over every window scanned (a Chernoff upper bound). */
  pValue: number;
  confidence: number;
  examples: Evidence[];
}

export interface TimeOfDayResult {
  found: boolean;
  answer: string;
  zone: string;
  days: number;
  /** The daily windows found (each recurring), in the order of the day. */
  windows: TimeOfDayWindow[];
  /** When none recurs: the strongest concentration, on one day or too few (for the sentence). */
  oneOff?: TimeOfDayWindow;
  confidence: number;
}

export interface PatternOptions {
  /** Wall clock for display and for "a time of day"; the process's zone when absent. */
  zone?: Zone;
  /** Error lines to quote (e.g. the first error of each minute); those in a window are picked. */
  examples?: readonly Evidence[];
  /** False-alarm level of the whole scan; 0.01 when absent. */
  alpha?: number;
}

/** Streaming collector for the time-of-day question (see ClockSeriesCollector). */
export class TimeOfDayCollector extends ClockSeriesCollector {
  finish(options: PatternOptions = {}): TimeOfDayResult {
    return findTimeOfDayPattern(this.series(), options);
  }
}

const clockLabel = (minute: number) => `${pad2(minute / 60)}:${pad2(minute % 60)}`;

/** Up to three examples in the window, from different days where possible. */
function examplesIn(
  examples: readonly Evidence[],
  window: [number, number],
  offsetOf: (t: number) => number,
) {
  const picked: Evidence[] = [];
  const days = new Set<number>();
  const inWindow = examples
    .filter((e) => {
      if (e.time === undefined) return false;
      const minute = Math.floor(((((e.time + offsetOf(e.time)) % DAY) + DAY) % DAY) / MINUTE);
      return minute >= window[0] && minute < window[1];
    })
    .sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
  for (const e of inWindow) {
    const day = Math.floor(((e.time ?? 0) + offsetOf(e.time ?? 0)) / DAY);
    if (picked.length < 3 && !days.has(day)) {
      picked.push(e);
      days.add(day);
    }
  }
  for (const e of inWindow) if (picked.length < 3 && !picked.includes(e)) picked.push(e);
  return picked;
}

function daysPhrase(w: TimeOfDayWindow): string {
  const r = w.recurringDays;
  if (w.recurring)
    return r < w.coveredDays
      ? `on ${r} of the ${w.coveredDays} days`
      : r === 2
        ? 'on both days'
        : `on each of the ${r} days`;
  if (r === 0) return 'over the days, on no day significantly';
  if (r === 1) return `on ${w.days.find((d) => d.significant)?.date} only`;
  return `on ${r} of the ${w.coveredDays} days, no more often than that many days' random bursts would give`;
}

/**
 * Finds the windows of the local day where errors concentrate, across days
 * (see the file comment). Pure: the series comes from a TimeOfDayCollector.
 */
export function findTimeOfDayPattern(
  series: ClockSeries,
  options: PatternOptions = {},
): TimeOfDayResult {
  const zone = zoneName(options.zone);
  const offsetOf = zoneOffset(options.zone);
  const perDay = DAY / series.bucketMs;
  const days = Number.isInteger(perDay)
    ? byLocalDay(series, offsetOf)
    : new Map<number, DayCounts>();
  const pooled = {
    errors: new Float64Array(perDay),
    traffic: new Float64Array(perDay),
    clock: new Float64Array(perDay),
  };
  for (const counts of days.values())
    for (const key of ['errors', 'traffic', 'clock'] as const)
      for (let b = 0; b < perDay; b++)
        pooled[key][b] = (pooled[key][b] as number) + (counts[key][b] as number);
  const scan = new WindowScan(pooled.errors, pooled.traffic, pooled.clock, false);
  const result = (
    found: boolean,
    answer: string,
    confidence: number,
    windows: TimeOfDayWindow[] = [],
    oneOff?: TimeOfDayWindow,
  ): TimeOfDayResult => ({
    found,
    answer,
    zone,
    days: days.size,
    windows,
    ...(oneOff ? { oneOff } : {}),
    confidence,
  });
  if (scan.totalErrors === 0)
    return result(false, 'No timed errors: no time of day to look at.', 0);

  const alpha = options.alpha ?? 0.01;
  const sizes = WINDOW_MINUTES.map((m) => (m * MINUTE) / series.bucketMs).filter(
    (s) => Number.isInteger(s) && s >= 1,
  );
  const tests = sizes.reduce((total, size) => total + Math.max(0, perDay - size + 1), 0);
  const candidates: WindowTest[] = [];
  for (const size of sizes)
    for (let start = 0; start + size <= perDay; start++) {
      const t = scan.test(start, size);
      if (
        t &&
        adjustedP(t.logP, tests) <= alpha &&
        t.errors >= MIN_LIFT * Math.max(t.expectedByTraffic, t.expectedByClock)
      )
        candidates.push(t);
    }
  // The strongest windows first; one overlapping a daily window already kept is the same finding.
  candidates.sort((a, b) => a.logP - b.logP || a.size - b.size);
  const daily = new DailyEvidence(days, sizes);
  const minutesPerBin = series.bucketMs / MINUTE;
  const windowOf = (start: number, size: number): TimeOfDayWindow | undefined => {
    const t = scan.test(start, size);
    if (!t) return undefined;
    const recurrence = daily.recurrence(start, size, series.bucketMs);
    const recurrenceP = adjustedP(recurrence.logP, tests);
    const [startMinute, endMinute] = [start * minutesPerBin, (start + size) * minutesPerBin];
    const pValue = adjustedP(t.logP, tests);
    return {
      startMinute,
      endMinute,
      label: `${clockLabel(startMinute)}-${clockLabel(endMinute)}`,
      errors: t.errors,
      expectedByTraffic: t.expectedByTraffic,
      expectedByClock: t.expectedByClock,
      share: t.errors / scan.totalErrors,
      lift: t.errors / Math.max(t.expectedByTraffic, 1e-9),
      days: recurrence.days,
      recurringDays: recurrence.recurringDays,
      coveredDays: recurrence.coveredDays,
      recurring: pValue <= alpha && recurrence.recurringDays >= 2 && recurrenceP <= alpha,
      recurrenceP,
      pValue,
      confidence: 1 - Math.max(pValue, recurrenceP),
      examples: examplesIn(options.examples ?? [], [startMinute, endMinute], offsetOf),
    };
  };
  const windows: TimeOfDayWindow[] = [];
  let oneOff: TimeOfDayWindow | undefined;
  for (const t of candidates.slice(0, MAX_CANDIDATES)) {
    if (windows.length >= MAX_WINDOWS) break;
    const [from, to] = [t.start * minutesPerBin, (t.start + t.size) * minutesPerBin];
    if (windows.some((w) => from < w.endMinute && to > w.startMinute)) continue;
    const window = windowOf(t.start, t.size);
    if (window?.recurring) windows.push(window);
    else oneOff ??= window;
  }
  // A surge found as two halves (08:00-08:10 and 08:10-08:20) is one window when the whole recurs.
  windows.sort((a, b) => a.startMinute - b.startMinute);
  for (let i = 0; i + 1 < windows.length; i++) {
    const [a, b] = [windows[i] as TimeOfDayWindow, windows[i + 1] as TimeOfDayWindow];
    if (a.endMinute !== b.startMinute) continue;
    const whole = windowOf(
      a.startMinute / minutesPerBin,
      (b.endMinute - a.startMinute) / minutesPerBin,
    );
    if (whole?.recurring) windows.splice(i--, 2, whole);
  }
  const describe = (w: TimeOfDayWindow) =>
    `${w.label} ${daysPhrase(w)}: ${formatCount(w.errors)} errors against ${formatCount(w.expectedByTraffic)} expected from the traffic, ${Math.round(w.share * 100)}% of all errors (${formatP(w.pValue)})`;
  if (windows.length)
    return result(
      true,
      `Errors concentrate at ${windows.map(describe).join('; and at ')} (${zone}).`,
      Math.max(...windows.map((w) => w.confidence)),
      windows,
    );
  const elsewhere = oneOff
    ? ` Errors concentrated at ${describe(oneOff)} (${zone}): not a daily pattern.`
    : '';
  if (days.size < 2)
    return result(
      false,
      `The evidence covers one day: too short to tell a daily pattern from a one-off.${elsewhere}`,
      0.5,
      [],
      oneOff,
    );
  return result(
    false,
    `No time-of-day pattern over the ${days.size} days.${elsewhere || ' The errors spread over the day like the traffic.'}`,
    Math.min(0.95, 1 - Math.exp(-scan.totalErrors / 50)),
    [],
    oneOff,
  );
}
