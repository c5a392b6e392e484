/**
 * Insights, recurrence and import over HTTP, on SQLite and PostgreSQL:
 * GET /api/insights, GET /api/incidents/:incident/related, POST /api/import.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { declareIncident, postStatusUpdate } from '../../src/app/incidents.js';
import { bearer, ENGINES, type Harness, openHarness } from './harness.js';

let h: Harness;
const as = (role: 'viewer' | 'responder' | 'admin') => bearer(h.tokens[role]);

async function post(url: string, payload: unknown, role: 'responder' | 'admin' = 'responder') {
  const res = await h.app.inject({
    method: 'POST',
    url,
    headers: as(role),
    payload: payload as object,
  });
  return res;
}

async function declare(title: string, services: string[], at: string): Promise<string> {
  const res = await post('/api/incidents', {
    title,
    services,
    severity: 'SEV2',
    declaredAt: at,
    impactStartedAt: at,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().incident.key;
}

const STACK = { fingerprint: 'a1b2c3d4e5f60718', signature: 'PoolTimeout @ Db.acquire' };

describe.each(ENGINES)('insights, recurrence and import over HTTP (%s)', (engine) => {
  beforeEach(async () => {
    h = await openHarness(engine);
  });
  afterEach(async () => h.close());

  it('links a repeat to the earlier incident with why, and counts both in the insights', async () => {
    const first = await declare('Checkout times out', ['checkout'], '2026-01-10T10:00:00Z');
    const other = await declare('Search index stale', ['search'], '2026-01-20T10:00:00Z');
    const repeat = await declare('Checkout times out again', ['checkout'], '2026-02-03T10:00:00Z');
    for (const key of [first, repeat]) {
      const res = await post(`/api/incidents/${key}/findings`, {
        findings: [
          {
            text: 'Error signatures',
            source: 'calm analyze',
            evidence: {
              templates: ['Timeout acquiring connection from pool <*>'],
              stacks: [STACK],
            },
          },
        ],
      });
      expect(res.statusCode, res.body).toBe(201);
      await post(`/api/incidents/${key}/cause`, {
        text: 'pool too small',
        categories: ['bad-configuration'],
        root: true,
      });
    }
    await post(`/api/incidents/${other}/cause`, {
      text: 'cron skipped',
      categories: ['bad-configuration'],
    });

    const related = await h.app.inject({
      url: `/api/incidents/${repeat}/related`,
      headers: as('viewer'),
    });
    expect(related.statusCode).toBe(200);
    expect(related.json().earlier.map((l: { key: string }) => l.key)).toEqual([first]);
    expect(
      related
        .json()
        .earlier[0].reasons.map((r: { kind: string }) => r.kind)
        .sort(),
    ).toEqual(['cause', 'stack', 'template']);
    const none = await h.app.inject({
      url: `/api/incidents/${other}/related`,
      headers: as('viewer'),
    });
    expect(none.json().earlier).toEqual([]);

    const insights = await h.app.inject({
      url: '/api/insights?since=2026-01-01',
      headers: as('viewer'),
    });
    expect(insights.statusCode, insights.body).toBe(200);
    const body = insights.json();
    expect(body.incidents).toBe(3);
    expect(body.bySeverity).toEqual([{ key: 'SEV2', label: 'SEV2', count: 3 }]);
    expect(body.byService.map((c: { key: string; count: number }) => [c.key, c.count])).toEqual([
      ['checkout', 2],
      ['search', 1],
    ]);
    expect(body.byCause[0]).toMatchObject({ key: 'bad-configuration', count: 3 });
    expect(body.times.byMonth.map((m: { month: string }) => m.month)).toEqual([
      '2026-01',
      '2026-02',
    ]);
    expect(body.recurring).toEqual([expect.objectContaining({ keys: [first, repeat] })]);
    const february = await h.app.inject({
      url: '/api/insights?since=2026-02-01&until=2026-03-01',
      headers: as('viewer'),
    });
    expect(february.json().incidents).toBe(1);
    const bad = await h.app.inject({ url: '/api/insights?since=last-week', headers: as('viewer') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/since: use a day/);
  });

  it('imports an export as a new incident (admins only), refuses it twice, and refuses a bad file', async () => {
    const key = await declare('Checkout times out', ['checkout'], '2026-01-10T10:00:00Z');
    await post(`/api/incidents/${key}/timeline`, { kind: 'action', text: 'raised the pool size' });
    await post(`/api/incidents/${key}/action-items`, {
      title: 'alert on pool wait',
      owner: 'responder',
    });
    const exported = (
      await h.app.inject({ url: `/api/incidents/${key}/export`, headers: as('viewer') })
    ).json();
    expect(exported.origin).toEqual({ key });

    expect((await post('/api/import', exported, 'responder')).statusCode).toBe(403);
    const imported = await post('/api/import', exported, 'admin');
    expect(imported.statusCode, imported.body).toBe(201);
    const copy = imported.json();
    expect(copy.incident.key).toBe('INC-2');
    expect(copy.origin).toEqual({ key });
    expect(imported.headers.location).toBe('/api/incidents/INC-2');
    const again = (
      await h.app.inject({ url: '/api/incidents/INC-2/export', headers: as('viewer') })
    ).json();
    const plain = (file: typeof exported) =>
      JSON.stringify({
        ...file,
        incident: { ...file.incident, id: 0, key: '' },
        entries: file.entries.map((e: object) => ({ ...e, incidentId: 0 })),
      });
    expect(plain(again)).toBe(plain(exported));
    const markdown = await h.app.inject({
      url: '/api/incidents/INC-2/export?format=md',
      headers: as('viewer'),
    });
    expect(markdown.body).toContain(`**Imported from:** ${key}`);

    const twice = await post('/api/import', again, 'admin');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe(
      `${key} was already imported here as INC-2; nothing written (see \`calm show INC-2\`)`,
    );
    const truncated = await post(
      '/api/import',
      { ...exported, entries: exported.entries.slice(0, 2) },
      'admin',
    );
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json().error.message).toMatch(/at version \d+ but the file holds 2 entries/);
    const personal = structuredClone(exported);
    personal.entries[0].body.personal = true;
    personal.incident.personal = true;
    const refused = await post('/api/import', personal, 'admin');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(
      /personal incident: it stays on its engineer's machine/,
    );
    const list = (await h.app.inject({ url: '/api/incidents', headers: as('viewer') })).json();
    expect(list.items.map((s: { key: string }) => s.key)).toEqual(['INC-2', key]);

    // a retry of the same request (its answer lost) is answered with what it did
    const keyed = (payload: unknown) =>
      h.app.inject({
        method: 'POST',
        url: '/api/import',
        headers: { ...as('admin'), 'idempotency-key': 'import-1' },
        payload: payload as object,
      });
    const fresh = await declare('Login slow', ['auth'], '2026-01-12T10:00:00Z');
    const file = (
      await h.app.inject({ url: `/api/incidents/${fresh}/export`, headers: as('viewer') })
    ).json();
    const retried = [await keyed(file), await keyed(file)];
    expect(retried.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(retried.map((r) => r.json().incident.key)).toEqual(['INC-4', 'INC-4']);
    expect(retried.map((r) => r.json().entries.length)).toEqual([3, 3]);
    expect(retried[1]?.headers['idempotent-replayed']).toBe('true');

    const declaredPersonal = await post('/api/incidents', { title: 'mine', personal: true });
    expect(declaredPersonal.statusCode).toBe(400);
  });

  it('documents the routes in the OpenAPI document from their schemas', async () => {
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json();
    const names = (op: { parameters: { name: string }[] }) => op.parameters.map((p) => p.name);
    expect(names(doc.paths['/api/insights'].get)).toEqual(['since', 'until']);
    expect(doc.paths['/api/incidents/{incident}/related'].get['x-calm-role']).toBe('viewer');
    const importing = doc.paths['/api/import'].post;
    expect(importing['x-calm-role']).toBe('admin');
    expect(names(importing)).toContain('Idempotency-Key');
    const schema = importing.requestBody.content['application/json'].schema;
    expect(schema.properties.format.const).toBe('calm.incident/v1');
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'incident', 'entries']));
  });

  it("leaves a personal incident in the store it is served from off the status page and the team's insights", async () => {
    // a personal incident can only be in the store when `calm serve` serves a machine's own store
    const mine = {
      store: h.stores.incidents,
      framework: h.deps.framework,
      clock: h.deps.clock,
      author: 'alice',
    };
    const { state } = await declareIncident(mine, {
      title: 'PERSONAL-TITLE',
      services: ['checkout'],
      personal: true,
    });
    await postStatusUpdate(mine, state.id, 'customers', 'PERSONAL-UPDATE');
    const team = await declare('Checkout down', ['checkout'], '2026-03-14T13:00:00Z');
    await post(`/api/incidents/${team}/updates`, { audience: 'customers', text: 'TEAM-UPDATE' });
    const page = await h.app.inject({ url: '/status.json' });
    expect(page.body).toContain('TEAM-UPDATE');
    expect(page.body).not.toContain('PERSONAL');
    const insights = (await h.app.inject({ url: '/api/insights', headers: as('viewer') })).json();
    expect(insights.incidents).toBe(1);
  });
});
