/**
 * The error rate over time, one point per bucket of the report's series, with
 * the onset and the recorded changes and cron runs drawn as vertical markers
 * (the first question of the checklist, and the two that follow it).
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { type Palette, translucent, usePalette } from './palette.ts';
import type { Report } from './report-types.ts';
import { UplotChart } from './uplot-chart.tsx';

export interface Marker {
  at: number;
  kind: 'onset' | 'change' | 'cron';
  label: string;
}

/** What to mark: the onset, changes in the span, and the runs of cron jobs that line up. */
export function markersOf(report: Report): Marker[] {
  const markers: Marker[] = [];
  const span = report.span;
  const inSpan = (at: number) => !span || (at >= span.from && at <= span.to);
  if (report.onset.found && report.onset.time !== undefined)
    markers.push({ at: report.onset.time, kind: 'onset', label: 'onset' });
  const changes = report.changes;
  const seen = new Set<string>();
  for (const suspect of [
    ...(changes?.suspects ?? []),
    ...(changes?.lastDeploy ? [changes.lastDeploy] : []),
    ...(changes?.mitigations ?? []),
  ]) {
    const c = suspect.change;
    const key = `${c.source}:${c.line}`;
    if (seen.has(key) || !inSpan(c.time)) continue;
    seen.add(key);
    markers.push({
      at: c.time,
      kind: 'change',
      label: [c.kind, c.version].filter(Boolean).join(' '),
    });
  }
  for (const job of report.cron?.jobs ?? []) {
    const lined = job.verdict === 'aligned' || job.verdict === 'same-runs';
    const runs = lined ? job.matchedRuns.map((m) => m.run) : [];
    if (job.ranBeforeOnset) runs.push(job.ranBeforeOnset.run);
    for (const run of new Set(runs))
      if (inSpan(run)) markers.push({ at: run, kind: 'cron', label: job.job.name });
  }
  return markers;
}

/** Axis labels on the app's 24-hour clock, with the day where it changes. */
const hourMinute = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const pointer = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function timeTicks(_u: uPlot, ticks: number[]): string[] {
  let day = '';
  return ticks.map((t) => {
    const today = dayMonth.format(t);
    const label = today === day ? hourMinute.format(t) : `${hourMinute.format(t)}\n${today}`;
    day = today;
    return label;
  });
}

function drawMarkers(markers: readonly Marker[], palette: Palette) {
  const color = { onset: palette.text, change: palette.info, cron: palette.warn };
  const dash = { onset: [], change: [6, 4], cron: [2, 3] };
  return (u: uPlot) => {
    const { ctx } = u;
    const { top, height } = u.bbox;
    const ratio = devicePixelRatio || 1;
    ctx.save();
    ctx.font = `${11 * ratio}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    // labels close together go on rows below each other instead of over each other
    const rows: number[] = [];
    for (const marker of markers) {
      const x = Math.round(u.valToPos(marker.at, 'x', true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
      ctx.strokeStyle = color[marker.kind];
      ctx.fillStyle = color[marker.kind];
      ctx.lineWidth = (marker.kind === 'onset' ? 2 : 1.5) * ratio;
      ctx.setLineDash(dash[marker.kind].map((d) => d * ratio));
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      if (marker.kind === 'cron') continue;
      const width = ctx.measureText(marker.label).width + 8 * ratio;
      let row = rows.findIndex((end) => end < x);
      if (row < 0) row = rows.length;
      rows[row] = x + width;
      ctx.fillText(marker.label, x + 4 * ratio, top + (2 + row * 14) * ratio);
    }
    ctx.restore();
  };
}

export function RateChart({ report, markers }: { report: Report; markers: readonly Marker[] }) {
  const palette = usePalette();
  const series = report.series;
  const data = useMemo<uPlot.AlignedData>(() => {
    if (!series) return [[], []];
    const x = series.all.map((_, i) => series.start + i * series.bucketMs);
    const rate = series.all.map((all, i) =>
      all > 0 ? ((series.errors[i] ?? 0) / all) * 100 : null,
    );
    return [x, rate, series.all];
  }, [series]);
  const options = useMemo<Omit<uPlot.Options, 'width'>>(
    () => ({
      height: 240,
      ms: 1,
      // the legend reads out the bucket under the pointer
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, events: { range: (_u, _min, max) => [0, max * 1.1 || 1] } },
      series: [
        { label: 'time', value: (_u, v) => (v == null ? '—' : pointer.format(v)) },
        {
          label: 'error rate',
          value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)}%`),
          stroke: palette.danger,
          fill: translucent(palette.danger, 0.15),
          width: 1.5,
          points: { show: false },
        },
        {
          label: 'events',
          value: (_u, v) => (v == null ? '—' : v.toLocaleString('en-US')),
          scale: 'events',
          stroke: translucent(palette.muted, 0.6),
          width: 1,
          points: { show: false },
        },
      ],
      axes: [
        {
          stroke: palette.muted,
          grid: { stroke: palette.grid, width: 1 },
          ticks: { stroke: palette.grid },
          values: timeTicks,
          size: 44,
        },
        {
          stroke: palette.muted,
          grid: { stroke: palette.grid, width: 1 },
          ticks: { stroke: palette.grid },
          values: (_u, ticks) => ticks.map((t) => `${t}%`),
          size: 48,
        },
        { scale: 'events', side: 1, stroke: palette.muted, grid: { show: false }, size: 48 },
      ],
      hooks: { draw: [drawMarkers(markers, palette)] },
    }),
    [palette, markers],
  );
  if (!series) return <p className="muted">The logs carry no times: no chart over time.</p>;
  return (
    <UplotChart
      options={options}
      data={data}
      label={`Error rate over time, ${markers.length} markers: ${markers
        .slice(0, 8)
        .map((m) => `${m.kind} ${m.label}`)
        .join(', ')}`}
    />
  );
}
