/**
 * Penalised optimal segmentation with PELT pruning (Killick, Fearnhead & Eckley 2012).
 *
 * Finds the change points tau_1 < ... < tau_k minimising
 *   sum over segments of cost(segment) + penalty * k,
 * exactly (optimal partitioning), where `cost(start, end)` is the cost of the half-open
 * segment [start, end), typically -2 x its maximised log-likelihood. PELT drops a
 * candidate start s for good once F(s) + cost(s, t) > F(t): valid (K = 0) for every cost
 * that is a maximised likelihood, since splitting a segment never increases such a cost.
 * With a minimum segment size, a pruned s stays a candidate for the next size - 1 ends,
 * where t is too close to be a change point itself. Worst case O(n^2) cost evaluations
 * (no change at all), typically near O(n).
 */

/** Cost of the half-open segment [start, end). Must be finite for segments of at least minSize. */
export type SegmentCost = (start: number, end: number) => number;

/**
 * Change points (segment starts, excluding 0, sorted ascending) of the optimal
 * segmentation of [0, n) with segments of at least `minSize` points.
 */
export function optimalPartition(
  n: number,
  cost: SegmentCost,
  penalty: number,
  minSize = 1,
): number[] {
  const size = Math.max(1, Math.floor(minSize));
  if (!(n >= 2 * size) || !Number.isFinite(penalty)) return [];
  const best = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(n + 1).fill(-1);
  best[0] = -penalty;
  // Candidate last change points, each with the last time it may still be the best one.
  let candidates: number[] = [0];
  let expiries: number[] = [Number.POSITIVE_INFINITY];
  let values = new Float64Array(1);
  for (let t = size; t <= n; t++) {
    if (values.length < candidates.length) values = new Float64Array(candidates.length * 2);
    let min = Number.POSITIVE_INFINITY;
    let arg = -1;
    for (let i = 0; i < candidates.length; i++) {
      const s = candidates[i] as number;
      if (t - s < size) {
        values[i] = Number.NEGATIVE_INFINITY; // too short yet: keep, do not evaluate
        continue;
      }
      const c = cost(s, t);
      const v = (best[s] ?? 0) + (Number.isFinite(c) ? c : Number.MAX_VALUE);
      values[i] = v;
      if (v + penalty < min) {
        min = v + penalty;
        arg = s;
      }
    }
    if (arg >= 0) {
      best[t] = min;
      from[t] = arg;
    }
    // Once F(s) + cost(s, t) > F(t), t beats s as the last change point for every end
    // T >= t + size; s stays a candidate for the ends in between, where t is too close.
    const keptCandidates: number[] = [];
    const keptExpiries: number[] = [];
    for (let i = 0; i < candidates.length; i++) {
      let expiry = expiries[i] ?? Number.POSITIVE_INFINITY;
      if ((values[i] ?? 0) > min && expiry === Number.POSITIVE_INFINITY) expiry = t + size - 1;
      if (t < expiry) {
        keptCandidates.push(candidates[i] as number);
        keptExpiries.push(expiry);
      }
    }
    if (arg >= 0) {
      keptCandidates.push(t);
      keptExpiries.push(Number.POSITIVE_INFINITY);
    }
    candidates = keptCandidates;
    expiries = keptExpiries;
  }
  const points: number[] = [];
  for (let t = from[n] ?? -1; t > 0; t = from[t] ?? -1) points.push(t);
  return points.reverse();
}
