/**
 * Kind 10: one or two ordinary days and nothing else: daily traffic, some
 * 404s, rare random 500s at a steady rate, client error beacons, harmless
 * deploys, flags and migrations (some within the span), cron jobs that harm
 * nothing, a few unrelated complaints. A report on it should find nothing.
 */
import { addRoutine, assemble } from '../assemble.js';
import type { Scenario } from '../truth.js';
import { World } from '../world.js';

export function quietControl(seed: number): Scenario {
  const world = new World({ seed, spanHours: [20, 48] });
  const rng = world.rng;
  world.changes.harmless(
    rng.int(2, 4),
    { from: world.from, to: world.to },
    [],
    world.services,
    world.hosts,
  );
  addRoutine(world, { changes: [1, 3], reports: [2, 5] });
  return assemble(
    world,
    'quiet-control',
    'an ordinary day',
    'Nothing happened: ordinary traffic and noise, harmless changes and cron jobs.',
    () => ({ quiet: true }),
  );
}
