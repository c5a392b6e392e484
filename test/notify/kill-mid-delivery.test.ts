/**
 * `calm serve` killed with SIGKILL while its outbox worker is delivering to a
 * slow receiver, then started again on the same store: every notification
 * arrives, and the few that were in flight at the kill arrive again with the
 * same `Calm-Delivery` id, so a receiver that keeps the ids it has seen acts
 * on each exactly once. (No sender can do better: a message whose answer was
 * lost with the process may or may not have been acted on.)
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/notify/channels/webhook.js';
import { killServers, startServer } from '../support/server-process.js';
import { type Engine, makeServerStore, type ServerStore } from '../support/server-store.js';
import { type HttpReceiver, type Received, startHttpReceiver } from './receivers.js';

const SECRET = 'a-secret-of-sixteen-chars-or-more';
const UPDATES = 30;
/** The worker's batch: at most this many can be in flight at the kill. */
const BATCH = 20;

/** What a receiver keeping delivery ids sees of one request. */
function arrivalOf({ headers, body }: Received) {
  const header = (name: string) => String(headers[name] ?? '');
  return {
    delivery: header('calm-delivery'),
    event: JSON.parse(body).event as string,
    signed: verifySignature(
      SECRET,
      { timestamp: header('calm-timestamp'), signature: header('calm-signature') },
      body,
      Date.now(),
    ),
  };
}

async function api<T>(url: string, token: string, path: string, body?: object): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await response.json();
  if (response.status >= 300)
    throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json as T;
}

describe.each(['sqlite', 'postgres'] as Engine[])(
  'calm serve killed mid-delivery on %s',
  (engine) => {
    let store: ServerStore | undefined;
    let receiver: HttpReceiver | undefined;
    afterEach(async () => {
      await killServers();
      await receiver?.close();
      await store?.cleanup();
      store = receiver = undefined;
    });

    it('delivers every notification after a restart, the ones in flight again under the same id', async () => {
      store = await makeServerStore(engine);
      receiver = await startHttpReceiver({ answerAfterMs: 1_000 });
      const token = await store.addAccount('ana');
      const config = join(store.env.CALM_HOME ?? '', 'calm.config.yaml');
      writeFileSync(
        config,
        [
          'channels:',
          '  - name: ops',
          '    type: webhook',
          `    url: ${receiver.url}`,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own ${ENV} syntax
          '    secret: ${CALM_HOOK_SECRET}',
          '    when: { events: [declared, update] }',
          '',
        ].join('\n'),
      );
      const env = {
        ...store.env,
        CALM_CONFIG: config,
        CALM_HOOK_SECRET: SECRET,
        // what a killed worker had claimed is tried again after this, not the default minute
        CALM_OUTBOX_LEASE: '2s',
      };
      const server = await startServer(env);
      const { incident } = await api<{ incident: { key: string } }>(
        server.url,
        token,
        '/api/incidents',
        {
          title: 'Card payments fail',
          severity: 'SEV1',
        },
      );
      for (let i = 1; i <= UPDATES; i++)
        await api<unknown>(server.url, token, `/api/incidents/${incident.key}/updates`, {
          audience: 'support',
          text: `update ${i}`,
        });

      // killed while the receiver holds some deliveries unanswered
      await expect.poll(() => receiver?.received.length, { timeout: 10_000 }).toBeGreaterThan(3);
      server.signal('SIGKILL');
      await server.exited;
      const beforeKill = new Set(receiver.received.map((r) => arrivalOf(r).delivery));
      expect(beforeKill.size).toBeLessThan(UPDATES + 1);

      const restarted = await startServer(env);
      const expected = UPDATES + 1; // the declaration and each update
      // the outbox knows each was answered, those the dead worker held once its lease ran out
      await expect
        .poll(
          async () =>
            (
              await api<{ items: unknown[] }>(
                restarted.url,
                token,
                '/api/notifications?status=delivered&limit=100',
              )
            ).items.length,
          { timeout: 20_000 },
        )
        .toBe(expected);

      // each event once by its delivery id; resent only what was in flight at the kill
      const arrivals = receiver.received.map(arrivalOf);
      const events = new Map<string, string>();
      for (const arrival of arrivals) {
        expect(arrival.signed, 'a signed delivery').toBe(true);
        const seen = events.get(arrival.delivery);
        if (seen) expect(seen).toBe(arrival.event);
        events.set(arrival.delivery, arrival.event);
      }
      expect(events.size).toBe(expected);
      expect(new Set(events.values()).size).toBe(expected);
      const resent = arrivals.slice(beforeKill.size);
      const again = resent.filter((a) => beforeKill.has(a.delivery));
      // the kill came while the receiver held a batch unanswered: those came again
      expect(again.length).toBeGreaterThan(0);
      expect(again.length).toBeLessThanOrEqual(BATCH);
      expect(arrivals.length).toBe(expected + again.length);
    });
  },
);
