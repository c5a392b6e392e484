/**
 * The statistics behind anomalies.ts. Hand-written: each is a few lines, no small
 * maintained package has the incomplete beta function, and the tests' honesty
 * depends on their behaviour at the edges (zero counts, no spread, few buckets),
 * which anomalies.test.ts checks by simulation.
 *
 * - Counts vary far more than Poisson from bucket to bucket (bursts, retries, batch
 *   jobs): a plain Poisson test over thousands of series floods a quiet day with
 *   "anomalies". compareCounts is a quasi-likelihood test (McCullagh & Nelder,
 *   Generalized Linear Models, ch. 9): given both windows' events, the incident's
 *   share of them is binomial (the classic conditional test of two Poisson rates,
 *   with exposures: buckets for a rate, the totals for a share of the events, which
 *   for small shares such as errors is the binomial test and for large ones is
 *   conservative). Its deviance is divided by a dispersion measured on the
 *   baseline's own buckets (Pearson, floored at 1) and read against F(1, its degrees
 *   of freedom), so that a dispersion measured on few buckets costs significance.
 *   With the same hours on several days, each place in the window (06:15 on each
 *   day) has its own mean, so the daily ramp inside the window is not counted as
 *   noise.
 * - Rates also drift: over hours, an endpoint's traffic wanders by tens of percent,
 *   which a test of "no change at all" calls significant once counts are large.
 *   So the null is "changed by less than minRatio" (TREAT, McCarthy & Smyth 2009):
 *   the test is against the nearer bound, one-sided, and a change must be clearly
 *   beyond x1.5 to count, not just estimated beyond it.
 * - Series with fewer than `minCount` events in both windows together are not
 *   tested: under no change that total is independent of the conditional test
 *   (independent filtering, Bourgon et al. 2010), so leaving them out keeps BH valid.
 * - Metrics: consecutive samples are correlated, so compareMeans is a Welch test on
 *   effective sample sizes (below).
 */
import { chiSquared1Tail } from '../../series/stats.js';

/** Benjamini-Hochberg adjusted p-values (step-up), times sum(1/k) for Benjamini-Yekutieli. */
export function adjust(pValues: readonly number[], method: 'bh' | 'by' = 'bh'): number[] {
  const m = pValues.length;
  let c = 1;
  if (method === 'by') for (let k = 2; k <= m; k++) c += 1 / k;
  const order = pValues
    .map((_, i) => i)
    .sort((a, b) => (pValues[b] as number) - (pValues[a] as number));
  const out = new Array<number>(m).fill(1);
  let running = 1;
  order.forEach((index, j) => {
    running = Math.min(running, ((pValues[index] as number) * m * c) / (m - j));
    out[index] = Math.max(pValues[index] as number, running);
  });
  return out;
}

export interface Windowed {
  /** Per bucket (or slice): the counted events... */
  x: number[];
  /** ...and, for a share, the totals they are part of (default: 1 per bucket, a rate). */
  n?: number[];
  /**
   * Baseline only: each bucket's place in its window when the baseline is the same
   * hours on several days. The noise is then measured around each place's own mean,
   * so that the daily cycle within the window is not taken for noise.
   */
  place?: number[];
}

export interface CountTestOptions {
  /** Fewest events in both windows together. */
  minCount?: number;
  /** Fewest baseline buckets with a total. */
  minBuckets?: number;
  /** The smallest ratio that is news (>= 1): the test's null is "less than that". */
  minRatio?: number;
}

/**
 * Whether a series' rate (per bucket) or share (of the totals) differs between two
 * windows by more than `minRatio` (see the file comment). Undefined when there is
 * too little evidence to test.
 */
export function compareCounts(base: Windowed, incident: Windowed, options: CountTestOptions = {}) {
  const { minCount = 10, minBuckets = 3, minRatio = 1 } = options;
  // Plain loops, summing in the same order as before: the explain step
  // tests hundreds of series, and the arrays that map and filter made for
  // each were most of its time.
  const [xb, xi] = [sum(base.x), sum(incident.x)];
  const [nb, ni] = [exposureOf(base), exposureOf(incident)];
  let buckets = 0;
  for (let t = 0; t < base.x.length; t++) if (exposure(base, t) > 0) buckets++;
  if (buckets < minBuckets || xb + xi < Math.max(1, minCount) || !(nb > 0 && ni > 0))
    return undefined;
  const [before, after] = [xb / nb, xi / ni];
  const ratio = after / before;
  const { pearson, df } = baselineDispersion(base, before);
  const dispersion = Math.max(1, pearson / df);
  const result = { before, after, ratio, xb, xi, nb, ni, dispersion, pValue: 1 };
  const bound = ratio >= 1 ? minRatio : 1 / minRatio;
  if (ratio >= 1 ? ratio <= bound : ratio >= bound) return result;
  // Conditional on both windows' events, the incident's share of them is binomial.
  const share = (bound * ni) / (bound * ni + nb);
  const term = (o: number, e: number) => (o > 0 ? o * Math.log(o / e) : 0);
  const deviance = 2 * (term(xi, (xb + xi) * share) + term(xb, (xb + xi) * (1 - share)));
  // One-sided beyond the bound (TREAT); against 1 the usual two-sided test.
  const sides = minRatio > 1 ? 0.5 : 1;
  return { ...result, pValue: sides * fTail(deviance / dispersion, df) };
}

const sum = (v: readonly number[]) => {
  let total = 0;
  for (const x of v) total += x;
  return total;
};
const exposure = (w: Windowed, t: number) => (w.n ? (w.n[t] ?? 0) : 1);
/** The window's exposure: its buckets for a rate, its totals for a share. */
function exposureOf(w: Windowed): number {
  let total = 0;
  for (let t = 0; t < w.x.length; t++) total += exposure(w, t);
  return total;
}

/**
 * Whether a `place` array names some place twice. Places need two buckets
 * each to be measured apart (see baselineDispersion), so without a repeat
 * they never are; the anomalies test hundreds of series against one array.
 */
const placesRepeat = new WeakMap<readonly number[], boolean>();
function repeats(place: readonly number[]): boolean {
  let known = placesRepeat.get(place);
  if (known === undefined) {
    known = new Set(place).size < place.length;
    placesRepeat.set(place, known);
  }
  return known;
}

/** Pearson's statistic of the baseline buckets around their expected counts, and its degrees of freedom. */
function baselineDispersion(base: Windowed, rate: number): { pearson: number; df: number } {
  let used = 0;
  let byPlace = false;
  let places: Map<number, { x: number; e: number; buckets: number }> | undefined;
  if (base.place && repeats(base.place)) {
    places = new Map();
    for (let t = 0; t < base.x.length; t++) {
      if (!(exposure(base, t) > 0)) continue;
      const key = base.place[t] ?? 0;
      const place = places.get(key) ?? { x: 0, e: 0, buckets: 0 };
      place.x += base.x[t] as number;
      place.e += exposure(base, t);
      place.buckets++;
      places.set(key, place);
    }
    // Places need two days each to show their own noise; else one mean for all.
    byPlace = places.size > 1 && [...places.values()].every((p) => p.buckets >= 2);
  }
  let pearson = 0;
  for (let t = 0; t < base.x.length; t++) {
    const e = exposure(base, t);
    if (!(e > 0)) continue;
    used++;
    const place = byPlace ? places?.get(base.place?.[t] ?? 0) : undefined;
    const expected = e * (place ? place.x / place.e : rate);
    if (expected > 0) pearson += ((base.x[t] as number) - expected) ** 2 / expected;
  }
  return { pearson, df: Math.max(1, used - (byPlace ? (places?.size ?? 1) : 1)) };
}

/**
 * Welch's test of two window means of a metric whose consecutive samples are
 * correlated: each window counts as n(1 - r)/(1 + r) independent samples (the AR(1)
 * effective sample size, Bayley & Hammersley 1946), r the lag-1 autocorrelation of
 * the residuals of both windows pooled, clamped to [0, 0.98]. `base` and `incident`
 * are in time order. Undefined when there is nothing to compare.
 */
export function compareMeans(base: readonly number[], incident: readonly number[]) {
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [mb, mi] = [mean(base), mean(incident)];
  let [lagged, squares] = [0, 0];
  for (const [v, m] of [
    [base, mb],
    [incident, mi],
  ] as const)
    v.forEach((x, t) => {
      squares += (x - m) ** 2;
      if (t > 0) lagged += (x - m) * ((v[t - 1] as number) - m);
    });
  // Plus the estimate's small-sample bias, (1 + 4r)/n for a window of n samples around
  // its own mean (Marriott & Pope 1954), n the mean window size.
  const n = (base.length + incident.length) / 2;
  const raw = squares > 0 ? lagged / squares : 0;
  const r = Math.min(0.98, Math.max(0, raw + (1 + 4 * Math.max(0, raw)) / n));
  const effective = (n: number) => Math.max(1.5, (n * (1 - r)) / (1 + r));
  const [eb, ei] = [effective(base.length), effective(incident.length)];
  const variance = (v: readonly number[], m: number) =>
    v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1);
  const [sb, si] = [variance(base, mb) / eb, variance(incident, mi) / ei];
  if (sb + si === 0 && mi === mb) return undefined;
  const df = (sb + si) ** 2 / (sb ** 2 / (eb - 1) + si ** 2 / (ei - 1) || 1);
  const pValue = sb + si === 0 ? 0 : fTail((mi - mb) ** 2 / (sb + si), df);
  return { before: mb, after: mi, autocorrelation: r, pValue };
}

/**
 * P(F > f) for F ~ F(1, df): the two-sided tail of Student's t with df degrees of
 * freedom at sqrt(f), which is I_{df/(df+f)}(df/2, 1/2) (the regularized incomplete
 * beta, by Lentz's continued fraction as in Numerical Recipes 6.4).
 */
export function fTail(f: number, df: number): number {
  if (!(f > 0) || !(df > 0)) return 1;
  if (df > 1e7) return chiSquared1Tail(f);
  return incompleteBeta(df / 2, 0.5, df / (df + f));
}

const LANCZOS = [
  76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155,
  0.1208650973866179e-2, -0.5395239384953e-5,
];

function logGamma(x: number): number {
  let [y, sum] = [x, 1.000000000190015];
  for (const c of LANCZOS) sum += c / ++y;
  const t = x + 5.5;
  return (x + 0.5) * Math.log(t) - t + Math.log((2.5066282746310007 * sum) / x);
}

function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

const TINY = 1e-300;
const notTiny = (v: number) => (Math.abs(v) < TINY ? TINY : v);

function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 / notTiny(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    let step = 1;
    for (const coefficient of [even, odd]) {
      d = 1 / notTiny(1 + coefficient * d);
      c = notTiny(1 + coefficient / c);
      step = d * c;
      h *= step;
    }
    if (Math.abs(step - 1) < 1e-14) break;
  }
  return h;
}
