/** One attempt to hand one outbox message to its channel. */
import type { ChannelConfig } from '../../core/notification/channels.js';
import type { Notification } from '../../core/notification/notification.js';
import { sendEmail } from './email.js';
import { sendSlack } from './slack.js';
import { sendWebhook } from './webhook.js';

export interface Delivery {
  /** The outbox message's id: the same on every retry. */
  id: number;
  eventKey: string;
  notification: Notification;
  now: number;
}

export function deliver(channel: ChannelConfig, delivery: Delivery): Promise<void> {
  switch (channel.type) {
    case 'webhook':
      return sendWebhook(channel, delivery);
    case 'slack':
      return sendSlack(channel, delivery);
    case 'email':
      return sendEmail(channel, delivery);
  }
}
