/**
 * Calm's draft of each postmortem section, from facts in the log. Where the
 * log cannot know (how many people were affected, where luck helped), the
 * draft asks instead, as a prompt in italics for the person writing it.
 */
import { describeImpact } from '../incident/impact.js';
import { investigation, resolution, response, rootCause } from './postmortem-draft-work.js';
import { wentPoorly, wentWell } from './postmortem-facts.js';
import type { PostmortemSection } from './postmortem-record.js';
import {
  capitalised,
  type DraftContext,
  list,
  paragraphs,
  prompt,
  sentence,
  stageMs,
  writtenEntries,
} from './postmortem-text.js';
import { formatSpan } from './stages-text.js';

export type { DraftContext } from './postmortem-text.js';
// the personal postmortem (personal-postmortem.ts) drafts with the same helpers
export { prompt, writtenEntries } from './postmortem-text.js';

function summary(ctx: DraftContext): string {
  const { state, stages, level, clock } = ctx;
  const root = state.causeChain.find((link) => link.root);
  const timing = [
    stageMs(ctx, 'detect') !== undefined &&
      `detected after ${formatSpan(stageMs(ctx, 'detect') ?? 0)}`,
    stageMs(ctx, 'mitigate') !== undefined &&
      `mitigated ${formatSpan(stageMs(ctx, 'mitigate') ?? 0)} after detection`,
    stageMs(ctx, 'resolve') !== undefined &&
      `resolved ${formatSpan(stageMs(ctx, 'resolve') ?? 0)} after detection`,
  ].filter(Boolean);
  return paragraphs(
    `${sentence(state.title)}${state.summary ? ` ${sentence(capitalised(state.summary))}` : ''}`,
    [
      level
        ? `Severity ${level.key} (${level.name}).`
        : state.severity
          ? `Severity ${state.severity}.`
          : 'No severity was set.',
      state.services.length ? `Services: ${state.services.join(', ')}.` : '',
      `Status: ${state.status}.`,
    ]
      .filter(Boolean)
      .join(' '),
    stages.impact &&
      `Impact lasted ${formatSpan(stages.impact.ms)}${stages.impact.ongoing ? ' so far' : ''}, from ${clock(stages.impact.from)}${stages.impact.ongoing ? '' : ` to ${clock(stages.impact.to)}`}${timing.length ? `; ${timing.join(', ')}` : ''}.`,
    root && `Root cause: ${sentence(root.text)}`,
  );
}

function impact(ctx: DraftContext): string {
  const { state, stages } = ctx;
  const seen = writtenEntries(ctx, ['impact']).filter((e) => e.text);
  const facts = [
    state.impact.affected || state.impact.customerFacingServices?.length
      ? `Who: ${describeImpact({ affected: state.impact.affected, customerFacingServices: state.impact.customerFacingServices })}.`
      : 'Who: not recorded.',
    `Data lost: ${state.impact.dataLost ? 'yes' : state.impact.dataLost === false ? 'no' : 'not recorded'}; data breached: ${state.impact.dataBreached ? 'yes' : state.impact.dataBreached === false ? 'no' : 'not recorded'}.`,
    state.impact.workaroundAvailable !== undefined &&
      `Workaround: ${state.impact.workaroundAvailable ? 'available' : 'none'}.`,
    stages.impact &&
      `How long: ${formatSpan(stages.impact.ms)}${stages.impact.ongoing ? ' so far' : ''}.`,
  ].filter((fact): fact is string => Boolean(fact));
  const counted = [...seen.map((e) => e.text), state.impact.description ?? ''].some((t) =>
    /\d/.test(t),
  );
  return paragraphs(
    list(facts),
    seen.length > 0 &&
      `What people saw:\n${list(seen.map((e) => `${ctx.clock(e.entry.occurredAt)}: ${sentence(e.text)}`))}`,
    !counted &&
      prompt(
        'How many users, requests or records were affected? The log does not say; write the figures here.',
      ),
  );
}

function detection(ctx: DraftContext): string {
  const { state, clock } = ctx;
  const m = state.milestones;
  const detect = stageMs(ctx, 'detect');
  return paragraphs(
    m.impact_started !== undefined
      ? `Impact started at ${clock(m.impact_started)}.`
      : 'When impact started was not recorded (`calm milestone impact-started --at ...`).',
    m.detected !== undefined
      ? `It was detected at ${clock(m.detected)}${detect !== undefined ? `, ${formatSpan(detect)} later (time to detect)` : ''}.`
      : 'When it was detected was not recorded (`calm milestone detected --at ...`).',
    m.declared !== undefined &&
      `${state.declaredBy} declared the incident at ${clock(m.declared)}${stageMs(ctx, 'declare') !== undefined ? `, ${formatSpan(stageMs(ctx, 'declare') ?? 0)} after detection` : ''}.`,
    prompt(
      'How was it noticed: an alert, a customer, a person looking at a graph? What would have shown it sooner?',
    ),
  );
}

export function draftSection(section: PostmortemSection, ctx: DraftContext): string {
  switch (section) {
    case 'summary':
      return summary(ctx);
    case 'impact':
      return impact(ctx);
    case 'detection':
      return detection(ctx);
    case 'response':
      return response(ctx);
    case 'investigation':
      return investigation(ctx);
    case 'root_cause':
      return rootCause(ctx);
    case 'resolution':
      return resolution(ctx);
    case 'went_well':
      return paragraphs(
        list(wentWell(ctx)),
        prompt('What else helped? Say what made it work, so it happens again.'),
      );
    case 'went_poorly':
      return paragraphs(
        list(wentPoorly(ctx)),
        prompt('What else slowed the response? Describe the system and the process, not a person.'),
      );
    case 'lucky':
      return prompt(
        'Where did luck help: a backup that happened to exist, a person who happened to be around, a quiet hour? Luck is not a plan; each is worth an action item.',
      );
  }
}
