/**
 * What the public status page may say, and nothing more: a pure projection
 * of the components and of the incidents the team chose to make public.
 *
 * The rule, which the page, its JSON and its Atom feed all go through:
 * - an incident is public once someone posted a status update to the
 *   `customers` audience, or gave it a public title; never if declined;
 * - it shows under its public title (the latest one set), else under a neutral
 *   "Degraded service on <its components>", never its internal title, which
 *   may name a host, a cause or a person;
 * - its updates are its customers updates as corrected (struck ones gone,
 *   amended ones in their latest wording), with the public status at the time
 *   (investigating, identified, monitoring, resolved);
 * - its components are those standing for its services; services no public
 *   component stands for are never named;
 * - authors, notes, hypotheses, findings, actions, severity, roles, the other
 *   audiences' updates and the reasons given for changes never leave the log.
 */
import type { EpochMs } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import { isActive, type Status } from '../incident/lifecycle.js';
import { collectCorrections, currentText } from '../timeline/corrections.js';
import type { TimelineEntry } from '../timeline/entry.js';
import {
  COMPONENT_STATE_LABELS,
  type ComponentState,
  type ComponentStateChange,
  componentsOfServices,
  type StatusComponent,
  worseState,
  worstState,
} from './component.js';

export const HISTORY_DAYS = 90;
const DAY = 86_400_000;

export const PUBLIC_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type PublicIncidentStatus = (typeof PUBLIC_STATUSES)[number];

export const PUBLIC_STATUS_LABELS: Readonly<Record<PublicIncidentStatus, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

const PUBLIC_STATUS: Readonly<Record<Status, PublicIncidentStatus>> = {
  triage: 'investigating',
  investigating: 'investigating',
  identified: 'identified',
  monitoring: 'monitoring',
  resolved: 'resolved',
  closed: 'resolved',
  declined: 'resolved',
};

export interface PublicIncidentSource {
  state: IncidentState;
  /** Its status updates, status changes and corrections (other kinds are ignored). */
  entries: readonly TimelineEntry[];
  /** The latest public title set for it, if any. */
  publicTitle?: string;
}

export interface PublicViewInput {
  now: EpochMs;
  /** The components on the page (not archived). */
  components: readonly StatusComponent[];
  /** Their state changes in the window, and the last one before it of each. */
  stateChanges: readonly ComponentStateChange[];
  /** Active incidents, and those resolved in the window; the rule above picks the public ones. */
  incidents: readonly PublicIncidentSource[];
}

export interface PublicUpdate {
  /** `<incident id>-<n>`, n counting the incident's public updates from 1. */
  id: string;
  at: string;
  status: PublicIncidentStatus;
  text: string;
}

export interface PublicIncident {
  /** Opaque: not the internal INC-n, whose number would tell how many incidents there were. */
  id: string;
  title: string;
  status: PublicIncidentStatus;
  components: string[];
  startedAt: string;
  resolvedAt: string | null;
  /** Newest first. */
  updates: PublicUpdate[];
}

export interface PublicComponent {
  id: number;
  name: string;
  description: string;
  state: ComponentState;
  since: string;
  /** Ids of the active public incidents on it. */
  incidents: string[];
  /** The worst state of each of the last 90 UTC days, oldest first; null before it existed. */
  days: { date: string; state: ComponentState | null }[];
}

export interface PublicStatus {
  /** The page's latest change: an update or a state change (the feed's `updated`). */
  updatedAt: string;
  overall: { state: ComponentState; label: string };
  components: PublicComponent[];
  /** Newest first. */
  activeIncidents: PublicIncident[];
  /** Days with resolved incidents, newest first. */
  history: { date: string; incidents: PublicIncident[] }[];
  historyDays: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => iso(ms).slice(0, 10);
const startOfDay = (ms: number) => ms - (((ms % DAY) + DAY) % DAY);

/** The first instant the page's history covers: the start of the UTC day 89 days before today. */
export function historyStart(now: number): EpochMs {
  return (startOfDay(now) - (HISTORY_DAYS - 1) * DAY) as EpochMs;
}

/** FNV-1a over the text, twice with different seeds: a short stable id, not a secret. */
function opaqueId(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

export function publicIncidentId(state: Pick<IncidentState, 'id' | 'milestones'>): string {
  return opaqueId(`${state.id}:${state.milestones.declared ?? 0}`);
}

/** "API", "API and Checkout", "API, Checkout and Dashboard". */
function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The title the public sees: the one chosen for it, else a neutral one naming its components. */
export function publicTitle(publicTitleSet: string | undefined, componentNames: string[]): string {
  const chosen = publicTitleSet?.trim();
  if (chosen) return chosen;
  return componentNames.length
    ? `Degraded service on ${listNames(componentNames)}`
    : 'Service disruption';
}

/** The customers updates as corrected, oldest first, each with the public status at its time. */
function customerUpdates(entries: readonly TimelineEntry[]): Omit<PublicUpdate, 'id'>[] {
  const ordered = [...entries].sort((a, b) => a.seq - b.seq);
  const corrections = collectCorrections(ordered);
  let status: Status = 'triage';
  const updates: Omit<PublicUpdate, 'id'>[] = [];
  for (const entry of ordered) {
    const body = entry.body;
    if (body.kind === 'status_changed') status = body.to;
    if (body.kind !== 'status_update' || body.audience !== 'customers') continue;
    const view = corrections.get(entry.seq);
    if (view?.struck) continue;
    const text = currentText(body.text, view).trim();
    if (!text) continue;
    updates.push({ at: iso(entry.occurredAt), status: PUBLIC_STATUS[status], text });
  }
  return updates;
}

function toPublicIncident(
  source: PublicIncidentSource,
  components: readonly StatusComponent[],
): PublicIncident | undefined {
  const { state } = source;
  if (state.status === 'declined') return undefined;
  const id = publicIncidentId(state);
  const updates = customerUpdates(source.entries);
  if (!updates.length && !source.publicTitle?.trim()) return undefined;
  const names = componentsOfServices(components, state.services).map((c) => c.name);
  const resolvedAt = isActive(state.status)
    ? null
    : (state.milestones.resolved ?? state.milestones.closed ?? state.lastEntryAt);
  const startedAt =
    state.milestones.impact_started ?? state.milestones.declared ?? state.lastEntryAt;
  return {
    id,
    title: publicTitle(source.publicTitle, names),
    status: PUBLIC_STATUS[state.status],
    components: names,
    startedAt: iso(startedAt),
    resolvedAt: resolvedAt === null ? null : iso(resolvedAt),
    updates: updates.map((update, index) => ({ id: `${id}-${index + 1}`, ...update })).reverse(),
  };
}

/** Each of the window's days' worst state, from the component's state changes. */
function componentDays(
  component: StatusComponent,
  changes: readonly ComponentStateChange[],
  start: number,
): PublicComponent['days'] {
  const mine = changes
    .filter((change) => change.componentId === component.id)
    .sort((a, b) => a.at - b.at);
  const days: PublicComponent['days'] = [];
  let next = 0;
  let current: ComponentState | null = null;
  for (let day = 0; day < HISTORY_DAYS; day++) {
    const from = start + day * DAY;
    const to = from + DAY;
    // the state in effect as the day begins
    while (next < mine.length && (mine[next] as ComponentStateChange).at <= from)
      current = (mine[next++] as ComponentStateChange).state;
    let worst = current;
    while (next < mine.length && (mine[next] as ComponentStateChange).at < to) {
      current = (mine[next++] as ComponentStateChange).state;
      worst = worst === null ? current : worseState(worst, current);
    }
    days.push({ date: dayOf(from), state: to <= component.createdAt ? null : worst });
  }
  return days;
}

export function buildPublicStatus(input: PublicViewInput): PublicStatus {
  const start = historyStart(input.now);
  const components = [...input.components].sort(
    (a, b) => a.position - b.position || a.name.localeCompare(b.name) || a.id - b.id,
  );
  const active: PublicIncident[] = [];
  const resolved: PublicIncident[] = [];
  for (const source of input.incidents) {
    const incident = toPublicIncident(source, components);
    if (!incident) continue;
    if (incident.resolvedAt === null) active.push(incident);
    else if (Date.parse(incident.resolvedAt) >= start) resolved.push(incident);
  }
  const newestFirst = (a: PublicIncident, b: PublicIncident) =>
    b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id);
  active.sort(newestFirst);
  resolved.sort(
    (a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? '') || newestFirst(a, b),
  );

  const history: PublicStatus['history'] = [];
  for (const incident of resolved) {
    const date = (incident.resolvedAt ?? '').slice(0, 10);
    const last = history[history.length - 1];
    if (last?.date === date) last.incidents.push(incident);
    else history.push({ date, incidents: [incident] });
  }

  const publicComponents = components.map(
    (component): PublicComponent => ({
      id: component.id,
      name: component.name,
      description: component.description,
      state: component.state,
      since: iso(component.stateSince),
      incidents: active
        .filter((incident) => incident.components.includes(component.name))
        .map((incident) => incident.id),
      days: componentDays(component, input.stateChanges, start),
    }),
  );

  const overallState = worstState(components.map((c) => c.state));
  const label =
    overallState !== 'operational'
      ? COMPONENT_STATE_LABELS[overallState]
      : active.length
        ? 'Incident in progress'
        : 'All systems operational';

  const times = [
    ...[...active, ...resolved].flatMap((i) => i.updates.map((u) => Date.parse(u.at))),
    ...input.stateChanges.map((change) => change.at as number),
  ];
  return {
    updatedAt: iso(times.length ? Math.max(...times) : input.now),
    overall: { state: overallState, label },
    components: publicComponents,
    activeIncidents: active,
    history,
    historyDays: HISTORY_DAYS,
  };
}
