/**
 * Durations as bars (the stage review: time to detect ... resolve; how long
 * each hypothesis stayed open), drawn by uPlot as the Evidence page's charts
 * are, in the theme's colours. The axis reads in minutes or hours; the exact
 * figures are in the list beside each chart, which is what a screen reader
 * reads (the canvas has only its label).
 */
import { useMemo } from 'react';
import uPlot from 'uplot';
import { usePalette } from '../evidence/palette.ts';
import { UplotChart } from '../evidence/uplot-chart.tsx';

export interface DurationBar {
  label: string;
  ms: number;
}

const MINUTE = 60_000;

/** An axis tick, in minutes: "45s", "20m", "1h 30m". */
export function durationTick(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)}s`;
  if (minutes < 60) return `${Math.round(minutes)}m`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return m ? `${h}h ${m}m` : `${h}h`;
}

export function DurationBars({ bars, label }: { bars: DurationBar[]; label: string }) {
  const palette = usePalette();
  const data = useMemo<uPlot.AlignedData>(
    () => [bars.map((_, i) => i), bars.map((b) => b.ms / MINUTE)],
    [bars],
  );
  const options = useMemo<Omit<uPlot.Options, 'width'>>(
    () => ({
      height: 200,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, bars.length - 0.5] },
        // at least a minute high: a few seconds would fill the chart
        y: { range: (_u, _min, max) => [0, Math.max(max * 1.1, 1)] },
      },
      series: [
        {},
        {
          label: 'minutes',
          fill: palette.accent,
          stroke: palette.accent,
          width: 0,
          points: { show: false },
          paths: uPlot.paths.bars?.({ size: [0.6, 80], align: 0 }),
        },
      ],
      axes: [
        {
          stroke: palette.muted,
          grid: { show: false },
          ticks: { show: false },
          splits: () => bars.map((_, i) => i),
          // on a phone a long name is cut short ("acknowledge" -> "ack.") so names never overlap
          values: (u, ticks) => {
            const room = u.bbox.width / devicePixelRatio / Math.max(1, bars.length);
            return ticks.map((t) => {
              const name = bars[t]?.label ?? '';
              return room < 90 && name.length > 7 ? `${name.slice(0, 3)}.` : name;
            });
          },
        },
        {
          stroke: palette.muted,
          grid: { stroke: palette.grid, width: 1 },
          ticks: { stroke: palette.grid },
          values: (_u, ticks) => ticks.map(durationTick),
          size: 52,
        },
      ],
    }),
    [palette, bars],
  );
  return <UplotChart options={options} data={data} label={label} className="review-chart" />;
}
