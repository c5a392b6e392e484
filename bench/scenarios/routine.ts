/**
 * What services say on a healthy day: an info line while handling some
 * requests (with ids, counts and times that vary), client error beacons that
 * browsers always send, and chatter apart from requests (slow queries,
 * retries, cache refreshes) at steady random times.
 */
import { WORDS } from './catalog.js';
import { HEALTH_CHECKER } from './clients.js';
import { SECOND } from './clock.js';
import type { Request } from './emit.js';
import { backgroundFailure } from './failures.js';
import type { Rng } from './random.js';
import type { World } from './world.js';

/** The harmless script errors every shop's beacon endpoint receives. */
const BENIGN_CLIENT_ERRORS = [
  'ResizeObserver loop completed with undelivered notifications.',
  'Script error.',
  'TypeError: Failed to fetch',
  'AbortError: The user aborted a request.',
  "TypeError: Cannot read properties of null (reading 'addEventListener')",
];
const PAGES = ['/', '/products/', '/cart', '/search', '/category/'];
const PROVIDERS = ['stripe', 'adyen', 'paypal'];

const ms = (rng: Rng, median: number) => Math.round(rng.lognormal(median, 0.5));
const id = (rng: Rng) => rng.int(10_000, 999_999);

/**
 * The outcome of a request on a healthy day: 304s for cached files, 404s
 * for missing products and scanners, 401s for bad passwords and expired
 * sessions, 400 for an empty amount, and a rare random 500 at a steady rate.
 */
export function ordinaryOutcome(req: Request, rng: Rng, backgroundErrorRate: number): void {
  const e = req.endpoint;
  const x = rng.next();
  if (e.kind === 'scanner') req.status = 404;
  else if (e.kind === 'static') {
    if (x < 0.2) req.status = 304;
    req.durationMs = rng.lognormal(1.5, 0.7);
  } else if ((e.id === 'page.product' || e.id === 'catalog.product') && x < 0.015) req.status = 404;
  else if (e.id === 'auth.session' && x < 0.03) req.status = 401;
  else if (e.id === 'auth.login' && x < 0.05) req.status = 401;
  else if (e.id === 'payments.create' && req.params[0]?.[1] === '') req.status = 400;
  else if (e.service && e.kind !== 'beacon' && x > 1 - backgroundErrorRate) {
    req.failure = backgroundFailure(e.service, rng);
    req.status = req.failure.status;
  }
  if (e.service && !req.failure) noteFor(req, rng);
}

/** Sets the request's info line (and a beacon's page), or leaves none. */
export function noteFor(req: Request, rng: Rng): void {
  const e = req.endpoint;
  const ok = req.status < 400;
  switch (e.id) {
    case 'frontend.beacon': {
      const page = rng.pick(PAGES);
      const where = page.endsWith('/') && page !== '/' ? `${page}${id(rng)}` : page;
      req.note = `client error on ${where}: ${rng.pick(BENIGN_CLIENT_ERRORS)}`;
      req.extra = `"page":${JSON.stringify(where)}`;
      return;
    }
    case 'payments.create':
      if (ok)
        req.note = `payment ${rng.hex(12)} authorized via ${rng.pick(PROVIDERS)} in ${ms(rng, 180)}ms`;
      return;
    case 'checkout.submit':
      if (ok) req.note = `order ${id(rng)} placed with ${rng.int(1, 6)} items`;
      return;
    case 'catalog.product':
      if (ok && rng.chance(0.3))
        req.note = rng.chance(0.7)
          ? `product ${id(rng)} served from cache`
          : `product ${id(rng)} loaded from db in ${ms(rng, 12)}ms`;
      return;
    case 'search.query':
      if (ok && rng.chance(0.5))
        req.note = `search returned ${rng.int(0, 480)} hits in ${ms(rng, 40)}ms`;
      return;
    case 'cart.add':
      if (ok) req.note = `item ${id(rng)} added to cart ${rng.hex(8)}`;
      return;
    case 'auth.login':
      if (ok) req.note = `user ${id(rng)} logged in`;
      return;
    default:
      if (e.kind === 'page' && rng.chance(0.05))
        req.note = `rendered ${e.route} in ${ms(rng, 30)}ms`;
  }
}

/** Lines services log apart from requests, as a Poisson process on each host. */
export function serviceChatter(world: World, rng: Rng): void {
  const tables = ['orders', 'products', 'carts', 'payments', 'sessions'];
  const dependencies = ['postgres', 'redis', 'search-cluster', 'tax-service'];
  for (const host of world.hosts) {
    for (const service of Object.values(world.services)) {
      if (service.role === 'frontend') continue;
      for (
        let t = world.from + rng.exponential(15 * 60_000);
        t < world.to;
        t += rng.exponential(15 * 60_000)
      ) {
        world.log({
          time: Math.round(t),
          host: host.name,
          service,
          level: 'info',
          logger: 'support.Maintenance',
          message: rng.chance(0.5)
            ? `cache refreshed: ${rng.int(200, 20_000)} entries in ${ms(rng, 80)}ms`
            : `connection pool stats: active=${rng.int(0, 12)} idle=${rng.int(2, 20)}`,
        });
      }
      for (
        let t = world.from + rng.exponential(40 * 60_000);
        t < world.to;
        t += rng.exponential(40 * 60_000)
      ) {
        world.log({
          time: Math.round(t),
          host: host.name,
          service,
          level: 'warn',
          logger: 'support.Database',
          message: rng.chance(0.6)
            ? `slow query on ${rng.pick(tables)} took ${ms(rng, 1500)}ms`
            : `retrying call to ${rng.pick(dependencies)} (attempt ${rng.int(2, 3)}) for ${rng.pick(WORDS)}`,
        });
      }
    }
  }
}

/** The load balancer asks every host for /healthz at a fixed interval (coarser on long spans). */
export function healthChecks(world: World): void {
  const endpoint = world.endpoint('health');
  const interval = Math.max(30, Math.ceil((world.to - world.from) / 3000 / 10_000) * 10) * SECOND;
  for (const [i, host] of world.hosts.entries())
    for (let time = world.from + i * 1700; time < world.to; time += interval)
      world.send({
        time,
        host,
        endpoint,
        path: '/healthz',
        params: [],
        client: HEALTH_CHECKER,
        status: 200,
        durationMs: 1,
        bytes: 2,
        traceId: '',
        referer: '-',
      });
}
