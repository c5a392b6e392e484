/**
 * The requests the shop serves: static files (nginx alone), pages (the
 * frontend), APIs (one service each), client error beacons, load-balancer
 * health checks and vulnerability scanners. Routes, shares and latencies are
 * drawn per scenario.
 */
import { CURRENCIES, drawAmount, drawQuery, type Role, type Service, WORDS } from './catalog.js';
import type { Rng } from './random.js';

export type EndpointKind = 'static' | 'page' | 'api' | 'beacon' | 'health' | 'scanner';

export interface Endpoint {
  /** Stable name kinds refer to: `payments.create`. */
  id: string;
  method: string;
  /** The route as a person writes it: `/api/v1/payments`. */
  route: string;
  kind: EndpointKind;
  /** Who serves it and logs it; static files, health checks and scanners only reach nginx. */
  service?: Service;
  /** Share of the ordinary traffic (0 for traffic added apart). */
  weight: number;
  medianMs: number;
  okStatus: number;
  /** A concrete path. */
  path(rng: Rng): string;
  /** Query parameters, in the order they are written. */
  params(rng: Rng): [string, string][];
}

export interface EndpointOptions {
  /** Share of payment amounts written with a decimal point. */
  decimalShare: number;
}

const none = (): [string, string][] => [];

export function drawEndpoints(
  rng: Rng,
  services: Record<Role, Service>,
  options: EndpointOptions,
): Endpoint[] {
  const api = rng.pick(['/api/v1', '/api/v2', '/api']);
  const hex = () => rng.hex(8);
  const id = () => String(rng.int(1000, 99_999));
  const page = () => String(rng.chance(0.7) ? 1 : rng.int(2, 20));
  const list: Endpoint[] = [];
  const add = (
    idName: string,
    method: string,
    route: string,
    kind: EndpointKind,
    role: Role | undefined,
    weight: number,
    medianMs: number,
    path: (r: Rng) => string = () => route,
    params: (r: Rng) => [string, string][] = none,
  ) =>
    list.push({
      id: idName,
      method,
      route,
      kind,
      ...(role ? { service: services[role] } : {}),
      weight: weight * rng.uniform(0.7, 1.3),
      medianMs: medianMs * rng.uniform(0.7, 1.4),
      okStatus: method === 'POST' && kind === 'api' ? rng.pick([200, 201]) : 200,
      path,
      params,
    });

  add(
    'static.js',
    'GET',
    '/static/js/main.<hash>.js',
    'static',
    undefined,
    10,
    1,
    () => `/static/js/main.${hex()}.js`,
  );
  add(
    'static.css',
    'GET',
    '/static/css/app.<hash>.css',
    'static',
    undefined,
    6,
    1,
    () => `/static/css/app.${hex()}.css`,
  );
  add(
    'static.img',
    'GET',
    '/static/img/products/<id>.jpg',
    'static',
    undefined,
    16,
    2,
    () => `/static/img/products/${id()}.jpg`,
  );
  add('static.favicon', 'GET', '/favicon.ico', 'static', undefined, 2, 1);
  add('page.home', 'GET', '/', 'page', 'frontend', 6, 45);
  add(
    'page.product',
    'GET',
    '/products/<id>',
    'page',
    'frontend',
    10,
    60,
    () => `/products/${id()}`,
  );
  add(
    'page.category',
    'GET',
    '/category/<name>',
    'page',
    'frontend',
    4,
    70,
    () => `/category/${rng.pick(WORDS)}`,
    (r) => [
      ['page', page()],
      ['sort', r.pick(['price', 'popular', 'new'])],
    ],
  );
  add('page.search', 'GET', '/search', 'page', 'frontend', 4, 80, undefined, (r) => [
    ['q', drawQuery(r)],
    ['page', page()],
  ]);
  add('page.cart', 'GET', '/cart', 'page', 'frontend', 3, 40);
  add('page.checkout', 'GET', '/checkout', 'page', 'frontend', 2, 55);
  add('page.orders', 'GET', '/account/orders', 'page', 'frontend', 1, 50);
  add(
    'catalog.product',
    'GET',
    `${api}/products/<id>`,
    'api',
    'catalog',
    10,
    18,
    () => `${api}/products/${id()}`,
  );
  add('catalog.list', 'GET', `${api}/products`, 'api', 'catalog', 5, 35, undefined, (r) => [
    ['category', r.pick(WORDS)],
    ['page', page()],
    ['limit', '24'],
  ]);
  add('search.query', 'GET', `${api}/search`, 'api', 'search', 5, 60, undefined, (r) => [
    ['q', drawQuery(r)],
    ['page', page()],
  ]);
  add('cart.get', 'GET', `${api}/cart`, 'api', 'cart', 4, 12);
  add('cart.add', 'POST', `${api}/cart/items`, 'api', 'cart', 2.5, 20, undefined, (r) => [
    ['product', id()],
    ['quantity', String(r.chance(0.8) ? 1 : r.int(2, 5))],
  ]);
  add('checkout.submit', 'POST', `${api}/checkout`, 'api', 'checkout', 1.2, 140, undefined, (r) => [
    ['cart', hex()],
    ['currency', r.pick(CURRENCIES)],
  ]);
  add(
    'checkout.order',
    'GET',
    `${api}/orders/<id>`,
    'api',
    'checkout',
    1.5,
    25,
    () => `${api}/orders/${id()}`,
  );
  add('payments.create', 'POST', `${api}/payments`, 'api', 'payments', 1.4, 220, undefined, (r) => [
    ['amount', r.chance(0.004) ? '' : drawAmount(r, options.decimalShare)],
    ['currency', r.pick(CURRENCIES)],
    ['method', r.pick(['card', 'card', 'paypal', 'sepa'])],
  ]);
  add('auth.login', 'POST', '/login', 'api', 'auth', 1.2, 90);
  add('auth.session', 'GET', `${api}/session`, 'api', 'auth', 4, 8);
  add('frontend.beacon', 'POST', `${api}/client-errors`, 'beacon', 'frontend', 0.05, 4);
  add('health', 'GET', '/healthz', 'health', undefined, 0, 1);
  add('scanner', 'GET', '/wp-login.php', 'scanner', undefined, 0.3, 2, (r) =>
    r.pick([
      '/wp-login.php',
      '/.env',
      '/phpmyadmin/index.php',
      '/admin/config.php',
      '/.git/config',
      '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
    ]),
  );
  for (const endpoint of list)
    if (endpoint.kind === 'page' || endpoint.kind === 'beacon')
      endpoint.okStatus = endpoint.kind === 'beacon' ? 204 : 200;
  return list;
}

/** The request target as it appears in an access log. */
export function target(path: string, params: readonly [string, string][]): string {
  if (params.length === 0) return path;
  let out = `${path}?`;
  for (let i = 0; i < params.length; i++) {
    const [key, value] = params[i] as [string, string];
    out += `${i ? '&' : ''}${key}=${value}`;
  }
  return out;
}
