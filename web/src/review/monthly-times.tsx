/**
 * Time to detect, acknowledge and resolve by month, as medians (uPlot lines
 * with points; a month without a figure leaves a gap), and the same figures
 * with mean and n in a table: a median of two incidents is a hint, not a trend.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { usePalette } from '../evidence/palette.ts';
import { UplotChart } from '../evidence/uplot-chart.tsx';
import { formatDuration } from '../time.ts';
import type { Insights } from '../types.ts';
import { durationTick } from './duration-bars.tsx';

type Measure = keyof Insights['times']['overall'];
const MEASURES: { key: Measure; label: string; tone: 'info' | 'warn' | 'accent' }[] = [
  { key: 'detect', label: 'time to detect', tone: 'info' },
  { key: 'acknowledge', label: 'time to acknowledge', tone: 'warn' },
  { key: 'resolve', label: 'time to resolve', tone: 'accent' },
];
const MINUTE = 60_000;

const figure = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

export function MonthlyTimes({ times }: { times: Insights['times'] }) {
  const palette = usePalette();
  const months = times.byMonth;
  const data = useMemo<uPlot.AlignedData>(
    () => [
      months.map((_, i) => i),
      ...MEASURES.map(({ key }) =>
        months.map((m) => (m.times[key].median === null ? null : m.times[key].median / MINUTE)),
      ),
    ],
    [months],
  );
  const options = useMemo<Omit<uPlot.Options, 'width'>>(
    () => ({
      height: 220,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, Math.max(0.5, months.length - 0.5)] },
        y: { range: (_u, _min, max) => [0, Math.max((max ?? 0) * 1.1, 1)] },
      },
      series: [
        {},
        ...MEASURES.map(({ label, tone }) => ({
          label,
          stroke: palette[tone],
          width: 2,
          spanGaps: false,
          points: { show: true, size: 7, fill: palette[tone] },
        })),
      ],
      axes: [
        {
          stroke: palette.muted,
          grid: { show: false },
          splits: () => months.map((_, i) => i),
          values: (_u, ticks) => ticks.map((t) => months[t]?.month ?? ''),
        },
        {
          stroke: palette.muted,
          grid: { stroke: palette.grid, width: 1 },
          ticks: { stroke: palette.grid },
          values: (_u, ticks) => ticks.map(durationTick),
          size: 56,
        },
      ],
    }),
    [palette, months],
  );
  const summary = MEASURES.map(
    ({ key, label }) => `${label} median ${figure(times.overall[key].median)}`,
  ).join(', ');
  return (
    <section className="card" aria-labelledby="monthly-title">
      <h2 id="monthly-title">Time to detect, acknowledge and resolve</h2>
      {months.length > 0 && (
        <>
          <UplotChart
            options={options}
            data={data}
            label={`Monthly medians; overall: ${summary}`}
            className="review-chart"
          />
          <ul className="chart-legend" aria-hidden="true">
            {MEASURES.map(({ key, label }) => (
              <li key={key} className={`legend-${key}`}>
                median {label}
              </li>
            ))}
          </ul>
        </>
      )}
      <section
        className="table-wrap"
        aria-label="Monthly figures"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: on a phone the table scrolls sideways, so the keyboard must reach it
        tabIndex={0}
      >
        <table className="figures-table">
          <caption className="visually-hidden">
            Median, mean and number of incidents by month
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Incidents</th>
              {MEASURES.map(({ key, label }) => (
                <th key={key} scope="col">
                  {label}: median (mean, n)
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td>{m.incidents}</td>
                {MEASURES.map(({ key }) => (
                  <td key={key} className="tabular">
                    {figure(m.times[key].median)} ({figure(m.times[key].mean)}, n=
                    {m.times[key].n})
                  </td>
                ))}
              </tr>
            ))}
            <tr className="overall">
              <th scope="row">All</th>
              <td>{months.reduce((sum, m) => sum + m.incidents, 0)}</td>
              {MEASURES.map(({ key }) => (
                <td key={key} className="tabular">
                  {figure(times.overall[key].median)} ({figure(times.overall[key].mean)}, n=
                  {times.overall[key].n})
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </section>
      <ul className="plain small muted">
        {MEASURES.map(({ key }) => (
          <li key={key}>{times.definitions[key]}</li>
        ))}
      </ul>
    </section>
  );
}
