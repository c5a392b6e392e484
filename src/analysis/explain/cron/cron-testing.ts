/**
 * Seeded synthetic error logs for the cron alignment tests: Poisson noise,
 * storms after a job's runs, clustered and time-varying noise. Used by the
 * tests only; kept apart so each test file stays short.
 */
import { seededRandom } from '../../series/testing.js';
import type { CronJob } from './cron.js';
import { ErrorBurstCollector } from './cron-bursts.js';
import { expandRuns } from './cron-runs.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const SIMULATED_SPAN = { from: Date.UTC(2026, 2, 10), to: Date.UTC(2026, 2, 11) };

/** Distinct schedules, some nested in others (hourly inside every 15 min), some close to others (:12 vs :15). */
export const SCHEDULES = [
  '*/15 * * * *',
  '0 * * * *',
  '12 * * * *',
  '*/5 * * * *',
  '* * * * *',
  '0 */2 * * *',
  '45 */3 * * *',
  '*/10 * * * *',
  '5,35 * * * *',
  '0 9-17 * * mon-fri',
  '*/20 * * * *',
  '30 2 * * *',
  '7 * * * *',
  '*/30 * * * *',
];

export function cronJob(schedule: string, i: number): CronJob {
  return {
    name: `job-${i}.sh`,
    schedule,
    command: `/opt/job-${i}.sh`,
    source: 'crontab',
    line: i + 1,
  };
}

/** Ten jobs drawn from SCHEDULES by a seeded shuffle; the first is `first` when given. */
export function tenJobs(random: () => number, first?: string): CronJob[] {
  const pool = SCHEDULES.filter((s) => s !== first);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return (first ? [first, ...pool.slice(0, 9)] : pool.slice(0, 10)).map(cronJob);
}

/** Poisson errors at `perHour(t)` (thinning), each alone. */
export function addNoise(
  collector: ErrorBurstCollector,
  random: () => number,
  perHour: number | ((time: number) => number),
  peak = typeof perHour === 'number' ? perHour : 0,
  span = SIMULATED_SPAN,
): void {
  const rate = typeof perHour === 'number' ? () => perHour : perHour;
  const top = Math.max(peak, 1e-9);
  for (let t = span.from; ; ) {
    t += -Math.log(1 - random()) * (HOUR / top);
    if (t >= span.to) return;
    if (random() * top < rate(t)) collector.add(t);
  }
}

/** Storms of `size` errors starting 20-40 s after each run of `job`, for a share `reliability` of its runs. */
export function plantAfterRuns(
  collector: ErrorBurstCollector,
  random: () => number,
  job: Pick<CronJob, 'schedule'>,
  reliability = 1,
  size = 8,
  span = SIMULATED_SPAN,
): void {
  for (const run of expandRuns(job, span.from, span.to).times) {
    if (random() >= reliability) continue;
    const start = run + 20 * SECOND + random() * 20 * SECOND;
    for (let k = 0; k < size; k++) collector.add(start + random() * 30 * SECOND);
  }
}

/** A collector over `seed`'s noise (and nothing else), for quick checks. */
export function quietErrors(seed: number, perHour: number): ErrorBurstCollector {
  const collector = new ErrorBurstCollector();
  addNoise(collector, seededRandom(seed), perHour);
  return collector;
}
