/**
 * Which messages a change puts in the outbox: the notifications it causes
 * (core/notification/notification.ts), one per channel whose route takes it.
 */
import { type ChannelConfig, channelsFor } from '../core/notification/channels.js';
import { notificationsFor } from '../core/notification/notification.js';
import type { SeverityFramework } from '../core/severity/framework.js';
import type { OutboxDraft } from '../store/outbox-store.js';
import type { WriteOptions } from '../store/store.js';

export function outboxDrafts(
  channels: ChannelConfig[],
  framework: SeverityFramework,
  now: number,
): NonNullable<WriteOptions['outbox']> {
  return (state, entries) =>
    notificationsFor(state, entries, framework).flatMap((notification) =>
      channelsFor(notification, channels).map(
        (channel): OutboxDraft => ({
          eventKey: notification.eventKey,
          destination: channel.name,
          kind: notification.kind,
          incidentKey: notification.incident.key,
          message: notification,
          at: now,
        }),
      ),
    );
}
