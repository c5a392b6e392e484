/**
 * Calm's drafts of the sections about the work: who responded and who was
 * told, the investigation, the cause chain and the resolution.
 */
import { CAUSE_CATEGORIES, type CauseCategory } from '../cause/categories.js';
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
import { updateSummary } from './stages.js';
import { formatSpan } from './stages-text.js';

export function response(ctx: DraftContext): string {
  const { state, stages, clock } = ctx;
  const { commander, communications, scribe, responders } = state.roles;
  const ack = stageMs(ctx, 'acknowledge');
  const roles = [
    commander &&
      `Incident commander: ${commander}${ack !== undefined ? ` (took command ${formatSpan(ack)} after detection)` : ''}.`,
    communications && `Communications: ${communications}.`,
    scribe && `Scribe: ${scribe}.`,
    responders.length > 0 && `Responders: ${responders.join(', ')}.`,
  ].filter((line): line is string => Boolean(line));
  const timing = new Map(stages.updates.filter((u) => u.seq !== undefined).map((u) => [u.seq, u]));
  const told = state.tellings.map((t) => {
    const late = timing.get(t.seq);
    const note = late
      ? late.lateByMs > 0
        ? ` (${formatSpan(late.lateByMs)} late)`
        : ' (on time)'
      : '';
    return `${clock(t.at)}: ${t.to} via ${t.via}${note}`;
  });
  const missed = new Map(
    stages.updates.filter((u) => u.at === undefined).map((u) => [u.audience, u.dueAt]),
  );
  const cadence = updateSummary(stages.updates).map((row) => {
    const sent = `${row.sent} update${row.sent === 1 ? '' : 's'}`;
    const timing = row.late
      ? `, ${row.late} late (worst ${formatSpan(row.worstMs)})`
      : row.sent
        ? ', all on time'
        : '';
    const due = missed.get(row.audience);
    const end =
      due === undefined ? '' : `; the one due at ${clock(due)} did not go out before the end`;
    return `${capitalised(row.audience)}: ${sent}${timing}${end}.`;
  });
  return paragraphs(
    roles.length ? list(roles) : 'No roles were recorded.',
    told.length
      ? `Who was told, when and how:\n${list(told)}`
      : 'Nobody was recorded as told (`calm update`, `calm told`).',
    cadence.length > 0 && `Against the ${ctx.level?.key ?? ''} update cadence:\n${list(cadence)}`,
  );
}

export function investigation(ctx: DraftContext): string {
  const { clock } = ctx;
  const lines = ctx.stages.hypotheses.map((h) =>
    h.decidedAt === undefined
      ? `H${h.number}: ${sentence(h.statement)} Proposed at ${clock(h.proposedAt)}; still ${h.status} after ${formatSpan(h.openMs)}.`
      : `H${h.number}: ${sentence(h.statement)} Proposed at ${clock(h.proposedAt)}; ${h.status} after ${formatSpan(h.openMs)}${h.reason ? `: ${sentence(h.reason)}` : '.'}`,
  );
  const findings = writtenEntries(ctx, ['finding']);
  return paragraphs(
    lines.length ? list(lines) : 'No hypotheses were recorded.',
    findings.length > 0 &&
      `${findings.length} finding${findings.length === 1 ? ' was' : 's were'} logged; the timeline lists them.`,
    prompt('What else was considered, and what would have narrowed the search sooner?'),
  );
}

export function rootCause(ctx: DraftContext): string {
  const chain = ctx.state.causeChain;
  if (!chain.length)
    return prompt(
      'No cause chain was recorded. From the symptom to the root cause: what led to what?',
    );
  const categories = [...new Set(chain.flatMap((link) => link.categories))] as CauseCategory[];
  return paragraphs(
    `From the symptom to the root cause:\n\n${chain.map((link, i) => `${i + 1}. ${sentence(link.text)}${link.root ? ' (root cause)' : ''}`).join('\n')}`,
    categories.length > 0 &&
      `Contributing-factor categories: ${categories.map((c) => CAUSE_CATEGORIES[c]).join(', ')}.`,
  );
}

export function resolution(ctx: DraftContext): string {
  const { state, clock } = ctx;
  const m = state.milestones;
  const identified = writtenEntries(ctx, ['status_changed']).find(
    (e) => e.entry.body.kind === 'status_changed' && e.entry.body.to === 'identified',
  )?.entry.occurredAt;
  const end = m.mitigated ?? m.resolved;
  const steps = writtenEntries(ctx, ['action', 'decision']).filter(
    (e) =>
      (identified === undefined || e.entry.occurredAt >= identified) &&
      (end === undefined || e.entry.occurredAt <= end),
  );
  return paragraphs(
    [
      m.mitigated !== undefined && `Mitigated at ${clock(m.mitigated)}.`,
      m.resolved !== undefined && `Resolved at ${clock(m.resolved)}.`,
      m.closed !== undefined && `Closed at ${clock(m.closed)}.`,
    ]
      .filter(Boolean)
      .join(' ') || 'Not resolved yet.',
    steps.length > 0 &&
      `What brought it back${identified !== undefined ? ', once the cause was identified' : ''}:\n${list(steps.map((s) => `${clock(s.entry.occurredAt)}: ${sentence(s.text)}`))}`,
  );
}
