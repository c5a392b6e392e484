/**
 * Personal mode: one engineer's own incident on their own machine, and its
 * personal postmortem. A personal incident is declared with `personal: true`
 * on its declaration; from then on it is an incident like any other on this
 * machine (log, hypotheses, action items), except that it tells nobody (no
 * notifications: run-command.ts), the team server refuses it (declaring over
 * the API, importing), and the team's insights and status page leave it out.
 */
import { UserError } from '../core/errors.js';
import type { EpochMs, IncidentId } from '../core/ids.js';
import {
  writePersonalSection as decideSection,
  draftPersonalPostmortem,
  type PersonalPostmortem,
  renderPersonalPostmortem,
} from '../core/review/personal-postmortem.js';
import type { AppContext } from './context.js';
import { getTimeline } from './incidents.js';
import { reviewClock } from './postmortem.js';
import { type CommandResult, runIncidentCommand } from './run-command.js';

export async function personalPostmortem(
  ctx: Pick<AppContext, 'store' | 'framework' | 'clock'>,
  id: IncidentId,
): Promise<{ model: PersonalPostmortem; markdown: string }> {
  const { state, entries } = await getTimeline(ctx, id);
  if (!state.personal)
    throw new UserError(
      `${state.key} is a team incident; its review is \`calm postmortem ${state.key}\` (declare your own with \`calm declare --personal\`)`,
    );
  const model = draftPersonalPostmortem({
    state,
    entries,
    framework: await ctx.framework(),
    now: ctx.clock.now(),
    clock: reviewClock,
  });
  return { model, markdown: renderPersonalPostmortem(model, reviewClock) };
}

export const writePersonalSection = (
  ctx: AppContext,
  id: IncidentId,
  section: string,
  text: string,
  at?: EpochMs,
): Promise<CommandResult> =>
  runIncidentCommand(ctx, id, (state) => decideSection(state, section, text), at);
