/**
 * The second part of an analysis: what the logs alone cannot tell, from the
 * other evidence the user points Calm at (deploy records, git, cron jobs,
 * metrics, bug reports), read after the streaming pass because each needs
 * its results (the onset, the span, where the errors are).
 */

import type { PassEvidence } from '../../analysis/analyzer.js';
import {
  type ChangeRecord,
  type ChangeSuspect,
  changeContextOf,
  changeWindow,
  rankSuspects,
} from '../../analysis/explain/changes/changes.js';
import { alignCronJobs } from '../../analysis/explain/cron/cron-alignment.js';
import type { AnalysisReport, Evidence } from '../../analysis/report/model.js';
import type { AnomaliesSection } from '../../analysis/report/sections.js';
import { type ChangeInput, listGitChanges, readChangeFile } from './changes-input.js';
import { readCronInput } from './cron-input.js';
import { comparisonFor, contrastsSection, explainAnomalies } from './explain-anomalies.js';
import { explainHealth } from './explain-health.js';
import { explainBugReports } from './explain-reports.js';
import { probability } from './report-values.js';

export interface ExplainInputs {
  /** Deploy and change records: JSON lines, a JSON array or CSV. */
  changes?: readonly string[];
  /** Git repositories whose commits, merges and tags are changes too. */
  git?: readonly string[];
  /** Crontabs (system, user, folders like /etc/cron.d) and Kubernetes CronJob manifests. */
  cron?: readonly string[];
  /** Server metrics files: CSV or JSON, wide or long, or a saved Prometheus response. */
  metrics?: readonly string[];
  /** A Prometheus server and the PromQL queries to run on it over the logs' span. */
  prometheus?: { url: string; queries: readonly string[] };
  /** Customer bug reports: CSV, a JSON array or JSON lines. */
  reports?: readonly string[];
  /** The normal period to compare the incident with, as given: "from..to". */
  baseline?: string;
}

export interface ExplainOptions {
  now: number;
  defaultZone?: string;
  /** The folder paths are relative to; names in evidence stay as written. */
  cwd: string;
  resolvePath: (path: string) => string;
}

const QUESTIONS = {
  onset: 'When did the errors first start?',
  changes: 'What changed around that time?',
  cron: 'Do we have cron jobs that run around that time?',
  hosts: 'Are errors coming from specific servers or all?',
  anomalies: 'What differs from the baseline?',
  health: 'Are the servers healthy (CPU, memory, disk, load)?',
  patterns: 'Is there a pattern across time (every minute? a time of day?)',
  inputs: 'Which inputs do the failing requests have in common?',
  reports: 'What do the bug reports have in common?',
} as const;

function toReportSuspect(s: ChangeSuspect) {
  const c = s.change;
  return {
    change: {
      time: c.time,
      kind: c.kind,
      ...(c.id !== undefined ? { id: c.id } : {}),
      ...(c.service !== undefined ? { service: c.service } : {}),
      ...(c.version !== undefined ? { version: c.version } : {}),
      description: c.description,
      ...(c.hosts?.length ? { hosts: c.hosts } : {}),
      source: c.source,
      line: c.line,
    },
    lagMs: s.lagMs,
    confidence: probability(s.confidence),
    verdict: s.verdict,
    reason: s.reason,
  };
}

/** The anomalies section when there is nothing to compare. */
const withoutIncident = (answer: string): AnomaliesSection => ({
  found: false,
  answer,
  confidence: 0,
  tested: 0,
  untestable: 0,
  anomalies: [],
});

/** Places an answer right after the question it follows in the checklist. */
function answerAfter(report: AnalysisReport, after: string, question: string, answer: string) {
  const answers = report.answers.filter((a) => a.question !== question);
  const at = answers.findIndex((a) => a.question === after);
  answers.splice(at < 0 ? answers.length : at + 1, 0, { question, answer });
  report.answers = answers;
}

async function explainChanges(
  report: AnalysisReport,
  inputs: ExplainInputs,
  options: ExplainOptions,
): Promise<void> {
  const reads: ChangeInput[] = [];
  const common = {
    now: options.now,
    ...(options.defaultZone ? { defaultZone: options.defaultZone } : {}),
  };
  for (const file of inputs.changes ?? [])
    reads.push(await readChangeFile(options.resolvePath(file), { ...common, name: file }));
  const window = report.span && changeWindow(report.span);
  for (const dir of inputs.git ?? [])
    reads.push(
      await listGitChanges(options.resolvePath(dir), {
        ...common,
        name: dir,
        window: window ?? { from: 0, to: options.now },
      }),
    );
  const records: ChangeRecord[] = reads.flatMap((r) => r.records).sort((a, b) => a.time - b.time);
  const covered = reads.every((r) => r.covered)
    ? {
        from: Math.min(...reads.map((r) => r.covered?.from ?? 0)),
        to: Math.max(...reads.map((r) => r.covered?.to ?? 0)),
      }
    : undefined;
  const ranking = rankSuspects(records, {
    ...changeContextOf(report),
    ...(covered ? { recorded: covered } : {}),
  });
  const unreadableSamples: Evidence[] = reads.flatMap((r) => r.badSamples).slice(0, 10);
  report.changes = {
    answer: ranking.answer,
    confidence: probability(ranking.confidence),
    suspects: ranking.suspects.map(toReportSuspect),
    ...(ranking.lastDeploy ? { lastDeploy: toReportSuspect(ranking.lastDeploy) } : {}),
    mitigations: ranking.mitigations.map(toReportSuspect),
    considered: ranking.considered,
    unreadable: reads.reduce((n, r) => n + r.bad, 0),
    unreadableSamples,
  };
  answerAfter(report, QUESTIONS.onset, QUESTIONS.changes, ranking.answer);
}

/** Cron jobs against the error bursts; without --cron the answer says none were given. */
async function explainCron(
  report: AnalysisReport,
  evidence: PassEvidence,
  inputs: ExplainInputs,
  options: ExplainOptions,
): Promise<void> {
  const cron = inputs.cron?.length
    ? await readCronInput(inputs.cron, { cwd: options.cwd })
    : undefined;
  const alignment = alignCronJobs({
    jobs: cron?.jobs,
    bursts: evidence.bursts.bursts(),
    span: report.span,
    ...(options.defaultZone ? { defaultZone: options.defaultZone } : {}),
    ...(report.onset.found && report.onset.time !== undefined ? { onset: report.onset.time } : {}),
    evidenceFor: (time) => evidence.firstErrorOfMinute(Math.floor(time / 60_000)),
  });
  report.cron = alignment;
  answerAfter(report, QUESTIONS.changes, QUESTIONS.cron, alignment.sentence);
}

/** Periodic errors and times of day, from the phase histograms of the pass. */
function explainPatterns(report: AnalysisReport, evidence: PassEvidence, options: ExplainOptions) {
  const examples = [
    report.onset.firstError,
    ...report.errorMessages.flatMap((m) => m.examples),
  ].filter((e): e is Evidence => e !== undefined);
  const result = evidence.periodicity.finish({
    ...(options.defaultZone ? { zone: options.defaultZone } : {}),
    examples,
  });
  report.patterns = {
    found: result.found,
    answer: result.answer,
    confidence: probability(result.confidence),
    periods: result.periods.map((p) => ({
      periodMs: p.periodMs,
      jitterMs: p.jitterMs,
      phase: p.phaseLabel,
      cycles: p.cycles,
      cyclesWithPeak: p.cyclesWithPeak,
      peakShare: probability(p.peakShare),
      lift: p.lift,
      pValue: probability(p.pValue),
      confidence: probability(p.confidence),
      sentence: p.sentence,
      examples: p.examples,
    })),
    timesOfDay: result.timeOfDay.windows.map((w) => ({
      window: w.label,
      zone: result.timeOfDay.zone,
      recurringDays: w.recurringDays,
      coveredDays: w.coveredDays,
      share: probability(w.share),
      lift: w.lift,
      pValue: probability(w.pValue),
      confidence: probability(w.confidence),
      examples: w.examples,
    })),
    testedPeriodsMs: result.testedPeriodsMs,
  };
  answerAfter(report, QUESTIONS.health, QUESTIONS.patterns, result.answer);
}

/** Adds the answers that need evidence besides the logs; the report is changed in place. */
export async function explainReport(
  report: AnalysisReport,
  evidence: PassEvidence,
  inputs: ExplainInputs,
  options: ExplainOptions,
): Promise<AnalysisReport> {
  if (inputs.changes?.length || inputs.git?.length) await explainChanges(report, inputs, options);
  else
    answerAfter(
      report,
      QUESTIONS.onset,
      QUESTIONS.changes,
      'No change records given (--changes FILE or --git DIR): changes were not checked.',
    );
  await explainCron(report, evidence, inputs, options);

  // Anomalies: every series against the baseline windows, which server health shares.
  const comparison = comparisonFor(report, inputs.baseline, options.now);
  report.anomalies =
    report.onset.found || inputs.baseline
      ? explainAnomalies(report, evidence, comparison)
      : withoutIncident(
          'No error onset, so no incident window to compare with a baseline (give --baseline FROM..TO to compare the last quarter of the logs with it).',
        );
  answerAfter(report, QUESTIONS.hosts, QUESTIONS.anomalies, report.anomalies.answer);
  const common = {
    now: options.now,
    ...(options.defaultZone ? { defaultZone: options.defaultZone } : {}),
    resolvePath: options.resolvePath,
    ...(report.span ? { span: report.span } : {}),
  };
  const health = await explainHealth(
    {
      ...(inputs.metrics ? { metrics: inputs.metrics } : {}),
      ...(inputs.prometheus ? { prometheus: inputs.prometheus } : {}),
    },
    { ...common, ...(comparison.ok ? { windows: comparison.windows } : {}) },
  );
  if (health) report.health = health.section;
  answerAfter(
    report,
    QUESTIONS.anomalies,
    QUESTIONS.health,
    health?.answer ??
      'No metrics given (--metrics FILE or --prometheus URL --query PROMQL): server health was not checked.',
  );

  // Patterns: across time, in the failing inputs, in the customers' reports.
  explainPatterns(report, evidence, options);
  const contrasts = evidence.contrast.result();
  report.contrasts = contrastsSection(contrasts);
  // Without an onset the failures are the usual background: what they have in
  // common is noted, but it is not a finding about an incident.
  if (!report.onset.found && report.contrasts.found)
    report.contrasts = {
      ...report.contrasts,
      found: false,
      answer:
        'No error onset: the failures look like the usual background, so they were not compared as an incident.',
      findings: [],
      notes: [`Among the background failures: ${contrasts.answer}`, ...report.contrasts.notes],
    };
  answerAfter(report, QUESTIONS.patterns, QUESTIONS.inputs, report.contrasts.answer);
  const reports = await explainBugReports(
    { ...(inputs.reports ? { reports: inputs.reports } : {}) },
    {
      ...common,
      traffic: contrasts.traffic,
      ...(report.onset.found && report.onset.time !== undefined
        ? { onset: report.onset.time }
        : {}),
    },
  );
  if (reports) report.bugReports = reports.section;
  answerAfter(
    report,
    QUESTIONS.inputs,
    QUESTIONS.reports,
    reports?.answer ?? 'No bug reports given (--reports FILE): none were compared.',
  );
  return report;
}
