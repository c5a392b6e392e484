/**
 * Kind 1: a deploy of the payments service at T rolls out host by host; from
 * each host's switch, payment requests whose `amount` has a decimal point
 * fail with 500 and a NumberFormatException (the new code parses whole minor
 * units). Now and then the deploy is a canary on one host only, and then the
 * errors concentrate there.
 */
import { addRoutine, assemble, nearTimeOfDay, onsetTolerance } from '../assemble.js';
import { HOUR, MINUTE, SECOND } from '../clock.js';
import { decimalAmountRejected } from '../failures.js';
import type { Scenario } from '../truth.js';
import { World } from '../world.js';

export function deployBreaksInputShape(seed: number): Scenario {
  const world = new World({ seed, spanHours: [4, 12], languages: { payments: 'java' } });
  const rng = world.rng;
  const payments = world.services.payments;
  world.endpoint('payments.create').weight *= rng.uniform(2.5, 5);
  const deployAt =
    Math.round((world.from + (world.to - world.from) * rng.uniform(0.4, 0.7)) / SECOND) * SECOND;
  const canary = rng.chance(0.25);
  const targets = canary ? [rng.pick(world.hosts)] : world.hosts;
  const deploy = world.changes.deploy(
    deployAt,
    payments,
    targets,
    rng.pick([
      'refactor request validation',
      'move amount parsing to the mapper',
      'bump dependencies',
    ]),
  );
  world.blamed.add(deploy.id);
  // A rolling deploy: each host switches a little after the one before.
  const switchAt = new Map<string, number>();
  let at = deployAt + rng.int(20, 60) * SECOND;
  for (const host of targets) {
    switchAt.set(host.name, at);
    at += rng.int(20, 90) * SECOND;
  }
  let firstError = Number.POSITIVE_INFINITY;
  world.onRequest((req) => {
    if (req.endpoint.id !== 'payments.create') return;
    const since = switchAt.get(req.host.name);
    const amount = req.params.find(([k]) => k === 'amount')?.[1] ?? '';
    if (since === undefined || req.time < since || !amount.includes('.')) return;
    req.failure = decimalAmountRejected(payments, amount, rng.int(100_000, 999_999));
    req.status = req.failure.status;
    req.durationMs = rng.lognormal(15, 0.4);
    req.note = undefined;
    firstError = Math.min(firstError, req.time);
  });
  addRoutine(world, {
    keepOut: [[deployAt - 3 * HOUR, deployAt + 30 * MINUTE]],
    cronForbidden: nearTimeOfDay(world, deployAt, 20, 5),
  });
  return assemble(
    world,
    'deploy-breaks-input-shape',
    `${payments.name} ${payments.version} rejects decimal amounts`,
    `A deploy of ${payments.name} (${deploy.id}) at T makes every payment whose amount has a decimal point fail with 500 (NumberFormatException)${canary ? `, on the canary ${targets[0]?.name} only` : ''}.`,
    () => ({
      onset: { time: firstError, toleranceMs: onsetTolerance(world) },
      contrasts: [
        { attribute: 'amount', value: 'decimal' },
        { attribute: 'endpoint', value: `POST ${world.endpoint('payments.create').route}` },
      ],
      hosts: { concentrated: canary ? targets.map((h) => h.name) : 'all' },
    }),
  );
}
