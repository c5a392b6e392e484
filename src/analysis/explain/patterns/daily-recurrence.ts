/**
 * Whether a window of the day recurs from day to day: the burst guard of
 * the time-of-day question. A few days cannot make a per-cycle count
 * significant the way a thousand minutes do, and random error bursts (a
 * retry storm here, a failover there) coincide across days more often than
 * one expects: six short bursts a day put two of them in the same
 * five-minute slot on two of three days most of the time.
 *
 * So each day is tested on its own: a window is significant on a day when
 * its errors exceed that day's traffic and clock shares (at DAY_ALPHA) AND
 * the excess is sustained, at least half of its buckets being raised on
 * their own, so that one burst cannot make a 20-minute window. The count
 * of significant days is then set against what that day's own data gives
 * by chance: the share of the day's other positions where a window of the
 * same length is significant too (an empirical null, read off the rest of
 * the day). Quiet days make that chance near zero and two or three days
 * suffice; a day full of bursts makes it large for short windows, and
 * coincidences are not called a pattern. The count is a sum of independent
 * Bernoulli trials, so tailBound applies; the caller corrects for the scan.
 */
import { DAY, logTailBound, tailBound } from './phase.js';

const DAY_ALPHA = 0.001;
/** A bucket is raised when it holds this many times its share and is unlikely (BUCKET_ALPHA) to by chance. */
const MIN_LIFT = 1.5;
const BUCKET_ALPHA = 0.05;

export interface DayCounts {
  errors: Float64Array;
  traffic: Float64Array;
  clock: Float64Array;
}

export interface DayEvidence {
  /** The local date, YYYY-MM-DD. */
  date: string;
  errors: number;
  /** Errors the window would hold that day if errors followed the traffic. */
  expected: number;
  significant: boolean;
  /** Share of that day's other windows of this length that are significant too. */
  byChance: number;
}

export interface Recurrence {
  days: DayEvidence[];
  coveredDays: number;
  recurringDays: number;
  /** log P(at least recurringDays significant days | each day's chance), not corrected for the scan. */
  logP: number;
}

interface Day {
  date: string;
  counts: DayCounts;
  /** By window size: which start positions are significant that day. */
  significant: Map<number, Uint8Array>;
}

function prefix(values: Float64Array): Float64Array {
  const sums = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) sums[i + 1] = (sums[i] as number) + (values[i] as number);
  return sums;
}

/** Each position's significance, for every window size, on one day. */
function significance(counts: DayCounts, sizes: readonly number[]): Map<number, Uint8Array> {
  const all = counts.errors.length;
  const [errors, traffic, clock] = [counts.errors, counts.traffic, counts.clock].map(prefix) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const n = errors[all] as number;
  const test = (start: number, size: number, alpha: number) => {
    const inWindow = (s: Float64Array) => (s[start + size] as number) - (s[start] as number);
    const count = inWindow(errors);
    const byTraffic = inWindow(traffic) / ((traffic[all] as number) || 1);
    const byClock = inWindow(clock) / ((clock[all] as number) || 1);
    const p = Math.max(tailBound(count, n, byTraffic), tailBound(count, n, byClock));
    return p <= alpha && count >= MIN_LIFT * n * Math.max(byTraffic, byClock);
  };
  const raised = new Float64Array(all);
  for (let b = 0; b < all; b++) raised[b] = test(b, 1, BUCKET_ALPHA) ? 1 : 0;
  const raisedBefore = prefix(raised);
  const bySize = new Map<number, Uint8Array>();
  for (const size of sizes) {
    const significant = new Uint8Array(Math.max(0, all - size + 1));
    for (let start = 0; start + size <= all; start++) {
      const sustained =
        2 * ((raisedBefore[start + size] as number) - (raisedBefore[start] as number)) >= size;
      significant[start] = sustained && test(start, size, DAY_ALPHA) ? 1 : 0;
    }
    bySize.set(size, significant);
  }
  return bySize;
}

/** The per-day evidence of a set of local days, worked out once for every window asked about. */
export class DailyEvidence {
  readonly #days: Day[];

  constructor(days: Map<number, DayCounts>, sizes: readonly number[]) {
    this.#days = [...days]
      .sort((a, b) => a[0] - b[0])
      .map(([day, counts]) => ({
        date: new Date(day * DAY).toISOString().slice(0, 10),
        counts,
        significant: significance(counts, sizes),
      }));
  }

  /** Each day's evidence for the window of `size` buckets from `start`, and the recurrence test. */
  recurrence(start: number, size: number, bucketMs: number): Recurrence {
    const days: DayEvidence[] = [];
    for (const { date, counts, significant } of this.#days) {
      let clock = 0;
      let errors = 0;
      let traffic = 0;
      for (let b = start; b < start + size; b++) {
        clock += counts.clock[b] as number;
        errors += counts.errors[b] as number;
        traffic += counts.traffic[b] as number;
      }
      if (clock < (size * bucketMs) / 2) continue;
      const positions = significant.get(size) ?? new Uint8Array(0);
      let others = 0;
      let othersSignificant = 0;
      positions.forEach((s, q) => {
        if (q + size > start && q < start + size) return;
        others++;
        othersSignificant += s;
      });
      const n = counts.errors.reduce((a, b) => a + b, 0);
      const allTraffic = counts.traffic.reduce((a, b) => a + b, 0);
      days.push({
        date,
        errors,
        expected: allTraffic > 0 ? (n * traffic) / allTraffic : 0,
        significant: positions[start] === 1,
        byChance: others ? othersSignificant / others : 1,
      });
    }
    const recurringDays = days.filter((d) => d.significant).length;
    const chance = days.reduce((total, d) => total + d.byChance, 0) / (days.length || 1);
    return {
      days,
      coveredDays: days.length,
      recurringDays,
      logP: recurringDays >= 2 ? logTailBound(recurringDays, days.length, chance) : 0,
    };
  }
}

/** The counts regrouped by local day (epoch days of local time) and bucket of the local day. */
export function byLocalDay(
  series: {
    origin: number;
    bucketMs: number;
    errors: Float64Array;
    traffic: Float64Array;
    coveredMs: Float64Array;
  },
  offsetOf: (time: number) => number,
): Map<number, DayCounts> {
  const perDay = DAY / series.bucketMs;
  const days = new Map<number, DayCounts>();
  for (let i = 0; i < series.coveredMs.length; i++) {
    const covered = series.coveredMs[i] as number;
    if (!(covered > 0)) continue;
    const start = (series.origin + i) * series.bucketMs;
    const local = start + offsetOf(start);
    const day = Math.floor(local / DAY);
    const bin = Math.min(perDay - 1, Math.floor((local - day * DAY) / series.bucketMs));
    let counts = days.get(day);
    if (!counts) {
      const empty = () => new Float64Array(perDay);
      counts = { errors: empty(), traffic: empty(), clock: empty() };
      days.set(day, counts);
    }
    counts.errors[bin] = (counts.errors[bin] as number) + (series.errors[i] as number);
    counts.traffic[bin] = (counts.traffic[bin] as number) + (series.traffic[i] as number);
    counts.clock[bin] = (counts.clock[bin] as number) + covered;
  }
  return days;
}
