/**
 * The stage review as HTML for the standalone postmortem: a bar per stage and
 * per hypothesis drawn with CSS widths (no script, prints as it shows), and
 * the silences and update timings as lists.
 */
import type { EpochMs } from '../ids.js';
import { milestoneLabel } from '../incident/milestones.js';
import { escapeHtml } from './html.js';
import { type StageReview, updateSummary } from './stages.js';
import { formatSpan } from './stages-text.js';

function chart(rows: { label: string; ms: number | undefined; note: string }[]): string {
  const longest = Math.max(0, ...rows.map((row) => row.ms ?? 0));
  const body = rows.map((row) => {
    const width = longest > 0 && row.ms ? Math.max(1, Math.round((row.ms / longest) * 100)) : 0;
    return [
      '<tr>',
      `<th scope="row">${escapeHtml(row.label)}</th>`,
      `<td class="bar"><span style="width:${width}%"></span></td>`,
      `<td>${row.ms === undefined ? 'n/a' : escapeHtml(formatSpan(row.ms))}</td>`,
      `<td>${escapeHtml(row.note)}</td>`,
      '</tr>',
    ].join('');
  });
  return `<table class="chart">\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

export function renderStagesHtml(review: StageReview, clock: (at: EpochMs) => string): string {
  const out = [
    chart(
      review.stages.map((s) => ({
        label: s.label,
        ms: s.ms,
        note: `${milestoneLabel(s.from)} -> ${milestoneLabel(s.to)}${s.ms === undefined ? ' (not recorded)' : ''}`,
      })),
    ),
  ];
  if (review.impact)
    out.push(
      `<p>Impact lasted ${escapeHtml(formatSpan(review.impact.ms))}${review.impact.ongoing ? ' so far' : ''} (${escapeHtml(clock(review.impact.from))} to ${review.impact.ongoing ? 'now' : escapeHtml(clock(review.impact.to))}).</p>`,
    );
  if (review.hypotheses.length)
    out.push(
      '<p>Hypotheses, from proposed to eliminated or confirmed:</p>',
      chart(
        review.hypotheses.map((h) => ({
          label: `H${h.number} ${h.statement}`,
          ms: h.openMs,
          note: h.decidedAt === undefined ? `${h.status}, still open` : h.status,
        })),
      ),
    );
  const gaps = review.gaps.map(
    (gap) =>
      `<li>${escapeHtml(`${clock(gap.from)} to ${clock(gap.to)}: ${formatSpan(gap.ms)} (after #${gap.afterSeq})`)}</li>`,
  );
  out.push(
    `<p>Gaps in the log over ${escapeHtml(formatSpan(review.gapMinutes * 60_000))}${gaps.length ? ':' : ': none.'}</p>`,
  );
  if (gaps.length) out.push(`<ul>${gaps.join('')}</ul>`);
  const updates = updateSummary(review.updates).map(
    (row) =>
      `<li>${escapeHtml(`${row.audience}: ${row.sent} sent, ${row.late} late${row.missed ? `, ${row.missed} missed` : ''}${row.worstMs > 0 ? ` (worst ${formatSpan(row.worstMs)} late)` : ''}`)}</li>`,
  );
  out.push(
    updates.length
      ? `<p>Status updates against the level's cadence:</p>\n<ul>${updates.join('')}</ul>`
      : '<p>No update cadence applied (no severity with update times).</p>',
  );
  return out.join('\n');
}
