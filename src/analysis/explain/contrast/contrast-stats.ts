/**
 * The statistics of the contrast ranking (contrast-rank.ts).
 *
 * - The p-value is a Chernoff bound, p <= exp(-n KL(x/n || E/n)), not a
 *   normal approximation. Given the margins, the count x of failures with a
 *   value is a sum over time strata of hypergeometric variables, whose
 *   moment generating function is at most a binomial's (Hoeffding 1963), so
 *   the bound holds at every sample size. The normal approximation is badly
 *   anti-conservative for rare values (expected 0.5, observed 4 gives
 *   z = 4.2 while the true tail is 0.002), and rare values are most of what
 *   is tested. The price is some power on borderline cases.
 * - Failures are not always independent: a client retries a failed request,
 *   a burst shorter than a stratum hits whatever was running. The dispersion
 *   factor phi >= 1 (quasi-likelihood, as in the onset detector) is, for
 *   each attribute, the mean squared standardized residual of its values in
 *   every stratum (1 in expectation for independent events, whatever the
 *   counts), and then the median over the attributes. A real cause moves
 *   its own attribute and those tied to it (a browser moves the OSes and
 *   devices too), a few of many; retries inflate them all. Counts are
 *   divided by phi before the bound.
 * - Benjamini-Hochberg over every value tested controls the false discovery
 *   rate; on pure noise, the chance of any finding.
 */

/** exp(-n KL(x/n || q)) when x/n > q, else 1: an upper bound on P(X >= x). */
export function overRepresentationBound(x: number, n: number, q: number): number {
  if (n <= 0 || x <= n * q) return 1;
  if (q <= 0) return 0;
  const r = x / n;
  const kl = r * Math.log(r / q) + (r < 1 ? (1 - r) * Math.log((1 - r) / (1 - q)) : 0);
  return Math.min(1, Math.exp(-n * kl));
}

/** Benjamini-Hochberg adjusted p-values (q-values), in the input order. */
export function benjaminiHochberg(pValues: readonly number[], tests = pValues.length): number[] {
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(pValues.length).fill(1);
  let running = 1;
  for (let k = order.length - 1; k >= 0; k--) {
    const [p, i] = order[k] as readonly [number, number];
    running = Math.min(running, (p * tests) / (k + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}

/** Failures with it (x), its expected count under "unrelated" (E), and the failures in scope (n). */
export function stratified(cell: readonly number[], missed: number, scope: readonly number[]) {
  let n = 0;
  let x = 0;
  let expected = 0;
  let worst = 0;
  for (let t = 0; 2 * t < scope.length; t++) {
    const failures = scope[2 * t] as number;
    if (failures === 0) continue;
    const events = failures + (scope[2 * t + 1] as number);
    expected += (failures * ((cell[2 * t] as number) + (cell[2 * t + 1] as number))) / events;
    n += failures;
    x += cell[2 * t] as number;
    worst = Math.max(worst, failures / events);
  }
  // Counts it may have missed (see contrast.ts) raise what chance would give: the cautious side.
  expected = Math.min(n, expected + missed * worst);
  const risk = x >= n ? Number.POSITIVE_INFINITY : x / expected / ((n - x) / (n - expected));
  return { n, x, expected, risk: Number.isNaN(risk) ? 0 : risk };
}

/** Fewest residuals an attribute needs, and fewest attributes, to estimate the dispersion. */
const MIN_RESIDUALS = 10;
const MIN_ATTRIBUTES = 5;

/** The cells of one attribute (its values and shapes) with the counts of its scope. */
export interface AttributeCells {
  scope: readonly number[];
  cells: readonly (readonly number[])[];
}

/**
 * The dispersion factor of failure counts (see the file comment): 1 when
 * they vary as independent events would, or when too few attributes hold
 * enough failures to tell.
 */
export function dispersion(attributes: readonly AttributeCells[]): number {
  const estimates: number[] = [];
  for (const { scope, cells } of attributes) {
    let sum = 0;
    let count = 0;
    for (const counts of cells)
      for (let t = 0; 2 * t < scope.length; t++) {
        const n = scope[2 * t] as number;
        const events = n + (scope[2 * t + 1] as number);
        const k = (counts[2 * t] as number) + (counts[2 * t + 1] as number);
        if (events < 2 || n === 0) continue;
        const expected = (n * k) / events;
        const variance = (expected * (1 - k / events) * (events - n)) / (events - 1);
        if (expected < 1 || variance < 0.5) continue;
        sum += ((counts[2 * t] as number) - expected) ** 2 / variance;
        count++;
      }
    if (count >= MIN_RESIDUALS) estimates.push(sum / count);
  }
  if (estimates.length < MIN_ATTRIBUTES) return 1;
  estimates.sort((a, b) => a - b);
  const mid = estimates.length >> 1;
  const median =
    estimates.length % 2
      ? (estimates[mid] as number)
      : ((estimates[mid - 1] as number) + (estimates[mid] as number)) / 2;
  return Math.max(1, median);
}
