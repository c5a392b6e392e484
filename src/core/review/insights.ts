import { CAUSE_CATEGORIES, type CauseCategory } from '../cause/categories.js';
import type { IncidentState } from '../incident/incident.js';
import type { Milestone } from '../incident/milestones.js';
import { isOpenActionItem } from './action-item.js';
import type { IncidentSignals } from './recurrence.js';
import { type RecurringGroup, recurringGroups } from './recurring-groups.js';

/**
 * What a team's incidents say together: how many, where, why, and how long
 * each stage took, month by month. Every figure comes with the number of
 * incidents it is made of (n): a median of two is a hint, not a trend.
 */

/** Each time is measured between two milestones; the first present of `from` is the start. */
export const TIMES = {
  detect: { from: ['impact_started'], to: 'detected' },
  acknowledge: { from: ['detected', 'declared'], to: 'acknowledged' },
  resolve: { from: ['impact_started', 'declared'], to: 'resolved' },
} as const satisfies Record<string, { from: readonly Milestone[]; to: Milestone }>;
export type TimeMeasure = keyof typeof TIMES;
export const TIME_MEASURES = Object.keys(TIMES) as TimeMeasure[];

export const TIME_DEFINITIONS: Readonly<Record<TimeMeasure, string>> = {
  detect: 'time to detect: impact started -> detected (incidents with both recorded)',
  acknowledge:
    'time to acknowledge: detected (else declared) -> acknowledged (a commander took command)',
  resolve: 'time to resolve: impact started (else declared) -> resolved',
};

export interface Figure {
  /** How many incidents the figure is made of. */
  n: number;
  /** Milliseconds; null when n is 0. */
  mean: number | null;
  median: number | null;
}

export interface MonthTimes {
  /** YYYY-MM, UTC, of when the incidents were declared. */
  month: string;
  incidents: number;
  times: Record<TimeMeasure, Figure>;
}

export interface Count {
  key: string;
  label: string;
  count: number;
}

export interface Insights {
  /** Incidents counted: declined ones (not incidents after all) are left out. */
  incidents: number;
  declined: number;
  bySeverity: Count[];
  byService: Count[];
  byCause: Count[];
  times: {
    definitions: Record<TimeMeasure, string>;
    overall: Record<TimeMeasure, Figure>;
    byMonth: MonthTimes[];
  };
  actionItems: { open: number; incidents: number };
  /** Resolved or closed incidents whose level requires a postmortem that is not complete. */
  postmortemsOutstanding: { count: number; keys: string[] };
  recurring: RecurringGroup[];
}

export interface InsightsInput {
  incidents: readonly IncidentState[];
  /** Whether a severity level's policy requires a postmortem. */
  requiresPostmortem(severity: string | null): boolean;
  /** Each incident's recurrence signals, when the caller read their timelines. */
  signals?: readonly IncidentSignals[];
}

export function durationOf(state: IncidentState, measure: TimeMeasure): number | undefined {
  const { from, to } = TIMES[measure];
  const end = state.milestones[to];
  const start = from.map((m) => state.milestones[m]).find((at) => at !== undefined);
  if (end === undefined || start === undefined || end < start) return undefined;
  return end - start;
}

export function figureOf(values: readonly number[]): Figure {
  if (!values.length) return { n: 0, mean: null, median: null };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { n: sorted.length, mean: Math.round(mean), median: Math.round(median) };
}

function timesOf(incidents: readonly IncidentState[]): Record<TimeMeasure, Figure> {
  const entries = TIME_MEASURES.map((measure) => {
    const values = incidents
      .map((state) => durationOf(state, measure))
      .filter((v) => v !== undefined);
    return [measure, figureOf(values)] as const;
  });
  return Object.fromEntries(entries) as Record<TimeMeasure, Figure>;
}

function tally(keys: Iterable<string>, label: (key: string) => string = (k) => k): Count[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => ({ key, label: label(key), count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

const monthOf = (state: IncidentState) =>
  new Date(state.milestones.declared ?? state.lastEntryAt).toISOString().slice(0, 7);

export function computeInsights(input: InsightsInput): Insights {
  const counted = input.incidents.filter((s) => s.status !== 'declined');
  const months = new Map<string, IncidentState[]>();
  for (const state of counted)
    months.set(monthOf(state), [...(months.get(monthOf(state)) ?? []), state]);
  const outstanding = counted.filter(
    (s) =>
      (s.status === 'resolved' || s.status === 'closed') &&
      input.requiresPostmortem(s.severity) &&
      s.postmortem.status !== 'complete',
  );
  const openItems = counted.map((s) => s.actionItems.filter(isOpenActionItem).length);
  const countedIds = new Set(counted.map((s) => s.id));
  return {
    incidents: counted.length,
    declined: input.incidents.length - counted.length,
    bySeverity: tally(counted.map((s) => s.severity ?? 'unrated')),
    byService: tally(counted.flatMap((s) => [...new Set(s.services)])),
    byCause: tally(
      counted.flatMap((s) => [...new Set(s.causeChain.flatMap((link) => link.categories))]),
      (key) => CAUSE_CATEGORIES[key as CauseCategory] ?? key,
    ),
    times: {
      definitions: { ...TIME_DEFINITIONS },
      overall: timesOf(counted),
      byMonth: [...months]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, states]) => ({ month, incidents: states.length, times: timesOf(states) })),
    },
    actionItems: {
      open: openItems.reduce((sum, n) => sum + n, 0),
      incidents: openItems.filter((n) => n > 0).length,
    },
    postmortemsOutstanding: {
      count: outstanding.length,
      keys: [...outstanding].sort((a, b) => a.id - b.id).map((s) => s.key),
    },
    recurring: recurringGroups((input.signals ?? []).filter((s) => countedIds.has(s.id))),
  };
}
