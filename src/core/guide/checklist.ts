import { rootCause } from '../cause/chain.js';
import { isImpactEmpty } from '../incident/impact.js';
import { type IncidentState, lastToldAt } from '../incident/incident.js';
import type { SeverityLevel } from '../severity/framework.js';

/** The practice from the background reading, as steps every incident carries. */
export const STEPS = [
  { key: 'assess', title: 'Assess the impact' },
  { key: 'log', title: 'Start the log' },
  { key: 'report', title: 'Report the problem' },
  { key: 'severity', title: 'Determine the severity' },
  { key: 'root_cause', title: 'Find the root cause' },
  { key: 'resolve', title: 'Resolve the problem' },
  { key: 'review', title: 'Review the log' },
] as const;
export type StepKey = (typeof STEPS)[number]['key'];

export interface StepState {
  key: StepKey;
  title: string;
  done: boolean;
  detail: string;
}

/** Audiences and teams the level says must be told, that have not been. */
export function untold(state: IncidentState, level: SeverityLevel | undefined): string[] {
  return (level?.policy.notify ?? []).filter((who) => lastToldAt(state, who) === undefined);
}

/** Judges each step from what the log holds. */
export function evaluateChecklist(
  state: IncidentState,
  level: SeverityLevel | undefined,
): StepState[] {
  const notTold = untold(state, level);
  const told = [...new Set(state.tellings.map((t) => t.to))];
  const root = rootCause(state.causeChain);
  const confirmed = state.hypotheses.filter((h) => h.status === 'confirmed');
  const judged: Record<StepKey, { done: boolean; detail: string }> = {
    assess: isImpactEmpty(state.impact)
      ? { done: false, detail: 'who is affected? is it as bad as it looks? can you roll back?' }
      : { done: true, detail: 'impact recorded' },
    log: {
      done: state.logged > 0 || state.hypotheses.length > 0,
      detail:
        state.logged > 0
          ? `${state.logged} entries written`
          : 'write down what happened and what you see',
    },
    report: {
      done: told.length > 0 && notTold.length === 0,
      detail:
        told.length === 0
          ? 'nobody has been told yet'
          : notTold.length
            ? `told ${told.join(', ')}; still to tell: ${notTold.join(', ')}`
            : `told ${told.join(', ')}`,
    },
    severity: state.severity
      ? { done: true, detail: `${state.severity}${level ? ` (${level.name})` : ''}` }
      : { done: false, detail: 'not rated yet' },
    root_cause: root
      ? { done: true, detail: root.text }
      : confirmed.length
        ? {
            done: true,
            detail: `confirmed: ${confirmed.map((h) => `H${h.number} ${h.statement}`).join('; ')}`,
          }
        : {
            done: false,
            detail: `${state.hypotheses.length} hypotheses, ${state.hypotheses.filter((h) => h.status === 'eliminated').length} eliminated`,
          },
    resolve: {
      done: state.status === 'resolved' || state.status === 'closed',
      detail: `status ${state.status}`,
    },
    review: {
      done: state.status === 'closed',
      detail:
        state.status === 'closed'
          ? 'reviewed and closed'
          : level?.policy.postmortemRequired
            ? `${level.key} requires a postmortem`
            : 'look back at each stage before closing',
    },
  };
  return STEPS.map((step) => ({ key: step.key, title: step.title, ...judged[step.key] }));
}
