/**
 * Small numeric helpers for the change-point code. Written here rather than taken
 * from a library: they are a few lines each, and the detectors' accuracy depends on
 * their behaviour at the edges (ties, empty input, far tails), which we test.
 */

/** A value is usable when it is a finite number; null, NaN and infinities are missing. */
export const isPresent = (v: number | null | undefined): v is number =>
  typeof v === 'number' && Number.isFinite(v);

/** Median of the values (the mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const hi = sorted[mid] as number;
  return sorted.length % 2 ? hi : ((sorted[mid - 1] as number) + hi) / 2;
}

/**
 * Complementary error function, Numerical Recipes' `erfcc` (Chebyshev fit,
 * fractional error below 1.2e-7 everywhere, including the far tail we need for
 * small p-values).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(X > x) for X ~ chi-squared with one degree of freedom. */
export function chiSquared1Tail(x: number): number {
  if (!(x > 0)) return 1;
  return Math.min(1, erfc(Math.sqrt(x / 2)));
}

const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
] as const;
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
] as const;
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
] as const;
const D = [
  7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416,
] as const;

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return Number.NEGATIVE_INFINITY;
  if (!(p < 1)) return Number.POSITIVE_INFINITY;
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const v =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    return p < low ? v : -v;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/**
 * Van der Waerden normal scores: each present value replaced by the normal quantile
 * of its mid-rank, (rank - 0.5) / m, ties sharing their average rank; missing values
 * stay null. The scores are distribution-free (any continuous input gives the same
 * scores for the same order), bounded, and rescaled to unit mean square.
 */
export function normalScores(values: readonly (number | null)[]): (number | null)[] {
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) if (isPresent(values[i])) order.push(i);
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const m = order.length;
  const out: (number | null)[] = values.map(() => null);
  let sumSq = 0;
  for (let i = 0; i < m; ) {
    const v = values[order[i] as number];
    let j = i;
    while (j + 1 < m && values[order[j + 1] as number] === v) j++;
    const z = normalQuantile(((i + j) / 2 + 0.5) / m);
    for (let k = i; k <= j; k++) out[order[k] as number] = z;
    sumSq += z * z * (j - i + 1);
    i = j + 1;
  }
  const scale = sumSq > 0 ? Math.sqrt(sumSq / m) : 1;
  return out.map((z) => (z === null ? null : z / scale));
}
