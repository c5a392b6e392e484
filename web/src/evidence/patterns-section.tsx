/** Patterns: across time (periods, times of day), in the failing inputs, in bug reports. */
import { useMemo } from 'react';
import { BarChart, type BarSeries } from './bar-chart.tsx';
import { EvidenceLine, Question } from './evidence-line.tsx';
import { count, formatDuration, lift, percent } from './format.ts';
import type { Report } from './report-types.ts';

function AcrossTime({ report }: { report: Report }) {
  const patterns = report.patterns;
  return (
    <Question
      id="q-patterns"
      question="Is there a pattern across time (every minute? a time of day?)"
      answer={patterns?.answer ?? 'Not tested: the logs carry no times.'}
    >
      {patterns && (patterns.periods.length > 0 || patterns.timesOfDay.length > 0) && (
        <ul className="plain-list">
          {patterns.periods.map((p) => (
            <li key={`period-${p.periodMs}`}>
              <strong>every {formatDuration(p.periodMs)}</strong>{' '}
              <span className="muted">
                ± {formatDuration(p.jitterMs)}, {p.phase}, {p.cyclesWithPeak} of {p.cycles} cycles ·
                confidence {percent(p.confidence)}
              </span>
              <div>{p.sentence}</div>
            </li>
          ))}
          {patterns.timesOfDay.map((w) => (
            <li key={`day-${w.window}`}>
              <strong>
                {w.window} ({w.zone})
              </strong>{' '}
              <span className="muted">
                on {w.recurringDays} of {w.coveredDays} days, {percent(w.share)} of errors ·
                confidence {percent(w.confidence)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Question>
  );
}

function Inputs({ report }: { report: Report }) {
  const contrasts = report.contrasts;
  const findings = useMemo(() => contrasts?.findings.slice(0, 10) ?? [], [contrasts]);
  // The strongest few as paired bars: how common each value is among the failures
  // against among the successes ("97% of the 500s, 3% of the successes").
  const charted = useMemo(() => findings.slice(0, 6), [findings]);
  const categories = useMemo(() => charted.map((f) => shorten(f.label)), [charted]);
  const series = useMemo<BarSeries[]>(
    () => [
      { label: 'failures', values: charted.map((f) => f.failureShare), tone: 'danger' },
      { label: 'successes', values: charted.map((f) => f.successShare), tone: 'muted' },
    ],
    [charted],
  );
  return (
    <Question
      id="q-inputs"
      question="Which inputs do the failing requests have in common?"
      answer={contrasts?.answer ?? 'The failing and the successful events were not compared.'}
    >
      {charted.length > 0 && (
        <BarChart
          categories={categories}
          series={series}
          percent
          label={`Share of failures against share of successes: ${charted.map((f) => `${f.label} ${percent(f.failureShare)} against ${percent(f.successShare)}`).join('; ')}`}
        />
      )}
      {findings.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">
              Attribute values over-represented among the failures, by lift and support
            </caption>
            <thead>
              <tr>
                <th scope="col">Input</th>
                <th scope="col">Failures</th>
                <th scope="col">Successes</th>
                <th scope="col">Lift</th>
                <th scope="col">Support</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f) => (
                <tr key={`${f.attribute}:${f.name}:${f.match}:${f.value}`}>
                  <td data-label="Input">
                    <span className="small muted">{f.attribute}</span> {f.label}
                    {f.examples[0] && <EvidenceLine evidence={f.examples[0]} />}
                  </td>
                  <td data-label="Failures" className="tabular">
                    {percent(f.failureShare)}
                  </td>
                  <td data-label="Successes" className="tabular">
                    {percent(f.successShare)}
                  </td>
                  <td data-label="Lift" className="tabular">
                    {lift(f.lift)}
                  </td>
                  <td data-label="Support" className="tabular">
                    {count(f.failures)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {contrasts?.notes.map((note) => (
        <p key={note} className="small muted">
          {note}
        </p>
      ))}
    </Question>
  );
}

const shorten = (label: string) => (label.length > 24 ? `${label.slice(0, 23)}…` : label);

function BugReports({ report }: { report: Report }) {
  const reports = report.bugReports;
  const notable = reports?.commonalities.filter((c) => c.notable) ?? [];
  return (
    <Question
      id="q-reports"
      question="What do the bug reports have in common?"
      answer={reports?.answer ?? 'No bug reports were given.'}
    >
      {notable.length > 0 && (
        <ul className="plain-list">
          {notable.slice(0, 8).map((c) => (
            <li key={`${c.attribute}:${c.value}`}>{c.sentence}</li>
          ))}
        </ul>
      )}
    </Question>
  );
}

export function PatternsSection({ report }: { report: Report }) {
  return (
    <section className="card report-group" aria-labelledby="patterns-heading">
      <h2 id="patterns-heading">Patterns</h2>
      <AcrossTime report={report} />
      <Inputs report={report} />
      <BugReports report={report} />
    </section>
  );
}
