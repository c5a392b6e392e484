/**
 * Clues: when the errors started (the rate chart with its markers), what
 * changed, the cron jobs, status codes, stack traces, error messages and
 * hosts, in the checklist's order.
 */
import { useMemo } from 'react';
import { BarChart, type BarSeries } from './bar-chart.tsx';
import { Hosts, TracesAndMessages } from './clues-more.tsx';
import { EvidenceLine, Question } from './evidence-line.tsx';
import { count, lagText, percent, when, whenExact } from './format.ts';
import { markersOf, RateChart } from './rate-chart.tsx';
import type { Report } from './report-types.ts';

function Onset({ report }: { report: Report }) {
  const markers = useMemo(() => markersOf(report), [report]);
  const { onset } = report;
  return (
    <Question id="q-onset" question="When did the errors first start?" answer={onset.reason}>
      {onset.found && onset.time !== undefined && (
        <p className="onset">
          Onset: <strong className="tabular">{whenExact(onset.time)}</strong>
          {onset.rateBefore !== undefined && onset.rateAfter !== undefined && (
            <span className="muted">
              {' '}
              · errors {percent(onset.rateBefore)} → {percent(onset.rateAfter)} of events
            </span>
          )}
        </p>
      )}
      <RateChart report={report} markers={markers} />
      {markers.length > 0 && (
        <ul className="chart-key small" aria-label="Markers">
          {markers.some((m) => m.kind === 'onset') && <li className="key-onset">onset</li>}
          {markers.some((m) => m.kind === 'change') && <li className="key-change">change</li>}
          {markers.some((m) => m.kind === 'cron') && <li className="key-cron">cron run</li>}
        </ul>
      )}
      {onset.firstError && <EvidenceLine evidence={onset.firstError} />}
    </Question>
  );
}

function Changes({ report }: { report: Report }) {
  const changes = report.changes;
  return (
    <Question
      id="q-changes"
      question="What changed around that time?"
      answer={changes?.answer ?? 'No change records were given.'}
    >
      {changes && changes.suspects.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Changes ranked as suspects</caption>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">When</th>
                <th scope="col">Verdict</th>
                <th scope="col">Confidence</th>
              </tr>
            </thead>
            <tbody>
              {changes.suspects.slice(0, 8).map((s) => (
                <tr key={`${s.change.source}:${s.change.line}`}>
                  <td data-label="Change">
                    <strong>
                      {[s.change.kind, s.change.service, s.change.version]
                        .filter(Boolean)
                        .join(' ')}
                    </strong>
                    <div className="small muted">{s.change.description}</div>
                  </td>
                  <td data-label="When" className="tabular">
                    {when(s.change.time)}
                    <div className="small muted">{lagText(s.lagMs)} the onset</div>
                  </td>
                  <td data-label="Verdict">
                    <span className={`verdict verdict-${s.verdict}`}>{s.verdict}</span>
                  </td>
                  <td data-label="Confidence" className="tabular">
                    {percent(s.confidence)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Question>
  );
}

function Cron({ report }: { report: Report }) {
  const cron = report.cron;
  return (
    <Question
      id="q-cron"
      question="Do we have cron jobs that run around that time?"
      answer={cron?.sentence ?? 'No crontab was given.'}
    >
      {cron && cron.jobs.length > 0 && (
        <ul className="plain-list">
          {cron.jobs.slice(0, 8).map((j) => (
            <li key={`${j.job.source}:${j.job.line}`}>
              <code>{j.job.schedule}</code> <strong>{j.job.name}</strong>{' '}
              <span className="muted">
                {j.cadence} · {j.runsMatched} of {j.runsTested} runs followed by errors ·{' '}
                {j.verdict.replace(/-/g, ' ')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Question>
  );
}

function StatusCodes({ report }: { report: Report }) {
  const codes = report.statusCodes.slice(0, 8);
  const series = useMemo<BarSeries[]>(
    () => [{ label: 'responses', values: codes.map((c) => c.count), tone: 'accent' }],
    [codes],
  );
  const categories = useMemo(() => codes.map((c) => String(c.status)), [codes]);
  return (
    <Question id="q-status" question="Which HTTP status codes?">
      {codes.length === 0 ? (
        <p className="muted">No HTTP status codes in the evidence.</p>
      ) : (
        <>
          <BarChart
            categories={categories}
            series={series}
            label={`Responses per status code: ${codes.map((c) => `${c.status} ${count(c.count)}`).join(', ')}`}
          />
          <ul className="plain-list small">
            {codes.map((c) => (
              <li key={c.status}>
                <strong>{c.status}</strong> {count(c.count)}{' '}
                <span className="muted">first {when(c.firstSeen)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </Question>
  );
}

export function CluesSection({ report }: { report: Report }) {
  return (
    <section className="card report-group" aria-labelledby="clues-heading">
      <h2 id="clues-heading">Clues</h2>
      <Onset report={report} />
      <Changes report={report} />
      <Cron report={report} />
      <StatusCodes report={report} />
      <TracesAndMessages report={report} />
      <Hosts report={report} />
    </section>
  );
}
