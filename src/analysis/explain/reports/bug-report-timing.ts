/**
 * When the bug reports came (bug-reports.ts): bunched in time, or after the
 * errors started, more than reports arriving at random would be.
 *
 * Clusters: under "reports arrive uniformly over the window W", the
 * shortest stretch holding k of the n reports is bounded with a
 * scan-statistic union bound: any stretch of length w lies within one of
 * ceil(W/w) windows of length 2w, each holding >= k reports with
 * probability P(Binomial(n, 2w/W) >= k). The bound holds for any n, unlike
 * asymptotic scan approximations, and is multiplied by the number of k
 * tried. Onset: the count after the onset is Binomial(n, share of W after
 * it) under the same null.
 */
import { localDateTime } from '../../../core/local-time.js';

export interface ReportTiming {
  first: number;
  last: number;
  /** The tightest unusual cluster, if any. */
  cluster?: { from: number; to: number; count: number; pValue: number };
  /** Reports after the onset, when more than chance would give. */
  afterOnset?: { count: number; pValue: number };
  sentence: string;
}

const MINUTE = 60_000;

/** P(X >= k) for X ~ Binomial(n, p), summed exactly from k up (the first term in log space). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (p >= 1) return 1;
  let logTerm = k * Math.log(p) + (n - k) * Math.log1p(-p);
  for (let i = 1; i <= k; i++) logTerm += Math.log((n - k + i) / i);
  let term = Math.exp(logTerm);
  let sum = 0;
  for (let j = k; j <= n && term > 0; j++) {
    sum += term;
    if (term < sum * 1e-16) break;
    term *= ((n - j) / (j + 1)) * (p / (1 - p));
  }
  return Math.min(1, sum);
}

/** The shortest stretch of sorted `times` holding `k` of them. */
function tightest(times: readonly number[], k: number): { from: number; to: number } {
  let best = 0;
  const width = (i: number) => (times[i + k - 1] as number) - (times[i] as number);
  for (let i = 1; i + k <= times.length; i++) if (width(i) < width(best)) best = i;
  return { from: times[best] as number, to: times[best + k - 1] as number };
}

function clusterOf(times: readonly number[], length: number, alpha: number) {
  const n = times.length;
  const smallest = Math.max(3, Math.ceil(n / 2));
  const tries = n - smallest + 1;
  let cluster: ReportTiming['cluster'];
  for (let k = n; k >= smallest; k--) {
    const { from, to } = tightest(times, k);
    const w = Math.max(MINUTE, to - from);
    if (2 * w >= length) continue;
    const p = Math.min(
      1,
      tries * Math.ceil(length / w) * binomialUpperTail(k, n, (2 * w) / length),
    );
    if (!cluster || p < cluster.pValue) cluster = { from, to, count: k, pValue: p };
  }
  return cluster && cluster.pValue <= alpha ? cluster : undefined;
}

export interface TimingOptions {
  /** The time the evidence covers; widened to hold every report. */
  window?: { from: number; to: number };
  onset?: number;
  alpha: number;
}

/** When the timed reports came, and whether that says anything; undefined without times. */
export function timingOf(
  reportTimes: readonly number[],
  options: TimingOptions,
): ReportTiming | undefined {
  const times = [...reportTimes].sort((a, b) => a - b);
  const n = times.length;
  const first = times[0];
  const last = times[n - 1];
  if (first === undefined || last === undefined) return undefined;
  const window = options.window && {
    from: Math.min(options.window.from, first),
    to: Math.max(options.window.to, last),
  };
  const length = window ? window.to - window.from : 0;
  const cluster =
    window && n >= 3 && length > 0 ? clusterOf(times, length, options.alpha) : undefined;
  const onset = options.onset;
  let afterOnset: ReportTiming['afterOnset'];
  if (window && onset !== undefined && onset > window.from && onset < window.to) {
    const count = times.filter((t) => t >= onset).length;
    afterOnset = { count, pValue: binomialUpperTail(count, n, (window.to - onset) / length) };
  }
  const significantAfter =
    afterOnset && afterOnset.pValue <= options.alpha ? afterOnset : undefined;
  const parts: string[] = [];
  if (cluster) {
    const minutes = Math.max(1, Math.round((cluster.to - cluster.from) / MINUTE));
    const head = cluster.count === n ? `All ${n}` : `${cluster.count} of the ${n}`;
    parts.push(
      `${head} timed reports came within ${minutes} minutes (${localDateTime(cluster.from)} to ${localDateTime(cluster.to)}), more bunched than chance would give.`,
    );
  }
  if (afterOnset && onset !== undefined)
    parts.push(
      `${afterOnset.count} of the ${n} timed reports came after the errors started at ${localDateTime(onset)}${significantAfter ? '' : ', no more than chance would give'}.`,
    );
  if (!parts.length)
    parts.push(
      `The ${n} timed reports came between ${localDateTime(first)} and ${localDateTime(last)}${window ? ', with no burst' : ''}.`,
    );
  return {
    first,
    last,
    ...(cluster ? { cluster } : {}),
    ...(significantAfter ? { afterOnset: significantAfter } : {}),
    sentence: parts.join(' '),
  };
}
