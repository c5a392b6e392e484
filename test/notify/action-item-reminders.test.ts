/**
 * Reminders of overdue action items through real receivers on loopback (a
 * signed webhook and SMTP), on both stores, with an injected clock: an item
 * due yesterday is reminded once a day however often and on however many
 * instances the sweep runs, also after a restart; a done item and an item
 * due today are not reminded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { queueActionItemReminders } from '../../src/app/action-item-reminders.js';
import { addActionItem, changeActionItem } from '../../src/app/action-items.js';
import type { AppContext } from '../../src/app/context.js';
import * as incidents from '../../src/app/incidents.js';
import { epochMs, type IncidentId } from '../../src/core/ids.js';
import type { ChannelConfig } from '../../src/core/notification/channels.js';
import { DEFAULT_FRAMEWORK } from '../../src/core/severity/presets.js';
import { OutboxWorker } from '../../src/notify/outbox-worker.js';
import { openStoreSet, type StoreLocation, type StoreSet } from '../../src/store/open.js';
import { freshPostgresSchema } from '../../src/store/postgres.testing.js';
import {
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from './receivers.js';

const DAY = 86_400_000;
// Noon UTC: the same calendar day in every zone from UTC-11 to UTC+11, whatever TZ the tests run in.
let now = Date.UTC(2026, 2, 14, 12, 0);
const clock = { now: () => epochMs(now) };

let location: StoreLocation;
let stores: StoreSet;
let cleanup: () => Promise<void>;
let hook: HttpReceiver;
let smtp: SmtpReceiver;
let channels: ChannelConfig[];

const ctx = (): AppContext => ({
  store: stores.incidents,
  framework: async () => DEFAULT_FRAMEWORK,
  channels: async () => channels,
  clock,
  author: 'alice',
});
const sweep = () =>
  queueActionItemReminders({
    incidents: stores.incidents,
    outbox: stores.outbox,
    channels,
    now: clock.now(),
  });
const deliver = () => new OutboxWorker({ outbox: stores.outbox, channels, clock }).runOnce();

describe.each(['sqlite', 'postgres'] as const)('overdue action item reminders (%s)', (engine) => {
  let id: IncidentId;

  beforeEach(async () => {
    now = Date.UTC(2026, 2, 14, 12, 0);
    const dir = mkdtempSync(join(tmpdir(), 'calm-action-reminders-'));
    const schema = engine === 'postgres' ? await freshPostgresSchema(inject('pgUrl')) : undefined;
    location = { sqlitePath: join(dir, 'calm.db'), ...(schema ? { databaseUrl: schema.url } : {}) };
    stores = await openStoreSet(location);
    [hook, smtp] = await Promise.all([startHttpReceiver(), startSmtpReceiver()]);
    channels = [
      {
        name: 'review-hook',
        type: 'webhook',
        url: hook.url,
        secret: 'a-webhook-secret-of-some-length',
        when: { events: ['action_item'] },
      },
      {
        name: 'review-mail',
        type: 'email',
        smtp: smtp.url,
        from: 'calm@example.com',
        to: ['reviews@example.com'],
        when: { audiences: ['review'] },
      },
    ];
    cleanup = async () => {
      await Promise.all([hook.close(), smtp.close()]);
      await stores.close();
      await schema?.drop();
      rmSync(dir, { recursive: true, force: true });
    };
    const declared = await incidents.declareIncident(ctx(), {
      title: 'Checkout returns 500',
      severity: 'SEV1',
    });
    id = declared.state.id;
    await addActionItem(ctx(), id, {
      title: 'Alert on checkout 5xx rate',
      kind: 'detect',
      owner: 'bob',
      due: '2026-03-13',
    });
    await addActionItem(ctx(), id, { title: 'Canary deploys', owner: 'carol', due: '2026-03-14' });
    await addActionItem(ctx(), id, { title: 'Runbook for rollback', due: '2026-03-13' });
    await changeActionItem(ctx(), id, 3, { status: 'done' });
    // the declaration's own news goes nowhere: neither route takes it
    expect(await stores.outbox.list()).toEqual([]);
  });
  afterEach(async () => cleanup());

  it('reminds of an item due yesterday once, not of one done or due today', async () => {
    const [first, second] = await Promise.all([sweep(), sweep()]);
    expect((first ?? 0) + (second ?? 0)).toBe(2);
    expect(await sweep()).toBe(0);
    expect(await deliver()).toEqual({ delivered: 2, failed: 0, parked: 0 });

    expect(hook.received).toHaveLength(1);
    const sent = JSON.parse(hook.received[0]?.body ?? '').notification;
    expect(sent).toMatchObject({
      eventKey: 'INC-1:action:A1:overdue:2026-03-14',
      kind: 'action_item',
      audiences: ['review', 'bob'],
      subject: 'INC-1 A1 overdue by 1 day: Alert on checkout 5xx rate',
    });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]?.to).toEqual(['reviews@example.com']);
    expect(smtp.mails[0]?.raw).toMatch(/Subject: INC-1 A1 overdue by 1 day: Alert on checkout 5xx/);
    expect(smtp.mails[0]?.raw).toMatch(/bob owns it; it was due 2026-03-13/);

    // later the same day, and after a restart (a fresh store handle and worker): nothing new
    now += 6 * 3_600_000;
    expect(await sweep()).toBe(0);
    await stores.close();
    stores = await openStoreSet(location);
    expect(await sweep()).toBe(0);
    expect(await deliver()).toEqual({ delivered: 0, failed: 0, parked: 0 });
    expect(hook.received).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
  });

  it('reminds again the next day, then no more once the item is done', async () => {
    await sweep();
    await deliver();
    now += DAY;
    // A1 is a day later still; A2, due yesterday now, is overdue for the first time
    expect(await sweep()).toBe(4);
    await deliver();
    const subjects = hook.received.map((r) => JSON.parse(r.body).notification.subject);
    expect(subjects).toEqual([
      'INC-1 A1 overdue by 1 day: Alert on checkout 5xx rate',
      'INC-1 A1 overdue by 2 days: Alert on checkout 5xx rate',
      'INC-1 A2 overdue by 1 day: Canary deploys',
    ]);

    await changeActionItem(ctx(), id, 1, { status: 'done' });
    await changeActionItem(ctx(), id, 2, { due: '2026-04-01' });
    now += DAY;
    expect(await sweep()).toBe(0);
    expect(await deliver()).toEqual({ delivered: 0, failed: 0, parked: 0 });
  });
});
