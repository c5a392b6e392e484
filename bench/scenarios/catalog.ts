/**
 * The shop every scenario runs: hosts, services and the requests they serve,
 * with names, sizes and shares drawn from the seed so that no method can lean
 * on one host naming scheme, one service name or one URL layout.
 */
import type { Rng } from './random.js';

export type Role = 'frontend' | 'catalog' | 'search' | 'cart' | 'checkout' | 'payments' | 'auth';
export type Language = 'java' | 'node';

export interface Service {
  role: Role;
  name: string;
  language: Language;
  /** Current version, bumped by deploys. */
  version: string;
  /** Java package root or Node app folder, for stack frames. */
  codeRoot: string;
}

export interface Host {
  name: string;
  /** Share of the load balancer's traffic (weights sum to 1). */
  weight: number;
  cores: number;
}

const SERVICE_NAMES: Record<Role, readonly string[]> = {
  frontend: ['storefront', 'web', 'frontend', 'shop-ui'],
  catalog: ['catalog', 'products', 'inventory'],
  search: ['search', 'search-api', 'finder'],
  cart: ['cart', 'basket'],
  checkout: ['checkout', 'orders', 'order-service'],
  payments: ['payments', 'billing', 'payment-gateway'],
  auth: ['auth', 'identity', 'accounts'],
};
const ROLES = Object.keys(SERVICE_NAMES) as Role[];
const ORGS = ['com.acme.shop', 'io.example.store', 'com.shopco', 'de.kaufhaus', 'com.northwind'];

export const REGIONS = [
  'eu-west',
  'eu-central',
  'us-east',
  'us-west',
  'ap-southeast',
  'ap-northeast',
  'sa-east',
] as const;

export const WORDS =
  'shoes jacket lamp desk chair mug kettle socks laptop phone charger sofa rug bike tent candle'.split(
    ' ',
  );
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'PLN'] as const;

function camel(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, _dash, c: string) => c.toUpperCase());
}

/** Host names in one of the schemes people use; every name holds a digit. */
export function drawHosts(rng: Rng, count: number): Host[] {
  const scheme = rng.int(0, 4);
  const subnet = rng.int(0, 9);
  const podHash = rng.hex(9).replace(/^[a-f]/, '7');
  const names = new Set<string>();
  while (names.size < count) {
    const i = names.size + 1;
    names.add(
      scheme === 0
        ? `web-${i}`
        : scheme === 1
          ? `app-${String(i).padStart(2, '0')}`
          : scheme === 2
            ? `ip-10-0-${subnet}-${rng.int(10, 250)}`
            : scheme === 3
              ? `shop-${podHash}-${rng.hex(5).replace(/^[a-f]/, String(i))}`
              : `prod-web-${String(i).padStart(2, '0')}`,
    );
  }
  const raw = [...names].map(() => rng.uniform(0.8, 1.2));
  const total = raw.reduce((a, b) => a + b, 0);
  return [...names].map((name, k) => ({
    name,
    weight: (raw[k] as number) / total,
    cores: rng.pick([2, 4, 4, 8]),
  }));
}

export function drawServices(
  rng: Rng,
  forced: Partial<Record<Role, Language>> = {},
): Record<Role, Service> {
  const org = rng.pick(ORGS);
  const services = {} as Record<Role, Service>;
  for (const role of ROLES) {
    const name = rng.pick(SERVICE_NAMES[role]);
    const language = forced[role] ?? (role === 'frontend' ? 'node' : rng.pick(['java', 'node']));
    services[role] = {
      role,
      name,
      language,
      version: `${rng.int(1, 5)}.${rng.int(0, 30)}.${rng.int(0, 9)}`,
      codeRoot: language === 'java' ? `${org}.${name.replace(/-/g, '')}` : `/app/${camel(name)}`,
    };
  }
  return services;
}

/** The next patch or minor version. */
export function bumpVersion(rng: Rng, version: string): string {
  const [major = 1, minor = 0, patch = 0] = version.split('.').map(Number);
  return rng.chance(0.6) ? `${major}.${minor}.${patch + 1}` : `${major}.${minor + 1}.0`;
}

/** Regions with their share of the customers. */
export function drawRegions(rng: Rng): { name: string; weight: number }[] {
  const names = rng.sample(REGIONS, rng.int(3, 5));
  return names.map((name) => ({ name, weight: rng.uniform(0.5, 2) }));
}

/** An amount as a customer types it: whole or with cents. */
export function drawAmount(rng: Rng, decimalShare: number): string {
  const whole = Math.max(1, Math.round(rng.lognormal(40, 1)));
  if (!rng.chance(decimalShare)) return String(whole);
  return rng.chance(0.15) ? `${whole}.5` : `${whole}.${String(rng.int(1, 99)).padStart(2, '0')}`;
}

/** A search query: a word or two, now and then accented or long. */
export function drawQuery(rng: Rng): string {
  const x = rng.next();
  if (x < 0.6) return rng.pick(WORDS);
  if (x < 0.9) return `${rng.pick(WORDS)}+${rng.pick(WORDS)}`;
  if (x < 0.97) return rng.pick(['caf%C3%A9', '%C3%A9t%C3%A9', 'm%C3%BCsli', 'sm%C3%B6rg%C3%A5s']);
  return Array.from({ length: rng.int(6, 12) }, () => rng.pick(WORDS)).join('+');
}
