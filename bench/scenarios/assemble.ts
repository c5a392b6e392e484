/**
 * The parts every scenario shares: the harmless changes, cron jobs and
 * complaints of an ordinary week (`addRoutine`), and the step that runs the
 * simulation and gathers files, arguments and truth (`assemble`). The truth's
 * `suspects` and `cron` lists are built here from what the kind marked
 * (`world.blamed`, a job's `aligned`), so every change and every job is judged.
 */
import { chooseBucketMs } from '../../src/analysis/series/bucket.js';
import { DAY, localHour, MINUTE } from './clock.js';
import { harmlessJobs, kubernetesName, renderCronJobs, renderCrontab } from './cron.js';
import { Rng } from './random.js';
import { backgroundReports, renderReports } from './side-inputs.js';
import type { Scenario, ScenarioKind, Truth } from './truth.js';
import type { World } from './world.js';

export interface RoutineOptions {
  /** Windows no harmless change may fall in (around a planted onset). */
  keepOut?: [number, number][];
  /** Local times no harmless cron job may run at. */
  cronForbidden?: (hour: number, minute: number) => boolean;
  /** Harmless changes, [min, max]. */
  changes?: [number, number];
  /** Scattered bug reports, [min, max]. */
  reports?: [number, number];
}

/** Local (hour, minute) pairs within `before` minutes before to `after` minutes after `time`. */
export function nearTimeOfDay(world: World, time: number, before: number, after: number) {
  const center = Math.round(localHour(world.zone, time) * 60);
  return (hour: number, minute: number) => {
    const m = hour * 60 + minute;
    const d = (((m - center) % 1440) + 1440) % 1440;
    return d <= after || d >= 1440 - before;
  };
}

export function addRoutine(world: World, options: RoutineOptions = {}): void {
  const rng = Rng.stream(world.seed, 'routine');
  const [minChanges, maxChanges] = options.changes ?? [2, 4];
  world.changes.harmless(
    rng.int(minChanges, maxChanges),
    { from: world.from - 2 * DAY, to: world.to },
    options.keepOut ?? [],
    world.services,
    world.hosts,
  );
  const forbidden = options.cronForbidden ?? (() => false);
  for (const job of harmlessJobs(rng, forbidden, rng.int(2, 4))) world.cron.push(job);
  const [minReports, maxReports] = options.reports ?? [0, 4];
  world.reports.push(
    ...backgroundReports(rng, world.from, world.to, rng.int(minReports, maxReports)),
  );
}

/** How far a reported onset may be from the planted one: the report's buckets are coarser on long spans. */
export function onsetTolerance(world: World): number {
  return Math.max(5 * MINUTE, 2 * chooseBucketMs(world.to - world.from));
}

type KindTruth = Omit<Truth, 'kind' | 'seed' | 'timeZone' | 'story' | 'suspects' | 'cron'>;

export function assemble(
  world: World,
  kind: ScenarioKind,
  title: string,
  story: string,
  /** Called after the simulation, so it may use what the hooks saw (the first planted error). */
  truth: () => KindTruth,
): Scenario {
  world.run();
  const files = world.logFiles();
  files.push({ path: 'changes.jsonl', content: world.changes.render() });
  const cronFile = world.cronFormat === 'kubernetes' ? 'cronjobs.yaml' : 'crontab';
  if (world.cronFormat === 'kubernetes') {
    const used = new Set<string>();
    for (const job of world.cron) {
      let name = kubernetesName(job.command);
      while (used.has(name)) name = `${name}-2`;
      used.add(name);
      job.name = name;
    }
    files.push({ path: cronFile, content: renderCronJobs(world.cron, world.zone, 'shop') });
  } else {
    const zoneLine = Rng.stream(world.seed, 'crontab').chance(0.5);
    files.push({ path: cronFile, content: renderCrontab(world.cron, world.zone, zoneLine) });
  }
  files.push({ path: 'metrics.csv', content: world.metrics.render(world.from, world.to) });
  files.push({ path: 'reports.csv', content: renderReports(world.reports) });
  return {
    kind,
    seed: world.seed,
    title,
    timeZone: world.zone.name,
    span: { from: world.from, to: world.to },
    files,
    args: [
      'logs',
      '--changes',
      'changes.jsonl',
      '--cron',
      cronFile,
      '--metrics',
      'metrics.csv',
      '--reports',
      'reports.csv',
      '--tz',
      world.zone.name,
    ],
    truth: {
      kind,
      seed: world.seed,
      timeZone: world.zone.name,
      story,
      ...truth(),
      suspects: [...world.changes.changes]
        .sort((a, b) => a.time - b.time)
        .map((c) => ({ changeId: c.id, blamed: world.blamed.has(c.id) })),
      cron: world.cron.map((job) => ({ job: job.name, aligned: job.aligned === true })),
    },
  };
}
