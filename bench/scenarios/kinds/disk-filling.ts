/**
 * Kind 3: the disk of one host fills at a steady pace (a spool nobody
 * cleans); once it passes ~94%, writes on that host fail with "No space left
 * on device": requests that write answer 500 and the services' spoolers log
 * the error every few seconds. Only that host.
 */
import { addRoutine, assemble, nearTimeOfDay, onsetTolerance } from '../assemble.js';
import { HOUR, MINUTE, SECOND } from '../clock.js';
import { diskFull } from '../failures.js';
import type { Scenario } from '../truth.js';
import { World } from '../world.js';

const WRITES = new Set([
  'cart.add',
  'checkout.submit',
  'payments.create',
  'auth.login',
  'auth.session',
]);

export function diskFilling(seed: number): Scenario {
  const world = new World({ seed, spanHours: [14, 40] });
  const rng = world.rng;
  const span = world.to - world.from;
  const host = rng.pick(world.hosts);
  const rampStart = world.from + span * rng.uniform(0, 0.3);
  const fullAt = Math.round((world.from + span * rng.uniform(0.8, 0.9)) / SECOND) * SECOND;
  const threshold = rng.uniform(93.5, 95);
  const level0 = world.metrics.diskAt(host.name, rampStart, world.from);
  const slope = (threshold - level0) / (fullAt - rampStart);
  world.metrics.override(host.name, 'disk_used_percent', (t, healthy) => {
    if (t < rampStart) return healthy;
    // past the threshold the disk fills more slowly: services fail their writes
    const rising = level0 + slope * Math.min(t - rampStart, fullAt - rampStart);
    const after = t > fullAt ? slope * 0.35 * (t - fullAt) : 0;
    return Math.min(99.6, rising + after + rng.normal(0, 0.02));
  });
  const failShare = rng.uniform(0.5, 0.9);
  let firstError = Number.POSITIVE_INFINITY;
  world.onRequest((req) => {
    const service = req.endpoint.service;
    if (req.host !== host || req.time < fullAt || !service || !WRITES.has(req.endpoint.id)) return;
    if (!rng.chance(failShare)) return;
    req.failure = diskFull(service, `/var/lib/${service.name}/spool/${rng.hex(8)}.tmp`);
    req.status = req.failure.status;
    req.note = undefined;
    firstError = Math.min(firstError, req.time);
  });
  const spoolers = rng.sample(Object.values(world.services), 2);
  for (const service of spoolers) {
    const gap = rng.uniform(5, 20) * SECOND;
    for (let t = fullAt + rng.exponential(gap); t < world.to; t += rng.exponential(gap)) {
      const failure = diskFull(service, `/var/lib/${service.name}/spool/${rng.hex(8)}.tmp`);
      world.log({
        time: Math.round(t),
        host: host.name,
        service,
        level: 'error',
        message: failure.message,
        failure,
        logger: 'storage.Spooler',
      });
      firstError = Math.min(firstError, Math.round(t));
    }
  }
  addRoutine(world, {
    keepOut: [[fullAt - 3 * HOUR, fullAt + 30 * MINUTE]],
    cronForbidden: nearTimeOfDay(world, fullAt, 20, 5),
  });
  return assemble(
    world,
    'disk-filling',
    `disk filling on ${host.name}`,
    `The disk of ${host.name} fills steadily to ~95%; from then on writes there fail with "No space left on device".`,
    () => ({
      onset: { time: firstError, toleranceMs: onsetTolerance(world) },
      hosts: { concentrated: [host.name] },
      health: [{ host: host.name, kind: 'disk-filling' }],
    }),
  );
}
