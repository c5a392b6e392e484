/**
 * Insights across incidents and recurrence links, read from the store: the
 * incidents of a period, and for each its timeline's evidence (one read per
 * incident). Personal incidents (personal mode) are one engineer's own and
 * stay out of the team's figures unless asked for.
 */
import { type EpochMs, formatIncidentKey, type IncidentId } from '../core/ids.js';
import type { IncidentState } from '../core/incident/incident.js';
import { computeInsights, type Insights } from '../core/review/insights.js';
import {
  earlierOccurrences,
  type IncidentSignals,
  type RecurrenceLink,
  signalsOf,
} from '../core/review/recurrence.js';
import { findLevel } from '../core/severity/framework.js';
import type { IncidentStore } from '../store/store.js';
import type { AppContext } from './context.js';
import { requireIncident } from './run-command.js';

const PAGE = 1000;

export interface InsightsRange {
  since?: EpochMs;
  until?: EpochMs;
  /** Count personal incidents too (personal mode); the team's figures leave them out. */
  includePersonal?: boolean;
}

/** Every incident declared in the range, newest first, page by page. */
async function allIncidents(store: IncidentStore, range: InsightsRange): Promise<IncidentState[]> {
  const all: IncidentState[] = [];
  let after: { declaredAt: number; id: number } | undefined;
  for (;;) {
    const page = await store.listIncidents({
      ...(range.since !== undefined ? { since: range.since } : {}),
      ...(range.until !== undefined ? { until: range.until } : {}),
      limit: PAGE,
      ...(after ? { after } : {}),
    });
    all.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || !last) break;
    after = { declaredAt: last.milestones.declared ?? last.lastEntryAt, id: last.id };
  }
  return range.includePersonal ? all : all.filter((state) => !state.personal);
}

async function signalsOfAll(
  store: IncidentStore,
  states: readonly IncidentState[],
): Promise<IncidentSignals[]> {
  const signals: IncidentSignals[] = [];
  for (const state of states) signals.push(signalsOf(state, await store.listEntries(state.id)));
  return signals;
}

export type InsightsReport = Insights & {
  period: { since: EpochMs | null; until: EpochMs | null };
  personalIncluded: boolean;
};

export async function getInsights(
  ctx: Pick<AppContext, 'store' | 'framework'>,
  range: InsightsRange = {},
): Promise<InsightsReport> {
  const framework = await ctx.framework();
  const incidents = await allIncidents(ctx.store, range);
  const insights = computeInsights({
    incidents,
    requiresPostmortem: (severity) =>
      severity !== null && findLevel(framework, severity)?.policy.postmortemRequired === true,
    signals: await signalsOfAll(ctx.store, incidents),
  });
  return {
    period: { since: range.since ?? null, until: range.until ?? null },
    personalIncluded: range.includePersonal === true,
    ...insights,
  };
}

export interface RelatedIncidents {
  incident: string;
  /** The earlier incidents this one repeats, most alike first. */
  earlier: RecurrenceLink[];
}

/**
 * "This happened before": the earlier incidents an incident repeats. A team
 * incident is compared with team incidents; a personal one with everything on
 * this machine, since its engineer may see all of it.
 */
export async function relatedIncidents(
  ctx: Pick<AppContext, 'store'>,
  id: IncidentId,
): Promise<RelatedIncidents> {
  const state = await requireIncident(ctx, id);
  const declaredAt = state.milestones.declared ?? state.lastEntryAt;
  const earlier = await allIncidents(ctx.store, {
    until: (declaredAt + 1) as EpochMs,
    includePersonal: state.personal === true,
  });
  const target = signalsOf(state, await ctx.store.listEntries(id));
  const candidates = earlier.filter((s) => s.id !== id);
  // Without evidence of its own it can only share a cause and a service, which the
  // states say: the others' timelines need not be read (calm show asks every time).
  const others =
    target.templates.length || target.stacks.length
      ? await signalsOfAll(ctx.store, candidates)
      : candidates.map((other) => signalsOf(other, []));
  return { incident: formatIncidentKey(id), earlier: earlierOccurrences(target, others) };
}
