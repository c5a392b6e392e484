/**
 * Queues the day's reminders of overdue action items (see
 * core/notification/action-item-reminders.ts) on every incident, closed ones
 * too: follow-ups outlive their incident. Safe on several instances at once
 * and after a restart: a reminder's key names its item and day, and the
 * outbox keeps one message per key and channel. Returns how many were new.
 */
import type { EpochMs } from '../core/ids.js';
import { localDate } from '../core/local-time.js';
import { overdueActionItemReminders } from '../core/notification/action-item-reminders.js';
import type { ChannelConfig } from '../core/notification/channels.js';
import type { OutboxStore } from '../store/outbox-store.js';
import type { IncidentStore } from '../store/store.js';
import { incidentsWithActionItems } from './action-items.js';
import { draftsOf } from './notifications.js';

export async function queueActionItemReminders(deps: {
  incidents: IncidentStore;
  outbox: OutboxStore;
  channels: ChannelConfig[];
  now: EpochMs;
  /** Today in the team's zone; by default the day of `now` where Calm runs (TZ). */
  today?: string;
}): Promise<number> {
  if (!deps.channels.length) return 0;
  const today = deps.today ?? localDate(deps.now);
  const states = await incidentsWithActionItems(deps.incidents);
  // a personal incident (personal mode) tells nobody
  const reminders = states
    .filter((state) => !state.personal)
    .flatMap((state) => overdueActionItemReminders(state, today, deps.now));
  return deps.outbox.enqueue(draftsOf(reminders, deps.channels, deps.now));
}
