/**
 * Seeded synthetic web traffic for the contrast and bug-report tests: a shop
 * with endpoints, query parameters of several shapes, a realistic mix of
 * browsers, hosts and regions, and a failure model the test chooses. The
 * same seed gives the same events on every machine.
 */
import type { LogEvent } from '../../event.js';
import { seededRandom } from '../../series/testing.js';

export const AGENTS = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  chromeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  firefox126: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0',
  firefox125: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  safariIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  samsung:
    'Mozilla/5.0 (Linux; Android 13; SM-S901B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  curl: 'curl/8.5.0',
  app: 'ShopApp/3.2.1 (iOS 17.4; iPhone14,2)',
} as const;
export type AgentName = keyof typeof AGENTS;
const AGENT_WEIGHTS: [AgentName, number][] = [
  ['chromeWindows', 30],
  ['chromeMac', 10],
  ['firefox126', 6],
  ['firefox125', 4],
  ['safariIos', 18],
  ['safariMac', 8],
  ['edge', 8],
  ['samsung', 8],
  ['curl', 3],
  ['app', 5],
];

/** What a failure model sees of a request. */
export interface Request {
  time: number;
  method: string;
  path: string;
  query?: Record<string, string>;
  agent: AgentName;
  host: string;
  region: string;
  plan: string;
}

export interface TrafficOptions {
  seed: number;
  events: number;
  start?: number;
  /** Span of the traffic in ms (default two hours). */
  spanMs?: number;
  /** Probability that the request fails (5xx). */
  failure: (r: Request, random: () => number) => number;
  /** Time of each event in [0, 1) of the span; default uniform. */
  when?: (i: number, random: () => number) => number;
  /** The share of traffic of each endpoint may change over time (0..1 of the span). */
  endpointWeights?: (at: number) => number[];
}

export const START = Date.UTC(2026, 2, 14, 12, 0, 0);

function pick<T>(random: () => number, items: readonly [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return (items[items.length - 1] as [T, number])[0];
}

const WORDS = ['shoes', 'red dress', 'laptop', 'usb c cable', 'Größe 42', 'socks', ''];
const CURRENCIES: [string, number][] = [
  ['EUR', 5],
  ['USD', 4],
  ['GBP', 1],
];
const REGIONS: [string, number][] = [
  ['eu-west-1', 5],
  ['us-east-1', 4],
  ['ap-south-1', 1],
];

function endpoint(
  random: () => number,
  which: number,
): Omit<Request, 'time' | 'agent' | 'host' | 'region' | 'plan'> {
  const id = String(1 + Math.floor(random() * 90_000));
  switch (which) {
    case 0:
      return { method: 'GET', path: `/api/products/${id}` };
    case 1:
      return { method: 'GET', path: '/api/cart' };
    case 2:
      return {
        method: 'POST',
        path: '/api/cart/items',
        query: { sku: `SKU-${id}`, qty: String(1 + Math.floor(random() * 3)) },
      };
    case 3: {
      const cents = Math.floor(random() * 100);
      const whole = String(1 + Math.floor(random() * 300));
      const amount = random() < 0.5 ? whole : `${whole}.${String(cents).padStart(2, '0')}`;
      const currency = pick(random, CURRENCIES);
      return { method: 'POST', path: '/api/pay', query: { amount, currency } };
    }
    case 4:
      return {
        method: 'GET',
        path: '/api/search',
        query: {
          q: WORDS[Math.floor(random() * WORDS.length)] as string,
          page: String(1 + Math.floor(random() * 4)),
        },
      };
    case 5:
      return { method: 'GET', path: '/health' };
    default:
      return {
        method: 'GET',
        path: `/api/users/${id}/orders`,
        query: { page: String(1 + Math.floor(random() * 5)) },
      };
  }
}
const ENDPOINT_WEIGHTS = [35, 15, 10, 8, 15, 5, 12];
const weighted = (weights: readonly number[]) => weights.map((w, k) => [k, w] as [number, number]);
const DEFAULT_ENDPOINTS = weighted(ENDPOINT_WEIGHTS);

/** The traffic, in time order, with failures drawn from `options.failure`. */
export function simulateTraffic(options: TrafficOptions): LogEvent[] {
  const random = seededRandom(options.seed);
  const start = options.start ?? START;
  const span = options.spanMs ?? 2 * 3_600_000;
  const when = options.when ?? ((_i: number, r: () => number) => r());
  const at = new Float64Array(options.events);
  for (let i = 0; i < at.length; i++) at[i] = when(i, random);
  at.sort();
  return Array.from(at, (fraction, i) => {
    const weights = options.endpointWeights;
    const which = pick(random, weights ? weighted(weights(fraction)) : DEFAULT_ENDPOINTS);
    const request: Request = {
      ...endpoint(random, which),
      time: start + Math.floor(fraction * span),
      agent: pick(random, AGENT_WEIGHTS),
      host: `web-${1 + Math.floor(random() * 4)}`,
      region: pick(random, REGIONS),
      plan: random() < 0.8 ? 'free' : 'pro',
    };
    const failed = random() < options.failure(request, random);
    const status = failed ? 500 : request.method === 'POST' && random() < 0.03 ? 422 : 200;
    return {
      time: request.time,
      host: request.host,
      // As the access-log reader composes it: no query, no client.
      message: `${request.method} ${request.path} ${status}`,
      fromRequest: true,
      http: {
        method: request.method,
        path: request.path,
        ...(request.query ? { query: request.query } : {}),
        status,
        userAgent: AGENTS[request.agent],
      },
      fields: {
        region: request.region,
        'user.plan': request.plan,
        cart_items: Math.floor(random() * 6),
      },
      isError: failed,
      isClientError: status >= 400 && status < 500,
      source: 'access.log',
      line: i + 1,
    };
  });
}
