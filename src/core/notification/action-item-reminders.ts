/**
 * Reminders of overdue action items, the review's "make sure the follow-ups
 * happen": one a day for each item still open after its due day, to the
 * `review` audience and to its owner by name, so a team may route them to a
 * review channel (`when: { events: [action_item], audiences: [review] }`)
 * or a person's own (`audiences: [bob]`). The key names the item and the day,
 * so however many sweeps and instances run, each day's reminder is queued
 * once per channel (the outbox keeps one message per key and destination).
 */
import type { EpochMs } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import { type ActionItem, isOverdue } from '../review/action-item.js';
import { incidentOf, type Notification } from './notification.js';

/** The audience every overdue reminder is for, besides the item's owner. */
export const REVIEW_AUDIENCE = 'review';

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to`, both YYYY-MM-DD. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function overdueReminderKey(
  state: Pick<IncidentState, 'key'>,
  item: ActionItem,
  today: string,
) {
  return `${state.key}:action:A${item.number}:overdue:${today}`;
}

/**
 * The reminders due on `today` (YYYY-MM-DD in the team's zone) for one
 * incident's items: those open or in progress whose due day is past.
 */
export function overdueActionItemReminders(
  state: IncidentState,
  today: string,
  now: EpochMs,
): Notification[] {
  const ref = `-i ${state.key}`;
  return state.actionItems
    .filter((item) => isOverdue(item, today))
    .map((item) => {
      const late = daysBetween(item.due as string, today);
      const owner = item.owner ? `${item.owner} owns it` : 'Nobody owns it yet';
      return {
        eventKey: overdueReminderKey(state, item, today),
        kind: 'action_item',
        incident: incidentOf(state),
        audiences: [REVIEW_AUDIENCE, ...(item.owner ? [item.owner] : [])],
        subject: `${state.key} A${item.number} overdue by ${late} day${late === 1 ? '' : 's'}: ${item.title}`,
        text: [
          `${owner}; it was due ${item.due} (${item.priority}, ${item.kind}, ${item.status.replace('_', ' ')}). Follow-up of "${state.title}".`,
          item.link ? `Tracked at ${item.link}` : '',
          `Done? \`calm action done A${item.number} ${ref}\`. New date? \`calm action update A${item.number} ${ref} --due YYYY-MM-DD\`.`,
        ]
          .filter(Boolean)
          .join('\n'),
        at: now,
      } satisfies Notification;
    });
}
