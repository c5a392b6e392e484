/**
 * Change-point evaluation metrics, exactly as the Turing Change Point Benchmark
 * defines them (van den Burg & Williams 2020, TCPDBench `analysis/scripts/metrics.py`):
 *
 * - Locations are 0-based indices; a change point at `t` means a new segment starts at `t`.
 * - Index 0 is always added, both to the predictions and to every annotator's set.
 * - F1 with a margin (default 5): precision counts the predictions matched against the
 *   UNION of all annotators' points; recall is the mean over annotators of the share of
 *   that annotator's points matched; F1 = 2PR / (P + R). A true point is matched by the
 *   closest unused prediction within the margin, and each prediction matches at most
 *   one true point. The true points are visited in the order TCPDBench visits them:
 *   the iteration order of a CPython set of small integers, which is not sorted. The
 *   greedy matching depends on that order when two true points compete for one
 *   prediction, so we reproduce it (`pythonSetOrder`) to get the same figures.
 * - Segmentation cover (Arbelaez et al. 2010, eq. 8) of each annotator's segmentation by
 *   the predicted one, averaged over annotators.
 */

/** Annotations: annotator id -> change-point indices. */
export type Annotations = Readonly<Record<string, readonly number[]>>;

/**
 * The order in which CPython iterates a set built by adding these non-negative
 * integers one by one (CPython 3.7+ `setobject.c`: an int hashes to itself; open
 * addressing in a table of 8 slots or more, probing 9 slots linearly, then jumping by
 * i = 5i + 1 + perturb, perturb >>= 5; the table grows to the smallest power of two
 * above 4 x used when 5 x fill >= 3 x mask). Duplicates keep their first place.
 */
export function pythonSetOrder(values: Iterable<number>): number[] {
  const LINEAR_PROBES = 9;
  let mask = 7;
  let table: (number | undefined)[] = new Array(mask + 1);
  let used = 0;
  const insert = (slots: (number | undefined)[], m: number, key: number): boolean => {
    let i = key & m;
    let perturb = key;
    for (;;) {
      if (slots[i] === undefined) {
        slots[i] = key;
        return true;
      }
      if (slots[i] === key) return false;
      if (i + LINEAR_PROBES <= m) {
        for (let j = 1; j <= LINEAR_PROBES; j++) {
          if (slots[i + j] === undefined) {
            slots[i + j] = key;
            return true;
          }
          if (slots[i + j] === key) return false;
        }
      }
      perturb = Math.floor(perturb / 32);
      i = (i * 5 + 1 + perturb) % (m + 1);
    }
  };
  for (const key of values) {
    if (!insert(table, mask, key)) continue;
    used++;
    if (used * 5 >= mask * 3) {
      let size = 8;
      while (size <= used * 4) size *= 2;
      const grown: (number | undefined)[] = new Array(size);
      for (const k of table) if (k !== undefined) insert(grown, size - 1, k);
      table = grown;
      mask = size - 1;
    }
  }
  return table.filter((k): k is number => k !== undefined);
}

/**
 * The true points of `truth` matched by a prediction within `margin`, without double
 * counting (TCPD `true_positives`). Each true point, in the iteration order given, takes
 * the closest remaining prediction (the smaller index on a tie) and removes it.
 */
export function truePositives(
  truth: Iterable<number>,
  predictions: Iterable<number>,
  margin = 5,
): Set<number> {
  const left = [...new Set(predictions)].sort((a, b) => a - b);
  const tp = new Set<number>();
  for (const tau of new Set(truth)) {
    let best = -1;
    let bestDist = Number.POSITIVE_INFINITY;
    for (let i = 0; i < left.length; i++) {
      const x = left[i] as number;
      const d = Math.abs(tau - x);
      if (d <= margin && d < bestDist) {
        bestDist = d;
        best = i;
      }
    }
    if (best < 0) continue;
    tp.add(tau);
    left.splice(best, 1);
  }
  return tp;
}

export interface FMeasure {
  f1: number;
  precision: number;
  recall: number;
}

/** F1 against several annotators, the TCPD way (see the module comment). */
export function fMeasure(
  annotations: Annotations,
  predictions: readonly number[],
  margin = 5,
): FMeasure {
  // Each annotator's points plus 0, and their union, in CPython's iteration order.
  const sets = Object.values(annotations).map((points) => pythonSetOrder([...points, 0]));
  if (sets.length === 0) throw new Error('fMeasure needs at least one annotator');
  const x = new Set([0, ...predictions]);
  const union = pythonSetOrder(sets.flat());
  const precision = truePositives(union, x, margin).size / x.size;
  let recall = 0;
  for (const s of sets) recall += truePositives(s, x, margin).size / s.length;
  recall /= sets.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { f1, precision, recall };
}

/**
 * Segment boundaries of the partition of [0, n) defined by change points: sorted
 * starts of the segments (always beginning with 0); points outside (0, n) are ignored.
 */
export function segmentStarts(locations: readonly number[], n: number): number[] {
  const starts = new Set<number>([0]);
  for (const t of locations) if (Number.isInteger(t) && t > 0 && t < n) starts.add(t);
  return [...starts].sort((a, b) => a - b);
}

/**
 * Covering of the segmentation `truth` by `predicted` (Arbelaez et al. 2010, eq. 8):
 * sum over true segments R of |R| * max over predicted R' of Jaccard(R, R'), over n.
 * Segments are intervals, so the overlap is computed in closed form.
 */
export function coverSingle(predicted: readonly number[], truth: readonly number[], n: number) {
  if (n <= 0) return 1;
  const p = segmentStarts(predicted, n);
  const t = segmentStarts(truth, n);
  let total = 0;
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    const a = t[i] as number;
    const b = (t[i + 1] ?? n) as number;
    // predicted segments overlapping [a, b)
    while (j + 1 < p.length && (p[j + 1] as number) <= a) j++;
    let best = 0;
    for (let k = j; k < p.length && (p[k] as number) < b; k++) {
      const c = p[k] as number;
      const d = (p[k + 1] ?? n) as number;
      const inter = Math.min(b, d) - Math.max(a, c);
      const union = Math.max(b, d) - Math.min(a, c);
      if (inter > 0) best = Math.max(best, inter / union);
    }
    total += (b - a) * best;
  }
  return total / n;
}

/** Segmentation cover averaged over annotators (TCPD `covering`). */
export function covering(annotations: Annotations, predictions: readonly number[], n: number) {
  const all = Object.values(annotations);
  if (all.length === 0) throw new Error('covering needs at least one annotator');
  let sum = 0;
  for (const points of all) sum += coverSingle(predictions, points, n);
  return sum / all.length;
}
