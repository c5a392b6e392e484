/**
 * Kind 4: the payment provider stops answering at T; payment calls time out
 * (504 after the client's timeout) on every host, until it recovers or the
 * logs end. The payments service was deployed about 20 hours earlier: the
 * obvious suspect by name, innocent by timing. No change falls in the hours
 * before T.
 */
import { addRoutine, assemble, nearTimeOfDay, onsetTolerance } from '../assemble.js';
import { HOUR, MINUTE, SECOND } from '../clock.js';
import { upstreamTimeout } from '../failures.js';
import type { Scenario } from '../truth.js';
import { World } from '../world.js';

export function thirdPartyOutage(seed: number): Scenario {
  const world = new World({ seed, spanHours: [24, 30] });
  const rng = world.rng;
  const payments = world.services.payments;
  world.endpoint('payments.create').weight *= rng.uniform(3, 6);
  world.endpoint('checkout.submit').weight *= rng.uniform(1.5, 3);
  const outageAt =
    Math.round(rng.uniform(world.from + 21.5 * HOUR, world.to - 1.5 * HOUR) / SECOND) * SECOND;
  const recoversAt = rng.chance(0.5)
    ? Math.min(world.to, outageAt + rng.int(45, 150) * MINUTE)
    : world.to + 1;
  const oldDeploy = world.changes.deploy(
    outageAt - Math.round(rng.uniform(19, 21) * HOUR),
    payments,
    world.hosts,
    rng.pick([
      'switch payment provider SDK to v5',
      'add retries to provider calls',
      'bump dependencies',
    ]),
  );
  const upstream = rng.weighted(
    ['api.payments.example', 'api.paygate.example', 'psp.checkout.example'],
    (u) => (u === 'api.payments.example' ? 3 : 1),
  );
  const timeoutMs = rng.pick([10_000, 15_000, 30_000]);
  const failShare = rng.uniform(0.7, 1);
  let firstError = Number.POSITIVE_INFINITY;
  // Checkouts charge through the payments service, so they fail with it.
  world.onRequest((req) => {
    const id = req.endpoint.id;
    if ((id !== 'payments.create' && id !== 'checkout.submit') || req.status >= 400) return;
    if (req.time < outageAt || req.time >= recoversAt || !rng.chance(failShare)) return;
    req.failure = upstreamTimeout(req.endpoint.service ?? payments, upstream, timeoutMs);
    req.status = req.failure.status;
    req.durationMs = timeoutMs + rng.int(2, 80);
    req.note = undefined;
    firstError = Math.min(firstError, req.time);
  });
  addRoutine(world, {
    keepOut: [
      [outageAt - 4 * HOUR, outageAt + 30 * MINUTE],
      [oldDeploy.time - 30 * MINUTE, oldDeploy.time + 30 * MINUTE],
    ],
    cronForbidden: nearTimeOfDay(world, outageAt, 20, 5),
  });
  return assemble(
    world,
    'third-party-outage-innocent-deploy',
    `${upstream} times out; ${payments.name} deploy 20 h earlier is innocent`,
    `From T, calls to ${upstream} time out on all hosts; the ${payments.name} deploy ${oldDeploy.id} about 20 hours before is not the cause.`,
    () => ({
      onset: { time: firstError, toleranceMs: onsetTolerance(world) },
      hosts: { concentrated: 'all' },
    }),
  );
}
