/**
 * Among the jobs whose runs line up with the errors, which explain them?
 * Jobs share moments: an hourly job runs at every fourth run of an
 * every-15-min one, a job at :12 has the bursts after :15 inside its 15-min
 * window. Blaming all of them would bury the cause:
 * 1. Nested schedules (every run of inner job I is a run of outer job O):
 *    O's runs are split into those shared with I and its own, tested on O's
 *    blocks and window. If O's own runs are matched beyond chance
 *    significantly less often than the shared ones (one-sided z-test, 5%
 *    Bonferroni-split over O's inner jobs), they are idle and the largest
 *    such I takes the blame, and is examined in turn as an outer job (so
 *    every-5-min -> every-15-min -> hourly narrows to the cause). I is
 *    blamed even if it was not significant alone: O's alarm is I's (its
 *    matches are I's runs), and I takes O's p-value. Otherwise O explains
 *    its inner jobs. Ranking by p-value or by match rate chose badly in the
 *    simulations: a subset's few runs get lucky, a superset's many idle runs
 *    still make it significant.
 * 2. The others, most significant first, are blamed if they still align
 *    with the runs near the windows of the jobs blamed before them left out
 *    (Bonferroni over all jobs tested); then a blamed job is dropped if it no
 *    longer aligns given those blamed after it.
 * A job that runs at the very moments of a blamed one (the same schedule)
 * cannot be told apart from it: `same-runs`.
 */
import { normalQuantile } from '../../series/stats.js';
import type { CronAlignmentInput, CronAlignmentOptions, JobJudgement } from './cron-alignment.js';
import { bestWindow, testWindow, unionOf, type WindowTest } from './cron-window-test.js';

/** Family level of step 1's z-tests, split over an outer job's inner jobs (Bonferroni: a subset's few runs get lucky). */
const IDLE_LEVEL = 0.05;

interface Candidate {
  judgement: JobJudgement;
  runs: Float64Array;
  windowMs: number;
  /** The candidate that explains this one, once decided. */
  explainedBy?: Candidate;
}

/** Which runs fall within `withinMs` of a run in `others` (1 = shared). */
export function sharedRuns(runs: Float64Array, others: Float64Array, withinMs: number): Uint8Array {
  const shared = new Uint8Array(runs.length);
  let j = 0;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i] as number;
    while (j < others.length && (others[j] as number) <= run - withinMs) j++;
    if (j < others.length && Math.abs((others[j] as number) - run) < withinMs) shared[i] = 1;
  }
  return shared;
}

const allShared = (runs: Float64Array, others: Float64Array, withinMs: number) =>
  sharedRuns(runs, others, withinMs).every((v) => v === 1);
const excessPerRun = (test: WindowTest | undefined) =>
  test && test.tested > 0 ? (test.matched - test.expected) / test.tested : 0;

/** Variance of a group's match rate, from its observed rate (the job may cause matches: not the null's). */
const rateVariance = (test: WindowTest) => {
  const rate = test.matched / test.tested;
  return Math.max(rate * (1 - rate), test.variance / test.tested) / test.tested;
};

/** z for "the runs not in `shared` match less often beyond chance than those in it". */
function idleZ(shared: WindowTest, own: WindowTest): number {
  if (shared.tested === 0) return 0;
  if (own.tested === 0) return Number.POSITIVE_INFINITY;
  const spread = Math.sqrt(rateVariance(shared) + rateVariance(own));
  const difference = excessPerRun(shared) - excessPerRun(own);
  return spread > 0 ? difference / spread : difference > 0 ? Number.POSITIVE_INFINITY : 0;
}

/**
 * Judges the jobs Holm left undecided (significant): each ends `aligned`,
 * `same-runs` or `explained-by-other`; a nested job may be promoted from
 * `not-aligned` to `aligned` (step 1).
 */
export function explainAway(
  testable: JobJudgement[],
  runsOf: (judgement: JobJudgement) => Float64Array,
  input: CronAlignmentInput,
  o: CronAlignmentOptions,
): void {
  const span = input.span as { from: number; to: number };
  const common = { span, skewMs: o.skewMs, flankWindows: o.flankWindows };
  const starts = input.bursts.starts;
  const alarmLevel = o.alpha / Math.max(1, testable.length);
  /** Does `c` still align with the runs near the windows of `others` left out? */
  const aligns = (c: Candidate, others: Candidate[]): boolean => {
    if (others.length === 0) return true;
    const excluded = unionOf(
      others.flatMap((b) =>
        Array.from(b.runs, (r): [number, number] => [r - o.skewMs, r + b.windowMs]),
      ),
    );
    const test = bestWindow(c.runs, starts, c.judgement.windows, { ...common, excluded });
    return test !== undefined && test.tested >= o.minRuns && test.pValue <= alarmLevel;
  };
  const toCandidate = (judgement: JobJudgement): Candidate => ({
    judgement,
    runs: runsOf(judgement),
    windowMs: judgement.test?.windowMs ?? 0,
  });
  const significant = testable.filter((j) => j.verdict === undefined);
  if (significant.length === 0) return;
  const candidates = significant
    .sort((a, b) => a.pValue - b.pValue || (b.test?.matched ?? 0) - (a.test?.matched ?? 0))
    .map(toCandidate);
  const inners = testable
    .filter((j) => j.verdict === 'not-aligned' && excessPerRun(j.test) > 0)
    .map(toCandidate);

  // The same moments as a more significant candidate: a twin, judged with it.
  const twins = new Map<Candidate, Candidate>();
  for (const [i, b] of candidates.entries()) {
    const a = candidates
      .slice(0, i)
      .find((c) => !twins.has(c) && allShared(b.runs, c.runs, o.coincideMs));
    if (a && allShared(a.runs, b.runs, o.coincideMs)) twins.set(b, a);
  }
  const pool = [...candidates, ...inners].filter((c) => !twins.has(c));

  // Step 1.
  const work = candidates.filter((c) => !twins.has(c));
  for (let next = work.shift(); next; next = work.shift()) {
    const outer = next;
    if (outer.explainedBy) continue;
    const nested = pool.filter(
      (inner) =>
        inner !== outer &&
        !inner.explainedBy &&
        allShared(inner.runs, outer.runs, o.coincideMs) &&
        !allShared(outer.runs, inner.runs, o.coincideMs),
    );
    if (nested.length === 0) continue;
    const critical = normalQuantile(1 - IDLE_LEVEL / nested.length);
    const winner = nested
      .filter((inner) => excessPerRun(inner.judgement.test) > 0)
      .filter((inner) => {
        const shared = sharedRuns(outer.runs, inner.runs, o.coincideMs);
        const own = shared.map((v) => 1 - v);
        const options = { ...common, windowMs: outer.windowMs };
        return (
          idleZ(
            testWindow(outer.runs, starts, { ...options, skip: own }),
            testWindow(outer.runs, starts, { ...options, skip: shared }),
          ) >= critical
        );
      })
      .sort((a, b) => b.runs.length - a.runs.length)[0];
    if (!winner) {
      for (const inner of nested) if (candidates.includes(inner)) inner.explainedBy ??= outer;
      continue;
    }
    outer.explainedBy = winner;
    if (!candidates.includes(winner)) {
      winner.judgement.pValue = outer.judgement.pValue;
      candidates.push(winner);
    }
    work.push(winner);
  }

  // Step 2: forward selection, then backward elimination, on the rest.
  const blamed: Candidate[] = [];
  for (const c of candidates) {
    if (c.explainedBy || twins.has(c)) continue;
    if (aligns(c, blamed)) blamed.push(c);
    else c.explainedBy = nearest(c, blamed, o.coincideMs);
  }
  for (let i = blamed.length - 1; i >= 0; i--) {
    const c = blamed[i] as Candidate;
    const others = blamed.filter((b) => b !== c);
    if (aligns(c, others)) continue;
    c.explainedBy = nearest(c, others, o.coincideMs);
    blamed.splice(i, 1);
  }

  for (const c of candidates) {
    const twin = twins.get(c);
    const by = finalExplainer(twin ?? c);
    c.judgement.verdict = by ? 'explained-by-other' : twin ? 'same-runs' : 'aligned';
    if (by || twin) c.judgement.otherJob = (by ?? twin)?.judgement.job.name;
  }
}

/** The blamed job with the most runs near `candidate`'s. */
function nearest(
  candidate: Candidate,
  blamed: Candidate[],
  coincideMs: number,
): Candidate | undefined {
  let best: Candidate | undefined;
  let most = -1;
  for (const other of blamed) {
    const within = Math.max(candidate.windowMs, other.windowMs) + coincideMs;
    const near = sharedRuns(candidate.runs, other.runs, within).reduce((sum, v) => sum + v, 0);
    if (near > most) {
      most = near;
      best = other;
    }
  }
  return best;
}

/** Follows "explained by" to a job that is not explained by another (guarding against cycles). */
function finalExplainer(candidate: Candidate): Candidate | undefined {
  let by = candidate.explainedBy;
  for (let hops = 0; by?.explainedBy && hops < 100; hops++) by = by.explainedBy;
  return by === candidate ? undefined : by;
}
