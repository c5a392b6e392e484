/**
 * "Anomalies against a baseline" and "patterns in the data inputs" for the
 * report: the comparison windows (automatic, or the user's --baseline), every
 * series of the pass tested against them, and the failing events' attribute
 * values against the successful ones'. Both map the analysis results onto
 * the report's sections (sections.ts): JSON has no Infinity, so a ratio or
 * lift of something new is null there.
 */
import type { PassEvidence } from '../../analysis/analyzer.js';
import { findAnomalies } from '../../analysis/explain/anomalies/anomalies.js';
import {
  type BaselineChoice,
  chooseBaseline,
  parseTimeRange,
} from '../../analysis/explain/anomalies/baseline.js';
import type { ContrastResult } from '../../analysis/explain/contrast/contrast-rank.js';
import type { AnalysisReport } from '../../analysis/report/model.js';
import type { AnomaliesSection, ContrastsSection } from '../../analysis/report/sections.js';
import { finiteOrNull, probability } from './report-values.js';

/** The windows every baseline comparison of this report uses (anomalies, server health). */
export function comparisonFor(
  report: AnalysisReport,
  baseline: string | undefined,
  now: number,
): BaselineChoice {
  if (!report.span) return { ok: false, reason: 'The evidence has no timed events.' };
  return chooseBaseline({
    span: report.span,
    ...(report.onset.found && report.onset.time !== undefined ? { onset: report.onset.time } : {}),
    ...(baseline ? { userBaseline: parseTimeRange(baseline, now, report.span.to) } : {}),
    ...(report.series ? { resolutionMs: report.series.bucketMs } : {}),
  });
}

/** The pass's finished series under the keys findAnomalies reads. */
function seriesOf(report: AnalysisReport): Map<string, readonly number[]> {
  const out = new Map<string, readonly number[]>();
  const s = report.series;
  if (!s) return out;
  out.set('all', s.all);
  out.set('errors', s.errors);
  for (const [k, v] of Object.entries(s.statusClasses)) out.set(`status:${k}`, v);
  for (const [k, v] of Object.entries(s.hosts)) out.set(`host:${k}`, v);
  for (const [k, v] of Object.entries(s.templates)) out.set(`template:${k}`, v);
  return out;
}

export function explainAnomalies(
  report: AnalysisReport,
  evidence: PassEvidence,
  choice: BaselineChoice,
): AnomaliesSection {
  const series = seriesOf(report);
  const result = findAnomalies({
    baseline: choice,
    ...(report.series && report.span
      ? {
          counts: {
            start: report.series.start,
            bucketMs: report.series.bucketMs,
            series,
            span: report.span,
          },
        }
      : {}),
    latency: evidence.latency,
    examplesOf: evidence.examplesOf,
  });
  return {
    found: result.found,
    answer: result.sentence,
    confidence: probability(
      result.found ? Math.max(...result.anomalies.map((a) => a.confidence)) : choice.ok ? 0.99 : 0,
    ),
    ...(result.windows
      ? {
          windows: {
            method: result.windows.method,
            incident: result.windows.incident,
            baseline: result.windows.baseline,
            description: result.windows.description,
          },
        }
      : {}),
    tested: result.tested,
    untestable: result.untestable,
    anomalies: result.anomalies.slice(0, 50).map((a) => ({
      key: a.key,
      label: a.label,
      kind: a.kind,
      direction: a.direction,
      before: a.before,
      after: a.after,
      ratio: finiteOrNull(a.ratio),
      pValue: probability(a.pValue),
      qValue: probability(a.qValue),
      confidence: probability(a.confidence),
      sentence: a.sentence,
      ...(a.evidence.quantiles ? { quantiles: a.evidence.quantiles } : {}),
      examples: a.evidence.examples,
    })),
  };
}

export function contrastsSection(result: ContrastResult): ContrastsSection {
  return {
    found: result.found,
    answer: result.answer,
    confidence: probability(result.confidence),
    failures: result.failures,
    successes: Math.max(0, result.successes),
    tested: result.tested,
    findings: result.contrasts.map((c) => ({
      attribute: c.attribute,
      name: c.name,
      match: c.match,
      value: c.value,
      label: c.label,
      failures: c.failures,
      failureShare: probability(c.failureShare),
      successes: Math.max(0, c.successes),
      successShare: probability(c.successShare),
      lift: finiteOrNull(c.lift),
      pValue: probability(c.pValue),
      confidence: probability(c.confidence),
      sentence: c.sentence,
      related: c.related.map((r) => ({ attribute: r.attribute, label: r.label })),
      examples: c.examples,
    })),
    notes: result.notes,
  };
}
