import type { InsightsReport, RelatedIncidents } from '../../app/insights.js';
import type { Count, Figure } from '../../core/review/insights.js';
import { TIME_MEASURES, type TimeMeasure } from '../../core/review/insights.js';
import { describeReason } from '../../core/review/recurrence.js';
import { formatDuration } from '../../core/time.js';

const WIDTH = 28;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
/** Below this many incidents a figure is shown, and marked as too few to read much into. */
const FEW = 3;

/** A horizontal bar of `value` out of `max`, in eighths of a column. */
export function bar(value: number, max: number, width = WIDTH): string {
  if (max <= 0 || value <= 0) return ''.padEnd(width);
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  const text = '█'.repeat(Math.floor(eighths / 8)) + (EIGHTHS[eighths % 8] ?? '');
  return text.padEnd(width);
}

function counts(title: string, rows: readonly Count[]): string[] {
  if (!rows.length) return [title, '  (none recorded)'];
  const max = Math.max(...rows.map((r) => r.count));
  const pad = Math.max(...rows.map((r) => r.label.length));
  return [title, ...rows.map((r) => `  ${r.label.padEnd(pad)}  ${bar(r.count, max)} ${r.count}`)];
}

const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
const few = (figure: Figure) => (figure.n > 0 && figure.n < FEW ? '  (few: not a trend)' : '');

function times(report: InsightsReport, measure: TimeMeasure): string[] {
  const rows = [
    ...report.times.byMonth.map((m) => ({ label: m.month, figure: m.times[measure] })),
    { label: 'all', figure: report.times.overall[measure] },
  ];
  const max = Math.max(0, ...rows.map((r) => r.figure.median ?? 0));
  return [
    `${report.times.definitions[measure]}; median by month`,
    ...rows.map(
      ({ label, figure }) =>
        `  ${label.padEnd(7)}  ${bar(figure.median ?? 0, max)} ${duration(figure.median).padEnd(8)} n=${figure.n}  mean ${duration(figure.mean)}${few(figure)}`,
    ),
  ];
}

const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));

export function renderInsights(report: InsightsReport): string {
  const since = day(report.period.since);
  const until = day(report.period.until);
  const period =
    since || until ? ` declared ${since ?? 'from the first'} to ${until ?? 'now'} (UTC)` : '';
  const out = [
    `${report.incidents} incident${report.incidents === 1 ? '' : 's'}${period}${report.declined ? `; ${report.declined} declined, not counted` : ''}${report.personalIncluded ? '; personal incidents included' : ''}`,
    '',
    ...counts('By severity', report.bySeverity),
    '',
    ...counts('By service', report.byService),
    '',
    ...counts('By cause category', report.byCause),
  ];
  for (const measure of TIME_MEASURES) out.push('', ...times(report, measure));
  out.push(
    '',
    `Open action items: ${report.actionItems.open} on ${report.actionItems.incidents} incident${report.actionItems.incidents === 1 ? '' : 's'}`,
    `Postmortems outstanding: ${report.postmortemsOutstanding.count}${report.postmortemsOutstanding.count ? ` (${report.postmortemsOutstanding.keys.join(', ')})` : ''}`,
    '',
    'Recurring',
  );
  if (!report.recurring.length) out.push('  none: no incident repeats an earlier one');
  for (const group of report.recurring) {
    out.push(`  ${group.keys.join(' -> ')}`);
    for (const reason of group.reasons.slice(0, 3)) out.push(`    ${describeReason(reason)}`);
  }
  return `${out.join('\n')}\n`;
}

export function renderRelated(related: RelatedIncidents): string {
  if (!related.earlier.length) return `${related.incident}: no earlier incident like it.\n`;
  const out = [
    `This happened before: ${related.earlier.map((link) => link.key).join(', ')}`,
    ...related.earlier.flatMap((link) => [
      `  ${link.key}  ${day(link.declaredAt)}  ${link.title}  (score ${link.score})`,
      ...link.reasons.map((reason) => `    ${describeReason(reason)}`),
    ]),
  ];
  return `${out.join('\n')}\n`;
}
