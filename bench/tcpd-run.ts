/**
 * The TCPD benchmark run, bundled and started by bench/tcpd.mjs.
 * Usage: node tcpd-run.mjs <data dir>   (the dir holds annotations.json and datasets/*.json)
 *
 * For every series: the default detector (src/analysis/series/changepoints.ts), its F1
 * with margin 5 and its segmentation cover against the annotators, exactly as
 * TCPDBench computes them (src/analysis/series/metrics.ts), and the same figures for
 * the "zero" baseline that predicts no change. Prints a table, then one JSON line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeChangePoints, type SeriesValue } from '../src/analysis/series/changepoints.js';
import { type Annotations, covering, fMeasure } from '../src/analysis/series/metrics.js';

interface Dataset {
  name: string;
  n_obs: number;
  n_dim: number;
  series: { label?: string; raw: unknown[] }[];
}

interface Row {
  series: string;
  length: number;
  dims: number;
  predicted: number[];
  differenced: boolean[];
  f1: number;
  cover: number;
  zeroF1: number;
  zeroCover: number;
  ms: number;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: tcpd-run <data dir>');
const annotations = JSON.parse(readFileSync(join(dir, 'annotations.json'), 'utf8')) as Record<
  string,
  Annotations
>;
const files = readdirSync(join(dir, 'datasets'))
  .filter((f) => f.endsWith('.json'))
  .sort();

const rows: Row[] = [];
for (const file of files) {
  const data = JSON.parse(readFileSync(join(dir, 'datasets', file), 'utf8')) as Dataset;
  const truth = annotations[data.name];
  if (!truth || Object.keys(truth).length === 0) {
    console.error(`skipped ${data.name}: no annotations`);
    continue;
  }
  const columns: SeriesValue[][] = data.series.map((s) =>
    s.raw.map((v) => (v === null || v === undefined || v === '' ? null : Number(v))),
  );
  const n = data.n_obs ?? columns[0]?.length ?? 0;
  const start = performance.now();
  const analysis = analyzeChangePoints(columns);
  const ms = performance.now() - start;
  rows.push({
    series: data.name,
    length: n,
    dims: columns.length,
    predicted: analysis.points,
    differenced: analysis.differenced,
    f1: fMeasure(truth, analysis.points, 5).f1,
    cover: covering(truth, analysis.points, n),
    zeroF1: fMeasure(truth, [], 5).f1,
    zeroCover: covering(truth, [], n),
    ms,
  });
}

const mean = (pick: (r: Row) => number) =>
  rows.length === 0 ? 0 : rows.reduce((s, r) => s + pick(r), 0) / rows.length;
const averages = {
  f1: mean((r) => r.f1),
  cover: mean((r) => r.cover),
  zeroF1: mean((r) => r.zeroF1),
  zeroCover: mean((r) => r.zeroCover),
};

const width = Math.max(6, ...rows.map((r) => r.series.length));
const line = (cells: string[]) => console.log(cells.join('  '));
line([
  'series'.padEnd(width),
  'length'.padStart(6),
  'dims'.padStart(4),
  'repr'.padEnd(4),
  'F1'.padStart(5),
  'cover'.padStart(5),
  'zero F1'.padStart(7),
  'predicted change points',
]);
for (const r of rows) {
  line([
    r.series.padEnd(width),
    String(r.length).padStart(6),
    String(r.dims).padStart(4),
    r.differenced
      .map((d) => (d ? 'D' : 'L'))
      .join('')
      .padEnd(4),
    r.f1.toFixed(3).padStart(5),
    r.cover.toFixed(3).padStart(5),
    r.zeroF1.toFixed(3).padStart(7),
    r.predicted.length ? r.predicted.join(', ') : '(none)',
  ]);
}
line([
  'average'.padEnd(width),
  ''.padStart(6),
  ''.padStart(4),
  ''.padEnd(4),
  averages.f1.toFixed(3).padStart(5),
  averages.cover.toFixed(3).padStart(5),
  averages.zeroF1.toFixed(3).padStart(7),
  `(${rows.length} series; repr: L = levels, D = increments)`,
]);
console.log(
  `default detector: F1 ${averages.f1.toFixed(4)}, cover ${averages.cover.toFixed(4)}; ` +
    `zero baseline (no change): F1 ${averages.zeroF1.toFixed(4)}, cover ${averages.zeroCover.toFixed(4)}; ` +
    `target F1 >= 0.78: ${averages.f1 >= 0.78 ? 'met' : 'NOT met'}`,
);
const round = (x: number) => Math.round(x * 1e4) / 1e4;
console.log(
  JSON.stringify({
    benchmark: 'tcpd',
    margin: 5,
    series: rows.map((r) => ({
      name: r.series,
      length: r.length,
      dims: r.dims,
      predicted: r.predicted,
      f1: round(r.f1),
      cover: round(r.cover),
      zeroF1: round(r.zeroF1),
      zeroCover: round(r.zeroCover),
      ms: Math.round(r.ms * 10) / 10,
    })),
    average: {
      f1: round(averages.f1),
      cover: round(averages.cover),
      zeroF1: round(averages.zeroF1),
      zeroCover: round(averages.zeroCover),
    },
  }),
);
