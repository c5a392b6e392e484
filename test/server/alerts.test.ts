/**
 * Inbound alerts over the API, in process, on SQLite and PostgreSQL: an
 * Alertmanager or Grafana notification opens an incident per alert group,
 * repeats and retries write nothing, new alerts and resolutions are logged
 * once, a flood goes to one incident, and only the source's own credential
 * gets in. Two server instances on one database race for the same group.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { changeStatus } from '../../src/app/incidents.js';
import { hashPassword } from '../../src/app/passwords.js';
import { type AlertsConfig, alertsConfigSchema } from '../../src/core/alerts/config.js';
import { epochMs, type IncidentId } from '../../src/core/ids.js';
import { DEFAULT_FRAMEWORK } from '../../src/core/severity/presets.js';
import { buildServer } from '../../src/server/app.js';
import type { ServerDeps } from '../../src/server/deps.js';
import { LocalBus } from '../../src/server/events/bus.js';
import { openStoreSet, type StoreSet } from '../../src/store/open.js';
import { freshPostgresSchema } from '../../src/store/postgres.testing.js';
import { ENGINES } from './harness.js';

const TOKEN = 'am-token-0123456789abcdef';
const SECRET = 'grafana-secret-0123456789';
const STAMPED_SECRET = 'stamped-secret-0123456789';

const CONFIG: AlertsConfig = alertsConfigSchema.parse({
  sources: [
    { name: 'prod-am', type: 'alertmanager', token: TOKEN },
    { name: 'grafana', type: 'grafana', secret: SECRET },
    {
      name: 'grafana-stamped',
      type: 'grafana',
      secret: STAMPED_SECRET,
      signatureHeader: 'X-Signature',
      timestampHeader: 'X-Signature-Timestamp',
    },
  ],
  severity: [
    { when: { severity: 'critical' }, level: 'SEV1' },
    { when: { severity: ['warning', 'error'] }, level: 'SEV2' },
  ],
  defaultSeverity: 'SEV3',
  serviceLabels: ['service', 'job'],
  maxIncidentsPerMinute: 3,
});

interface Instance {
  app: FastifyInstance;
  stores: StoreSet;
}

interface RawAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
  fingerprint?: string;
}

const firing = (name: string, extra: Partial<RawAlert> = {}): RawAlert => ({
  status: 'firing',
  labels: { alertname: name, service: 'checkout', severity: 'critical', instance: 'web-1' },
  annotations: { summary: 'checkout answers 5xx', description: 'more than 5% of requests fail' },
  startsAt: '2026-03-14T13:58:00.123456789Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus.local/graph?g0.expr=rate%28errors%5B5m%5D%29',
  fingerprint: `fp-${name}`,
  ...extra,
});

const notification = (groupKey: string, alerts: RawAlert[]) => ({
  version: '4',
  groupKey,
  truncatedAlerts: 0,
  status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
  receiver: 'calm',
  groupLabels: { alertname: alerts[0]?.labels.alertname ?? '' },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager.local',
  alerts,
});

describe.each(ENGINES)('inbound alerts on %s', (engine) => {
  let dir: string;
  let drop: (() => Promise<void>) | undefined;
  let location: { sqlitePath: string; databaseUrl?: string };
  let now = Date.UTC(2026, 2, 14, 14, 0);
  const instances: Instance[] = [];
  let calmToken: string;

  async function startInstance(): Promise<Instance> {
    const stores = await openStoreSet(location);
    const deps: ServerDeps = {
      incidents: stores.incidents,
      accounts: stores.accounts,
      framework: async () => DEFAULT_FRAMEWORK,
      alerts: { config: async () => CONFIG, store: stores.alerts },
      clock: { now: () => epochMs(now) },
      bus: new LocalBus(),
      secureCookies: false,
      loginAttemptsPerMinute: 1000,
    };
    const instance = { app: await buildServer(deps), stores };
    instances.push(instance);
    return instance;
  }

  let h: Instance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'calm-alerts-test-'));
    const schema = engine === 'postgres' ? await freshPostgresSchema(inject('pgUrl')) : undefined;
    drop = schema?.drop;
    location = { sqlitePath: join(dir, 'calm.db'), ...(schema ? { databaseUrl: schema.url } : {}) };
    h = await startInstance();
    const user = await h.stores.accounts.createUser(
      'ana',
      await hashPassword('correct horse battery staple'),
      'admin',
      now,
    );
    calmToken = 'calm_test_admin_token';
    await h.stores.accounts.createToken(user.id, 'tests', calmToken, 'write', now);
  });
  afterAll(async () => {
    for (const instance of instances) {
      await instance.app.close();
      await instance.stores.close();
    }
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  // each test a minute after the last: the flood cap counts incidents opened in the last minute
  beforeEach(() => {
    now += 61_000;
  });

  const post = (
    payload: unknown,
    headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
    on: Instance = h,
    type = 'alertmanager',
  ) =>
    on.app.inject({
      method: 'POST',
      url: `/api/alerts/${type}`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  const timeline = (key: string) =>
    h.stores.incidents.listEntries(Number(key.replace('INC-', '')) as IncidentId);
  const incident = async (key: string) =>
    h.stores.incidents.getIncident(Number(key.replace('INC-', '')) as IncidentId);

  it('opens an incident for a firing group, with severity and services from the labels', async () => {
    const res = await post(
      notification('{}:{alertname="HighErrorRate"}', [firing('HighErrorRate')]),
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ opened: true, flood: false, logged: 1, duplicates: 0 });
    const state = await incident(body.incident);
    expect(state).toMatchObject({
      title: 'HighErrorRate: checkout answers 5xx',
      severity: 'SEV1',
      services: ['checkout'],
      status: 'triage',
    });
    expect(state?.milestones.detected).toBe(Date.parse('2026-03-14T13:58:00.123Z'));
    const entries = await timeline(body.incident);
    const finding = entries.find((e) => e.body.kind === 'finding');
    expect(finding?.author).toBe('alerts:prod-am');
    expect(finding?.occurredAt).toBe(Date.parse('2026-03-14T13:58:00.123Z'));
    const text = (finding?.body as { text?: string } | undefined)?.text;
    expect(text).toContain('Alert firing: HighErrorRate: checkout answers 5xx');
    expect(text).toContain(
      'labels: alertname=HighErrorRate, instance=web-1, service=checkout, severity=critical',
    );
    expect(text).toContain(
      'annotations: description=more than 5% of requests fail; summary=checkout answers 5xx',
    );
    expect(text).toContain('started 2026-03-14T13:58:00.123Z');
    expect(text).toContain('source: http://prometheus.local/graph');
    const severity = entries.find((e) => e.body.kind === 'severity_changed');
    expect(severity?.body).toMatchObject({
      to: 'SEV1',
      reason: "from the alert's labels: severity=critical",
    });
  });

  it('ignores a repeat, logs a new alert of the group once, and a resolved alert without resolving', async () => {
    const group = '{}:{alertname="Latency"}';
    const first = (await post(notification(group, [firing('Latency')]))).json();
    const key = first.incident as string;
    const count = async () => (await timeline(key)).length;
    const before = await count();

    const repeat = await post(notification(group, [firing('Latency')]));
    expect(repeat.json()).toMatchObject({ incident: key, opened: false, logged: 0, duplicates: 1 });
    expect(await count()).toBe(before);

    const second = firing('Latency', {
      fingerprint: 'fp-latency-web-2',
      labels: {
        alertname: 'Latency',
        service: 'checkout',
        severity: 'critical',
        instance: 'web-2',
      },
    });
    const grown = await post(notification(group, [firing('Latency'), second]));
    expect(grown.json()).toMatchObject({ incident: key, opened: false, logged: 1, duplicates: 1 });
    expect(await count()).toBe(before + 1);
    // Alertmanager re-sends the whole group every repeat_interval
    expect((await post(notification(group, [firing('Latency'), second]))).json().logged).toBe(0);

    const resolved = await post(
      notification(group, [
        { ...firing('Latency'), status: 'resolved', endsAt: '2026-03-14T14:20:00Z' },
        second,
      ]),
    );
    expect(resolved.json()).toMatchObject({ incident: key, logged: 1, duplicates: 1 });
    const last = (await timeline(key)).at(-1);
    expect(last?.occurredAt).toBe(Date.parse('2026-03-14T14:20:00Z'));
    expect((last?.body as { text?: string } | undefined)?.text).toMatch(
      /^Alert resolved: Latency: checkout answers 5xx \(the incident stays open: a person resolves it\)/,
    );
    expect((await incident(key))?.status).toBe('triage');
  });

  it('opens a new incident for the group once its incident is resolved', async () => {
    const group = '{}:{alertname="DiskFull"}';
    const first = (await post(notification(group, [firing('DiskFull')]))).json();
    await changeStatus(
      {
        store: h.stores.incidents,
        framework: async () => DEFAULT_FRAMEWORK,
        clock: { now: () => epochMs(now) },
        author: 'ana',
      },
      Number(first.incident.replace('INC-', '')) as IncidentId,
      'resolved',
    );
    // the same alert still firing (a repeat) opens nothing
    expect((await post(notification(group, [firing('DiskFull')]))).json()).toMatchObject({
      opened: false,
      logged: 0,
    });
    const again = await post(
      notification(group, [firing('DiskFull', { startsAt: '2026-03-14T15:00:00Z' })]),
    );
    expect(again.json()).toMatchObject({ opened: true, logged: 1 });
    expect(again.json().incident).not.toBe(first.incident);
  });

  it('refuses a missing or wrong credential in one line, and a Calm API token', async () => {
    const payload = notification('{}:{alertname="X"}', [firing('X')]);
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /^send Authorization: Bearer <token>/],
      [
        { authorization: 'Bearer wrong-token-0123456789' },
        /^the bearer token matches no alertmanager alert source/,
      ],
      [{ authorization: `Bearer ${calmToken}` }, /matches no alertmanager alert source/],
    ];
    for (const [headers, message] of cases) {
      const res = await post(payload, headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toMatch(message);
      expect(res.json().error.message).not.toContain('\n');
    }
    // the body is not looked at before the sender is known
    expect((await post('{not json', {})).statusCode).toBe(401);
    // the token of an Alertmanager source does not open the Grafana endpoint
    expect(
      (await post(payload, { authorization: `Bearer ${TOKEN}` }, h, 'grafana')).statusCode,
    ).toBe(401);
  });

  it('takes an HMAC-signed Grafana notification, and refuses a bad or stale signature', async () => {
    const body = JSON.stringify({
      ...notification('{}/{}:{alertname="GrafanaCpu"}', [
        firing('GrafanaCpu', {
          labels: { alertname: 'GrafanaCpu', severity: 'warning', job: 'api' },
        }),
      ]),
      orgId: 1,
      title: '[FIRING:1] GrafanaCpu',
      state: 'alerting',
      message: 'cpu high',
    });
    const sign = (secret: string, text: string) =>
      createHmac('sha256', secret).update(text).digest('hex');
    const ok = await post(
      body,
      { 'x-grafana-alerting-signature': sign(SECRET, body) },
      h,
      'grafana',
    );
    expect(ok.statusCode).toBe(200);
    expect(await incident(ok.json().incident)).toMatchObject({
      severity: 'SEV2',
      services: ['api'],
    });

    const bad = await post(
      body,
      { 'x-grafana-alerting-signature': sign(SECRET, `${body} `) },
      h,
      'grafana',
    );
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.message).toMatch(
      /^x-grafana-alerting-signature does not match the body/,
    );

    const stamp = String(Math.floor(now / 1000));
    const stamped = await post(
      body.replace('GrafanaCpu', 'GrafanaMem'),
      {
        'x-signature': sign(STAMPED_SECRET, `${stamp}:${body.replace('GrafanaCpu', 'GrafanaMem')}`),
        'x-signature-timestamp': stamp,
      },
      h,
      'grafana',
    );
    expect(stamped.statusCode).toBe(200);
    const old = String(Math.floor(now / 1000) - 600);
    const stale = await post(
      body,
      { 'x-signature': sign(STAMPED_SECRET, `${old}:${body}`), 'x-signature-timestamp': old },
      h,
      'grafana',
    );
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.message).toMatch(/more than 5 minutes off/);
  });

  it('answers a malformed notification with a 400 naming the field', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const notJson = await post('{"alerts": [', auth);
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.message).toMatch(/^the body is not JSON/);
    const noAlerts = await post({ status: 'firing', alerts: [] }, auth);
    expect(noAlerts.statusCode).toBe(400);
    expect(noAlerts.json().error.message).toMatch(/^alerts: /);
    const badTime = await post(notification('g', [firing('T', { startsAt: 'yesterday' })]), auth);
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().error.message).toBe(
      'alerts.0.startsAt: "yesterday" is not an RFC 3339 time; send RFC 3339 times',
    );
    const badStatus = await post(
      notification('g', [{ ...firing('T'), status: 'pending' as never }]),
      auth,
    );
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().error.message).toMatch(/^alerts\.0\.status: /);
  });

  it('sends groups past the per-minute cap to one flood incident, answering 200 and losing none', async () => {
    const answers = [];
    for (let i = 1; i <= 7; i++)
      answers.push(
        (
          await post(
            notification(`{}:{alertname="Flood${i}"}`, [
              firing(`Flood${i}`),
              firing(`Flood${i}`, { fingerprint: `fp-flood-${i}-b` }),
            ]),
          )
        ).json(),
      );
    expect(answers.map((a) => a.opened)).toEqual([true, true, true, false, false, false, false]);
    expect(answers.map((a) => a.flood)).toEqual([false, false, false, true, true, true, true]);
    const floodKey = answers[3].incident;
    expect(answers.slice(3).every((a) => a.incident === floodKey && a.logged === 2)).toBe(true);
    const flood = await incident(floodKey);
    expect(flood?.title).toBe(
      'Alert flood: prod-am sent alerts for more than 3 incidents in a minute',
    );
    const entries = await timeline(floodKey);
    expect(entries.filter((e) => e.body.kind === 'finding')).toHaveLength(8);
    expect(entries.filter((e) => e.body.kind === 'note')).toHaveLength(4);
    // a flooded group's later alerts still go to the flood incident
    const later = await post(
      notification('{}:{alertname="Flood5"}', [firing('Flood5', { fingerprint: 'fp-flood-5-c' })]),
    );
    expect(later.json()).toMatchObject({ incident: floodKey, logged: 1 });
    // a minute later, new groups open their own incidents again
    now += 61_000;
    expect(
      (await post(notification('{}:{alertname="After"}', [firing('After')]))).json(),
    ).toMatchObject({
      opened: true,
      flood: false,
    });
  });

  it('opens one incident and logs each alert once when a notification arrives many times at once, on two instances', async () => {
    const other = await startInstance();
    const payload = notification('{}:{alertname="Race"}', [
      firing('Race'),
      firing('Race', { fingerprint: 'fp-race-2' }),
    ]);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post(payload, undefined, i % 2 ? other : h)),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(200));
    const bodies = answers.map((a) => a.json());
    expect(bodies.filter((b) => b.opened)).toHaveLength(1);
    expect(new Set(bodies.map((b) => b.incident)).size).toBe(1);
    expect(bodies.reduce((sum, b) => sum + b.logged, 0)).toBe(2);
    const entries = await timeline(bodies[0].incident);
    expect(entries.filter((e) => e.body.kind === 'finding')).toHaveLength(2);
    expect(entries.filter((e) => e.body.kind === 'declared')).toHaveLength(1);
  });

  it('refuses every alert when the config has no alerts section', async () => {
    const stores = await openStoreSet(location);
    const app = await buildServer({
      incidents: stores.incidents,
      accounts: stores.accounts,
      framework: async () => DEFAULT_FRAMEWORK,
      clock: { now: () => epochMs(now) },
      bus: new LocalBus(),
      secureCookies: false,
      loginAttemptsPerMinute: 1000,
    });
    instances.push({ app, stores });
    const res = await post(notification('g', [firing('T')]), undefined, { app, stores });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(
      /^no alertmanager alert source is configured; add one under alerts.sources/,
    );
  });
});
