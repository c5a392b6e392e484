/**
 * Kind 9: a service's in-process dependency check hangs on a stuck
 * connection and logs an error at a fixed rate (every 30 s to 2 min, a few
 * seconds of scheduling jitter) on one host, for the whole span. The crontab
 * has jobs, none of them running that often: no cron job explains it.
 */
import { addRoutine, assemble } from '../assemble.js';
import { SECOND } from '../clock.js';
import { dependencyCheckTimeout } from '../failures.js';
import type { Scenario } from '../truth.js';
import { World } from '../world.js';

export function periodicNoCron(seed: number): Scenario {
  const world = new World({ seed, spanHours: [3, 8] });
  const rng = world.rng;
  const periodMs = rng.pick([30, 60, 60, 60, 90, 120]) * SECOND;
  const jitterMs = rng.uniform(1, 4) * SECOND;
  const host = rng.pick(world.hosts);
  const service =
    world.services[rng.pick(['catalog', 'search', 'checkout', 'cart', 'auth'] as const)];
  const dependency = rng.pick(['redis', 'inventory-db', 'search-cluster', 'rabbitmq']);
  const failure = dependencyCheckTimeout(service, dependency);
  const phase = world.from + rng.uniform(0, periodMs);
  for (let k = 0; phase + k * periodMs < world.to; k++) {
    const time = Math.round(phase + k * periodMs + rng.uniform(-jitterMs, jitterMs));
    if (time < world.from || time > world.to) continue;
    world.log({
      time,
      host: host.name,
      service,
      level: 'error',
      message: failure.message,
      failure,
      logger: 'health.DependencyHealth',
    });
  }
  addRoutine(world, {});
  const seconds = periodMs / SECOND;
  return assemble(
    world,
    'periodic-no-cron',
    `${service.name} on ${host.name} fails its ${dependency} check every ${seconds} s`,
    `Every ${seconds} s (± ${(jitterMs / SECOND).toFixed(1)} s) ${service.name} on ${host.name} logs a failed ${dependency} check; no cron job runs that often.`,
    () => ({
      period: { ms: periodMs, toleranceMs: Math.max(3 * SECOND, periodMs * 0.05) },
      hosts: { concentrated: [host.name] },
    }),
  );
}
