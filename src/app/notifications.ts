/**
 * Which messages a change puts in the outbox: the notifications it causes
 * (core/notification/notification.ts), one per channel whose route takes it.
 */

import type { EpochMs } from '../core/ids.js';
import { ACTIVE_STATUSES } from '../core/incident/lifecycle.js';
import { type ChannelConfig, channelsFor } from '../core/notification/channels.js';
import { type Notification, notificationsFor } from '../core/notification/notification.js';
import { remindersDue } from '../core/notification/reminders.js';
import type { SeverityFramework } from '../core/severity/framework.js';
import type { OutboxDraft, OutboxStore } from '../store/outbox-store.js';
import type { IncidentStore, WriteOptions } from '../store/store.js';

/** One outbox message per notification and channel whose route takes it. */
export function draftsOf(
  notifications: Notification[],
  channels: ChannelConfig[],
  now: number,
): OutboxDraft[] {
  return notifications.flatMap((notification) =>
    channelsFor(notification, channels).map((channel) => ({
      eventKey: notification.eventKey,
      destination: channel.name,
      kind: notification.kind,
      incidentKey: notification.incident.key,
      message: notification,
      at: now,
    })),
  );
}

export function outboxDrafts(
  channels: ChannelConfig[],
  framework: SeverityFramework,
  now: number,
): NonNullable<WriteOptions['outbox']> {
  return (state, entries) => draftsOf(notificationsFor(state, entries, framework), channels, now);
}

/**
 * Queues the reminders now due on every active incident (see
 * core/notification/reminders.ts). Safe to run on several instances at once:
 * a reminder already queued is not queued again. Returns how many were new.
 */
export async function queueReminders(deps: {
  incidents: IncidentStore;
  outbox: OutboxStore;
  framework: SeverityFramework;
  channels: ChannelConfig[];
  now: EpochMs;
}): Promise<number> {
  const listed = await deps.incidents.listIncidents({ status: ACTIVE_STATUSES, limit: 1000 });
  // a personal incident (personal mode) tells nobody
  const active = listed.filter((state) => !state.personal);
  const reminders = active.flatMap((state) => remindersDue(state, deps.framework, deps.now));
  return deps.outbox.enqueue(draftsOf(reminders, deps.channels, deps.now));
}
