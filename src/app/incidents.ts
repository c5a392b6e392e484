import { parseCauseCategories } from '../core/cause/categories.js';
import { UserError } from '../core/errors.js';
import type { HypothesisStatus } from '../core/hypothesis/hypothesis.js';
import {
  type EntrySeq,
  type EpochMs,
  formatIncidentKey,
  type IncidentId,
  parseIncidentKey,
} from '../core/ids.js';
import * as commands from '../core/incident/commands.js';
import type { Impact } from '../core/incident/impact.js';
import type { IncidentState } from '../core/incident/incident.js';
import { ACTIVE_STATUSES, type Status } from '../core/incident/lifecycle.js';
import type { Milestone } from '../core/incident/milestones.js';
import type { Role } from '../core/incident/roles.js';
import { type Assessment, assessSeverity } from '../core/severity/assessment.js';
import type { AssessmentAnswers } from '../core/severity/framework.js';
import { collectCorrections } from '../core/timeline/corrections.js';
import type { Audience, LoggableKind } from '../core/timeline/entry.js';
import { AlreadyRecordedError } from '../store/store.js';
import type { AppContext } from './context.js';
import {
  type CommandResult,
  createIncidentFrom,
  recorded,
  requireIncident,
  runIncidentCommand,
  writeOptions,
} from './run-command.js';

export { requireIncident };

/** The store setting that remembers which incident commands act on by default. */
const CURRENT_INCIDENT = 'current_incident';

export async function declareIncident(
  ctx: AppContext,
  input: commands.DeclareInput,
): Promise<CommandResult> {
  const framework = await ctx.framework();
  const changes = commands.declareIncident(input, framework);
  let created: CommandResult;
  try {
    created = await createIncidentFrom(ctx, changes, await writeOptions(ctx));
  } catch (error) {
    if (error instanceof AlreadyRecordedError) return recorded(ctx, error);
    throw error;
  }
  await ctx.store.setSetting(CURRENT_INCIDENT, String(created.state.id));
  return created;
}

/** Where the CLI finds the incident a command means when none is named. */
export interface IncidentRefSources {
  /** The current incident (the last declared or `calm use`d), if any. */
  current(): Promise<string | undefined>;
  /** Up to two active incidents: one is unambiguous, two are not. */
  active(): Promise<Pick<IncidentState, 'id'>[]>;
}

export { ACTIVE_STATUSES };

/**
 * Which incident a command means: the one named, else the current one, else
 * the only active one. The same rule embedded and over the API.
 */
export async function chooseIncident(
  ref: string | undefined,
  sources: IncidentRefSources,
): Promise<IncidentId> {
  if (ref) return parseIncidentKey(ref);
  const current = await sources.current();
  if (current) return parseIncidentKey(current);
  const active = await sources.active();
  if (active.length === 1 && active[0]) return active[0].id;
  throw new UserError(
    active.length
      ? 'several incidents are open; pick one with `calm use INC-3` or pass --incident INC-3'
      : 'there is no current incident; declare one with `calm declare "checkout is down"`',
    'not_found',
  );
}

export function resolveIncidentId(ctx: AppContext, ref: string | undefined): Promise<IncidentId> {
  return chooseIncident(ref, {
    current: () => ctx.store.getSetting(CURRENT_INCIDENT),
    active: () => ctx.store.listIncidents({ limit: 2, status: ACTIVE_STATUSES }),
  });
}

export async function useIncident(ctx: AppContext, id: IncidentId): Promise<IncidentState> {
  const state = await ctx.store.getIncident(id);
  if (!state)
    throw new UserError(
      `there is no incident ${formatIncidentKey(id)}; see \`calm list\``,
      'not_found',
    );
  await ctx.store.setSetting(CURRENT_INCIDENT, String(id));
  return state;
}

export const logEntry = (
  ctx: AppContext,
  id: IncidentId,
  kind: LoggableKind,
  text: string,
  at?: EpochMs,
) => runIncidentCommand(ctx, id, () => commands.logText(kind, text), at);

/** Evidence found by a tool (e.g. `calm analyze`), one finding entry each, in one write. */
export const recordFindings = (
  ctx: AppContext,
  id: IncidentId,
  findings: commands.FindingInput[],
  at?: EpochMs,
) => runIncidentCommand(ctx, id, () => commands.recordFindings(findings), at);

export const recordImpact = (
  ctx: AppContext,
  id: IncidentId,
  impact: Impact,
  text?: string,
  at?: EpochMs,
) => runIncidentCommand(ctx, id, () => commands.recordImpact(impact, text), at);

export const proposeHypothesis = (
  ctx: AppContext,
  id: IncidentId,
  statement: string,
  at?: EpochMs,
) => runIncidentCommand(ctx, id, (state) => commands.proposeHypothesis(state, statement), at);

export const moveHypothesis = (
  ctx: AppContext,
  id: IncidentId,
  number: number,
  to: HypothesisStatus,
  reason?: string,
  at?: EpochMs,
) => runIncidentCommand(ctx, id, (state) => commands.moveHypothesis(state, number, to, reason), at);

export async function setSeverity(
  ctx: AppContext,
  id: IncidentId,
  key: string,
  reason: string,
  at?: EpochMs,
) {
  const framework = await ctx.framework();
  return runIncidentCommand(
    ctx,
    id,
    (state) => commands.setSeverity(state, framework, key, reason),
    at,
  );
}

/** Answers the impact questions from what the log already says, where it says it. */
export function answersFromImpact(state: IncidentState): AssessmentAnswers {
  const impact = state.impact;
  const answers: AssessmentAnswers = {};
  if (impact.affected) answers.affected = impact.affected;
  if (impact.dataLost || impact.dataBreached) answers.dataLoss = true;
  if (impact.workaroundAvailable !== undefined) answers.workaround = impact.workaroundAvailable;
  if (impact.customerFacingServices?.length) answers.customerFacing = true;
  return answers;
}

export async function suggestSeverity(
  ctx: AppContext,
  answers: AssessmentAnswers,
): Promise<Assessment> {
  return assessSeverity(await ctx.framework(), answers);
}

/** Rates the incident from the answers and records the level with the rule's reason. */
export async function assessAndSetSeverity(
  ctx: AppContext,
  id: IncidentId,
  answers: AssessmentAnswers,
  at?: EpochMs,
): Promise<CommandResult & { assessment: Assessment }> {
  const framework = await ctx.framework();
  const assessment = assessSeverity(framework, answers);
  const result = await runIncidentCommand(
    ctx,
    id,
    (state) =>
      state.severity === assessment.level.key
        ? []
        : commands.setSeverity(
            state,
            framework,
            assessment.level.key,
            `assessed: ${assessment.reason}`,
          ),
    at,
  );
  return { ...result, assessment };
}

export const assignRole = (
  ctx: AppContext,
  id: IncidentId,
  role: Role,
  person: string,
  remove: boolean,
  at?: EpochMs,
) => runIncidentCommand(ctx, id, (state) => commands.assignRole(state, role, person, remove), at);

export const changeStatus = (
  ctx: AppContext,
  id: IncidentId,
  to: Status,
  reason?: string,
  at?: EpochMs,
) => runIncidentCommand(ctx, id, (state) => commands.changeStatus(state, to, reason), at);

export const postStatusUpdate = (
  ctx: AppContext,
  id: IncidentId,
  audience: Audience,
  text: string,
  at?: EpochMs,
) => runIncidentCommand(ctx, id, () => commands.recordStatusUpdate(audience, text), at);

export const recordCommunication = (
  ctx: AppContext,
  id: IncidentId,
  to: string,
  via: string,
  text?: string,
  at?: EpochMs,
) => runIncidentCommand(ctx, id, () => commands.recordCommunication(to, via, text), at);

export const addCauseLink = (
  ctx: AppContext,
  id: IncidentId,
  text: string,
  categories: string[],
  root: boolean,
  at?: EpochMs,
) => {
  const parsed = parseCauseCategories(categories);
  return runIncidentCommand(ctx, id, () => commands.addCauseLink(text, parsed, root), at);
};

export const setMilestone = (ctx: AppContext, id: IncidentId, milestone: Milestone, at: EpochMs) =>
  runIncidentCommand(ctx, id, () => commands.setMilestone(milestone, at));

export const changeDetails = (
  ctx: AppContext,
  id: IncidentId,
  details: { title?: string; summary?: string; services?: string[] },
) => runIncidentCommand(ctx, id, () => commands.changeDetails(details));

export async function correctEntry(
  ctx: AppContext,
  id: IncidentId,
  target: EntrySeq,
  action: 'amend' | 'strike',
  reason: string,
  text?: string,
) {
  return runIncidentCommand(ctx, id, async (state) => {
    const entry = await ctx.store.getEntry(id, target);
    const corrections = collectCorrections(await ctx.store.listEntries(id, { afterSeq: target }));
    const struck = corrections.get(target)?.struck !== undefined;
    return commands.correctEntry(state, entry, target, { struck }, action, reason, text);
  });
}

export async function getTimeline(ctx: Pick<AppContext, 'store'>, id: IncidentId) {
  const [state, entries] = await Promise.all([
    ctx.store.getIncident(id),
    ctx.store.listEntries(id),
  ]);
  if (!state)
    throw new UserError(
      `there is no incident ${formatIncidentKey(id)}; see \`calm list\``,
      'not_found',
    );
  return { state, entries };
}
