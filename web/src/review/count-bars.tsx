/**
 * How many incidents per severity, service or cause category: uPlot bars with
 * the names slanted when they are long or many, and the counts in a list
 * beside (what a screen reader reads; the canvas has only its label).
 */
import { useMemo } from 'react';
import uPlot from 'uplot';
import { usePalette } from '../evidence/palette.ts';
import { UplotChart } from '../evidence/uplot-chart.tsx';
import type { Insights } from '../types.ts';

type Count = Insights['byService'][number];

export function CountBars({ title, counts }: { title: string; counts: Count[] }) {
  const palette = usePalette();
  const slanted = counts.length > 4 || counts.some((c) => c.label.length > 10);
  const data = useMemo<uPlot.AlignedData>(
    () => [counts.map((_, i) => i), counts.map((c) => c.count)],
    [counts],
  );
  const options = useMemo<Omit<uPlot.Options, 'width'>>(
    () => ({
      height: slanted ? 260 : 200,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, counts.length - 0.5] },
        y: { range: (_u, _min, max) => [0, Math.max(Math.ceil(max * 1.1), 1)] },
      },
      series: [
        {},
        {
          label: 'incidents',
          fill: palette.accent,
          stroke: palette.accent,
          width: 0,
          points: { show: false },
          paths: uPlot.paths.bars?.({ size: [0.6, 60], align: 0 }),
        },
      ],
      axes: [
        {
          stroke: palette.muted,
          grid: { show: false },
          ticks: { show: false },
          splits: () => counts.map((_, i) => i),
          values: (_u, ticks) => ticks.map((t) => counts[t]?.label ?? ''),
          ...(slanted ? { rotate: -35, size: 90 } : {}),
        },
        {
          stroke: palette.muted,
          grid: { stroke: palette.grid, width: 1 },
          ticks: { stroke: palette.grid },
          // whole incidents only
          splits: (_u, _axis, min, max) => {
            const step = Math.max(1, Math.ceil((max - min) / 5));
            const out: number[] = [];
            for (let v = 0; v <= max; v += step) out.push(v);
            return out;
          },
          size: 40,
        },
      ],
    }),
    [palette, counts, slanted],
  );
  const id = `count-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className="card count-bars" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {counts.length === 0 ? (
        <p className="muted">None recorded.</p>
      ) : (
        <>
          <UplotChart
            options={options}
            data={data}
            label={`${title}: ${counts.map((c) => `${c.label} ${c.count}`).join(', ')}`}
            className="review-chart"
          />
          <ul className="plain figures">
            {counts.map((c) => (
              <li key={c.key}>
                {c.label} <strong className="tabular">{c.count}</strong>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
