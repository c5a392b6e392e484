/**
 * Question 7 of the report, server health: the metrics the user points Calm
 * at (`--metrics FILE`, repeatable; `--prometheus URL --query PROMQL`,
 * repeatable) read into one MetricsCollector, judged by analyzeHealth and
 * mapped into the report's `health` section.
 *
 * The windows come from the caller (the anomalies' incident and baseline)
 * when it has them; without them the incident is the last quarter of the
 * logs' span (or of the metrics' own span) and only trends are judged,
 * since there is nothing to compare a level with. Prometheus is asked for
 * the time the logs and the windows cover, a little wider, at a step of
 * about 1,000 points (queryPrometheus chooses it). Every input that cannot
 * be used stops the analysis with a one-line UserError naming the fix: the
 * user asked for these metrics, and a report silently without them would
 * say "healthy" on no evidence.
 */
import { access, constants, stat } from 'node:fs/promises';
import {
  analyzeHealth,
  type HealthFinding,
  type HealthReport,
  MetricsCollector,
  type TimeWindow,
} from '../../analysis/explain/health/health.js';
import type { HealthSection } from '../../analysis/report/sections.js';
import { UserError } from '../../core/errors.js';
import { unreadable } from './input-file.js';
import { type MetricsInput, readMetricsFile } from './metrics-input.js';
import { queryPrometheus } from './prometheus.js';
import { probability } from './report-values.js';

export interface HealthInputs {
  /** Metrics files (CSV or JSON, wide or long, or a saved Prometheus response). */
  metrics?: readonly string[];
  /** A Prometheus server and the PromQL queries to run on it. */
  prometheus?: { url: string; queries: readonly string[] };
}

export interface HealthContext {
  /** The logs' span. */
  span?: TimeWindow;
  /** The incident and its baseline, when the caller knows them. */
  windows?: { incident: TimeWindow; baseline: TimeWindow[] };
  now: number;
  /** Zone of metric times written without one. */
  defaultZone?: string;
  resolvePath: (path: string) => string;
}

/** The false-alarm rate of the whole section (analyzeHealth's default). */
const ALPHA = 0.01;
const MINUTE = 60_000;
/** Prometheus is asked for this much more than the span, on each side (and at least 5 minutes). */
const RANGE_MARGIN = 0.1;
/** The range asked of Prometheus when neither the logs nor the windows have times. */
const DEFAULT_RANGE_MS = 2 * 60 * MINUTE;

type SectionFinding = HealthSection['findings'][number];

/** The health section and its checklist answer; undefined when no metrics were given. */
export async function explainHealth(
  inputs: HealthInputs,
  context: HealthContext,
): Promise<{ section: HealthSection; answer: string } | undefined> {
  const files = inputs.metrics ?? [];
  if (files.length === 0 && !inputs.prometheus) return undefined;
  const reads = [
    ...(await Promise.all(files.map((file) => readMetrics(file, context)))),
    ...(inputs.prometheus ? await queryAll(inputs.prometheus, context) : []),
  ];
  const collector = new MetricsCollector();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const read of reads)
    for (const sample of read.samples) {
      collector.add(sample);
      if (sample.time < first) first = sample.time;
      if (sample.time > last) last = sample.time;
    }
  const own = first <= last ? { from: first, to: last } : undefined;
  const health = analyzeHealth(collector, { ...windowsOf(context, own), alpha: ALPHA });
  const section = toSection(health, [...reads.flatMap(readerNotes), ...overlapNote(own, context)]);
  return { section, answer: section.answer };
}

/** The caller's windows, or the last quarter of the span with no baseline (trends only). */
function windowsOf(
  context: HealthContext,
  metricsSpan: TimeWindow | undefined,
): { incident: TimeWindow; baseline?: TimeWindow[] } {
  const { windows } = context;
  if (windows)
    return windows.baseline.length
      ? { incident: windows.incident, baseline: windows.baseline }
      : { incident: windows.incident };
  const span = context.span ?? metricsSpan ?? { from: context.now, to: context.now };
  return { incident: { from: span.to - (span.to - span.from) / 4, to: span.to } };
}

async function readMetrics(file: string, context: HealthContext): Promise<MetricsInput> {
  const path = context.resolvePath(file);
  await ensureReadable(path, file);
  const read = await readMetricsFile(path, {
    name: file,
    referenceTime: context.now,
    ...(context.defaultZone ? { timeZone: context.defaultZone } : {}),
  });
  if (read.samples.length === 0 && read.badRows > 0) {
    const example = read.badSamples[0];
    const text = example?.text.replace(/\s+/g, ' ').slice(0, 80);
    const where = example ? ` (line ${example.line}: ${text})` : '';
    throw new UserError(
      `--metrics ${file}: none of its ${read.rows} rows could be read${where}; give a time column and either a column per metric or metric and value columns`,
    );
  }
  return read;
}

/** A file that is missing, a folder or not readable, said as the --metrics problem it is. */
async function ensureReadable(path: string, file: string): Promise<void> {
  let why: string | undefined;
  try {
    if ((await stat(path)).isDirectory()) why = 'is a folder';
    else await access(path, constants.R_OK);
  } catch (error) {
    why = unreadable(error);
  }
  if (why)
    throw new UserError(
      `--metrics ${file}: ${why}; give a CSV or JSON file of metrics (check the path)`,
      'not_found',
    );
}

async function queryAll(
  prometheus: NonNullable<HealthInputs['prometheus']>,
  context: HealthContext,
): Promise<MetricsInput[]> {
  if (prometheus.queries.length === 0)
    throw new UserError(
      `--prometheus ${prometheus.url} needs at least one --query PROMQL; add e.g. --query node_load1`,
    );
  const { start, end } = prometheusRange(context);
  // No step given: queryPrometheus asks for about 1,000 points over the range.
  return Promise.all(
    prometheus.queries.map((query) => queryPrometheus({ url: prometheus.url, query, start, end })),
  );
}

/**
 * The time the logs and the windows cover, a tenth wider on each side (at
 * least 5 minutes), and never further into the future than now.
 */
function prometheusRange(context: HealthContext): { start: number; end: number } {
  const covered = [context.span, context.windows?.incident, ...(context.windows?.baseline ?? [])];
  const windows = covered.filter((w): w is TimeWindow => w !== undefined);
  if (windows.length === 0) return { start: context.now - DEFAULT_RANGE_MS, end: context.now };
  const from = Math.min(...windows.map((w) => w.from));
  const to = Math.max(...windows.map((w) => w.to));
  const margin = Math.max(5 * MINUTE, RANGE_MARGIN * (to - from));
  return { start: from - margin, end: Math.min(to + margin, Math.max(context.now, to)) };
}

/** Metrics of another time than the logs tell nothing about them: say so, with both times. */
function overlapNote(metrics: TimeWindow | undefined, context: HealthContext): string[] {
  const span = context.span;
  if (!metrics || !span || (metrics.to >= span.from && metrics.from <= span.to)) return [];
  const iso = (ms: number) => new Date(ms).toISOString();
  return [
    `The metrics (${iso(metrics.from)} to ${iso(metrics.to)}) do not overlap the logs (${iso(span.from)} to ${iso(span.to)}).`,
  ];
}

/** What the readers met on the way: rows they could not read, Prometheus' warnings. */
function readerNotes(read: MetricsInput): string[] {
  const notes = [...read.warnings];
  if (read.badRows > 0) {
    const example = read.badSamples[0];
    const where = example ? ` (e.g. line ${example.line}: ${example.text})` : '';
    notes.push(`${read.source}: ${read.badRows} of ${read.rows} rows could not be read${where}.`);
  }
  return notes;
}

/** `{ key: value }` when the value is a finite number (JSON has no Infinity), else nothing. */
function finite<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value !== undefined && Number.isFinite(value)
    ? ({ [key]: value } as Record<K, number>)
    : {};
}

function toSectionFinding(f: HealthFinding): SectionFinding {
  const restarts = f.restarts?.filter(Number.isFinite);
  return {
    kind: f.kind,
    host: f.host,
    metric: f.metric,
    ...(f.resource !== undefined ? { resource: f.resource } : {}),
    label: f.label,
    resourceKind: f.resourceKind,
    direction: f.direction,
    ...finite('before', f.before),
    ...finite('after', f.after),
    ...finite('ratePerHour', f.ratePerHour),
    ...finite('exhaustedBy', f.exhaustedBy),
    ...(restarts?.length ? { restarts } : {}),
    pValue: probability(f.pValue),
    confidence: probability(f.confidence),
    sentence: f.sentence,
    examples: f.evidence.lines,
  };
}

/**
 * Confidence: that of the surest finding; with none, 1 - alpha (the chance
 * that a quiet fleet stays quiet) when anything could be tested, else 0.
 */
function confidenceOf(health: HealthReport): number {
  if (health.findings.length)
    return probability(Math.max(...health.findings.map((f) => f.confidence)));
  const tested = health.tested.withBaseline + health.tested.trends;
  return tested > 0 ? probability(1 - health.alpha) : 0;
}

function toSection(health: HealthReport, readNotes: readonly string[]): HealthSection {
  return {
    found: health.findings.length > 0,
    answer: health.answer,
    confidence: confidenceOf(health),
    findings: health.findings.map(toSectionFinding),
    tested: { series: health.tested.series, hosts: health.tested.hosts },
    notes: [...health.notes, ...readNotes],
  };
}
