/**
 * "Do the errors happen at specific time intervals?" A streaming collector
 * fed with (time, isError) for every timed event, whatever the span, in
 * bounded memory (~1.5 MB), answering with the period, its jitter and its
 * phase on the wall clock, or "no pattern: random"; it also carries the
 * time-of-day question (time-of-day.ts), whose grid it shares.
 *
 * Why phase folding on a fixed ladder: the Analyzer's series grid is far too
 * coarse for a 60 s period, and a periodogram would need the whole series.
 * Every period that divides an hour folds exactly out of ONE histogram of
 * the second of the hour (t mod 3600 s), for errors and for all events: the
 * hot path is one division and two or three increments. That ladder (21
 * divisors of an hour from 10 s up) holds every cron step (every N minutes
 * with N dividing 60, every N seconds with N dividing 60) and the usual
 * round timer values (45 s, 50 s, 90 s); the longer periods (90 min to
 * 12 h, dividing a day) fold out of the shared 5-minute grid. Other periods
 * (7 min, 25 s) are not tested: such a pattern reads as "random". Each
 * period costs a few ns per second of the log that holds errors (see
 * cycle-tally.ts), which is why the ladder is not every divisor of an hour.
 *
 * A window of phase is a pattern only when it passes the three tests of
 * phase.ts (traffic, clock, per-cycle recurrence from cycle-recurrence.ts)
 * with Bonferroni over every window of every period tested: on noise, at
 * most `alpha` (1%) of analyses report a period. One pattern shows at many
 * periods (its multiples, its divisors): period-choice.ts picks its own.
 */
import {
  type ClockSeries,
  ClockSeriesCollector,
  type ClockSeriesPartial,
  coverageByPhase,
} from './clock-series.js';
import { CycleTally, type CycleTallyPartial } from './cycle-recurrence.js';
import { fitPeak } from './peak-fit.js';
import { asPeriod, chooseFundamentals, DAY_S } from './period-choice.js';
import {
  type Detected,
  describePatterns,
  type PeriodicPattern,
  toPattern,
} from './periodicity-text.js';
import { adjustedP, fold, rebin, WindowScan, zoneOffset } from './phase.js';
import { findTimeOfDayPattern, type PatternOptions, type TimeOfDayResult } from './time-of-day.js';

const HOUR_S = 3600;
const LONG_PERIODS_S = [5400, 7200, 10800, 14400, 21600, 28800, 43200];
const MAX_BINS = 36;
const MIN_CYCLES = 6;
const MIN_LIFT = 1.5;
const MIN_ERRORS = 10;
/** A period must show in a fifth of its cycles beyond chance: a pattern, not a coincidence of phase. */
const MIN_STRENGTH = 0.2;
const BATCH = 256;

const largestDivisor = (n: number, max: number) => {
  for (let d = Math.min(n, max); d > 1; d--) if (n % d === 0) return d;
  return 1;
};
/** Divisors of an hour: every cron step of seconds or minutes, and the usual round timer values. */
const SHORT_PERIODS_S = [
  10, 12, 15, 20, 30, 40, 45, 50, 60, 90, 120, 180, 240, 300, 360, 600, 720, 900, 1200, 1800, 3600,
];
const PERIODS_S = [...SHORT_PERIODS_S, ...LONG_PERIODS_S];

export interface PeriodicityResult {
  /** A period or a daily window was found. */
  found: boolean;
  /** The answer in a sentence or three: the periods, the daily windows, or "No pattern: ...". */
  answer: string;
  /** One per pattern, its fundamental period; strongest first. */
  periods: PeriodicPattern[];
  timeOfDay: TimeOfDayResult;
  /** The periods the span allowed testing (six cycles at least). */
  testedPeriodsMs: number[];
  /** Timed errors seen. */
  errors: number;
  /**
   * For a pattern, 1 - its adjusted p-value. For "no pattern", a heuristic
   * on how much evidence there was to see one: 1 - e^(-errors / 50), at most
   * 0.95 (0.18 for 10 errors, 0.86 for 100).
   */
  confidence: number;
}

export interface PeriodicityPartial {
  errorsBySecond: Float64Array;
  trafficBySecond: Float64Array;
  clock: ClockSeriesPartial;
  tallies: CycleTallyPartial[];
}

export class PeriodicityCollector {
  readonly #errorsBySecond = new Float64Array(HOUR_S);
  readonly #trafficBySecond = new Float64Array(HOUR_S);
  readonly #clock = new ClockSeriesCollector();
  readonly #tallies = PERIODS_S.map(
    (p) => new CycleTally(p, largestDivisor(p > HOUR_S ? p / 300 : p, MAX_BINS)),
  );
  /** Seconds with errors, and their counts, not yet handed to the tallies (batched: a tight loop per tally). */
  readonly #seconds = new Float64Array(BATCH);
  /** Int32, not Float64: counts read back as small integers keep the tallies' arithmetic in integers. */
  readonly #secondErrors = new Int32Array(BATCH);
  #batched = 0;
  /** The second whose events are being counted (see `add`), how many, their first and last times. */
  #runSecond = -1;
  #run = 0;
  #runFrom = 0;
  #runTo = 0;

  /**
   * Every timed event. Traffic is counted per run of events in one second
   * (logs are mostly in time order, so a run holds hundreds): one comparison
   * and one increment per event. Errors: a few increments, and per second
   * with errors one call per period.
   */
  add(time: number, isError: boolean): void {
    if (!(time >= 0)) return;
    const second = Math.floor(time / 1000);
    if (second !== this.#runSecond) this.#startRun(second, time);
    else if (time > this.#runTo) this.#runTo = time;
    else if (time < this.#runFrom) this.#runFrom = time;
    this.#run++;
    if (!isError) return;
    const phase = second % HOUR_S;
    this.#errorsBySecond[phase] = (this.#errorsBySecond[phase] as number) + 1;
    this.#clock.addError(time);
    const last = this.#batched - 1;
    if (last >= 0 && this.#seconds[last] === second)
      this.#secondErrors[last] = (this.#secondErrors[last] as number) + 1;
    else {
      if (this.#batched === BATCH) this.#flushSeconds();
      this.#seconds[this.#batched] = second;
      this.#secondErrors[this.#batched++] = 1;
    }
  }

  #startRun(second: number, time: number): void {
    this.#flushRun();
    this.#runSecond = second;
    this.#runFrom = time;
    this.#runTo = time;
  }

  /** Counts the current run's traffic (all in one second, so in one bucket of the clock). */
  #flushRun(): void {
    if (this.#run === 0) return;
    const phase = this.#runSecond % HOUR_S;
    this.#trafficBySecond[phase] = (this.#trafficBySecond[phase] as number) + this.#run;
    this.#clock.addTraffic(this.#runFrom, this.#run);
    if (this.#runTo !== this.#runFrom) this.#clock.addTraffic(this.#runTo, 0);
    this.#run = 0;
  }

  /** Non-error events, when only a sample is passed: `weight` is 1 / the sampling rate. */
  addTraffic(time: number, weight: number): void {
    if (!(time >= 0)) return;
    const phase = Math.floor(time / 1000) % HOUR_S;
    this.#trafficBySecond[phase] = (this.#trafficBySecond[phase] as number) + weight;
    this.#clock.addTraffic(time, weight);
  }

  #flushSeconds(): void {
    this.#flushRun();
    for (const tally of this.#tallies)
      tally.addSeconds(this.#seconds, this.#secondErrors, this.#batched);
    this.#batched = 0;
  }

  partial(): PeriodicityPartial {
    this.#flushSeconds();
    return {
      errorsBySecond: this.#errorsBySecond.slice(),
      trafficBySecond: this.#trafficBySecond.slice(),
      clock: this.#clock.partial(),
      tallies: this.#tallies.map((t) => t.partial()),
    };
  }

  /** Adds the partial of a later part of the input (partials merge in input order). */
  merge(part: PeriodicityPartial): void {
    this.#flushSeconds();
    for (let i = 0; i < HOUR_S; i++) {
      this.#errorsBySecond[i] = (this.#errorsBySecond[i] as number) + (part.errorsBySecond[i] ?? 0);
      this.#trafficBySecond[i] =
        (this.#trafficBySecond[i] as number) + (part.trafficBySecond[i] ?? 0);
    }
    this.#clock.merge(part.clock);
    part.tallies.forEach((t, i) => {
      this.#tallies[i]?.merge(t);
    });
  }

  finish(options: PatternOptions = {}): PeriodicityResult {
    this.#flushSeconds();
    const series = this.#clock.series();
    const timeOfDay = findTimeOfDayPattern(series, options);
    const errors = this.#errorsBySecond.reduce((a, b) => a + b, 0);
    const coveredS = series.coveredMs.reduce((a, b) => a + b, 0) / 1000;
    const tested = this.#tallies.filter(
      (t) =>
        coveredS / t.periodSeconds >= MIN_CYCLES &&
        (t.periodSeconds <= HOUR_S || series.bucketMs === 300_000),
    );
    const windows = tested.reduce((n, t) => n + t.bins * t.sizes.length, 0);
    const alpha = options.alpha ?? 0.01;
    const detected: Detected[] = [];
    const clockBySecond = coverageByPhase(series, HOUR_S);
    if (errors >= MIN_ERRORS)
      for (const tally of tested) {
        const best = this.#bestWindow(tally, series, clockBySecond, windows, alpha);
        if (best && best.strength >= MIN_STRENGTH) detected.push(best);
      }
    const offsetS = Number.isFinite(series.from) ? zoneOffset(options.zone)(series.from) / 1000 : 0;
    // A daily window takes part as a period of 24 h, so that a surge at 09:00 each day is not
    // called "every 4 h": its 4-hour cycles show it on one day in six.
    const daily = timeOfDay.found ? timeOfDay.windows.map((w) => asPeriod(w, offsetS)) : [];
    const periods = chooseFundamentals([...detected, ...daily])
      .filter((d) => d.periodS < DAY_S)
      .map((d) =>
        toPattern(this.#fitted(d, series, clockBySecond), offsetS, options.examples ?? []),
      );
    return {
      found: periods.length > 0 || timeOfDay.found,
      answer: describePatterns(periods, timeOfDay, tested, errors, MIN_ERRORS),
      periods,
      timeOfDay,
      testedPeriodsMs: tested.map((t) => t.periodSeconds * 1000),
      errors,
      confidence: periods.length
        ? Math.max(...periods.map((p) => p.confidence))
        : timeOfDay.found
          ? timeOfDay.confidence
          : Math.min(0.95, 1 - Math.exp(-errors / 50)),
    };
  }

  /** The period's fold, in its finest cells: seconds, or the 5-minute grid's buckets. */
  #profile(tally: CycleTally, series: ClockSeries, clockBySecond: Float64Array) {
    const fine = tally.periodSeconds <= HOUR_S;
    const cells = fine ? tally.periodSeconds : (tally.periodSeconds * 1000) / series.bucketMs;
    const origin = fine ? 0 : series.origin;
    return {
      cells,
      errors: fold(fine ? this.#errorsBySecond : series.errors, origin, cells),
      traffic: fold(fine ? this.#trafficBySecond : series.traffic, origin, cells),
      clock: fold(fine ? clockBySecond : series.coveredMs, origin, cells),
    };
  }

  /** The period's most significant window, when it passes the scan's level. */
  #bestWindow(
    tally: CycleTally,
    series: ClockSeries,
    clockBySecond: Float64Array,
    windows: number,
    alpha: number,
  ): Detected | undefined {
    const periodS = tally.periodSeconds;
    const binS = periodS / tally.bins;
    const profile = this.#profile(tally, series, clockBySecond);
    const factor = profile.cells / tally.bins;
    const [errors, traffic] = [rebin(profile.errors, factor), rebin(profile.traffic, factor)];
    const scan = new WindowScan(errors, traffic, rebin(profile.clock, factor), true);
    const recurrence = tally.result();
    const rate = scan.totalErrors / (traffic.reduce((a, b) => a + b, 0) || 1);
    let best: Detected | undefined;
    let bestLogP = 0;
    tally.sizes.forEach((size, s) => {
      for (let start = 0; start < tally.bins; start++) {
        const t = scan.test(start, size);
        if (!t || t.errors < MIN_LIFT * Math.max(t.expectedByTraffic, t.expectedByClock)) continue;
        const w = s * tally.bins + start;
        const logP = Math.max(t.logP, (recurrence.logP[w] as number) + Math.log(recurrence.passes));
        const p = adjustedP(logP, windows);
        if (p > alpha || (best && bestLogP <= logP)) continue;
        bestLogP = logP;
        const cyclesWithPeak = recurrence.cyclesWithPeak[w] as number;
        const chance = recurrence.cyclesByChance[w] as number;
        const cycles = recurrence.cycles[w] as number;
        best = {
          periodS,
          binS,
          start,
          size,
          p,
          errors: t.errors,
          expected: t.expectedByTraffic,
          totalErrors: scan.totalErrors,
          cycles,
          cyclesWithPeak,
          cyclesByChance: chance,
          strength: Math.max(0, (cyclesWithPeak - chance) / Math.max(1, cycles - chance)),
          // Rough until the fundamental's peak is fitted (see finish).
          phaseS: (start + size / 2) * binS,
          jitterS: (size * binS) / 4,
          excessByBin: [],
        };
      }
    });
    if (best) best.excessByBin = Array.from(errors, (e, b) => e - rate * (traffic[b] as number));
    return best;
  }

  /** The fitted center and spread of a chosen period's peak. */
  #fitted(d: Detected, series: ClockSeries, clockBySecond: Float64Array): Detected {
    const tally = this.#tallies.find((t) => t.periodSeconds === d.periodS);
    if (!tally) return d;
    const profile = this.#profile(tally, series, clockBySecond);
    const peak = fitPeak(profile, profile.cells / tally.bins, d.start, d.size);
    const cellS = d.periodS / profile.cells;
    return { ...d, phaseS: peak.center * cellS, jitterS: peak.spread * cellS };
  }
}
