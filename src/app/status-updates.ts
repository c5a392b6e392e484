/**
 * Status updates: a draft to edit, the one-keystroke "no new information"
 * update, and when each audience must next hear from the incident. The same
 * use cases serve the CLI, the API and (through it) the web app.
 */
import {
  composeUpdate,
  type DueText,
  noNewsUpdate,
  type UpdateDraft,
  updatesDue,
} from '../core/communication/composer.js';
import type { EpochMs, IncidentId } from '../core/ids.js';
import * as commands from '../core/incident/commands.js';
import type { IncidentState } from '../core/incident/incident.js';
import { findLevel, type SeverityLevel } from '../core/severity/framework.js';
import type { Audience } from '../core/timeline/entry.js';
import type { AppContext } from './context.js';
import { getTimeline } from './incidents.js';
import { type CommandResult, requireIncident, runIncidentCommand } from './run-command.js';

/** "14:30 UTC": the hour in the process's zone, named, since an update is read elsewhere. */
export function updateClock(at: EpochMs): string {
  return new Date(at).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}

async function levelOf(ctx: AppContext, state: IncidentState): Promise<SeverityLevel | undefined> {
  return state.severity ? findLevel(await ctx.framework(), state.severity) : undefined;
}

/** A draft update to one audience, from the incident as it stands. */
export async function draftStatusUpdate(
  ctx: AppContext,
  id: IncidentId,
  audience: Audience,
): Promise<UpdateDraft> {
  const { state, entries } = await getTimeline(ctx, id);
  return composeUpdate({
    state,
    entries,
    level: await levelOf(ctx, state),
    audience,
    now: ctx.clock.now(),
    clock: updateClock,
  });
}

/** Posts "no new information since ..., next update by ..." to the audience. */
export async function postNoNewsUpdate(
  ctx: AppContext,
  id: IncidentId,
  audience: Audience,
  at?: EpochMs,
): Promise<CommandResult> {
  const framework = await ctx.framework();
  return runIncidentCommand(
    ctx,
    id,
    (state) => {
      const level = state.severity ? findLevel(framework, state.severity) : undefined;
      const text = noNewsUpdate(state, level, audience, at ?? ctx.clock.now(), updateClock);
      return commands.recordStatusUpdate(audience, text);
    },
    at,
  );
}

/** When each audience the severity names must next hear from the incident. */
export async function statusUpdatesDue(
  ctx: AppContext,
  id: IncidentId,
): Promise<{ incident: IncidentState; updates: DueText[] }> {
  const state = await requireIncident(ctx, id);
  return {
    incident: state,
    updates: updatesDue(state, await levelOf(ctx, state), ctx.clock.now()),
  };
}
