/**
 * Kind 6: one service on one host leaks memory: mem_percent climbs from
 * ~35% to ~95%, the service fails with out-of-memory errors for the last
 * minutes, gets restarted (nginx answers 502 while it is down, then the
 * service logs its start) and memory drops back. Four restarts in the span.
 */
import { addRoutine, assemble } from '../assemble.js';
import { MINUTE, SECOND } from '../clock.js';
import { outOfMemory } from '../failures.js';
import type { Scenario } from '../truth.js';
import { World } from '../world.js';

const RESTARTS = 4;

export function memoryLeakRestarts(seed: number): Scenario {
  const world = new World({ seed, spanHours: [30, 54] });
  const rng = world.rng;
  const span = world.to - world.from;
  const host = rng.pick(world.hosts);
  // A service with real traffic on the host, so its failures show against the background.
  const service = world.services[rng.pick(['catalog', 'search', 'frontend'] as const)];
  // Fractions of a leak cycle: before the first restart, between restarts, after the last
  // (under one cycle, so memory never tops out without a restart).
  const first = rng.uniform(0.4, 0.7);
  const steps = Array.from({ length: RESTARTS - 1 }, () => rng.uniform(0.92, 1.05));
  const cycle = span / (first + steps.reduce((a, b) => a + b, 0) + rng.uniform(0.5, 0.85));
  const restarts: number[] = [];
  let at = world.from + cycle * first;
  for (let k = 0; k < RESTARTS; k++) {
    restarts.push(Math.round(at / SECOND) * SECOND);
    at += cycle * (steps[k] ?? 0);
  }
  const downFor = restarts.map(() => rng.int(30, 90) * SECOND);
  const base = rng.uniform(30, 40);
  const peak = rng.uniform(92, 97);
  const slope = (peak - base) / cycle;
  world.metrics.override(host.name, 'mem_percent', (t) => {
    const last = restarts.filter((r) => r <= t).at(-1);
    const level =
      last === undefined ? peak - slope * ((restarts[0] as number) - t) : base + slope * (t - last);
    return Math.min(98.5, Math.max(base - 3, level)) + rng.normal(0, 0.4);
  });
  const pressure = restarts.map((r) => [r - rng.int(10, 25) * MINUTE, r] as const);
  world.onRequest((req) => {
    if (req.host !== host || req.endpoint.service !== service) return;
    const k = restarts.findIndex((r, i) => req.time >= r && req.time < r + (downFor[i] as number));
    if (k >= 0) {
      req.serviceDown = true;
      req.status = 502;
      req.durationMs = rng.lognormal(2, 0.5);
      req.failure = undefined;
      return;
    }
    const window = pressure.find(([a, b]) => req.time >= a && req.time < b);
    if (!window) return;
    const progress = (req.time - window[0]) / (window[1] - window[0]);
    req.durationMs *= 1 + 6 * progress;
    if (!rng.chance(0.15 + 0.8 * progress)) return;
    req.failure = outOfMemory(service);
    req.status = req.failure.status;
    req.note = undefined;
  });
  // The runtime's own threads fail too while memory is short.
  for (const [start, end] of pressure) {
    const gap = rng.uniform(10, 30) * SECOND;
    for (let t = start + rng.exponential(gap); t < end; t += rng.exponential(gap)) {
      const failure = outOfMemory(service);
      world.log({
        time: Math.round(t),
        host: host.name,
        service,
        level: 'error',
        message: 'background refresh failed: out of memory',
        failure,
        logger: 'cache.Refresher',
      });
    }
  }
  for (const [i, restart] of restarts.entries()) {
    const started = restart + (downFor[i] as number);
    world.log({
      time: started,
      host: host.name,
      service,
      level: 'info',
      logger: 'Application',
      message:
        service.language === 'java'
          ? `Started Application in ${rng.uniform(8, 25).toFixed(3)} seconds (process running for ${rng.uniform(9, 27).toFixed(3)})`
          : `server listening at http://0.0.0.0:8080`,
    });
  }
  addRoutine(world, {});
  return assemble(
    world,
    'memory-leak-restarts',
    `${service.name} leaks memory on ${host.name}`,
    `${service.name} on ${host.name} leaks memory: it climbs to ~95%, the service runs out of memory and is restarted, ${RESTARTS} times.`,
    () => ({
      hosts: { concentrated: [host.name] },
      health: [{ host: host.name, kind: 'memory-leak' }],
    }),
  );
}
