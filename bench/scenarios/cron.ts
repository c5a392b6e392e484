/**
 * Cron jobs: their schedules (written the ways people write them: `*\/15`,
 * `7-59/15`, lists, `@hourly`), their run times in the scenario's zone, and
 * the two files that declare them: a system crontab (with the user column and
 * environment lines) or Kubernetes CronJobs. Run times are computed here from
 * the structured schedule; a test checks them against croner reading the text.
 */
import { DAY, localTime, type Zone } from './clock.js';
import type { Rng } from './random.js';

export interface CronJob {
  /** The truth's name for it: the command (crontab) or metadata.name (CronJob). */
  name: string;
  user: string;
  command: string;
  /** Minutes of the hour it runs at, ascending. */
  minutes: number[];
  /** Hours of the day, ascending, or every hour. */
  hours: number[] | 'every';
  /** The five schedule fields (or an @shortcut) as written. */
  schedule: string;
}

export function everyMinutes(step: number, offset: number): number[] {
  const minutes: number[] = [];
  for (let m = offset % step; m < 60; m += step) minutes.push(m);
  return minutes;
}

/** Writes a schedule the way a person might: steps, ranges with steps, lists, shortcuts. */
export function scheduleText(rng: Rng, minutes: number[], hours: number[] | 'every'): string {
  const hourField = hours === 'every' ? '*' : hours.join(',');
  if (
    hours !== 'every' &&
    hours.length === 1 &&
    hours[0] === 0 &&
    minutes.length === 1 &&
    minutes[0] === 0 &&
    rng.chance(0.5)
  )
    return '@daily';
  if (hours === 'every' && minutes.length === 1 && minutes[0] === 0 && rng.chance(0.5))
    return '@hourly';
  let minuteField = minutes.join(',');
  if (minutes.length > 2) {
    const step = (minutes[1] as number) - (minutes[0] as number);
    const first = minutes[0] as number;
    const even = minutes.every((m, i) => m === first + i * step) && first < step && 60 % step === 0;
    if (even)
      minuteField =
        first === 0 ? `*/${step}` : rng.chance(0.5) ? `${first}-59/${step}` : minuteField;
  }
  return `${minuteField} ${hourField} * * *`;
}

/** Its runs in [from, to], epoch ms, with the schedule read in `zone`. */
export function runTimes(job: CronJob, zone: Zone, from: number, to: number): number[] {
  const runs: number[] = [];
  const hours = job.hours === 'every' ? Array.from({ length: 24 }, (_, h) => h) : job.hours;
  const firstDay = Math.floor(from / DAY) * DAY - 2 * DAY;
  for (let day = firstDay; day <= to + DAY; day += DAY)
    for (const h of hours)
      for (const m of job.minutes) {
        const t = localTime(zone, day, h, m);
        if (t >= from && t <= to) runs.push(t);
      }
  return runs.sort((a, b) => a - b);
}

/** The short name Kubernetes would give it: `/usr/local/bin/reindex.sh --full` -> `reindex`. */
export function kubernetesName(command: string): string {
  const word = command.split(' ').find((w) => w.includes('/')) ?? command.split(' ')[0] ?? 'job';
  return (word.split('/').pop() ?? 'job').replace(/\.(sh|py|rb)$/, '').replace(/[^a-z0-9-]/g, '-');
}

export function renderCrontab(jobs: readonly CronJob[], zone: Zone, withZoneLine: boolean): string {
  const lines = [
    '# /etc/crontab: system-wide crontab',
    "# Unlike any other crontab you don't have to run the `crontab'",
    '# command to install the new version when you edit this file.',
    '',
    'SHELL=/bin/sh',
    'PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin',
    'MAILTO=ops@example.com',
    ...(withZoneLine ? [`CRON_TZ=${zone.name}`] : []),
    '',
    '# m h dom mon dow user\tcommand',
  ];
  for (const job of jobs) lines.push(`${job.schedule}\t${job.user}\t${job.command}`);
  return `${lines.join('\n')}\n`;
}

export function renderCronJobs(jobs: readonly CronJob[], zone: Zone, namespace: string): string {
  const docs = jobs.map((job) => {
    const [program = job.command, ...args] = job.command.split(' ');
    const command = [program, ...args].map((a) => JSON.stringify(a)).join(', ');
    return [
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata:',
      `  name: ${job.name}`,
      `  namespace: ${namespace}`,
      'spec:',
      `  schedule: "${job.schedule}"`,
      `  timeZone: "${zone.name}"`,
      '  concurrencyPolicy: Forbid',
      '  successfulJobsHistoryLimit: 3',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          restartPolicy: OnFailure',
      '          containers:',
      `            - name: ${job.name}`,
      `              image: registry.example.com/${namespace}/tools:1.${job.name.length}.0`,
      `              command: [${command}]`,
    ].join('\n');
  });
  return `${docs.join('\n---\n')}\n`;
}

/**
 * Jobs that run but harm nothing. `forbidden(hour, minute)` (local) marks
 * times they must not run at: near a planted burst or onset, a harmless job
 * would look guilty and the truth would be ambiguous.
 */
export function harmlessJobs(
  rng: Rng,
  forbidden: (hour: number, minute: number) => boolean,
  count: number,
): CronJob[] {
  const pool: (() => Omit<CronJob, 'schedule' | 'name'>)[] = [
    () => ({
      user: 'root',
      command: '/usr/sbin/logrotate /etc/logrotate.conf',
      minutes: [rng.int(0, 59)],
      hours: [rng.int(0, 4)],
    }),
    () => ({
      user: 'postgres',
      command: '/usr/local/bin/backup-db.sh --incremental',
      minutes: [rng.int(0, 59)],
      hours: [rng.int(1, 5)],
    }),
    () => ({
      user: 'www-data',
      command: '/usr/local/bin/cleanup-tmp.sh',
      minutes: [rng.int(0, 59)],
      hours: 'every',
    }),
    () => ({
      user: 'www-data',
      command: '/usr/local/bin/generate-sitemap.sh',
      minutes: [rng.int(0, 59)],
      hours: [rng.int(0, 23)],
    }),
    () => ({
      user: 'app',
      command: '/usr/local/bin/send-digest.py --daily',
      minutes: [rng.int(0, 59)],
      hours: [rng.int(6, 8)],
    }),
    () => ({
      user: 'root',
      command: 'certbot renew --quiet',
      minutes: [rng.int(0, 59)],
      hours: [rng.int(0, 11), rng.int(12, 23)],
    }),
  ];
  const jobs: CronJob[] = [];
  for (const make of rng.sample(pool, count)) {
    for (let tries = 0; tries < 50; tries++) {
      const job = make();
      const hours = job.hours === 'every' ? Array.from({ length: 24 }, (_, h) => h) : job.hours;
      if (hours.some((h) => job.minutes.some((m) => forbidden(h, m)))) continue;
      jobs.push({ ...job, name: job.command, schedule: scheduleText(rng, job.minutes, job.hours) });
      break;
    }
  }
  return jobs;
}
