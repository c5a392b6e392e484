/**
 * The cron alignment in words: one sentence per job and one for the
 * question, with the counts, the lag and the chance figure that back it, so
 * the reader can weigh it ("23 of 24 runs ... chance would give 3").
 */
import { localDateTime } from '../../../core/local-time.js';
import type { Evidence } from '../../report/model.js';
import type {
  CronAlignment,
  CronAlignmentInput,
  CronAlignmentOptions,
  CronJobAlignment,
  CronJobVerdict,
  JobJudgement,
} from './cron-alignment.js';
import { formatDuration } from './cron-runs.js';

const MAX_EXAMPLES = 3;
const MAX_MATCHED_RUNS = 5;
/** A run before the onset is named when so close a run would precede a random moment this rarely. */
const NOTABLE_ONSET_CHANCE = 0.05;
const RANK: Record<CronJobVerdict, number> = {
  aligned: 0,
  'same-runs': 1,
  'explained-by-other': 2,
  'not-aligned': 3,
  'cannot-tell': 4,
  'no-schedule': 5,
};

const quoted = (name: string) => `\`${name}\``;
const figure = (value: number) =>
  value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
const percent = (value: number) => `${(value * 100).toFixed(value < 0.01 ? 2 : 0)}%`;
const formatP = (p: number) =>
  p < 1e-300 ? 'p < 1e-300' : `p = ${p < 0.001 ? p.toExponential(0) : p.toPrecision(2)}`;
const seconds = (ms: number) =>
  Math.abs(ms) < 2 * 60_000 ? `${Math.round(ms / 1000)} s` : formatDuration(ms);

function quartiles(values: number[]): { low: number; median: number; high: number } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { low: at(0.25), median: at(0.5), high: at(0.75) };
}

function lagText(lag: { low: number; median: number; high: number }): string {
  if (lag.high - lag.low < 5000) return `about ${seconds(lag.median)} after the run`;
  return `${seconds(lag.low).replace(/ .*/, '')}-${seconds(lag.high)} after the run`;
}

/**
 * Confidence that the job's runs and the errors are linked: the significance
 * times the square root of the share of matches beyond chance, so that 23 of
 * 24 against 3 by chance scores high and 800 of 1,440 against 700 (a slight
 * lean of an every-minute job, significant on a long log) scores low.
 */
function blame(j: JobJudgement): number {
  if (j.verdict !== 'aligned' && j.verdict !== 'same-runs') return 0;
  const matched = j.test?.matched ?? 0;
  const beyondChance = matched > 0 ? Math.max(0, 1 - (j.test?.expected ?? 0) / matched) : 0;
  return (1 - j.pValue) * Math.sqrt(beyondChance) * (j.verdict === 'same-runs' ? 0.5 : 1);
}

/** The job and how often it ran; its schedule when it ran once or never in the span. */
const labelOf = (j: JobJudgement) =>
  `${quoted(j.job.name)} (${j.runs < 2 && j.verdict !== 'no-schedule' ? j.job.schedule : j.cadence})`;

/** Jobs that could not be judged: too few runs in the span, or too frequent for the error times. */
const tooFrequent = (j: JobJudgement) => j.verdict === 'cannot-tell' && !j.test && j.runs >= 2;

function jobSentence(j: JobJudgement, jobsTested: number, o: CronAlignmentOptions): string {
  const sentence = judgedSentence(j, jobsTested, o);
  return j.truncated
    ? `${sentence} Only its first ${j.runs.toLocaleString('en-US')} runs were looked at (the bound per analysis).`
    : sentence;
}

function judgedSentence(j: JobJudgement, jobsTested: number, o: CronAlignmentOptions): string {
  const label = labelOf(j);
  const test = j.test;
  if (j.verdict === 'no-schedule')
    return `${label} runs only when its host starts: no schedule to compare with the errors.`;
  if (tooFrequent(j))
    return `${label} runs too often for its runs to be told apart from the background errors.`;
  if (!test || j.runs < o.minRuns)
    return `${label}: ${j.runs} run${j.runs === 1 ? '' : 's'} in the span, too few to tell.`;
  if (j.verdict === 'cannot-tell')
    return `${label}: only ${test.tested} run${test.tested === 1 ? '' : 's'} with a whole window in the span, too few to tell.`;
  const core = `${test.matched} of ${test.tested} runs are followed by an error burst within ${formatDuration(test.windowMs)}`;
  const lag = quartiles(test.lags);
  const when = lag && j.verdict !== 'not-aligned' ? `, errors beginning ${lagText(lag)}` : '';
  const chance = `chance would give ${figure(test.expected)}`;
  const other = quoted(j.otherJob ?? '?');
  switch (j.verdict) {
    case 'aligned':
      return `${label}: ${core}${when}; ${chance} (${formatP(j.pValue)}, corrected for ${jobsTested} job${jobsTested === 1 ? '' : 's'}).`;
    case 'same-runs':
      return `${label}: ${core}${when}; ${chance}. It runs at the same moments as ${other}: the logs cannot tell which of the two it is.`;
    case 'explained-by-other':
      return `${label}: ${core}, but at moments when ${other} runs too, which explains them.`;
    default:
      return `${label}: ${core}; ${chance}: no sign that its runs bring errors.`;
  }
}

function toAlignment(
  j: JobJudgement,
  input: CronAlignmentInput,
  jobsTested: number,
  o: CronAlignmentOptions,
): CronJobAlignment {
  const test = j.test;
  const evidence: Evidence[] = [
    {
      source: j.job.source,
      line: j.job.line,
      text: [j.job.schedule, j.job.user, j.job.command].filter(Boolean).join(' '),
    },
  ];
  const linked = j.verdict === 'aligned' || j.verdict === 'same-runs';
  for (const match of linked ? (test?.matches ?? []) : []) {
    if (evidence.length > MAX_EXAMPLES) break;
    const line = input.evidenceFor?.(match.burst);
    if (line) evidence.push(line);
  }
  const lag = quartiles(test?.lags ?? []);
  return {
    job: j.job,
    verdict: j.verdict ?? 'not-aligned',
    cadence: j.cadence,
    runs: j.runs,
    truncated: j.truncated,
    runsTested: test?.tested ?? 0,
    runsMatched: test?.matched ?? 0,
    expectedByChance: test?.expected ?? 0,
    windowMs: test?.windowMs ?? 0,
    ...(lag ? { lagMs: lag } : {}),
    pValue: j.pValue,
    confidence: blame(j),
    ...(j.otherJob ? { otherJob: j.otherJob } : {}),
    ...(j.ranBeforeOnset ? { ranBeforeOnset: j.ranBeforeOnset } : {}),
    evidence,
    matchedRuns: (test?.matches ?? []).slice(0, MAX_MATCHED_RUNS),
    sentence: jobSentence(j, jobsTested, o),
  };
}

/** The answer for the judged jobs (none judged: the reason why, from the input). */
export function composeAlignment(
  input: CronAlignmentInput,
  judged: JobJudgement[],
  o: CronAlignmentOptions,
): CronAlignment {
  const base = { alpha: o.alpha, jobs: [] as CronJobAlignment[] };
  if (!input.jobs)
    return {
      ...base,
      verdict: 'no-cron-file',
      confidence: 0,
      sentence: 'No cron file given (--cron FILE): cron jobs were not checked.',
    };
  if (input.jobs.length === 0)
    return { ...base, verdict: 'no-jobs', confidence: 1, sentence: 'The cron file lists no jobs.' };
  const count = `${input.jobs.length} cron job${input.jobs.length === 1 ? '' : 's'}`;
  if (!input.span)
    return {
      ...base,
      verdict: 'no-errors',
      confidence: 0,
      sentence: `No timed evidence to compare with the runs of the ${count}.`,
    };
  if (judged.length === 0)
    return {
      ...base,
      verdict: 'no-errors',
      confidence: 1,
      sentence: `No errors to line up with the runs of the ${count}.`,
    };

  const tested = judged.filter(
    (j) => j.verdict !== 'cannot-tell' && j.verdict !== 'no-schedule',
  ).length;
  const jobs = judged
    .map((j) => toAlignment(j, input, tested, o))
    .sort((a, b) => RANK[a.verdict] - RANK[b.verdict] || a.pValue - b.pValue);
  const aligned = jobs.filter((j) => j.verdict === 'aligned' || j.verdict === 'same-runs');
  if (aligned.length) {
    const explained = jobs.filter((j) => j.verdict === 'explained-by-other');
    const also = explained.length
      ? ` Also followed by errors, but only at moments these jobs run too: ${explained.map((j) => quoted(j.job.name)).join(', ')}.`
      : '';
    return {
      ...base,
      jobs,
      verdict: 'aligned',
      confidence: Math.max(...aligned.map((j) => j.confidence)),
      sentence: `Errors line up with cron job runs. ${aligned.map((j) => j.sentence).join(' ')}${also}`,
    };
  }
  const scheduled = judged.filter((j) => j.verdict !== 'no-schedule').length;
  const none = noneSentence(jobs, judged, tested, o);
  const beforeOnset = jobs
    .filter((j) => j.ranBeforeOnset && j.ranBeforeOnset.chance * scheduled <= NOTABLE_ONSET_CHANCE)
    .sort((a, b) => (a.ranBeforeOnset?.chance ?? 1) - (b.ranBeforeOnset?.chance ?? 1));
  const first = beforeOnset[0]?.ranBeforeOnset;
  if (first) {
    const named = beforeOnset
      .map((j) => {
        const r = j.ranBeforeOnset as NonNullable<CronJobAlignment['ranBeforeOnset']>;
        return `${quoted(j.job.name)} (${j.cadence}) ran at ${localDateTime(r.run)}, ${seconds(r.beforeMs)} before the errors began (a run that close before a random moment: ${percent(r.chance)})`;
      })
      .join('; ');
    return {
      ...base,
      jobs,
      verdict: 'ran-before-onset',
      // One coincidence, however unlikely, is at most even odds of a cause.
      confidence: 0.5 * (1 - Math.min(1, first.chance * scheduled)),
      sentence: `${none} But ${named}.`,
    };
  }
  return {
    ...base,
    jobs,
    verdict: 'none-aligned',
    confidence: scheduled > 0 ? (1 - o.alpha) * (tested / scheduled) : 0,
    sentence: none,
  };
}

/** "No cron job's runs line up ..." with the closest job and those that could not be judged. */
function noneSentence(
  jobs: CronJobAlignment[],
  judged: JobJudgement[],
  tested: number,
  o: CronAlignmentOptions,
): string {
  if (judged.every((j) => j.verdict === 'no-schedule'))
    return 'The cron jobs run only when their hosts start (@reboot): no schedule to compare with the errors.';
  const frequent = judged.filter(tooFrequent).length;
  const few = judged.filter((j) => j.verdict === 'cannot-tell').length - frequent;
  const reasons = [
    few ? `${few} with too few runs in the span` : '',
    frequent ? `${frequent} running too often to tell from the background` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (tested === 0) return `No cron job could be judged: ${reasons}.`;
  const closest = jobs.find((j) => j.verdict === 'not-aligned' && j.runsMatched > 0);
  const closestText = closest
    ? `; closest: ${quoted(closest.job.name)}, ${closest.runsMatched} of ${closest.runsTested} runs followed by errors, chance ${figure(closest.expectedByChance)}`
    : '';
  const untold = reasons ? ` ${few + frequent} could not be judged (${reasons}).` : '';
  return `No cron job's runs line up with the error bursts more than chance would (${tested} job${tested === 1 ? '' : 's'} tested, at most a ${percent(o.alpha)} chance of a false alarm${closestText}).${untold}`;
}
