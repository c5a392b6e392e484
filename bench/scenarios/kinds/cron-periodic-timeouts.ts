/**
 * Kind 2: a cron job (every 10-30 minutes) locks the tables one service
 * reads; for a minute and a half to three minutes after each run, that
 * service's requests time out with 504 on every host. The other cron jobs
 * run at minutes well away from these bursts.
 */
import { addRoutine, assemble } from '../assemble.js';
import { MINUTE, SECOND } from '../clock.js';
import { everyMinutes, runTimes, scheduleText } from '../cron.js';
import { queryTimeout, upstreamTimeout } from '../failures.js';
import type { Scenario } from '../truth.js';
import { World } from '../world.js';

const COMMANDS = [
  '/usr/local/bin/reindex.sh',
  '/usr/local/bin/export-orders.sh --since {period}m',
  '/opt/shop/bin/sync-inventory.py',
  '/usr/local/bin/refresh-materialized-views.sh',
];

export function cronPeriodicTimeouts(seed: number): Scenario {
  const world = new World({ seed, spanHours: [6, 14], accessLines: [30_000, 65_000] });
  const rng = world.rng;
  const periodMin = rng.pick([10, 15, 15, 20, 30]);
  const minutes = everyMinutes(periodMin, rng.int(0, periodMin - 1));
  const command = rng.pick(COMMANDS).replace('{period}', String(periodMin));
  const job = {
    name: command,
    user: rng.pick(['root', 'app', 'postgres']),
    command,
    minutes,
    hours: 'every' as const,
    schedule: scheduleText(rng, minutes, 'every'),
    aligned: true,
  };
  world.cron.push(job);
  const role = rng.pick(['search', 'catalog'] as const);
  const service = world.services[role];
  const failShare = rng.uniform(0.5, 0.9);
  const timeoutMs = rng.pick([10_000, 30_000]);
  const bursts = runTimes(job, world.zone, world.from - periodMin * MINUTE, world.to).map((run) => {
    const start = run + rng.int(5, 25) * SECOND;
    return [start, start + rng.int(90, 180) * SECOND] as const;
  });
  // The pages that call the service time out with it.
  const pages = new Set(role === 'search' ? ['page.search'] : ['page.product', 'page.category']);
  const frontend = world.services.frontend;
  world.onRequest((req) => {
    const api = req.endpoint.service === service && req.endpoint.kind === 'api';
    if (!api && !pages.has(req.endpoint.id)) return;
    const burst = bursts.find(([a, b]) => req.time >= a && req.time < b);
    if (!burst || !rng.chance(failShare)) return;
    req.failure = api
      ? queryTimeout(service, role === 'search' ? 'search results' : 'products', timeoutMs)
      : upstreamTimeout(frontend, `${service.name}:8080`, timeoutMs);
    req.status = req.failure.status;
    req.durationMs = timeoutMs + rng.int(1, 40);
    req.note = undefined;
  });
  // Other jobs stay 3 minutes clear of each burst (the bursts last up to 3.5 minutes).
  const busy = new Set<number>();
  for (const m of minutes) for (let d = -3; d <= 7; d++) busy.add((((m + d) % 60) + 60) % 60);
  addRoutine(world, { cronForbidden: (_hour, minute) => busy.has(minute) });
  return assemble(
    world,
    'cron-periodic-timeouts',
    `${command} every ${periodMin} min makes ${service.name} time out`,
    `Every run of the cron job "${command}" (${job.schedule}) makes ${service.name} time out (504) for about 2 minutes, on all hosts.`,
    () => ({
      period: { ms: periodMin * MINUTE, toleranceMs: MINUTE },
      hosts: { concentrated: 'all' },
    }),
  );
}
