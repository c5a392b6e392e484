/**
 * Who sends the requests: a pool of customers (browsers, with a region each),
 * search crawlers, the shop's mobile apps, vulnerability scanners and the load
 * balancer's health checker. A request draws a client that fits its endpoint
 * (crawlers ask for pages and files, apps call APIs, only browsers send
 * script-error beacons); heavy users come back more often than light ones.
 */
import {
  APP_AGENTS,
  CRAWLER_AGENTS,
  HEALTH_CHECK_AGENT,
  HUMAN_AGENTS,
  SCANNER_AGENTS,
} from './agents.js';
import type { Client } from './emit.js';
import type { Endpoint } from './endpoints.js';
import type { Rng } from './random.js';

const CLIENTS = 2500;

function ipv4(rng: Rng): string {
  return `${rng.int(2, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export const HEALTH_CHECKER: Client = {
  ip: '10.0.0.2',
  ua: HEALTH_CHECK_AGENT,
  uaJson: JSON.stringify(HEALTH_CHECK_AGENT),
  region: '',
  human: false,
  role: 'monitor',
};

export class ClientPool {
  readonly #clients: Client[];
  readonly #scanners: Client[];

  constructor(rng: Rng, regions: readonly { name: string; weight: number }[]) {
    const region = () => rng.weighted(regions, (r) => r.weight).name;
    this.#clients = Array.from({ length: CLIENTS }, () => {
      const x = rng.next();
      const role = x < 0.03 ? 'crawler' : x < 0.1 ? 'app' : 'browser';
      const ua =
        role === 'crawler'
          ? rng.pick(CRAWLER_AGENTS)
          : role === 'app'
            ? rng.pick(APP_AGENTS)
            : rng.weighted(HUMAN_AGENTS, (a) => a.weight).ua;
      return {
        ip: ipv4(rng),
        ua,
        uaJson: JSON.stringify(ua),
        region: region(),
        human: role === 'browser',
        role,
      };
    });
    this.#scanners = SCANNER_AGENTS.map((ua) => ({
      ip: ipv4(rng),
      ua,
      uaJson: JSON.stringify(ua),
      region: region(),
      human: false,
      role: 'scanner',
    }));
  }

  /** A client that may send a request to `endpoint` and that `accept` (if given) accepts. */
  pick(rng: Rng, endpoint: Endpoint, accept?: (c: Client) => boolean): Client {
    if (endpoint.kind === 'scanner') return rng.pick(this.#scanners);
    for (let tries = 0; tries < 500; tries++) {
      const client = this.#clients[Math.floor(CLIENTS * rng.next() ** 1.3)] as Client;
      if (client.role === 'crawler' && endpoint.kind !== 'page' && endpoint.kind !== 'static')
        continue;
      if (client.role === 'app' && endpoint.kind !== 'api') continue;
      if (endpoint.kind === 'beacon' && !client.human) continue;
      if (!accept || accept(client)) return client;
    }
    throw new Error(`no client fits the load on ${endpoint.id}`);
  }
}
