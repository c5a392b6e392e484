/** The clues about what fails and where: stack traces, error messages, hosts. */
import { useMemo } from 'react';
import { BarChart, type BarSeries } from './bar-chart.tsx';
import { EvidenceLine, Question } from './evidence-line.tsx';
import { count, percent } from './format.ts';
import type { Report } from './report-types.ts';

export function TracesAndMessages({ report }: { report: Report }) {
  const traces = report.stackTraces.slice(0, 5);
  const messages = report.errorMessages.filter((m) => m.errorCount > 0).slice(0, 8);
  return (
    <>
      <Question id="q-traces" question="Which stack traces?">
        {traces.length === 0 ? (
          <p className="muted">No stack traces in the evidence.</p>
        ) : (
          <ul className="plain-list">
            {traces.map((t) => (
              <li key={t.fingerprint}>
                <strong className="tabular">{count(t.count)} ×</strong> <code>{t.signature}</code>
                {t.newSinceOnset && <span className="ev-tag">new since the onset</span>}
                <div className="small muted">on {t.hosts.join(', ') || 'no named host'}</div>
              </li>
            ))}
          </ul>
        )}
      </Question>
      <Question id="q-messages" question="What do the error messages say?">
        {messages.length === 0 ? (
          <p className="muted">No error messages in the evidence.</p>
        ) : (
          <ul className="plain-list">
            {messages.map((m) => (
              <li key={m.template}>
                <strong className="tabular">{count(m.errorCount)} ×</strong>{' '}
                <code>{m.template}</code>
                {m.newSinceOnset && <span className="ev-tag">new since the onset</span>}
                {m.examples[0] && <EvidenceLine evidence={m.examples[0]} />}
              </li>
            ))}
          </ul>
        )}
      </Question>
    </>
  );
}

export function Hosts({ report }: { report: Report }) {
  const items = report.hosts.items.slice(0, 12);
  const categories = useMemo(() => items.map((h) => h.host), [items]);
  const series = useMemo<BarSeries[]>(
    () => [
      { label: 'share of errors', values: items.map((h) => h.errorShare), tone: 'danger' },
      { label: 'share of traffic', values: items.map((h) => h.trafficShare), tone: 'muted' },
    ],
    [items],
  );
  return (
    <Question
      id="q-hosts"
      question="Are errors coming from specific servers or all?"
      answer={report.hosts.verdict}
    >
      {items.length > 0 && (
        <>
          <BarChart
            categories={categories}
            series={series}
            percent
            label={`Share of errors against share of traffic per host: ${items
              .map(
                (h) =>
                  `${h.host} ${percent(h.errorShare)} of errors, ${percent(h.trafficShare)} of traffic`,
              )
              .join('; ')}`}
          />
          <ul className="chart-key small" aria-label="Chart key">
            <li className="key-rate">share of errors</li>
            <li className="key-traffic">share of traffic</li>
          </ul>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Errors and traffic per host</caption>
              <thead>
                <tr>
                  <th scope="col">Host</th>
                  <th scope="col">Errors</th>
                  <th scope="col">Share of errors</th>
                  <th scope="col">Share of traffic</th>
                </tr>
              </thead>
              <tbody>
                {items.map((h) => (
                  <tr key={h.host} className={h.concentrated ? 'concentrated' : undefined}>
                    <td data-label="Host">
                      {h.host}
                      {h.concentrated && <span className="ev-tag">errors concentrate here</span>}
                    </td>
                    <td data-label="Errors" className="tabular">
                      {count(h.errors)}
                    </td>
                    <td data-label="Share of errors" className="tabular">
                      {percent(h.errorShare)}
                    </td>
                    <td data-label="Share of traffic" className="tabular">
                      {percent(h.trafficShare)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Question>
  );
}
