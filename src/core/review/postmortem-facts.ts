/**
 * What went well and what went poorly, as far as the log shows it: the
 * measures of the stage review read against simple expectations. They are
 * starting points for the people writing the review, worded about the
 * response and the system, never about a person.
 */
import type { DraftContext } from './postmortem-text.js';
import { updateSummary } from './stages.js';
import { formatSpan } from './stages-text.js';

/** Noticed within this counts as quick; longer is worth asking about. */
const QUICK_DETECTION_MS = 15 * 60_000;
const QUICK_ACK_MS = 15 * 60_000;
/** A hypothesis open longer than this is where time went. */
const LONG_HYPOTHESIS_MS = 60 * 60_000;

const stage = (ctx: DraftContext, name: string) =>
  ctx.stages.stages.find((s) => s.stage === name)?.ms;

export function wentWell(ctx: DraftContext): string[] {
  const out: string[] = [];
  const detect = stage(ctx, 'detect');
  if (detect !== undefined && detect <= QUICK_DETECTION_MS)
    out.push(`Impact was noticed within ${formatSpan(detect)} of its start.`);
  const ack = stage(ctx, 'acknowledge');
  if (ack !== undefined && ack <= QUICK_ACK_MS)
    out.push(`An incident commander took command within ${formatSpan(ack)} of detection.`);
  for (const row of updateSummary(ctx.stages.updates))
    if (row.sent > 0 && row.late === 0 && row.missed === 0)
      out.push(
        `Every update to ${row.audience} went out on the level's cadence (${row.sent} update${row.sent === 1 ? '' : 's'}).`,
      );
  const decided = ctx.stages.hypotheses.filter(
    (h) => h.status === 'eliminated' && h.reason !== undefined,
  );
  if (decided.length)
    out.push(
      decided.length === 1
        ? '1 hypothesis was ruled out, with the evidence recorded.'
        : `${decided.length} hypotheses were ruled out, each with the evidence recorded.`,
    );
  if (!ctx.stages.gaps.length && ctx.entries.length > 1)
    out.push(
      `The log kept up: no silence longer than ${formatSpan(ctx.stages.gapMinutes * 60_000)}.`,
    );
  if (ctx.state.causeChain.some((link) => link.root))
    out.push('The cause chain was traced to a root cause.');
  return out;
}

export function wentPoorly(ctx: DraftContext): string[] {
  const out: string[] = [];
  const detect = stage(ctx, 'detect');
  if (detect !== undefined && detect > QUICK_DETECTION_MS)
    out.push(`Impact went unnoticed for ${formatSpan(detect)}.`);
  const ack = stage(ctx, 'acknowledge');
  if (ack !== undefined && ack > QUICK_ACK_MS)
    out.push(`It took ${formatSpan(ack)} from detection until an incident commander took command.`);
  for (const row of updateSummary(ctx.stages.updates)) {
    const missed = ctx.stages.updates.find((u) => u.audience === row.audience && !u.at);
    const parts = [
      row.late && `${row.late} of ${row.sent} went out late (worst ${formatSpan(row.worstMs)})`,
      missed && `the one due at ${ctx.clock(missed.dueAt)} did not go out before the end`,
    ].filter(Boolean);
    if (parts.length) out.push(`Updates to ${row.audience}: ${parts.join('; ')}.`);
  }
  for (const h of ctx.stages.hypotheses)
    if (h.openMs > LONG_HYPOTHESIS_MS)
      out.push(
        `H${h.number} stayed ${h.decidedAt === undefined ? 'open' : `open ${formatSpan(h.openMs)} before it was ${h.status}`}${h.decidedAt === undefined ? ` for ${formatSpan(h.openMs)}` : ''}.`,
      );
  const { gaps } = ctx.stages;
  if (gaps.length) {
    const longest = gaps.reduce((a, b) => (b.ms > a.ms ? b : a));
    out.push(
      `The log has ${gaps.length} silence${gaps.length === 1 ? '' : 's'} longer than ${formatSpan(ctx.stages.gapMinutes * 60_000)}; the longest lasted ${formatSpan(longest.ms)} (${ctx.clock(longest.from)} to ${ctx.clock(longest.to)}).`,
    );
  }
  const m = ctx.state.milestones;
  if (m.impact_started === undefined || m.detected === undefined)
    out.push(
      'When impact started or was detected was not recorded, so the time to detect cannot be measured.',
    );
  return out;
}
