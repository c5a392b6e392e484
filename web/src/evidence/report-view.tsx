/**
 * A whole report in the checklist's order: what was read, the answers in a
 * sentence each, then the Clues, Anomalies and Patterns with their charts.
 */
import { AnomaliesSection } from './anomalies-section.tsx';
import { CluesSection } from './clues-section.tsx';
import { count, formatDuration, when } from './format.ts';
import { PatternsSection } from './patterns-section.tsx';
import type { Report } from './report-types.ts';

function Summary({ report }: { report: Report }) {
  const t = report.totals;
  return (
    <section className="card report-summary" aria-labelledby="summary-heading">
      <h2 id="summary-heading">What was read</h2>
      <p>
        {count(t.events)} events from {report.sources.map((s) => s.name).join(', ')}:{' '}
        <strong>{count(t.errors)} errors</strong>, {count(t.clientErrors)} client errors (4xx),{' '}
        {count(t.unparseable)} unparseable lines.
      </p>
      {report.span && (
        <p className="muted">
          {when(report.span.from)} to {when(report.span.to)} (
          {formatDuration(report.span.to - report.span.from)})
        </p>
      )}
      <details>
        <summary>The checklist's answers</summary>
        <dl className="answers">
          {report.answers.map((a) => (
            <div key={a.question}>
              <dt>{a.question}</dt>
              <dd>{a.answer}</dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}

export function ReportView({ report }: { report: Report }) {
  return (
    <div className="report">
      <Summary report={report} />
      <CluesSection report={report} />
      <AnomaliesSection report={report} />
      <PatternsSection report={report} />
    </div>
  );
}
