/**
 * When a cron job ran: its schedule expanded by croner over the evidence's
 * span, in the job's zone (so DST and CRON_TZ are right), with a bound on the
 * number of runs so that a `* * * * *` job over a year cannot take the
 * analysis's time or memory.
 */
import { Cron } from 'croner';
import { type CronJob, REBOOT } from './cron.js';
import { zonePieces } from './cron-zone.js';

/** At most this many runs per job per analysis (a `* * * * *` job over a month has 43,200). */
export const MAX_RUNS_PER_JOB = 100_000;

export interface JobRuns {
  /** Run times (epoch ms, ascending) within [from, to]. */
  times: Float64Array;
  /** The span had more runs than `maxRuns`: `times` holds the first ones. */
  truncated: boolean;
}

export interface ExpandOptions {
  /** Zone for jobs without their own (crontab jobs run in the host's zone), default UTC. */
  defaultZone?: string;
  maxRuns?: number;
}

/** The job's runs from `from` to `to` (both inclusive); none for `@reboot`. */
export function expandRuns(
  job: Pick<CronJob, 'schedule' | 'zone'>,
  from: number,
  to: number,
  options: ExpandOptions = {},
): JobRuns {
  const maxRuns = options.maxRuns ?? MAX_RUNS_PER_JOB;
  const times: number[] = [];
  if (job.schedule === REBOOT || !(to >= from))
    return { times: new Float64Array(0), truncated: false };
  const zone = job.zone ?? options.defaultZone ?? 'UTC';
  // Stretches of one offset run in croner's fast utcOffset mode (see cron-zone.ts).
  for (const piece of zonePieces(zone, from, to + 1)) {
    const cron = new Cron(job.schedule, {
      mode: '5-part',
      ...(piece.offsetMinutes === undefined
        ? { timezone: zone }
        : { utcOffset: piece.offsetMinutes }),
    });
    // enumerate() starts after its argument: one millisecond before includes a run at `piece.from`.
    for (const run of cron.enumerate(new Date(piece.from - 1))) {
      const time = run.getTime();
      if (time >= piece.to) break;
      if (times.length === maxRuns) return { times: Float64Array.from(times), truncated: true };
      times.push(time);
    }
  }
  return { times: Float64Array.from(times), truncated: false };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "30 s", "15 min", "2 h", "1 day", "1.5 h" */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const [unit, name] =
    abs >= DAY
      ? [DAY, 'day']
      : abs >= HOUR
        ? [HOUR, 'h']
        : abs >= MINUTE
          ? [MINUTE, 'min']
          : [SECOND, 's'];
  const value = Math.round((ms / unit) * 10) / 10;
  return `${value} ${name}${name === 'day' && Math.abs(value) !== 1 ? 's' : ''}`;
}

const NAMED_PERIODS = new Map([
  [MINUTE, 'every minute'],
  [HOUR, 'hourly'],
  [DAY, 'daily'],
  [7 * DAY, 'weekly'],
]);
const every = (ms: number) => NAMED_PERIODS.get(ms) ?? `every ${formatDuration(ms)}`;

/**
 * How often the job ran, from its runs rather than its schedule text: "every
 * 15 min", "daily", or for uneven schedules (`0 9,17 * * 1-5`) "42 runs,
 * 2 h to 3 days apart". Runs say what happened in this span, in this zone.
 */
export function describeCadence(times: Float64Array): string {
  if (times.length < 2) return times.length === 1 ? 'ran once in the span' : 'no run in the span';
  let shortest = Number.POSITIVE_INFINITY;
  let longest = 0;
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] as number) - (times[i - 1] as number);
    shortest = Math.min(shortest, gap);
    longest = Math.max(longest, gap);
  }
  // DST days make a daily job's gap 23 or 25 hours: still "daily".
  if (longest - shortest <= HOUR && shortest >= DAY - HOUR)
    return every(Math.round(shortest / DAY) * DAY);
  if (longest === shortest) return every(shortest);
  return `${times.length} runs, ${formatDuration(shortest)} to ${formatDuration(longest)} apart`;
}
