/**
 * Kind 8: a configuration change for one region at T gives one service a tax
 * provider credential that does not work; from T that service's requests
 * from customers in that region fail (502), on every host. Customers
 * elsewhere are fine.
 */
import { addRoutine, assemble, nearTimeOfDay, onsetTolerance } from '../assemble.js';
import { HOUR, MINUTE, SECOND } from '../clock.js';
import { regionConfigBroken } from '../failures.js';
import type { Scenario } from '../truth.js';
import { World } from '../world.js';

export function regionConfigChange(seed: number): Scenario {
  const world = new World({ seed, spanHours: [4, 12] });
  const rng = world.rng;
  const span = world.to - world.from;
  const total = world.regions.reduce((sum, r) => sum + r.weight, 0);
  // A region with a real share of the customers (not 3% of them).
  const candidates = world.regions.filter((r) => r.weight / total >= 0.12);
  const region = rng.pick(candidates.length ? candidates : world.regions).name;
  const service = world.services[rng.pick(['checkout', 'payments', 'cart'] as const)];
  for (const e of world.endpoints) if (e.service === service) e.weight *= rng.uniform(1.2, 2);
  const changeAt = Math.round((world.from + span * rng.uniform(0.4, 0.7)) / SECOND) * SECOND;
  const change = world.changes.add({
    time: changeAt,
    kind: 'config',
    service: service.name,
    hosts: world.hosts.map((h) => h.name),
    description: `${region}: rotate tax provider credentials (tax-${region} v2 key)`,
  });
  world.blamed.add(change.id);
  const appliedAt = changeAt + rng.int(10, 90) * SECOND;
  const failShare = rng.uniform(0.7, 1);
  let firstError = Number.POSITIVE_INFINITY;
  world.onRequest((req) => {
    if (req.endpoint.service !== service || req.endpoint.kind !== 'api') return;
    if (req.time < appliedAt || req.client.region !== region || req.status >= 400) return;
    if (!rng.chance(failShare)) return;
    req.failure = regionConfigBroken(service, region);
    req.status = req.failure.status;
    req.note = undefined;
    firstError = Math.min(firstError, req.time);
  });
  addRoutine(world, {
    keepOut: [[changeAt - 3 * HOUR, changeAt + 30 * MINUTE]],
    cronForbidden: nearTimeOfDay(world, changeAt, 20, 5),
  });
  return assemble(
    world,
    'region-config-change',
    `${region} config change breaks ${service.name}`,
    `A config change for ${region} (${change.id}) breaks ${service.name} for customers in ${region} only (502), on all hosts.`,
    () => ({
      onset: { time: firstError, toleranceMs: onsetTolerance(world) },
      contrasts: [{ attribute: 'region', value: region }],
      hosts: { concentrated: 'all' },
    }),
  );
}
