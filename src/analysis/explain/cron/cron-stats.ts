/**
 * The few distributions the cron alignment needs, written here: each is a
 * dozen lines, and the alignment's honesty rests on their tails (tiny
 * p-values, all-matched runs, thousands of runs), which the tests check
 * against brute force. No maintained JS library covers the Poisson-binomial.
 */

/** Smallest t >= 1 with P(X >= t) <= tail for X ~ Poisson(mean). */
export function poissonThreshold(mean: number, tail: number): number {
  if (!(mean > 0)) return 1;
  // Terms in log space: exp(-mean) underflows for busy backgrounds, the log does not.
  let logTerm = -mean;
  let cdf = Math.exp(logTerm);
  let t = 1;
  while (1 - cdf > tail) {
    logTerm += Math.log(mean) - Math.log(t);
    cdf += Math.exp(logTerm);
    t++;
  }
  return t;
}

/** Above this many steps the exact tail is replaced by its Chernoff bound. */
const EXACT_WORK = 4_000_000;

/**
 * P(X >= observed) where X is a sum of independent Bernoulli(p_i): the
 * number of runs matched by chance when run i is matched with probability
 * p_i. Exact (dynamic programming over the count, mass at >= observed kept
 * in one cell) while that costs at most EXACT_WORK steps; beyond, the
 * Chernoff bound, which is never below the exact value: a large job (a
 * month of every-minute runs) then gets a p-value that errs on the side of
 * no alarm.
 */
export function poissonBinomialUpperTail(
  probabilities: ArrayLike<number>,
  observed: number,
): number {
  if (observed <= 0) return 1;
  const ps: number[] = [];
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (p > 0) ps.push(Math.min(1, p));
  }
  if (observed > ps.length) return 0;
  if (observed === ps.length) return ps.reduce((product, p) => product * p, 1);
  if (ps.length * observed <= EXACT_WORK) {
    const mass = new Float64Array(observed + 1);
    mass[0] = 1;
    for (const p of ps) {
      mass[observed] = (mass[observed] as number) + (mass[observed - 1] as number) * p;
      for (let j = observed - 1; j >= 1; j--)
        mass[j] = (mass[j] as number) * (1 - p) + (mass[j - 1] as number) * p;
      mass[0] = (mass[0] as number) * (1 - p);
    }
    return Math.min(1, mass[observed] as number);
  }
  return chernoffUpperTail(ps, observed);
}

/** min over t > 0 of E[exp(tX)] / exp(t observed): an upper bound on P(X >= observed). */
export function chernoffUpperTail(ps: number[], observed: number): number {
  const mean = ps.reduce((sum, p) => sum + p, 0);
  if (observed <= mean) return 1;
  // The minimising t solves sum p e^t / (1 - p + p e^t) = observed; the left side grows with t.
  const expectedAt = (t: number) =>
    ps.reduce((sum, p) => sum + (p * Math.exp(t)) / (1 - p + p * Math.exp(t)), 0);
  let low = 0;
  let high = 1;
  while (expectedAt(high) < observed && high < 700) high *= 2;
  for (let step = 0; step < 60; step++) {
    const mid = (low + high) / 2;
    if (expectedAt(mid) < observed) low = mid;
    else high = mid;
  }
  const t = high;
  const logBound = ps.reduce((sum, p) => sum + Math.log(1 - p + p * Math.exp(t)), 0) - t * observed;
  return Math.min(1, Math.exp(logBound));
}

/**
 * Holm's step-down adjustment: each p-value made comparable with the
 * family-wise level whatever the number of tests, and never smaller than
 * Bonferroni's would be for the most significant one. Uniformly more
 * powerful than Bonferroni and valid under any dependence between the tests
 * (jobs sharing runs are dependent), which is why it is used rather than an
 * independence-based correction.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues
    .map((_, i) => i)
    .sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  for (const [rank, index] of order.entries()) {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
    adjusted[index] = running;
  }
  return adjusted;
}
