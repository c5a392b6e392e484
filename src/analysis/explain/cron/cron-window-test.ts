/**
 * Does a job's run tend to be followed by an error burst? The test behind
 * the cron alignment, for one job and one window W.
 *
 * Each run r gets a block of time: its window [r - skew, r + W) and, before
 * it, a control stretch of up to `flankWindows` x W that stops where the
 * previous run's window ends. Blocks never overlap. The null hypothesis is
 * that the pattern of bursts inside a block sits at a random phase relative
 * to the run: rotating the block's bursts (circularly, within the block) by
 * any offset is as likely as what was logged. A run is then matched by
 * chance with probability pi = (the share of rotations that put a burst in
 * the window) = sum over the bursts of min(window, gap to the next burst,
 * circularly) / block, and the number of runs matched is a sum of
 * independent Bernoulli(pi): its tail is the p-value, and sum(pi) is the
 * "chance would give" figure.
 *
 * Why this test: it estimates no burst rate (each block's bursts are
 * conditioned on), so an error rate that changes over the day, or an
 * incident hour full of bursts, does not make a job that runs during it look
 * guilty: only where bursts sit within about an hour of each run matters.
 * Rotation keeps the bursts' spacing, so bursts that clump (a storm of
 * starts) or keep apart (a burst hides the next few seconds) are judged as
 * they are, not as independent points; an earlier version that placed them
 * independently (interval jitter) raised 16% false alarms on pure noise for
 * every-5-min jobs, because merged bursts keep apart. Each run counts once,
 * so one storm cannot pass for a pattern. A window leaves at least half its
 * length of control before it (`usableWindows`), so a frequent job is
 * matched by chance as often as chance says, not always; an every-minute job
 * leaves no room and cannot be told from the background. Only bursts *before* the run serve as control: bursts a long
 * job causes later do not dilute its window.
 */
import { poissonBinomialUpperTail } from './cron-stats.js';

/**
 * A burst hides the starts of others for up to this long after its last
 * error (two quiet 10 s buckets end it): the control stretch begins this long
 * after the previous run's window, or a burst in that window would push the
 * next block's bursts towards its own window. Without it every-minute jobs,
 * whose blocks touch, raised 2-5% false alarms at a 1% level.
 */
export const REFRACTORY_MS = 30_000;

export interface WindowTest {
  windowMs: number;
  /** Runs whose whole block lies in the span. */
  tested: number;
  /** Tested runs with a burst starting in their window. */
  matched: number;
  /** Sum of pi: the runs chance alone would match. */
  expected: number;
  /** Sum of pi (1 - pi): the variance of the matches under chance. */
  variance: number;
  /** P(chance matches at least `matched`), for this window alone. */
  pValue: number;
  /** For each matched run, the first burst's start minus the run (ms; may be down to -skew). */
  lags: number[];
  /** The matched runs and their first bursts, in time order. */
  matches: { run: number; burst: number }[];
}

export interface WindowTestOptions {
  span: { from: number; to: number };
  windowMs: number;
  skewMs: number;
  flankWindows: number;
  /**
   * Time to keep out of the test (the windows of jobs already blamed): a run
   * whose block touches it is left out, its bursts being explained already.
   */
  excluded?: Intervals;
  /** Runs to leave out by index (1 = skip); their blocks still bound their neighbours'. */
  skip?: Uint8Array;
}

/** Disjoint intervals [starts[i], ends[i]), ascending. */
export interface Intervals {
  starts: Float64Array;
  ends: Float64Array;
}

/** The union of intervals [start, end), as disjoint ascending intervals. */
export function unionOf(intervals: [start: number, end: number][]): Intervals {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const [start, end] of sorted) {
    if (ends.length && start <= (ends.at(-1) as number))
      ends[ends.length - 1] = Math.max(ends.at(-1) as number, end);
    else {
      starts.push(start);
      ends.push(end);
    }
  }
  return { starts: Float64Array.from(starts), ends: Float64Array.from(ends) };
}

function touches(intervals: Intervals | undefined, start: number, end: number): boolean {
  if (!intervals) return false;
  // Only the first interval that ends after `start` can be the first to overlap.
  let i = lowerBound(intervals.ends, start, 0);
  if (intervals.ends[i] === start) i++;
  return i < intervals.starts.length && (intervals.starts[i] as number) < end;
}

/** First index in `sorted` whose value is >= `value`, searching from `from`. */
function lowerBound(sorted: Float64Array, value: number, from: number): number {
  let low = from;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The share of circular rotations of the bursts [first, end) within the
 * block [blockStart, blockEnd) that put at least one burst in the last
 * `windowMs` of the block: each burst covers an arc of offsets `windowMs`
 * long, and their union is the sum of min(windowMs, gap to the next burst).
 */
export function rotationChance(
  starts: Float64Array,
  first: number,
  end: number,
  blockStart: number,
  blockEnd: number,
  windowMs: number,
): number {
  const block = blockEnd - blockStart;
  let covered = 0;
  for (let k = first; k < end; k++) {
    const next = k + 1 < end ? (starts[k + 1] as number) : (starts[first] as number) + block;
    covered += Math.min(windowMs, next - (starts[k] as number));
  }
  return Math.min(1, covered / block);
}

/** The window test of the module comment, for runs and burst starts both ascending. */
export function testWindow(
  runs: Float64Array,
  burstStarts: Float64Array,
  options: WindowTestOptions,
): WindowTest {
  const { span, windowMs, skewMs, flankWindows, excluded, skip } = options;
  const probabilities: number[] = [];
  const lags: number[] = [];
  const matches: WindowTest['matches'] = [];
  let tested = 0;
  let expected = 0;
  let variance = 0;
  let previousWindowEnd = span.from;
  let cursor = 0;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i] as number;
    const windowStart = run - skewMs;
    const windowEnd = run + windowMs;
    const blockStart = Math.max(
      previousWindowEnd + REFRACTORY_MS,
      windowStart - flankWindows * windowMs,
    );
    previousWindowEnd = windowEnd;
    // A control stretch shorter than half the window would make chance matches too likely to tell.
    if (windowEnd > span.to || windowStart - blockStart < windowMs / 2) continue;
    if (skip?.[i] || touches(excluded, blockStart, windowEnd)) continue;
    tested++;
    cursor = lowerBound(burstStarts, blockStart, cursor);
    const inWindow = lowerBound(burstStarts, windowStart, cursor);
    const after = lowerBound(burstStarts, windowEnd, inWindow);
    const first = cursor;
    cursor = after;
    if (after === first) continue;
    const chance = rotationChance(
      burstStarts,
      first,
      after,
      blockStart,
      windowEnd,
      windowEnd - windowStart,
    );
    probabilities.push(chance);
    expected += chance;
    variance += chance * (1 - chance);
    if (after > inWindow) {
      const burst = burstStarts[inWindow] as number;
      lags.push(burst - run);
      matches.push({ run, burst });
    }
  }
  return {
    windowMs,
    tested,
    matched: matches.length,
    expected,
    variance,
    pValue: poissonBinomialUpperTail(probabilities, matches.length),
    lags,
    matches,
  };
}

/**
 * The windows a job can be tested with: those that leave, within its
 * shortest gap between runs, the window (with the skew), the refractory
 * guard and a control stretch at least half the window (so an every-2-min
 * job gets 30 s windows, an every-minute job none), and that are at least
 * twice the precision of the burst times (a 30 s window means nothing on
 * minute-rounded times).
 */
export function usableWindows(
  runs: Float64Array,
  windowsMs: readonly number[],
  resolutionMs: number,
  skewMs: number,
): number[] {
  let shortestGap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < runs.length; i++)
    shortestGap = Math.min(shortestGap, (runs[i] as number) - (runs[i - 1] as number));
  return windowsMs.filter(
    (w) => 1.5 * (w + skewMs) + REFRACTORY_MS <= shortestGap && w >= 2 * resolutionMs,
  );
}

/**
 * The most significant of the usable windows, its p-value multiplied by the
 * number of windows tried (Bonferroni: trying several windows and keeping the
 * best must not make an alarm likelier).
 */
export function bestWindow(
  runs: Float64Array,
  burstStarts: Float64Array,
  windowsMs: readonly number[],
  options: Omit<WindowTestOptions, 'windowMs'>,
): WindowTest | undefined {
  let best: WindowTest | undefined;
  for (const windowMs of windowsMs) {
    const test = testWindow(runs, burstStarts, { ...options, windowMs });
    if (
      !best ||
      test.pValue < best.pValue ||
      (test.pValue === best.pValue && test.matched > best.matched)
    )
      best = test;
  }
  return best && { ...best, pValue: Math.min(1, best.pValue * windowsMs.length) };
}
