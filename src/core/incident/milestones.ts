import { UserError } from '../errors.js';

/** The moments a review measures time between. Impact may start before anyone declares. */
export const MILESTONES = [
  'impact_started',
  'detected',
  'declared',
  'acknowledged',
  'mitigated',
  'resolved',
  'closed',
] as const;
export type Milestone = (typeof MILESTONES)[number];

export function parseMilestone(value: string): Milestone {
  const normalized = value.trim().toLowerCase().replace(/[- ]/g, '_');
  const milestone = (MILESTONES as readonly string[]).includes(normalized)
    ? (normalized as Milestone)
    : undefined;
  if (!milestone) {
    throw new UserError(
      `unknown milestone "${value}"; use one of ${MILESTONES.map((m) => m.replace('_', '-')).join(', ')}`,
    );
  }
  return milestone;
}

export function milestoneLabel(milestone: Milestone): string {
  return milestone.replace('_', ' ');
}
