import type { EpochMs } from '../ids.js';
import { type IncidentState, lastToldAt } from '../incident/incident.js';
import { isActive } from '../incident/lifecycle.js';
import type { SeverityLevel } from '../severity/framework.js';
import type { Audience } from '../timeline/entry.js';

export interface UpdateDue {
  audience: Audience;
  everyMs: number;
  lastAt?: EpochMs;
  dueAt: EpochMs;
  /** Positive when the update is late. */
  overdueByMs: number;
}

/**
 * When each audience the level names must next hear from the incident: one
 * cadence after the last time it was told, or after the incident was declared.
 * Only active incidents have updates due.
 */
export function updateSchedule(
  state: IncidentState,
  level: SeverityLevel | undefined,
  now: EpochMs,
): UpdateDue[] {
  if (!level || !isActive(state.status)) return [];
  const declaredAt = state.milestones.declared ?? state.lastEntryAt;
  return (Object.entries(level.policy.updateEvery) as [Audience, number][]).map(
    ([audience, everyMs]) => {
      const lastAt = lastToldAt(state, audience);
      const dueAt = ((lastAt ?? declaredAt) + everyMs) as EpochMs;
      return {
        audience,
        everyMs,
        ...(lastAt !== undefined ? { lastAt } : {}),
        dueAt,
        overdueByMs: now - dueAt,
      };
    },
  );
}
