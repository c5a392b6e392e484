import { localDateTime } from '../../core/local-time.js';
import { formatDuration } from '../../core/time.js';
import { rateChart } from './chart.js';
import type { AnalysisReport } from './model.js';
import { healthLines } from './render-health.js';
import { bugReportLines } from './render-reports.js';
import { cite, percent } from './text.js';

export const REPORT_FORMATS = ['text', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const when = (ms: number | undefined) => (ms === undefined ? '—' : localDateTime(ms));

function textSections(report: AnalysisReport): string[] {
  const out: string[] = [];
  const t = report.totals;
  out.push(
    `Analyzed ${t.events.toLocaleString('en-US')} events from ${report.sources.length} source(s): ${t.errors.toLocaleString('en-US')} errors, ${t.clientErrors.toLocaleString('en-US')} client errors (4xx), ${t.unparseable.toLocaleString('en-US')} unparseable lines.`,
  );
  if (report.span) {
    out.push(
      `Span: ${when(report.span.from)} to ${when(report.span.to)} (${formatDuration(report.span.to - report.span.from)}).`,
    );
  }

  out.push('', 'When did the errors first start?');
  out.push(`  ${report.onset.reason}`);
  if (report.onset.firstError)
    out.push(`  first error of the new pattern: ${cite(report.onset.firstError)}`);
  if (report.series) {
    const onsetBucket =
      report.onset.bucketStart !== undefined
        ? Math.round((report.onset.bucketStart - report.series.start) / report.series.bucketMs)
        : undefined;
    out.push(
      ...rateChart(report.series.errors, report.series.all, onsetBucket).map((line) => `  ${line}`),
    );
    out.push(
      `  ${when(report.series.start)} ... every ${formatDuration(report.series.bucketMs)} per bucket`,
    );
  }

  if (report.changes) {
    const c = report.changes;
    out.push('', 'What changed around that time?', `  ${c.answer}`);
    for (const s of c.suspects.slice(0, 5)) {
      out.push(
        `  ${percent(s.confidence).padStart(4)}  ${s.verdict.padEnd(8)} ${when(s.change.time)}  ${s.reason}`,
      );
      out.push(`        ${s.change.source}:${s.change.line}`);
    }
    for (const m of c.mitigations.slice(0, 3)) out.push(`  after the onset: ${m.reason}`);
    if (c.unreadable > 0) out.push(`  (${c.unreadable} change records could not be read)`);
  }

  if (report.cron) {
    const c = report.cron;
    out.push('', 'Do we have cron jobs that run around that time?', `  ${c.sentence}`);
    for (const j of c.jobs
      .filter((j) => j.verdict === 'aligned' || j.verdict === 'same-runs')
      .slice(0, 5)) {
      out.push(
        `  ${j.sentence}`,
        `        ${j.job.source}:${j.job.line}  ${j.job.schedule} ${j.job.command}`,
      );
    }
  }

  out.push('', 'Which HTTP status codes?');
  if (report.statusCodes.length === 0) out.push('  No HTTP status codes in the evidence.');
  for (const s of report.statusCodes.slice(0, 10)) {
    out.push(
      `  ${s.status}  ${s.count.toLocaleString('en-US')}  first ${when(s.firstSeen)}${s.examples[0] ? `  e.g. ${cite(s.examples[0])}` : ''}`,
    );
  }

  out.push('', 'Which stack traces?');
  if (report.stackTraces.length === 0) out.push('  No stack traces in the evidence.');
  for (const s of report.stackTraces.slice(0, 10)) {
    out.push(
      `  ${s.count.toLocaleString('en-US')} x ${s.signature}${s.newSinceOnset ? '  [new since the onset]' : ''}  on ${s.hosts.slice(0, 5).join(', ') || 'unknown hosts'}`,
    );
    if (s.examples[0]) out.push(`      ${cite(s.examples[0])}`);
  }

  out.push('', 'What do the error messages say?');
  if (report.errorMessages.length === 0) out.push('  No error messages.');
  for (const m of report.errorMessages.slice(0, 10)) {
    out.push(
      `  ${m.errorCount.toLocaleString('en-US')} x ${m.template}${m.newSinceOnset ? '  [new since the onset]' : ''}`,
    );
    if (m.examples[0]) out.push(`      ${cite(m.examples[0])}`);
  }

  out.push('', 'Which servers or containers?');
  out.push(`  ${report.hosts.verdict}`);
  for (const h of report.hosts.items.slice(0, 10)) {
    out.push(
      `  ${h.host.padEnd(24)} ${percent(h.errorShare).padStart(5)} of errors, ${percent(h.trafficShare).padStart(5)} of traffic${h.concentrated ? '  <- errors concentrate here' : ''}`,
    );
  }
  if (report.anomalies) {
    const a = report.anomalies;
    out.push('', 'What differs from the baseline?', `  ${a.answer}`);
    for (const anomaly of a.anomalies.slice(0, 8)) {
      out.push(`  ${percent(anomaly.confidence).padStart(4)}  ${anomaly.sentence}`);
      if (anomaly.examples[0]) out.push(`        ${cite(anomaly.examples[0])}`);
    }
  }
  if (report.health) out.push('', 'Are the servers healthy?', ...healthLines(report.health));
  if (report.patterns) {
    out.push('', 'Is there a pattern across time?', `  ${report.patterns.answer}`);
    for (const p of report.patterns.periods.slice(0, 3))
      if (p.examples[0]) out.push(`      ${cite(p.examples[0])}`);
  }
  if (report.contrasts) {
    const c = report.contrasts;
    out.push('', 'Which inputs do the failing requests have in common?', `  ${c.answer}`);
    for (const f of c.findings.slice(0, 5)) {
      out.push(`  ${percent(f.confidence).padStart(4)}  ${f.sentence}`);
      if (f.examples[0]) out.push(`        ${cite(f.examples[0])}`);
    }
    for (const note of c.notes.slice(0, 3)) out.push(`  (${note})`);
  }
  if (report.bugReports)
    out.push('', 'What do the bug reports have in common?', ...bugReportLines(report.bugReports));
  for (const source of report.sources) {
    if (source.unparseable > 0) {
      out.push(
        '',
        `${source.name}: ${source.unparseable} unparseable lines (format ${source.format}), e.g.`,
      );
      for (const sample of source.unparseableSamples.slice(0, 3)) out.push(`  ${cite(sample)}`);
    }
  }
  return out;
}

function markdown(report: AnalysisReport): string {
  const out: string[] = ['# Log analysis', ''];
  for (const answer of report.answers) out.push(`- **${answer.question}** ${answer.answer}`);
  out.push('', '## Details', '', '```', ...textSections(report), '```');
  return `${out.join('\n')}\n`;
}

/** The output formats, by name: one model, three renderings. */
export const RENDERERS: Readonly<Record<ReportFormat, (report: AnalysisReport) => string>> = {
  text: (report) => `${textSections(report).join('\n')}\n`,
  md: markdown,
  json: (report) => `${JSON.stringify(report, null, 2)}\n`,
};
