/**
 * Shared pieces of the "patterns across time" question (periodicity.ts,
 * time-of-day.ts): folding counts onto a phase circle, the significance of a
 * phase window, wall-clock zones and the words for durations.
 *
 * Why these tests. A window of phase ("seconds 4-8 of every minute") is a
 * pattern only when its errors are in excess on every count at once, an
 * intersection-union test: its p-value is the largest of the parts, and it
 * holds its level whichever of the parts' null models is the true one.
 *  - against the traffic: more errors than the window's share of all events
 *    predicts, so traffic's own rhythm (the daily curve, a poller every
 *    minute) is never called an error pattern;
 *  - against the clock: more errors than the window's share of the covered
 *    time predicts, so errors arriving steadily while traffic dips are not
 *    called a pattern either;
 *  - recurrence (periods): the window held more than its share of a cycle's
 *    errors in more cycles than chance allows, so that one burst, which
 *    fills one cycle, cannot fake a period.
 * Each part is a Chernoff-Hoeffding bound, exp(-n KL(k/n || p)), which holds
 * for any sum of independent Bernoulli trials with mean p: the stated
 * false-alarm rate is a guaranteed ceiling, not an asymptotic hope, and
 * needs no special functions. Bonferroni over every window scanned keeps
 * the whole scan at its stated level. Written here rather than taken from a
 * statistics package: the bound is three lines, the scan calls it some ten
 * thousand times per analysis, and the packages offer exact binomial CDFs
 * summed term by term (slow for millions of errors), not this bound.
 */
import { erfc } from '../../series/stats.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * log of an upper bound on P(X >= k) for X a sum of n independent Bernoulli
 * trials of mean p: -n KL(k/n || p). In logs because strong patterns have
 * p-values far below the smallest double, and windows are ranked by them.
 */
export function logTailBound(k: number, n: number, p: number): number {
  if (!(n > 0) || !(k > n * p)) return 0;
  if (!(p > 0)) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return 0;
  const x = Math.min(1, k / n);
  const kl =
    (x > 0 ? x * Math.log(x / p) : 0) + (x < 1 ? (1 - x) * Math.log((1 - x) / (1 - p)) : 0);
  return -n * kl;
}

/** Upper bound on P(X >= k) for X a sum of n independent Bernoulli trials of mean p. */
export const tailBound = (k: number, n: number, p: number): number =>
  Math.exp(logTailBound(k, n, p));

/** A p-value from its log, Bonferroni-corrected for `tests` tests. */
export const adjustedP = (logP: number, tests: number): number =>
  Math.min(1, Math.exp(logP + Math.log(tests)));

/** log Gamma(x) for x > 0 (Lanczos, g = 7): about 15 significant digits. */
function logGamma(x: number): number {
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531,
    -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6,
    1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < 9; i++) sum += (c[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * P(Bin(n, tau) > n tau): the chance that a window holding a share `tau` of
 * the phase gets more than its share of a cycle's n errors when errors fall
 * anywhere alike. Summed exactly from the first term up (the terms fall off
 * within a few standard deviations); a normal tail beyond 100,000 errors.
 */
export function excessProbability(n: number, tau: number): number {
  if (n <= 0 || tau <= 0) return 0;
  if (tau >= 1) return 0;
  const first = Math.floor(n * tau + 1e-9) + 1;
  if (first > n) return 0;
  if (n > 100_000) {
    const sd = Math.sqrt(n * tau * (1 - tau));
    return 0.5 * erfc((first - 0.5 - n * tau) / sd / Math.SQRT2);
  }
  const ratio = tau / (1 - tau);
  let term = Math.exp(
    logGamma(n + 1) -
      logGamma(first + 1) -
      logGamma(n - first + 1) +
      first * Math.log(tau) +
      (n - first) * Math.log(1 - tau),
  );
  let sum = 0;
  for (let k = first; k <= n && term > sum * 1e-16; k++) {
    sum += term;
    term *= ((n - k) / (k + 1)) * ratio;
  }
  return Math.min(1, sum);
}

/** Sums `values` onto `cells` phase cells: value i lands in cell (offset + i) mod cells. */
export function fold(values: ArrayLike<number>, offset: number, cells: number): Float64Array {
  const out = new Float64Array(cells);
  let cell = (((offset % cells) + cells) % cells) | 0;
  for (let i = 0; i < values.length; i++) {
    out[cell] = (out[cell] as number) + (values[i] as number);
    if (++cell === cells) cell = 0;
  }
  return out;
}

/** Adds runs of `factor` consecutive cells together. */
export function rebin(cells: ArrayLike<number>, factor: number): Float64Array {
  const out = new Float64Array(Math.floor(cells.length / factor));
  for (let i = 0; i < out.length * factor; i++) {
    const j = Math.floor(i / factor);
    out[j] = (out[j] as number) + (cells[i] as number);
  }
  return out;
}

/** A window of phase bins with its evidence against the traffic and the clock. */
export interface WindowTest {
  start: number;
  size: number;
  errors: number;
  /** Errors the window would hold if errors followed the traffic. */
  expectedByTraffic: number;
  expectedByClock: number;
  /** log of the intersection-union p-value of the two (not yet corrected for the scan). */
  logP: number;
}

/**
 * Tests windows of contiguous bins on a profile (errors, traffic and covered
 * time per bin), cyclic when the bins are a phase circle.
 */
export class WindowScan {
  readonly #errors: Float64Array;
  readonly #traffic: Float64Array;
  readonly #clock: Float64Array;
  readonly totalErrors: number;
  readonly #cyclic: boolean;

  constructor(
    errors: ArrayLike<number>,
    traffic: ArrayLike<number>,
    clock: ArrayLike<number>,
    cyclic: boolean,
  ) {
    this.#cyclic = cyclic;
    const prefix = (values: ArrayLike<number>) => {
      const n = values.length;
      const sums = new Float64Array(2 * n + 1);
      for (let i = 0; i < 2 * n; i++) sums[i + 1] = (sums[i] as number) + (values[i % n] as number);
      return sums;
    };
    this.#errors = prefix(errors);
    this.#traffic = prefix(traffic);
    this.#clock = prefix(clock);
    this.totalErrors = this.#errors[errors.length] as number;
  }

  get bins(): number {
    return (this.#errors.length - 1) / 2;
  }

  #share(sums: Float64Array, start: number, size: number): number {
    const total = sums[this.bins] as number;
    return total > 0 ? ((sums[start + size] as number) - (sums[start] as number)) / total : 0;
  }

  /** The window of `size` bins from `start` (undefined when it would wrap a non-cyclic profile). */
  test(start: number, size: number): WindowTest | undefined {
    if (!this.#cyclic && start + size > this.bins) return undefined;
    const n = this.totalErrors;
    const errors = (this.#errors[start + size] as number) - (this.#errors[start] as number);
    const byTraffic = this.#share(this.#traffic, start, size);
    const byClock = this.#share(this.#clock, start, size);
    const logP = Math.max(logTailBound(errors, n, byTraffic), logTailBound(errors, n, byClock));
    return {
      start,
      size,
      errors,
      expectedByTraffic: n * byTraffic,
      expectedByClock: n * byClock,
      logP,
    };
  }
}

/** A time zone for wall-clock display: an IANA name ('Europe/Berlin', 'UTC') or an offset function (ms to add to UTC). */
export type Zone = string | ((time: number) => number);

/**
 * The zone's offset from UTC at a time, in ms; the process's own zone (TZ)
 * when none is given, as the rest of Calm shows local time. Offsets are
 * looked up once per hour of time: Intl formatting is slow.
 */
export function zoneOffset(zone?: Zone): (time: number) => number {
  if (typeof zone === 'function') return zone;
  if (zone === undefined) return (time) => -new Date(time).getTimezoneOffset() * MINUTE;
  let offsets = offsetsByZone.get(zone);
  if (!offsets) {
    offsets = offsetOfHour(zone);
    offsetsByZone.set(zone, offsets);
  }
  return offsets;
}

/**
 * One offset function per zone name, kept: making the Intl formatter behind
 * it takes milliseconds, and each analysis asks for the same zone several
 * times (periods, times of day).
 */
const offsetsByZone = new Map<string, (time: number) => number>();

function offsetOfHour(zone: string): (time: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  const byHour = new Map<number, number>();
  return (time) => {
    const hour = Math.floor(time / HOUR);
    let offset = byHour.get(hour);
    if (offset === undefined) {
      const name = format.formatToParts(hour * HOUR).find((p) => p.type === 'timeZoneName')?.value;
      const match = /GMT([+-])(\d\d):(\d\d)/.exec(name ?? '');
      offset = match
        ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * MINUTE
        : 0;
      if (byHour.size < 100_000) byHour.set(hour, offset);
    }
    return offset;
  };
}

/** The zone's name for people. */
export function zoneName(zone?: Zone): string {
  if (typeof zone === 'string') return zone;
  if (typeof zone === 'function') return 'the given zone';
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local time';
}

/** "45 s", "60 s", "15 min", "1 h 30 min", "2 d". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / SECOND);
  if (s < 120) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours >= 48 && hours % 24 === 0 && rest === 0) return `${hours / 24} d`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

export const pad2 = (n: number) => String(Math.floor(n)).padStart(2, '0');

/** "1,402" */
export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');

/** "p < 1e-12", "p = 0.003" */
export function formatP(p: number): string {
  if (p < 1e-12) return 'p < 1e-12';
  if (p < 0.001) return `p = ${p.toExponential(0)}`;
  return `p = ${p.toFixed(3)}`;
}
