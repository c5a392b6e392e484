/**
 * The stage review as text: a bar per stage and per hypothesis, so where the
 * time went shows at a glance in a terminal or in a Markdown code block.
 */
import type { EpochMs } from '../ids.js';
import { milestoneLabel } from '../incident/milestones.js';
import { type StageReview, updateSummary } from './stages.js';

const BAR_WIDTH = 30;

/** `41h 5m`, `55m`, `30s`: hours rather than days, so spans in a review compare at a glance. */
export function formatSpan(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes === 0) return `${Math.floor(Math.abs(ms) / 1000)}s`;
  const [h, m] = [Math.floor(minutes / 60), minutes % 60];
  return h ? (m ? `${h}h ${m}m` : `${h}h`) : `${m}m`;
}

/** A bar of `ms` against the longest, at least one block for anything that took time. */
export function bar(ms: number, longest: number, width = BAR_WIDTH): string {
  if (longest <= 0 || ms <= 0) return '';
  return '█'.repeat(Math.max(1, Math.round((ms / longest) * width)));
}

function table(rows: [string, number | undefined, string][]): string[] {
  const longest = Math.max(0, ...rows.map(([, ms]) => ms ?? 0));
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const durations = rows.map(([, ms]) => (ms === undefined ? 'n/a' : formatSpan(ms)));
  const durationWidth = Math.max(...durations.map((d) => d.length));
  return rows.map(([label, ms, note], i) =>
    [
      `  ${label.padEnd(labelWidth)}`,
      bar(ms ?? 0, longest).padEnd(BAR_WIDTH),
      (durations[i] ?? '').padEnd(durationWidth),
      note,
    ]
      .join('  ')
      .trimEnd(),
  );
}

const short = (text: string, max = 48) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The stage review for people; `clock` says a time in the reader's zone. */
export function renderStageReview(
  review: StageReview,
  clock: (at: EpochMs) => string,
  options: { eachUpdate?: boolean } = {},
): string {
  const out: string[] = ['Stages (between milestones):'];
  out.push(
    ...table(
      review.stages.map((s) => [
        s.label,
        s.ms,
        `${milestoneLabel(s.from)} -> ${milestoneLabel(s.to)}${s.ms === undefined ? ' (not recorded)' : ''}`,
      ]),
    ),
  );
  if (review.impact)
    out.push(
      '',
      `Impact lasted ${formatSpan(review.impact.ms)}${review.impact.ongoing ? ' so far' : ''} (${clock(review.impact.from)} to ${review.impact.ongoing ? 'now' : clock(review.impact.to)}).`,
    );
  if (review.hypotheses.length) {
    out.push('', 'Hypotheses (proposed -> eliminated or confirmed):');
    out.push(
      ...table(
        review.hypotheses.map((h) => [
          `H${h.number} ${short(h.statement)}`,
          h.openMs,
          h.decidedAt === undefined ? `${h.status}, still open` : h.status,
        ]),
      ),
    );
  }
  out.push('', `Gaps in the log over ${formatSpan(review.gapMinutes * 60_000)}:`);
  if (!review.gaps.length) out.push('  none');
  for (const gap of review.gaps)
    out.push(
      `  ${clock(gap.from)} -> ${clock(gap.to)}  ${formatSpan(gap.ms)} (after #${gap.afterSeq})`,
    );
  const summary = updateSummary(review.updates);
  out.push('', "Status updates (against the level's cadence):");
  if (!summary.length) out.push('  no cadence applied (no severity with update times)');
  for (const row of summary)
    out.push(
      `  ${row.audience}: ${row.sent} sent, ${row.late} late${row.missed ? `, ${row.missed} missed` : ''}${row.worstMs > 0 ? ` (worst ${formatSpan(row.worstMs)} late)` : ''}`,
    );
  const late = options.eachUpdate === false ? [] : review.updates.filter((u) => u.lateByMs > 0);
  for (const u of late)
    out.push(
      u.at === undefined
        ? `  missed: ${u.audience}, due ${clock(u.dueAt)}, none before the end`
        : `  late: ${u.audience} at ${clock(u.at)}, due ${clock(u.dueAt)}, ${formatSpan(u.lateByMs)} late`,
    );
  return out.join('\n');
}
