/**
 * The components of the public status page: what customers know of the
 * product ("API", "Checkout"), each in one of five states, and optionally
 * standing for Calm services so that an incident on a service shows on the
 * components it touches. A state change is a record with its time (never an
 * edit), so the page can draw each component's last 90 days.
 */
import { lookupAlias } from '../aliases.js';
import { UserError } from '../errors.js';
import type { EpochMs } from '../ids.js';

export const COMPONENT_STATES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

export const COMPONENT_STATE_LABELS: Readonly<Record<ComponentState, string>> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

/** How bad a state is, for a page's or a day's worst: planned maintenance is no outage. */
const SEVERITY: Readonly<Record<ComponentState, number>> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

export function worseState(a: ComponentState, b: ComponentState): ComponentState {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

export function worstState(states: Iterable<ComponentState>): ComponentState {
  let worst: ComponentState = 'operational';
  for (const state of states) worst = worseState(worst, state);
  return worst;
}

const STATE_ALIASES: Readonly<Record<string, ComponentState>> = {
  ...Object.fromEntries(COMPONENT_STATES.map((state) => [state, state])),
  ...Object.fromEntries(COMPONENT_STATES.map((state) => [state.replaceAll('_', '-'), state])),
  ok: 'operational',
  up: 'operational',
  degraded: 'degraded_performance',
  partial: 'partial_outage',
  major: 'major_outage',
  down: 'major_outage',
  outage: 'major_outage',
  maintenance: 'under_maintenance',
};

/** Accepts the states' names with - or _, and short words: degraded, partial, major, down, maintenance. */
export function parseComponentState(value: string): ComponentState {
  const state = lookupAlias(STATE_ALIASES, value.replaceAll(' ', '_'));
  if (!state)
    throw new UserError(
      `unknown component state "${value}"; use one of ${COMPONENT_STATES.join(', ')}`,
    );
  return state;
}

export interface StatusComponent {
  id: number;
  name: string;
  description: string;
  /** Where it stands on the page, ascending. */
  position: number;
  /** Calm services it stands for. */
  services: string[];
  state: ComponentState;
  stateSince: EpochMs;
  createdAt: EpochMs;
  updatedAt: EpochMs;
  /** Retired: off the page, its history kept. */
  archivedAt: EpochMs | null;
}

/** One state a component was put in; `author` and `reason` are internal, never public. */
export interface ComponentStateChange {
  componentId: number;
  state: ComponentState;
  at: EpochMs;
  author: string;
  reason: string;
}

/** The components (of `components`) that stand for any of the incident's services. */
export function componentsOfServices<C extends Pick<StatusComponent, 'services'>>(
  components: readonly C[],
  services: readonly string[],
): C[] {
  const wanted = new Set(services.map((service) => service.toLowerCase()));
  return components.filter((component) =>
    component.services.some((service) => wanted.has(service.toLowerCase())),
  );
}
