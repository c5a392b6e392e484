/** Malformed and hostile requests at every route: a 4xx (or success), never a 5xx. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Harness, openHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('sqlite');
});
afterAll(async () => h.close());

describe('hostile input', () => {
  it('never answers 5xx to random bodies, parameters and headers on any route', async () => {
    const declared = await h.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: bearer(h.tokens.admin),
      payload: { title: 'Hostile' },
    });
    const key = declared.json().incident.key as string;
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json();
    const routes = Object.entries<Record<string, unknown>>(doc.paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => ({ path, method: method.toUpperCase() })),
      )
      .filter((r) => !r.path.endsWith('/events'));
    const segment = fc.oneof(
      fc.constant(key),
      fc.string({ maxLength: 20 }).map(encodeURIComponent),
      fc.constantFrom('0', '-1', '99999999999', 'INC-0', '%00', '..%2F..', 'null'),
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(
        fc.constantFrom(
          'title',
          'text',
          'kind',
          'status',
          'level',
          'reason',
          'answers',
          'impact',
          'role',
          'number',
          'name',
          'password',
          'scope',
          'services',
          'at',
        ),
        fc.jsonValue(),
      ),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        segment,
        body,
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
        async (route, param, payload, contentType, idempotencyKey) => {
          const url = route.path.replace('{incident}', param).replace('{id}', param);
          const res = await h.app.inject({
            method: route.method as 'POST',
            url,
            headers: {
              ...bearer(h.tokens.admin),
              'content-type': contentType,
              ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}),
            },
            ...(route.method === 'GET'
              ? {}
              : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
          });
          expect({ route: `${route.method} ${url}`, status: res.statusCode < 500 }).toEqual({
            route: `${route.method} ${url}`,
            status: true,
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});
