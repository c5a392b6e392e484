/**
 * End to end with a real Prometheus Alertmanager on loopback: an alert posted
 * to its API reaches Calm's team server through its webhook receiver (bearer
 * token), and Calm opens the incident; the alert posted again as resolved
 * (endsAt in the past) reaches Calm as a resolved notification, logged on the
 * incident, which stays open. On SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsConfigSchema } from '../src/core/alerts/config.js';
import { type RunningAlertmanager, startAlertmanager } from './support/alertmanager.js';
import { type Engine, startTestServer, type TestServer } from './support/test-server.js';

const TOKEN = 'alertmanager-e2e-token-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['sqlite', 'postgres'] as Engine[])(
  'a real Alertmanager and Calm on %s',
  (engine) => {
    let calm: TestServer;
    let alertmanager: RunningAlertmanager;
    beforeAll(async () => {
      calm = await startTestServer(engine, ['ana'], {
        alerts: alertsConfigSchema.parse({
          sources: [{ name: 'am-e2e', type: 'alertmanager', token: TOKEN }],
          severity: [{ when: { severity: 'critical' }, level: 'SEV1' }],
          serviceLabels: ['service'],
        }),
      });
      alertmanager = await startAlertmanager({
        webhookUrl: `${calm.url}/api/alerts/alertmanager`,
        bearerToken: TOKEN,
      });
    });
    afterAll(async () => {
      await alertmanager?.stop();
      await calm?.stop();
    });

    const api = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${calm.url}${path}`, {
        headers: { authorization: `Bearer ${calm.tokens.ana}` },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    };

    /** Polls until `probe` gives a value, or fails with the Alertmanager's log. */
    async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const value = await probe();
        if (value !== undefined) return value;
        await sleep(200);
      }
      throw new Error(`timed out waiting for ${what}; alertmanager said:\n${alertmanager.log()}`);
    }

    interface Incident {
      key: string;
      title: string;
      severity: string | null;
      services: string[];
      status: string;
    }
    interface Entry {
      author: string;
      body: { kind: string; text?: string };
    }

    it('opens an incident for an alert posted to Alertmanager, then logs its resolution', async () => {
      const startsAt = new Date(Date.now() - 60_000).toISOString();
      const alert = {
        labels: { alertname: 'CheckoutErrors', severity: 'critical', service: 'checkout' },
        annotations: { summary: 'checkout answers 5xx' },
        generatorURL: 'http://prometheus.test/graph?g0.expr=errors',
        startsAt,
      };
      await alertmanager.postAlerts([alert]);

      const incident = await waitFor('Calm to open the incident', async () => {
        const { items } = await api<{ items: Incident[] }>('/api/incidents');
        return items.find((i) => i.title === 'CheckoutErrors: checkout answers 5xx');
      });
      expect(incident).toMatchObject({
        severity: 'SEV1',
        services: ['checkout'],
        status: 'triage',
      });
      const timeline = () =>
        api<{ items: Entry[] }>(`/api/incidents/${incident.key}/timeline`).then((t) => t.items);
      const fired = (await timeline()).filter((e) => e.body.kind === 'finding');
      expect(fired).toHaveLength(1);
      expect(fired[0]?.author).toBe('alerts:am-e2e');
      expect(fired[0]?.body.text).toContain('source: http://prometheus.test/graph?g0.expr=errors');

      await alertmanager.postAlerts([
        { ...alert, endsAt: new Date(Date.now() - 1000).toISOString() },
      ]);
      const resolved = await waitFor('the resolved entry', async () =>
        (await timeline()).find((e) => e.body.text?.startsWith('Alert resolved: CheckoutErrors')),
      );
      expect(resolved.author).toBe('alerts:am-e2e');
      // a person resolves the incident, not the alert
      expect((await api<Incident>(`/api/incidents/${incident.key}`)).status).toBe('triage');
      // exactly one incident and one entry per notification, however Alertmanager re-sent
      const { items } = await api<{ items: Incident[] }>('/api/incidents');
      expect(items.filter((i) => i.title.startsWith('CheckoutErrors'))).toHaveLength(1);
      expect((await timeline()).filter((e) => e.body.kind === 'finding')).toHaveLength(2);
    });
  },
);
