/**
 * Reminders that a status update is due: to the communications lead (else
 * the commander) a few minutes before an audience's next update is due, and
 * again once it is overdue. Each reminder's key names the due time it is
 * about, so it is sent once, and a posted update (a new due time) starts over.
 */

import { updateSchedule } from '../guide/schedule.js';
import type { EpochMs } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import { findLevel, type SeverityFramework } from '../severity/framework.js';
import { formatDuration } from '../time.js';
import { incidentOf, type Notification } from './notification.js';

/** How long before an update is due the first reminder goes out. */
export const REMIND_BEFORE_MS = 5 * 60_000;

export function remindersDue(
  state: IncidentState,
  framework: SeverityFramework,
  now: EpochMs,
): Notification[] {
  const level = state.severity ? findLevel(framework, state.severity) : undefined;
  const lead = state.roles.communications
    ? `${state.roles.communications} (communications lead)`
    : state.roles.commander
      ? `${state.roles.commander} (incident commander)`
      : 'Nobody leads communications yet';
  const out: Notification[] = [];
  for (const due of updateSchedule(state, level, now)) {
    const overdue = due.overdueByMs >= 0;
    if (!overdue && due.overdueByMs < -REMIND_BEFORE_MS) continue;
    const when = overdue
      ? `overdue by ${formatDuration(Math.max(due.overdueByMs, 0))}`
      : `due in ${formatDuration(-due.overdueByMs)}`;
    out.push({
      eventKey: `${state.key}:reminder:${due.audience}:${due.dueAt}:${overdue ? 'overdue' : 'due'}`,
      kind: 'reminder',
      incident: incidentOf(state),
      audiences: ['responders'],
      subject: `${state.severity ? `[${state.severity}] ` : ''}${state.key} update to ${due.audience} ${when}`,
      text: `${lead}: ${state.severity} asks for an update to ${due.audience} every ${formatDuration(due.everyMs)}. Post it with \`calm update ${due.audience} "..."\`.`,
      at: now,
    });
  }
  return out;
}
