/**
 * Inbound alerts: a notification from Alertmanager or Grafana opens an
 * incident for its alert group, or adds to the one the group already has.
 *
 * - An alert is logged once: its fingerprint + startsAt + status is recorded
 *   (alerts_seen) in the transaction that writes its entry, so a repeat
 *   (Alertmanager re-sends every repeat_interval), a retried delivery or the
 *   same delivery on another instance writes nothing.
 * - A group opens at most one incident per generation (alert_groups); once
 *   that incident is no longer active, a new alert opens the next one.
 * - A resolved alert is logged on the incident its firing went to; it never
 *   resolves the incident: whether the problem is over is a person's call.
 * - Flood: past `maxIncidentsPerMinute` incidents opened by one source in the
 *   last minute, a new group joins the source's "alert flood" incident
 *   instead, where its alerts are logged as usual, so that nothing is lost.
 *
 * Every write names the rows it adds; one that finds a row already there
 * (another writer got there first) fails whole, and everything is decided
 * again from what is now stored.
 */
import type { AlertSource, AlertsConfig } from '../core/alerts/config.js';
import {
  type Alert,
  describeAlert,
  groupSeverity,
  servicesOf,
  titleOf,
} from '../core/alerts/notification.js';
import { type EpochMs, epochMs, formatIncidentKey, type IncidentId } from '../core/ids.js';
import * as commands from '../core/incident/commands.js';
import { applyEntry, type IncidentState } from '../core/incident/incident.js';
import { isActive } from '../core/incident/lifecycle.js';
import {
  AlertConflictError,
  type AlertGroupLink,
  type AlertStore,
  alertKey,
} from '../store/alert-store.js';
import { AlreadyRecordedError, VersionConflictError } from '../store/store.js';
import type { AppContext } from './context.js';
import { createIncidentFrom, toEntries, writeOptions } from './run-command.js';

/** The group key under which a source's flood incident is kept. */
export const FLOOD_GROUP = '(alert flood)';
const MINUTE_MS = 60_000;
const MAX_ATTEMPTS = 25;

export interface AlertContext extends AppContext {
  alertStore: AlertStore;
  alertsConfig: AlertsConfig;
}

export interface AlertOutcome {
  /** The incident the group's firing alerts went to (INC-3), if any. */
  incident: string | null;
  /** A new incident was declared for the group. */
  opened: boolean;
  /** The group went to the source's flood incident. */
  flood: boolean;
  /** Alerts logged now. */
  logged: number;
  /** Alerts logged before (repeats, retries). */
  duplicates: number;
  /** Resolved alerts of a group that never had an incident: nothing to add them to. */
  unmatched: number;
  /** Each incident written to, with its new version (to wake live timelines). */
  written: { id: IncidentId; version: number; entries: number[] }[];
}

type Change = commands.Change;

const findingOf = (alert: Alert, source: AlertSource): Change => ({
  body: { kind: 'finding', text: describeAlert(alert), source: `${source.type}:${source.name}` },
  occurredAt: alert.status === 'firing' ? alert.startsAt : (alert.endsAt ?? alert.startsAt),
});

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || 'no group labels';

export async function receiveAlerts(
  ctx: AlertContext,
  source: AlertSource,
  groupKey: string,
  groupLabels: Record<string, string>,
  received: Alert[],
): Promise<AlertOutcome> {
  // one alert given twice in a notification counts once
  const alerts = [...new Map(received.map((alert) => [alertKey(alert), alert])).values()];
  const outcome: AlertOutcome = {
    incident: null,
    opened: false,
    flood: false,
    logged: 0,
    duplicates: 0,
    unmatched: 0,
    written: [],
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await deliverOnce(ctx, source, groupKey, groupLabels, alerts, outcome);
      outcome.duplicates = received.length - outcome.logged - outcome.unmatched;
      return outcome;
    } catch (error) {
      const raced =
        error instanceof AlertConflictError ||
        error instanceof VersionConflictError ||
        error instanceof AlreadyRecordedError;
      if (!raced || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/**
 * One pass: what is new, where it goes, and the writes. A pass cut short by
 * a conflict leaves its finished writes recorded; the next pass skips them.
 */
async function deliverOnce(
  ctx: AlertContext,
  source: AlertSource,
  groupKey: string,
  groupLabels: Record<string, string>,
  alerts: Alert[],
  outcome: AlertOutcome,
) {
  const seen = await ctx.alertStore.seen(source.name, alerts);
  const fresh = alerts.filter((alert) => !seen.has(alertKey(alert)));
  const group = await ctx.alertStore.currentGroup(source.name, groupKey);
  const groupState = group
    ? await ctx.store.getIncident(incidentIdOf(group.incidentId))
    : undefined;
  if (groupState) outcome.incident = groupState.key;
  outcome.unmatched = 0;
  if (!fresh.length) return;

  const firing = fresh.filter((alert) => alert.status === 'firing');
  // A resolved alert goes where its firing was logged, else to the group's incident.
  const resolvedBy = new Map<number, Alert[]>();
  for (const alert of fresh.filter((a) => a.status === 'resolved')) {
    const target =
      seen.get(alertKey({ ...alert, status: 'firing' }))?.incidentId ?? group?.incidentId;
    if (target === undefined) outcome.unmatched++;
    else resolvedBy.set(target, [...(resolvedBy.get(target) ?? []), alert]);
  }

  if (firing.length) {
    if (group && groupState && isActive(groupState.status)) {
      await appendAlerts(ctx, source, groupState.id, firing, [], outcome);
    } else {
      const generation = (group?.generation ?? 0) + 1;
      const link = { source: source.name, groupKey, generation };
      const opened = await ctx.alertStore.openedSince(source.name, ctx.clock.now() - MINUTE_MS);
      if (opened < ctx.alertsConfig.maxIncidentsPerMinute)
        await openIncident(ctx, source, link, firing, outcome);
      else await joinFlood(ctx, source, link, groupLabels, firing, outcome);
    }
  }
  for (const [id, resolved] of resolvedBy)
    await appendAlerts(ctx, source, incidentIdOf(id), resolved, [], outcome);
}

const incidentIdOf = (id: number) => id as IncidentId;

/** The alerts' `seen` rows, each pointing at the entry that logged it. */
function seenRows(
  source: AlertSource,
  alerts: Alert[],
  state: IncidentState,
  entries: { seq: number }[],
  firstAlertEntry: number,
  at: EpochMs,
) {
  return alerts.map((alert, index) => ({
    source: source.name,
    fingerprint: alert.fingerprint,
    startsAt: alert.startsAt,
    status: alert.status,
    incidentId: state.id,
    seq: entries[firstAlertEntry + index]?.seq ?? state.version,
    at,
  }));
}

/** Declares the group's incident: the most severe mapped level, its services, every alert logged. */
async function openIncident(
  ctx: AlertContext,
  source: AlertSource,
  link: Omit<AlertGroupLink, 'incidentId' | 'via' | 'at'>,
  firing: Alert[],
  outcome: AlertOutcome,
) {
  const framework = await ctx.framework();
  const first = firing[0] as Alert;
  const severity = groupSeverity(firing, ctx.alertsConfig, framework);
  const declaration = commands.declareIncident(
    {
      title: titleOf(first),
      summary: `Opened by ${source.type} alerts (source ${source.name}, group ${link.groupKey}). Resolved alerts are logged here; they never resolve the incident: a person decides that.`,
      services: servicesOf(firing, ctx.alertsConfig),
      ...(severity ? { severity: severity.level, severityReason: severity.reason } : {}),
      detectedAt: epochMs(Math.min(...firing.map((alert) => alert.startsAt))),
    },
    framework,
  );
  const changes = [...declaration, ...firing.map((alert) => findingOf(alert, source))];
  const now = ctx.clock.now();
  const { state, entries } = await createIncidentFrom(ctx, changes, {
    ...(await writeOptions(ctx)),
    alerts: (created, written) => ({
      groups: [{ ...link, incidentId: created.id, via: 'opened', at: now }],
      seen: seenRows(source, firing, created, written, declaration.length, now),
    }),
  });
  record(outcome, state, entries, firing.length);
  outcome.incident = state.key;
  outcome.opened = true;
}

/** Too many incidents from this source this minute: the group joins the flood incident. */
async function joinFlood(
  ctx: AlertContext,
  source: AlertSource,
  link: Omit<AlertGroupLink, 'incidentId' | 'via' | 'at'>,
  groupLabels: Record<string, string>,
  firing: Alert[],
  outcome: AlertOutcome,
) {
  const limit = ctx.alertsConfig.maxIncidentsPerMinute;
  const joined: Change = {
    body: {
      kind: 'note',
      text: `Alert group ${labelText(groupLabels)} joins this flood incident instead of opening its own: ${source.name} already opened ${limit} incidents in the last minute. Its alerts are logged here.`,
    },
  };
  const flood = await ctx.alertStore.currentGroup(source.name, FLOOD_GROUP);
  const floodState = flood
    ? await ctx.store.getIncident(incidentIdOf(flood.incidentId))
    : undefined;
  const now = ctx.clock.now();
  outcome.flood = true;
  if (floodState && isActive(floodState.status)) {
    await appendAlerts(ctx, source, floodState.id, firing, [joined], outcome, {
      ...link,
      via: 'flood',
    });
    return;
  }
  const framework = await ctx.framework();
  const severity = groupSeverity(firing, ctx.alertsConfig, framework);
  const declaration = commands.declareIncident(
    {
      title: `Alert flood: ${source.name} sent alerts for more than ${limit} incidents in a minute`,
      summary: `New alert groups from ${source.name} join this incident while it is open, instead of opening one each. Resolve it once the flood is dealt with; later groups open their own incidents again.`,
      services: servicesOf(firing, ctx.alertsConfig),
      ...(severity ? { severity: severity.level, severityReason: severity.reason } : {}),
      detectedAt: now,
    },
    framework,
  );
  const changes = [...declaration, joined, ...firing.map((alert) => findingOf(alert, source))];
  const { state, entries } = await createIncidentFrom(ctx, changes, {
    ...(await writeOptions(ctx)),
    alerts: (created, written) => ({
      groups: [
        {
          source: source.name,
          groupKey: FLOOD_GROUP,
          generation: (flood?.generation ?? 0) + 1,
          incidentId: created.id,
          via: 'flood',
          at: now,
        },
        { ...link, incidentId: created.id, via: 'flood', at: now },
      ],
      seen: seenRows(source, firing, created, written, declaration.length + 1, now),
    }),
  });
  record(outcome, state, entries, firing.length);
  outcome.incident = state.key;
}

/** Logs the alerts on an existing incident (after `before`), with the group's link if new. */
async function appendAlerts(
  ctx: AlertContext,
  source: AlertSource,
  id: IncidentId,
  alerts: Alert[],
  before: Change[],
  outcome: AlertOutcome,
  link?: Omit<AlertGroupLink, 'incidentId' | 'at'>,
) {
  const state = await ctx.store.getIncident(id);
  if (!state) throw new Error(`alert bookkeeping names ${formatIncidentKey(id)}, which is missing`);
  const changes = [...before, ...alerts.map((alert) => findingOf(alert, source))];
  const entries = toEntries(ctx, state, changes);
  const next = entries.reduce<IncidentState>((current, entry) => applyEntry(current, entry), state);
  const now = ctx.clock.now();
  await ctx.store.appendEntries(state.version, entries, next, {
    ...(await writeOptions(ctx)),
    alerts: () => ({
      groups: link ? [{ ...link, incidentId: state.id, at: now }] : [],
      seen: seenRows(source, alerts, state, entries, before.length, now),
    }),
  });
  record(outcome, next, entries, alerts.length);
  if (alerts.some((alert) => alert.status === 'firing')) outcome.incident = state.key;
}

function record(
  outcome: AlertOutcome,
  state: IncidentState,
  entries: { seq: number }[],
  alerts: number,
) {
  outcome.logged += alerts;
  outcome.written.push({
    id: state.id,
    version: state.version,
    entries: entries.map((e) => e.seq),
  });
}
