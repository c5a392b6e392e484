/**
 * Kind 5: three whole days; every day in the same local window (15-30
 * minutes, starting at a time drawn from the morning rush, lunch or the
 * evening) logins surge several times over and the services shed load with
 * 503s. CPU rises on every host during the window.
 */
import { addRoutine, assemble } from '../assemble.js';
import { clockText, DAY, HOUR, localTime, MINUTE, SECOND } from '../clock.js';
import { overloaded } from '../failures.js';
import type { Scenario } from '../truth.js';
import { World } from '../world.js';

const DAYS = 3;

export function timeOfDaySurge(seed: number): Scenario {
  const world = new World({ seed, wholeDays: DAYS, accessLines: [35_000, 65_000] });
  const rng = world.rng;
  const startMin = rng.pick([
    7 * 60 + 30,
    8 * 60,
    8 * 60 + 30,
    9 * 60,
    9 * 60,
    12 * 60,
    17 * 60 + 30,
  ]);
  const lengthMin = rng.pick([15, 20, 20, 30]);
  const windows = Array.from({ length: DAYS }, (_, d) => {
    const start =
      localTime(world.zone, world.firstDay + d * DAY, 0, startMin) + rng.int(-60, 60) * SECOND;
    return [start, start + lengthMin * MINUTE + rng.int(-60, 60) * SECOND] as const;
  });
  const inWindow = (t: number) => windows.some(([a, b]) => t >= a && t < b);
  const login = world.endpoint('auth.login');
  const surge = rng.uniform(8, 15);
  const share = login.weight / world.endpoints.reduce((sum, e) => sum + e.weight, 0);
  world.addLoad('auth.login', (t) =>
    inWindow(t) ? world.requestRate(t) * share * (surge - 1) : 0,
  );
  world.addLoad('auth.session', (t) => (inWindow(t) ? world.requestRate(t) * share * surge : 0));
  const loginFail = rng.uniform(0.4, 0.7);
  const otherFail = rng.uniform(0.08, 0.2);
  world.onRequest((req) => {
    const service = req.endpoint.service;
    if (!service || req.endpoint.kind === 'beacon' || !inWindow(req.time)) return;
    const p = service.role === 'auth' ? loginFail : otherFail;
    if (!rng.chance(p)) return;
    req.failure = overloaded(service, rng.int(150, 900));
    req.status = req.failure.status;
    req.durationMs = rng.lognormal(5, 0.5);
    req.note = undefined;
  });
  const cpuBoost = rng.uniform(20, 35);
  world.metrics.addCpu((_host, t) => (inWindow(t) ? cpuBoost : 0));
  const from = clockText(startMin);
  const to = clockText(startMin + lengthMin);
  addRoutine(world, {
    keepOut: windows.map(([a, b]) => [a - 2 * HOUR, b]),
    cronForbidden: (hour, minute) => {
      const m = hour * 60 + minute;
      return m >= startMin - 15 && m <= startMin + lengthMin + 15;
    },
  });
  return assemble(
    world,
    'time-of-day-surge',
    `logins surge ${from}-${to} every day`,
    `On each of the ${DAYS} days, from about ${from} to ${to} local time, logins surge and the services answer 503.`,
    () => ({
      timeOfDay: { from, to, days: DAYS, toleranceMs: 5 * MINUTE },
      hosts: { concentrated: 'all' },
    }),
  );
}
