/** Anomalies: every series against its baseline, and the servers' health from metrics. */
import { EvidenceLine, Question } from './evidence-line.tsx';
import { percent, ratio, when } from './format.ts';
import type { Report } from './report-types.ts';

const value = (kind: string, v: number) =>
  kind === 'share' ? percent(v) : kind === 'latency' ? `${Math.round(v)} ms` : v.toPrecision(3);

function Anomalies({ report }: { report: Report }) {
  const section = report.anomalies;
  const found = section?.anomalies.slice(0, 12) ?? [];
  return (
    <Question
      id="q-anomalies"
      question="What differs from the baseline?"
      answer={section?.answer ?? 'Not compared with a baseline.'}
    >
      {section?.windows && <p className="small muted">{section.windows.description}</p>}
      {found.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Series that differ from the baseline</caption>
            <thead>
              <tr>
                <th scope="col">Series</th>
                <th scope="col">Baseline</th>
                <th scope="col">Incident</th>
                <th scope="col">Change</th>
                <th scope="col">Confidence</th>
              </tr>
            </thead>
            <tbody>
              {found.map((a) => (
                <tr key={a.key}>
                  <td data-label="Series">
                    {a.label}
                    {a.examples[0] && <EvidenceLine evidence={a.examples[0]} />}
                  </td>
                  <td data-label="Baseline" className="tabular">
                    {value(a.kind, a.before)}
                  </td>
                  <td data-label="Incident" className="tabular">
                    {value(a.kind, a.after)}
                  </td>
                  <td data-label="Change" className={`tabular direction-${a.direction}`}>
                    {a.direction === 'increase' ? '▲' : '▼'} {ratio(a.ratio)}
                  </td>
                  <td data-label="Confidence" className="tabular">
                    {percent(a.confidence)}
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

function Health({ report }: { report: Report }) {
  const health = report.health;
  return (
    <Question
      id="q-health"
      question="Are the servers healthy (CPU, memory, disk, load)?"
      answer={health?.answer ?? 'No metrics were given: server health was not checked.'}
    >
      {health && health.findings.length > 0 && (
        <ul className="plain-list">
          {health.findings.slice(0, 8).map((f) => (
            <li key={`${f.host}:${f.metric}:${f.kind}`}>
              {f.sentence}
              {f.exhaustedBy !== undefined && (
                <div className="small muted">projected full at {when(f.exhaustedBy)}</div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Question>
  );
}

export function AnomaliesSection({ report }: { report: Report }) {
  return (
    <section className="card report-group" aria-labelledby="anomalies-heading">
      <h2 id="anomalies-heading">Anomalies</h2>
      <Anomalies report={report} />
      <Health report={report} />
    </section>
  );
}
