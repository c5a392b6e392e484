/**
 * "Do we have cron jobs that run around that time?" For each job: are its
 * runs followed by error bursts more often than chance would give (the
 * window test of cron-window-test.ts), corrected for the number of jobs
 * (Holm) so that a quiet day reports nothing; then, among the jobs that
 * pass, those whose matches another job explains better (an hourly job
 * inside an every-15-min one) are not blamed as well (cron-explain-away.ts).
 * A job that ran just before the onset is named with the chance of so close
 * a run.
 *
 * Run on the results of the pass: `alignCronJobs` takes the parsed jobs, the
 * bursts of ErrorBurstCollector and the evidence's span.
 */
import type { Evidence } from '../../report/model.js';
import type { CronJob } from './cron.js';
import { REBOOT } from './cron.js';
import { composeAlignment } from './cron-answer.js';
import type { ErrorBursts } from './cron-bursts.js';
import { explainAway } from './cron-explain-away.js';
import { describeCadence, expandRuns, MAX_RUNS_PER_JOB } from './cron-runs.js';
import { holmAdjust } from './cron-stats.js';
import { bestWindow, usableWindows, type WindowTest } from './cron-window-test.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const CRON_ALIGNMENT_DEFAULTS = {
  /** Family-wise false-alarm level: the chance that a quiet dataset blames any job. */
  alpha: 0.01,
  /** Windows after each run to look for a burst in; each job uses those that fit its cadence (usableWindows). */
  windowsMs: [30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 15 * MINUTE] as readonly number[],
  /** A burst this long before a run still counts: the hosts' clocks differ a little. */
  skewMs: 5 * SECOND,
  /** Control stretch before each run, in windows (shorter when the previous run is closer). */
  flankWindows: 6,
  /** Fewer tested runs than this: too few to tell. */
  minRuns: 3,
  /** Runs this close to each other (two jobs in the same minute) are the same moment. */
  coincideMs: MINUTE,
  /** A job that ran at most this long before the onset is named. */
  onsetLookbackMs: 15 * MINUTE,
  /** Runs expanded over all jobs, at most (each job has its own bound of 100,000 too). */
  maxRunsTotal: 500_000,
};
export type CronAlignmentOptions = typeof CRON_ALIGNMENT_DEFAULTS;

export interface CronAlignmentInput {
  /** The jobs of the cron file(s); undefined when no cron file was given. */
  jobs: readonly CronJob[] | undefined;
  /** From ErrorBurstCollector.bursts() over the error events (or any time-sorted burst starts). */
  bursts: ErrorBursts;
  /** The evidence's time span; runs outside it are not looked at. */
  span: { from: number; to: number } | undefined;
  /** Zone of jobs without CRON_TZ / spec.timeZone: the hosts' zone (`--tz`), default UTC. */
  defaultZone?: string;
  /** The error onset, if one was found: jobs that ran just before it are named. */
  onset?: number;
  /** An error line at or just after `time` (e.g. the analyzer's first error of that minute). */
  evidenceFor?: (time: number) => Evidence | undefined;
  options?: Partial<CronAlignmentOptions>;
}

export type CronJobVerdict =
  /** Its runs are followed by bursts more often than chance, beyond the jobs already blamed. */
  | 'aligned'
  /** Aligned, but it runs at the same moments as another aligned job: the logs cannot tell them apart. */
  | 'same-runs'
  /** Its matched runs are moments another aligned job also runs at; that job explains them. */
  | 'explained-by-other'
  | 'not-aligned'
  /** Too few runs in the span, or runs too often to tell from the background (or for the error times' precision). */
  | 'cannot-tell'
  /** `@reboot`: runs when the host starts, no schedule to compare. */
  | 'no-schedule';

export interface CronJobAlignment {
  job: CronJob;
  verdict: CronJobVerdict;
  /** "every 15 min", "daily", "42 runs, 2 h to 3 days apart". */
  cadence: string;
  /** Runs in the span. */
  runs: number;
  /** The run expansion stopped at its bound. */
  truncated: boolean;
  /** Runs whose window and control stretch lie in the span. */
  runsTested: number;
  runsMatched: number;
  /** Runs chance alone would match, given the bursts near each run. */
  expectedByChance: number;
  /** The window after each run used (the most significant of those tried). */
  windowMs: number;
  /** Quartiles of the matched runs' lag to their first burst. */
  lagMs?: { low: number; median: number; high: number };
  /**
   * Corrected for the windows tried and the number of jobs (Holm). A job that
   * takes the blame from a job containing its runs carries that job's.
   */
  pValue: number;
  /** Confidence that its runs and the errors are linked (0 unless aligned or same-runs). */
  confidence: number;
  /** The job that explains it (`explained-by-other`) or runs at the same moments (`same-runs`). */
  otherJob?: string;
  /** Its last run before the onset, and how often so close a run precedes a random moment. */
  ranBeforeOnset?: { run: number; beforeMs: number; chance: number };
  /** The job's line, then the first errors after matched runs. */
  evidence: Evidence[];
  /** Up to 5 matched runs with their first burst. */
  matchedRuns: { run: number; burst: number }[];
  sentence: string;
}

export interface CronAlignment {
  verdict:
    | 'aligned'
    | 'ran-before-onset'
    | 'none-aligned'
    | 'no-errors'
    | 'no-jobs'
    | 'no-cron-file';
  sentence: string;
  confidence: number;
  alpha: number;
  /** Most suspect first. */
  jobs: CronJobAlignment[];
}

/** A job while it is being judged. */
export interface JobJudgement {
  job: CronJob;
  verdict: CronJobVerdict | undefined;
  cadence: string;
  runs: number;
  truncated: boolean;
  windows: number[];
  test: WindowTest | undefined;
  pValue: number;
  otherJob?: string;
  ranBeforeOnset?: CronJobAlignment['ranBeforeOnset'];
}

/** Share of the span's moments that some run precedes by at most `withinMs`. */
function shareAfterRuns(
  runs: Float64Array,
  withinMs: number,
  span: { from: number; to: number },
): number {
  let covered = 0;
  for (let i = 0; i < runs.length; i++) {
    const next = i + 1 < runs.length ? (runs[i + 1] as number) : span.to;
    covered += Math.max(0, Math.min(withinMs, next - (runs[i] as number)));
  }
  return Math.min(1, covered / Math.max(1, span.to - span.from));
}

function ranBeforeOnset(
  runs: Float64Array,
  onset: number,
  o: CronAlignmentOptions,
  span: { from: number; to: number },
) {
  let last: number | undefined;
  for (const run of runs) if (run <= onset) last = run;
  if (last === undefined || onset - last > o.onsetLookbackMs) return undefined;
  // At least the minute: cron's own precision, and a zero gap would have zero chance.
  const beforeMs = onset - last;
  return { run: last, beforeMs, chance: shareAfterRuns(runs, Math.max(beforeMs, MINUTE), span) };
}

/** Each job's cron alignment with the error bursts, and the answer in a sentence. */
export function alignCronJobs(input: CronAlignmentInput): CronAlignment {
  const o: CronAlignmentOptions = { ...CRON_ALIGNMENT_DEFAULTS, ...input.options };
  const span = input.span;
  const starts = input.bursts.starts;
  if (!input.jobs || !span || starts.length === 0 || input.jobs.length === 0)
    return composeAlignment(input, [], o);
  const expand = (job: CronJob, budget: number) =>
    expandRuns(job, span.from, span.to, {
      ...(input.defaultZone ? { defaultZone: input.defaultZone } : {}),
      maxRuns: Math.max(0, Math.min(MAX_RUNS_PER_JOB, budget)),
    });
  let budget = o.maxRunsTotal;
  const judged: JobJudgement[] = input.jobs.map((job) => {
    if (job.schedule === REBOOT)
      return {
        job,
        verdict: 'no-schedule',
        cadence: '@reboot',
        runs: 0,
        truncated: false,
        windows: [],
        test: undefined,
        pValue: 1,
      };
    const runs = expand(job, budget);
    budget -= runs.times.length;
    const windows = usableWindows(runs.times, o.windowsMs, input.bursts.resolutionMs, o.skewMs);
    const test = bestWindow(runs.times, starts, windows, {
      span,
      skewMs: o.skewMs,
      flankWindows: o.flankWindows,
    });
    const before =
      input.onset !== undefined ? ranBeforeOnset(runs.times, input.onset, o, span) : undefined;
    return {
      job,
      verdict: test && test.tested >= o.minRuns ? undefined : 'cannot-tell',
      cadence: describeCadence(runs.times),
      runs: runs.times.length,
      truncated: runs.truncated,
      windows,
      test,
      pValue: test?.pValue ?? 1,
      ...(before ? { ranBeforeOnset: before } : {}),
    };
  });
  const testable = judged.filter((j) => j.verdict === undefined);
  const adjusted = holmAdjust(testable.map((j) => j.pValue));
  for (const [i, j] of testable.entries()) {
    j.pValue = adjusted[i] as number;
    if (j.pValue > o.alpha) j.verdict = 'not-aligned';
  }
  const runsOf = (j: JobJudgement) => expand(j.job, MAX_RUNS_PER_JOB).times;
  explainAway(testable, runsOf, input, o);
  return composeAlignment(input, judged, o);
}
