/**
 * Where notifications go: the channels a team configures (a generic signed
 * webhook, a Slack-compatible incoming webhook, email over SMTP), each with a
 * route saying which notifications it takes, by kind, audience, severity and
 * service. A route that names nothing takes everything.
 */
import { z } from 'zod';
import { NOTIFICATION_KINDS, type Notification } from './notification.js';

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i, 'a channel name is a short word (letters, digits, - or _)');
const httpUrl = z.url({ protocol: /^https?$/, error: 'use an http:// or https:// URL' });

const route = z
  .strictObject({
    events: z.array(z.enum(NOTIFICATION_KINDS)).min(1).optional(),
    audiences: z.array(z.string().min(1)).min(1).optional(),
    severities: z.array(z.string().min(1)).min(1).optional(),
    services: z.array(z.string().min(1)).min(1).optional(),
  })
  .default({});

export const channelSchema = z.discriminatedUnion('type', [
  z.strictObject({
    name,
    type: z.literal('webhook'),
    url: httpUrl,
    /** Signs each delivery (HMAC-SHA256) so the receiver can tell it came from Calm. */
    secret: z.string().min(16, 'a webhook secret needs at least 16 characters'),
    when: route,
  }),
  z.strictObject({ name, type: z.literal('slack'), url: httpUrl, when: route }),
  z.strictObject({
    name,
    type: z.literal('email'),
    smtp: z.url({ protocol: /^smtps?$/, error: 'use an smtp:// or smtps:// URL' }),
    from: z.email(),
    to: z.array(z.email()).min(1),
    when: route,
  }),
]);

export type ChannelConfig = z.output<typeof channelSchema>;
export type ChannelRoute = ChannelConfig['when'];

const overlaps = (wanted: string[] | undefined, given: string[]) =>
  !wanted || given.some((value) => wanted.some((w) => w.toLowerCase() === value.toLowerCase()));

/** The channels whose route takes this notification. */
export function channelsFor(
  notification: Notification,
  channels: ChannelConfig[],
): ChannelConfig[] {
  const { incident } = notification;
  return channels.filter(
    ({ when }) =>
      (!when.events || when.events.includes(notification.kind)) &&
      overlaps(when.audiences, notification.audiences) &&
      overlaps(when.severities, incident.severity ? [incident.severity] : []) &&
      overlaps(when.services, incident.services),
  );
}
