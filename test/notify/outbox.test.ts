/**
 * Notifications end to end on both stores: a change queues its news in the
 * same transaction, workers deliver it through real receivers on loopback
 * (signed webhooks, Slack-format webhooks, SMTP), failures are retried with
 * backoff on an injected clock, and each message arrives exactly once.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import * as incidents from '../../src/app/incidents.js';
import { queueReminders } from '../../src/app/notifications.js';
import { epochMs } from '../../src/core/ids.js';
import type { ChannelConfig } from '../../src/core/notification/channels.js';
import { DEFAULT_FRAMEWORK } from '../../src/core/severity/presets.js';
import { OutboxWorker } from '../../src/notify/outbox-worker.js';
import { openStoreSet, type StoreSet } from '../../src/store/open.js';
import { freshPostgresSchema } from '../../src/store/postgres.testing.js';
import {
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from './receivers.js';

const SECRET = 'a-webhook-secret-of-some-length';
const MINUTE = 60_000;

let now = Date.UTC(2026, 2, 14, 14, 0);
const clock = { now: () => epochMs(now) };

let stores: StoreSet;
let cleanup: () => Promise<void>;
let hook: HttpReceiver;
let slack: HttpReceiver;
let smtp: SmtpReceiver;
let channels: ChannelConfig[];

const ctx = (): AppContext => ({
  store: stores.incidents,
  framework: async () => DEFAULT_FRAMEWORK,
  channels: async () => channels,
  clock,
  author: 'alice',
});
const worker = (options: { maxAttempts?: number } = {}) =>
  new OutboxWorker({ outbox: stores.outbox, channels, clock, ...options });

describe.each(['sqlite', 'postgres'] as const)('notifications (%s)', (engine) => {
  beforeEach(async () => {
    now = Date.UTC(2026, 2, 14, 14, 0);
    const dir = mkdtempSync(join(tmpdir(), 'calm-notify-'));
    const schema = engine === 'postgres' ? await freshPostgresSchema(inject('pgUrl')) : undefined;
    stores = await openStoreSet({
      sqlitePath: join(dir, 'calm.db'),
      ...(schema ? { databaseUrl: schema.url } : {}),
    });
    [hook, slack, smtp] = await Promise.all([
      startHttpReceiver(),
      startHttpReceiver(),
      startSmtpReceiver(),
    ]);
    channels = [
      { name: 'hooks', type: 'webhook', url: hook.url, secret: SECRET, when: {} },
      { name: 'ops', type: 'slack', url: slack.url, when: { audiences: ['responders'] } },
      {
        name: 'support-mail',
        type: 'email',
        smtp: smtp.url,
        from: 'calm@example.com',
        to: ['support@example.com'],
        when: { audiences: ['support'], events: ['update'] },
      },
    ];
    cleanup = async () => {
      await Promise.all([hook.close(), slack.close(), smtp.close()]);
      await stores.close();
      await schema?.drop();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterEach(async () => cleanup());

  it('delivers each change to the channels its route names, signed', async () => {
    const { state } = await incidents.declareIncident(ctx(), {
      title: 'Checkout returns 500',
      severity: 'SEV1',
      services: ['checkout'],
    });
    await incidents.postStatusUpdate(ctx(), state.id, 'support', 'Card payments fail <for all>');
    await incidents.logEntry(ctx(), state.id, 'note', 'a note tells nobody');
    const queued = await stores.outbox.list();
    expect(queued.map((m) => `${m.eventKey} -> ${m.destination}`).sort()).toEqual([
      'INC-1#1 -> hooks',
      'INC-1#1 -> ops',
      'INC-1#3 -> hooks',
      'INC-1#3 -> support-mail',
    ]);

    expect(await worker().runOnce()).toEqual({ delivered: 4, failed: 0, parked: 0 });
    expect(await worker().runOnce()).toEqual({ delivered: 0, failed: 0, parked: 0 });

    // The webhook: JSON signed over "timestamp.body", as a receiver checks it.
    expect(hook.received).toHaveLength(2);
    for (const { headers, body } of hook.received) {
      const signed = `${headers['calm-timestamp']}.${body}`;
      const expected = `v1=${createHmac('sha256', SECRET).update(signed).digest('hex')}`;
      expect(headers['calm-signature']).toBe(expected);
      expect(Number(headers['calm-timestamp']) * 1000).toBe(Math.floor(now / 1000) * 1000);
    }
    const declared = JSON.parse(
      hook.received.find((r) => r.body.includes('"declared"'))?.body ?? '',
    );
    expect(declared.notification).toMatchObject({
      kind: 'declared',
      subject: '[SEV1] INC-1 declared: Checkout returns 500',
      audiences: ['responders', 'support', 'executives'],
    });
    // Slack's format, user text escaped.
    expect(JSON.parse(slack.received[0]?.body ?? '')).toEqual({
      text: '*[SEV1] INC-1 declared: Checkout returns 500*\nSeverity SEV1 Critical.',
    });
    // The email, to the support address, with the update's text.
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]?.to).toEqual(['support@example.com']);
    expect(smtp.mails[0]?.raw).toMatch(
      /Subject: \[SEV1\] INC-1 update for support: Checkout returns 500/,
    );
    expect(smtp.mails[0]?.raw).toMatch(/Card payments fail <for all>/);
    expect((await stores.outbox.list()).every((m) => m.status === 'delivered')).toBe(true);
  });

  it('queues nothing for a change that was refused', async () => {
    const { state } = await incidents.declareIncident(ctx(), { title: 'Login slow' });
    const before = (await stores.outbox.list()).length;
    await expect(incidents.changeStatus(ctx(), state.id, 'closed')).rejects.toThrow(
      /cannot move the incident from triage to closed/,
    );
    expect(await stores.outbox.list()).toHaveLength(before);
  });

  it('retries a failing receiver with backoff and delivers once it recovers', async () => {
    hook.status = 500;
    channels = channels.filter((c) => c.name === 'hooks');
    await incidents.declareIncident(ctx(), { title: 'Push delayed', severity: 'SEV2' });
    const w = worker();
    expect(await w.runOnce()).toEqual({ delivered: 0, failed: 1, parked: 0 });
    const [failed] = await stores.outbox.list();
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: now + 5_000 });
    expect(failed?.lastError).toMatch(/answered 500: receiver is failing/);
    // Not due yet: nothing is tried.
    expect(await w.runOnce()).toEqual({ delivered: 0, failed: 0, parked: 0 });

    // The receiver stays down for an hour; the worker keeps trying on its backoff.
    const downUntil = now + 60 * MINUTE;
    while (now < downUntil) {
      now = (await stores.outbox.nextDueAt()) ?? now;
      await w.runOnce();
    }
    const [waiting] = await stores.outbox.list();
    expect(waiting?.status).toBe('pending');
    expect(waiting?.attempts).toBeGreaterThan(5);
    hook.status = 200;
    now = (await stores.outbox.nextDueAt()) ?? now;
    expect(await w.runOnce()).toEqual({ delivered: 1, failed: 0, parked: 0 });
    expect(hook.received).toHaveLength(1);
  });

  it('parks a message after the last attempt, and delivers it when retried', async () => {
    // A receiver that is gone: its port refuses connections.
    const gone = await startHttpReceiver();
    await gone.close();
    channels = [{ name: 'hooks', type: 'webhook', url: gone.url, secret: SECRET, when: {} }];
    await incidents.declareIncident(ctx(), { title: 'Invoices fail', severity: 'SEV2' });
    const w = worker({ maxAttempts: 3 });
    for (let round = 0; round < 3; round++) {
      now = (await stores.outbox.nextDueAt()) ?? now;
      await w.runOnce();
    }
    const [parked] = await stores.outbox.list({ status: 'parked' });
    expect(parked).toMatchObject({ attempts: 3, status: 'parked' });
    expect(parked?.lastError).toMatch(/ECONNREFUSED/);
    expect(await stores.outbox.nextDueAt()).toBeUndefined();

    channels = [{ name: 'hooks', type: 'webhook', url: hook.url, secret: SECRET, when: {} }];
    expect(await stores.outbox.retry(parked?.id ?? 0, now)).toBe(true);
    expect(await stores.outbox.retry(parked?.id ?? 0, now)).toBe(false);
    expect(await worker().runOnce()).toEqual({ delivered: 1, failed: 0, parked: 0 });
    expect(hook.received).toHaveLength(1);
  });

  it('delivers exactly once with several workers, and after a worker dies mid-delivery', async () => {
    channels = channels.filter((c) => c.name === 'hooks');
    const { state } = await incidents.declareIncident(ctx(), {
      title: 'Many updates',
      severity: 'SEV1',
    });
    for (let i = 0; i < 40; i++)
      await incidents.postStatusUpdate(ctx(), state.id, 'support', `update ${i}`);
    // A worker that claims a batch and dies before marking it: its lease must run out.
    const dead = await stores.outbox.claim('dead-worker', now, 60_000, 5);
    expect(dead).toHaveLength(5);

    const workers = [worker(), worker(), worker()];
    await Promise.all(workers.map((w) => w.runOnce()));
    expect(hook.received).toHaveLength(36);
    now += 60_001;
    await Promise.all(workers.map((w) => w.runOnce()));
    const deliveries = hook.received.map((r) => r.headers['calm-delivery']);
    expect(deliveries).toHaveLength(41);
    expect(new Set(deliveries).size).toBe(41);
    expect((await stores.outbox.list({ status: 'delivered' })).length).toBe(41);
  });

  it('queues each reminder of a due update once, however many instances sweep', async () => {
    channels = channels.filter((c) => c.name === 'ops');
    const { state } = await incidents.declareIncident(ctx(), {
      title: 'Checkout down',
      severity: 'SEV1',
    });
    await incidents.assignRole(ctx(), state.id, 'communications', 'bob', false);
    await worker().runOnce();
    slack.received.length = 0;
    const sweep = () =>
      queueReminders({
        incidents: stores.incidents,
        outbox: stores.outbox,
        framework: DEFAULT_FRAMEWORK,
        channels,
        now: clock.now(),
      });
    expect(await sweep()).toBe(0);
    const supportEvery = DEFAULT_FRAMEWORK.levels[0]?.policy.updateEvery.support ?? 0;
    now += supportEvery - 4 * MINUTE;
    const [first, second] = await Promise.all([sweep(), sweep()]);
    expect((first ?? 0) + (second ?? 0)).toBeGreaterThan(0);
    expect(await sweep()).toBe(0);
    await worker().runOnce();
    const texts = slack.received.map((r) => JSON.parse(r.body).text as string);
    expect(texts.filter((t) => t.includes('update to support due in'))).toHaveLength(1);
    expect(texts.join('\n')).toMatch(
      /bob \(communications lead\): SEV1 asks for an update to support/,
    );
  });
});
