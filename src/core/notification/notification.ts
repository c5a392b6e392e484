/**
 * What people must hear when an incident changes: declared, its severity
 * raised, a status update posted to an audience, resolved. Each notification
 * names the change that caused it (its event key), so that every destination
 * gets it once however often delivery is retried.
 */
import type { EpochMs } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import type { Status } from '../incident/lifecycle.js';
import { compareSeverity, findLevel, type SeverityFramework } from '../severity/framework.js';
import type { TimelineEntry } from '../timeline/entry.js';

export const NOTIFICATION_KINDS = [
  'declared',
  'severity',
  'update',
  'status',
  'reminder',
  /** An action item past its due date (action-item-reminders.ts). */
  'action_item',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Notification {
  /** The change it tells of: `INC-3#12` for entry 12, or a reminder's own key. */
  eventKey: string;
  kind: NotificationKind;
  incident: {
    key: string;
    title: string;
    severity: string | null;
    status: Status;
    services: string[];
  };
  /** Who it is for: audiences (support, executives ...) or teams the policy names. */
  audiences: string[];
  subject: string;
  text: string;
  at: EpochMs;
}

/** What a notification says of its incident. */
export function incidentOf(state: IncidentState): Notification['incident'] {
  return {
    key: state.key,
    title: state.title,
    severity: state.severity,
    status: state.status,
    services: state.services,
  };
}

/** Statuses whose news goes to everyone who was told the incident exists. */
const ANNOUNCED_STATUSES: Status[] = ['monitoring', 'resolved', 'declined'];

/** The notifications a write causes: one per entry that people must hear about. */
export function notificationsFor(
  state: IncidentState,
  entries: TimelineEntry[],
  framework: SeverityFramework,
): Notification[] {
  const level = state.severity ? findLevel(framework, state.severity) : undefined;
  // Everyone the level names: its audiences, and the teams it pages to respond.
  const told = [
    'responders',
    ...(level?.policy.notify ?? []),
    ...(level?.policy.responders.teams ?? []),
  ];
  const incident = incidentOf(state);
  const tag = state.severity ? `[${state.severity}] ` : '';
  const out: Notification[] = [];
  const add = (
    entry: TimelineEntry,
    kind: NotificationKind,
    audiences: string[],
    subject: string,
    text: string,
  ) =>
    out.push({
      eventKey: `${state.key}#${entry.seq}`,
      kind,
      incident,
      audiences: [...new Set(audiences)],
      subject: `${tag}${state.key} ${subject}`,
      text,
      at: entry.occurredAt,
    });

  // A severity given at declaration is part of the declaration's news.
  const declaring = entries.some((entry) => entry.body.kind === 'declared');
  for (const entry of entries) {
    const body = entry.body;
    switch (body.kind) {
      case 'declared':
        add(
          entry,
          'declared',
          told,
          `declared: ${body.title}`,
          [
            body.summary,
            level ? `Severity ${level.key} ${level.name}.` : 'Severity not yet assessed.',
          ]
            .filter(Boolean)
            .join('\n'),
        );
        break;
      case 'severity_changed': {
        if (declaring) break;
        const raised = body.from === null || compareSeverity(framework, body.to, body.from) < 0;
        // A raise brings in whoever the new level requires; a lowering only tells the responders.
        add(
          entry,
          'severity',
          raised ? told : ['responders'],
          `${raised ? 'raised' : 'lowered'} to ${body.to}: ${state.title}`,
          `${body.from ? `${body.from} -> ` : ''}${body.to}${body.reason ? `: ${body.reason}` : ''}`,
        );
        break;
      }
      case 'status_update':
        add(
          entry,
          'update',
          [body.audience],
          `update for ${body.audience}: ${state.title}`,
          body.text,
        );
        break;
      case 'status_changed':
        if (ANNOUNCED_STATUSES.includes(body.to))
          add(
            entry,
            'status',
            told,
            `${body.to}: ${state.title}`,
            `${body.from} -> ${body.to}${body.reason ? `: ${body.reason}` : ''}`,
          );
        break;
    }
  }
  return out;
}
