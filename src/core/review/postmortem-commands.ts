/**
 * The decisions about a postmortem: writing a section, marking the review
 * complete, reopening it. Each checks the request against the incident as it
 * stands and answers with the entries to append, or a UserError.
 */
import { UserError } from '../errors.js';
import type { Change } from '../incident/commands.js';
import type { IncidentState } from '../incident/incident.js';
import type { SeverityLevel } from '../severity/framework.js';
import { assertCanComplete, parsePostmortemSection } from './postmortem-record.js';

/** What a written section may hold: enough for a long review, not a dump of a log. */
export const MAX_SECTION_CHARS = 20_000;

function assertDraft(state: IncidentState, what: string): void {
  if (state.postmortem.status === 'complete')
    throw new UserError(
      `the postmortem of ${state.key} is complete, so ${what}; reopen it first with \`calm postmortem reopen --reason "..."\``,
      'illegal_transition',
    );
}

/** A section written by a person; the same text again records nothing. */
export function writeSection(state: IncidentState, sectionName: string, text: string): Change[] {
  const section = parsePostmortemSection(sectionName);
  const trimmed = text.trim();
  if (!trimmed)
    throw new UserError(
      `the ${section.replace(/_/g, '-')} section is empty; write its text, e.g. calm postmortem write ${section.replace(/_/g, '-')} "..."`,
    );
  if (trimmed.length > MAX_SECTION_CHARS)
    throw new UserError(
      `the ${section.replace(/_/g, '-')} section has ${trimmed.length} characters; keep it under ${MAX_SECTION_CHARS} and link to longer material`,
      'too_large',
    );
  assertDraft(state, 'its sections cannot change');
  if (state.postmortem.sections[section]?.text === trimmed) return [];
  return [{ body: { kind: 'postmortem_section', section, text: trimmed } }];
}

/**
 * Complete once the incident is over: resolved or closed, since a review of an
 * incident still running would miss its end; and where the level requires a
 * postmortem, only with action items that have owners (assertCanComplete).
 */
export function completePostmortem(
  state: IncidentState,
  level: SeverityLevel | undefined,
): Change[] {
  if (state.status !== 'resolved' && state.status !== 'closed')
    throw new UserError(
      `${state.key} is ${state.status}; resolve it before completing its postmortem (\`calm resolve\`)`,
      'illegal_transition',
    );
  if (state.postmortem.status === 'complete')
    throw new UserError(
      `the postmortem of ${state.key} is already complete; reopen it with \`calm postmortem reopen --reason "..."\` to change it`,
      'illegal_transition',
    );
  assertCanComplete(state.key, level, state.actionItems);
  return [{ body: { kind: 'postmortem_status', status: 'complete' } }];
}

export function reopenPostmortem(state: IncidentState, reason: string): Change[] {
  const why = reason.trim();
  if (!why)
    throw new UserError(
      'say why the postmortem is reopened, e.g. --reason "the restore took longer than we wrote"',
    );
  if (state.postmortem.status !== 'complete')
    throw new UserError(
      `the postmortem of ${state.key} is not complete, so there is nothing to reopen; edit it with \`calm postmortem write\``,
      'illegal_transition',
    );
  return [{ body: { kind: 'postmortem_status', status: 'draft', reason: why } }];
}
