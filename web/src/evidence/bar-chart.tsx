/**
 * Bars per category (hosts, status codes): one or two values each, side by
 * side, drawn by uPlot with the categories' names on the x axis.
 */
import { useMemo } from 'react';
import uPlot from 'uplot';
import { usePalette } from './palette.ts';
import { UplotChart } from './uplot-chart.tsx';

export interface BarSeries {
  label: string;
  values: number[];
  tone: 'danger' | 'muted' | 'accent';
}

export function BarChart({
  categories,
  series,
  label,
  percent = false,
}: {
  categories: string[];
  series: BarSeries[];
  label: string;
  percent?: boolean;
}) {
  const palette = usePalette();
  const data = useMemo<uPlot.AlignedData>(
    () => [categories.map((_, i) => i), ...series.map((s) => s.values)],
    [categories, series],
  );
  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => {
    const two = series.length > 1;
    const format = (v: number) => (percent ? `${Math.round(v * 100)}%` : v.toLocaleString('en-US'));
    return {
      height: 200,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, categories.length - 0.5] },
        y: { range: (_u, _min, max) => [0, max * 1.1 || 1] },
      },
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          fill: palette[s.tone === 'muted' ? 'muted' : s.tone],
          stroke: palette[s.tone === 'muted' ? 'muted' : s.tone],
          width: 0,
          points: { show: false },
          paths: uPlot.paths.bars?.({
            size: [two ? 0.35 : 0.6, 80],
            align: two ? (i === 0 ? -1 : 1) : 0,
          }),
        })),
      ],
      axes: [
        {
          stroke: palette.muted,
          grid: { show: false },
          ticks: { show: false },
          splits: () => categories.map((_, i) => i),
          values: (_u, ticks) => ticks.map((t) => categories[t] ?? ''),
        },
        {
          stroke: palette.muted,
          grid: { stroke: palette.grid, width: 1 },
          ticks: { stroke: palette.grid },
          values: (_u, ticks) => ticks.map(format),
          size: 56,
        },
      ],
    };
  }, [palette, categories, series, percent]);
  return <UplotChart options={options} data={data} label={label} className="bars" />;
}
