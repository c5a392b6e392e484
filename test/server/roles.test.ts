/**
 * The authorization matrix: every route of the OpenAPI document, called
 * anonymously and with each role's token. A route is denied (401 without
 * credentials, 403 below its role) exactly when the document says so; an
 * allowed call may still be refused for its input (a 4xx), never for who made it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/core/account/roles.js';
import { bearer, type Harness, openHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('sqlite');
});
afterAll(async () => h.close());

describe('authorization matrix', () => {
  it('allows or denies every route for every role as documented', async () => {
    const declared = await h.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: bearer(h.tokens.responder),
      payload: { title: 'Matrix' },
    });
    const key = declared.json().incident.key as string;
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json();
    const rows: string[] = [];
    for (const [path, operations] of Object.entries<Record<string, { 'x-calm-role': string }>>(
      doc.paths,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        if (path.endsWith('/events') || path === '/api/session') continue; // streaming; login (rate limited)
        const url = path
          .replace('{incident}', key)
          .replace('{id}', '999')
          .replace('{number}', '1')
          .replace('{section}', 'summary');
        const needed = operation['x-calm-role'];
        for (const who of ['anonymous', ...ROLES] as const) {
          const res = await h.app.inject({
            method: method.toUpperCase() as 'GET',
            url,
            headers: who === 'anonymous' ? {} : bearer(h.tokens[who]),
            ...(method === 'get' ? {} : { payload: {} }),
          });
          // 'webhook' routes take an alert source's own credential, never a Calm account's
          const allowed =
            needed === 'public' ||
            (needed !== 'webhook' &&
              who !== 'anonymous' &&
              ROLES.indexOf(who) >= ROLES.indexOf(needed as (typeof ROLES)[number]));
          const denied = res.statusCode === 401 || res.statusCode === 403;
          rows.push(`${method.toUpperCase()} ${path} ${who}: ${denied ? 'denied' : 'allowed'}`);
          expect({ route: `${method} ${path}`, who, denied }).toEqual({
            route: `${method} ${path}`,
            who,
            denied: !allowed,
          });
          expect(res.statusCode).toBeLessThan(500);
        }
      }
    }
    // the postmortem: everyone reads it, responders write it
    for (const row of [
      'GET /api/incidents/{incident}/postmortem viewer: allowed',
      'GET /api/incidents/{incident}/stages viewer: allowed',
      'PUT /api/incidents/{incident}/postmortem/sections/{section} viewer: denied',
      'PUT /api/incidents/{incident}/postmortem/sections/{section} responder: allowed',
      'POST /api/incidents/{incident}/postmortem/complete viewer: denied',
      'POST /api/incidents/{incident}/postmortem/reopen responder: allowed',
    ])
      expect(rows).toContain(row);
    // insights and recurrence are read by all; an import (entries by others, at other times) by admins
    expect(rows).toEqual(
      expect.arrayContaining([
        'GET /api/insights viewer: allowed',
        'GET /api/insights anonymous: denied',
        'GET /api/incidents/{incident}/related viewer: allowed',
        'POST /api/import responder: denied',
        'POST /api/import admin: allowed',
      ]),
    );
    // every route and role was tried
    expect(rows.length).toBeGreaterThan(80);
    // the Evidence page's: responders analyze uploads, viewers read them
    expect(rows).toEqual(
      expect.arrayContaining([
        'POST /api/incidents/{incident}/analyses viewer: denied',
        'POST /api/incidents/{incident}/analyses responder: allowed',
        'GET /api/incidents/{incident}/analyses viewer: allowed',
        'GET /api/incidents/{incident}/analyses/{id} viewer: allowed',
        'GET /api/incidents/{incident}/analyses/{id} anonymous: denied',
      ]),
    );
  });
});
