/**
 * The public status page end to end, on both stores: what an incident's log
 * holds beyond its customers updates (notes, hypotheses, findings, actions,
 * other audiences' updates, names, the internal title and services, severity)
 * never reaches the page, its JSON or its Atom feed; components and their
 * states; the 90-day window on an injected clock; and the admin API's rules.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/app/passwords.js';
import { epochMs } from '../../src/core/ids.js';
import { childrenNamed, childText, parseXml } from '../support/xml.js';
import { bearer, ENGINES, type Harness, openHarness, PASSWORD } from './harness.js';

const DAY = 86_400_000;
const CUSTOMER_TEXT =
  'Some card payments fail. We are working on it <script>alert(1)</script> & more';

/** Everything in the log that must stay internal. */
const SECRETS = [
  'db-2 disk full',
  'Bob',
  'SECRET-SUMMARY',
  'db-2-internal',
  'SECRET-NOTE',
  'SECRET-HYPOTHESIS',
  'SECRET-FINDING',
  'SECRET-ACTION',
  'SECRET-DECISION',
  'SECRET-SUPPORT-PHRASE',
  'SECRET-EXEC-PHRASE',
  'SECRET-RESPONDER-PHRASE',
  'SECRET-STRUCK-UPDATE',
  'SECRET-SEVERITY-REASON',
  'SECRET-STATUS-REASON',
  'SECRET-TOLD',
  'SECRET-IMPACT',
  'SECRET-CAUSE',
  'SECRET-STATE-REASON',
  'Mallory',
  'Bob Secretname',
  'SEV1',
  'INC-',
];

describe.each(ENGINES)('public status page on %s', (engine) => {
  let h: Harness;
  let now = Date.UTC(2026, 2, 14, 14, 0);
  let mallory: Record<string, string>;

  beforeAll(async () => {
    h = await openHarness(engine);
    // a clock the tests move: a second per reading, or a jump when asked
    h.deps.clock = {
      now: () => {
        now += 1000;
        return epochMs(now);
      },
    };
    const user = await h.stores.accounts.createUser(
      'Mallory Authorname',
      await hashPassword(PASSWORD),
      'admin',
      now,
    );
    await h.stores.accounts.createToken(user.id, 'tests', 'calm_test_mallory', 'write', now);
    mallory = bearer('calm_test_mallory');
  });
  afterAll(async () => h.close());

  async function call(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
    const res = await h.app.inject({
      method,
      url,
      headers: mallory,
      ...(payload ? { payload } : {}),
    });
    if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  const write = (key: string, path: string, payload: object) =>
    call('POST', `/api/incidents/${key}${path}`, payload);

  async function publicViews() {
    const [html, json, atom] = await Promise.all(
      ['/status', '/status.json', '/status/feed.atom'].map((url) => h.app.inject({ url })),
    );
    for (const res of [html, json, atom]) expect(res?.statusCode).toBe(200);
    return {
      html: (html as LightMyRequestResponse).body,
      json: (json as LightMyRequestResponse).body,
      atom: (atom as LightMyRequestResponse).body,
    };
  }

  let checkout: number;
  let api: number;
  let secretKey: string;

  it('lets admins add components, linked to services, in page order', async () => {
    api = (await call('POST', '/api/status-page/components', { name: 'API', services: ['api'] }))
      .id;
    checkout = (
      await call('POST', '/api/status-page/components', {
        name: 'Checkout',
        description: 'Paying for orders',
        services: ['payments'],
      })
    ).id;
    await call('POST', '/api/status-page/components', {
      name: 'Dashboard',
      state: 'under_maintenance',
    });
    const listed = await call('GET', '/api/status-page/components');
    expect(listed.items.map((c: { name: string; state: string }) => [c.name, c.state])).toEqual([
      ['API', 'operational'],
      ['Checkout', 'operational'],
      ['Dashboard', 'under_maintenance'],
    ]);
  });

  it('shows a customers update and nothing else of the incident: not its notes, hypotheses, other updates, names or title', async () => {
    const declared = await call('POST', '/api/incidents', {
      title: "db-2 disk full because of Bob's cron",
      summary: 'SECRET-SUMMARY',
      services: ['payments', 'db-2-internal'],
    });
    secretKey = declared.incident.key;
    const key = secretKey;
    await write(key, '/severity', { level: 'SEV1', reason: 'SECRET-SEVERITY-REASON' });
    await write(key, '/status', { status: 'investigating', reason: 'SECRET-STATUS-REASON' });
    await write(key, '/roles', { role: 'commander', person: 'Bob Secretname' });
    await write(key, '/timeline', { kind: 'note', text: 'SECRET-NOTE' });
    await write(key, '/timeline', { kind: 'action', text: 'SECRET-ACTION' });
    await write(key, '/timeline', { kind: 'decision', text: 'SECRET-DECISION' });
    await write(key, '/findings', { findings: [{ text: 'SECRET-FINDING' }] });
    await write(key, '/hypotheses', { statement: 'SECRET-HYPOTHESIS' });
    await write(key, '/impact', { impact: { affected: 'subset' }, text: 'SECRET-IMPACT' });
    await write(key, '/cause', { text: 'SECRET-CAUSE' });
    await write(key, '/communications', { to: 'Carol', via: 'phone', text: 'SECRET-TOLD' });
    await write(key, '/updates', { audience: 'support', text: 'SECRET-SUPPORT-PHRASE' });
    await write(key, '/updates', { audience: 'executives', text: 'SECRET-EXEC-PHRASE' });
    await write(key, '/updates', { audience: 'responders', text: 'SECRET-RESPONDER-PHRASE' });

    // not public yet: nobody told customers anything
    let views = await publicViews();
    expect(JSON.parse(views.json).activeIncidents).toEqual([]);

    const struck = await write(key, '/updates', {
      audience: 'customers',
      text: 'SECRET-STRUCK-UPDATE',
    });
    await write(key, '/corrections', {
      entry: struck.entries[0].seq,
      action: 'strike',
      reason: 'posted to the wrong incident',
    });
    await write(key, '/updates', { audience: 'customers', text: CUSTOMER_TEXT });
    await call('POST', `/api/status-page/components/${checkout}/state`, {
      state: 'partial_outage',
      reason: 'SECRET-STATE-REASON',
    });

    views = await publicViews();
    const status = JSON.parse(views.json);
    expect(status.overall).toEqual({ state: 'partial_outage', label: 'Partial outage' });
    expect(status.activeIncidents).toHaveLength(1);
    expect(status.activeIncidents[0]).toMatchObject({
      title: 'Degraded service on Checkout',
      status: 'investigating',
      components: ['Checkout'],
      resolvedAt: null,
      updates: [{ status: 'investigating', text: CUSTOMER_TEXT }],
    });
    const checkoutJson = status.components.find((c: { name: string }) => c.name === 'Checkout');
    expect(checkoutJson).toMatchObject({
      state: 'partial_outage',
      incidents: [status.activeIncidents[0].id],
    });
    expect(checkoutJson.days).toHaveLength(90);
    expect(checkoutJson.days.at(-1)).toEqual({ date: '2026-03-14', state: 'partial_outage' });

    // the page shows the update as text: the script tag escaped, never markup
    expect(views.html).toContain(
      'Some card payments fail. We are working on it &lt;script&gt;alert(1)&lt;/script&gt; &amp; more',
    );
    expect(views.html).not.toMatch(/<script/i);
    expect(views.html).toContain('Degraded service on Checkout');
    expect(views.atom).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    for (const [name, text] of Object.entries(views))
      for (const secret of SECRETS)
        expect({ view: name, leaked: text.includes(secret) ? secret : null }).toEqual({
          view: name,
          leaked: null,
        });
  });

  it('shows the public title given to an incident instead of the neutral one', async () => {
    const face = await call('POST', `/api/status-page/incidents/${secretKey}/title`, {
      title: 'Card payments failing',
    });
    expect(face).toMatchObject({ publicTitle: 'Card payments failing', components: ['Checkout'] });
    const { html, json, atom } = await publicViews();
    expect(JSON.parse(json).activeIncidents[0].title).toBe('Card payments failing');
    expect(html).toContain('Card payments failing');
    expect(atom).toContain('Card payments failing: Investigating');
    expect(html).not.toContain('Degraded service on Checkout');
  });

  it('serves a well-formed Atom 1.0 feed with one entry per public update', async () => {
    await write(secretKey, '/status', { status: 'monitoring' });
    await write(secretKey, '/updates', {
      audience: 'customers',
      text: 'A fix is out; we are watching. \u0000 <b>bold?</b>',
    });
    const res = await h.app.inject({ url: '/status/feed.atom' });
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = parseXml(res.body);
    expect(feed.name).toBe('feed');
    expect(feed.attributes.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(childText(feed, 'id')).toBe('urn:calm:status-page');
    expect(childText(feed, 'title')).toBe('Service status');
    expect(childText(feed, 'updated')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(childrenNamed(feed, 'author')).toHaveLength(1);
    const entries = childrenNamed(feed, 'entry');
    expect(entries).toHaveLength(2);
    const [newest, oldest] = entries;
    for (const entry of entries) {
      for (const element of ['id', 'title', 'updated', 'content'])
        expect(childrenNamed(entry, element)).toHaveLength(1);
      expect(childrenNamed(entry, 'content')[0]?.attributes.type).toBe('text');
    }
    expect(childText(newest as never, 'title')).toBe('Card payments failing: Monitoring');
    expect(childText(newest as never, 'content')).toBe(
      'A fix is out; we are watching. \ufffd <b>bold?</b>',
    );
    expect(childText(oldest as never, 'content')).toBe(CUSTOMER_TEXT);
    expect(new Set(entries.map((e) => childText(e, 'id'))).size).toBe(2);
  });

  it('keeps resolved incidents 90 days, by the day they were resolved', async () => {
    await write(secretKey, '/status', { status: 'resolved' });
    await call('POST', `/api/status-page/components/${checkout}/state`, { state: 'operational' });
    let status = JSON.parse((await publicViews()).json);
    expect(status.activeIncidents).toEqual([]);
    expect(status.history).toEqual([
      {
        date: '2026-03-14',
        incidents: [
          expect.objectContaining({ title: 'Card payments failing', status: 'resolved' }),
        ],
      },
    ]);
    expect(status.overall).toEqual({ state: 'under_maintenance', label: 'Under maintenance' });

    now += 89 * DAY;
    status = JSON.parse((await publicViews()).json);
    expect(status.history.map((d: { date: string }) => d.date)).toEqual(['2026-03-14']);
    // a day's worst state stays in the component's history
    const days = status.components.find((c: { name: string }) => c.name === 'Checkout').days;
    expect(days[0]).toEqual({ date: '2026-03-14', state: 'partial_outage' });
    expect(days[1]).toEqual({ date: '2026-03-15', state: 'operational' });

    now += DAY;
    status = JSON.parse((await publicViews()).json);
    expect(status.history).toEqual([]);
    expect(status.components[0].days[0].date).toBe('2026-03-15');
    const { html } = await publicViews();
    expect(html).toContain('No incidents in the last 90 days.');
  });

  it('answers with cache validators, its own CSP, and 304 to a client that has the page', async () => {
    const first = await h.app.inject({ url: '/status' });
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.headers['cache-control']).toBe('public, max-age=30');
    expect(first.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-/,
    );
    const again = await h.app.inject({
      url: '/status',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const json = await h.app.inject({ url: '/status.json' });
    expect(json.headers['access-control-allow-origin']).toBe('*');
  });

  it('refuses what roles and input do not allow, with one line naming the fix', async () => {
    const as = (role: 'viewer' | 'responder') => bearer(h.tokens[role]);
    const post = (url: string, payload: object, headers = mallory) =>
      h.app.inject({ method: 'POST', url, payload, headers });
    expect(
      (await post('/api/status-page/components', { name: 'X' }, as('responder'))).statusCode,
    ).toBe(403);
    expect(
      (
        await post(
          `/api/status-page/components/${api}/state`,
          { state: 'major_outage' },
          as('viewer'),
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await post(
          `/api/status-page/components/${api}/state`,
          { state: 'major_outage' },
          as('responder'),
        )
      ).statusCode,
    ).toBe(200);
    const bad = await post(`/api/status-page/components/${api}/state`, { state: 'on fire' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^state: .*operational/);
    const taken = await post('/api/status-page/components', { name: 'API' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toBe(
      'there is already a component named "API"; pick another name or change that one',
    );
    const missing = await post('/api/status-page/components/999/state', { state: 'operational' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toMatch(/GET \/api\/status-page\/components$/);
    const noIncident = await post('/api/status-page/incidents/INC-999/title', { title: 'x' });
    expect(noIncident.statusCode).toBe(404);
    expect(noIncident.json().error.message).toBe(
      'there is no incident INC-999; see GET /api/incidents',
    );
    const history = await call('GET', `/api/status-page/components/${api}`);
    expect(history.history.map((c: { state: string }) => c.state)).toEqual([
      'operational',
      'major_outage',
    ]);
  });

  it('archives a component: off the page, its history kept', async () => {
    await call('PATCH', `/api/status-page/components/${api}`, { archived: true });
    const status = JSON.parse((await publicViews()).json);
    expect(status.components.map((c: { name: string }) => c.name)).toEqual([
      'Checkout',
      'Dashboard',
    ]);
    const all = await call('GET', '/api/status-page/components?archived=true');
    expect(all.items).toHaveLength(3);
  });
});
