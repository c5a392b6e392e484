/**
 * Analyses kept with an incident: a report made from uploaded files (or
 * one `calm analyze --format json` wrote) is saved whole, to be opened
 * again, and its answers become the incident's findings, as
 * `calm analyze --attach` records them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AnalysisReport, REPORT_FORMAT, reportSchema } from '../analysis/report/model.js';
import { UserError } from '../core/errors.js';
import type { IncidentId } from '../core/ids.js';
import type { AnalysisStore, AnalysisSummary } from '../store/analysis-store.js';
import {
  type AnalyzeFilesOptions,
  analyzeFiles,
  EVIDENCE_KINDS,
  type EvidenceKind,
} from './analyze/analyze-files.js';
import { findingsOf } from './analyze/attach.js';

export interface UploadedAnalysisOptions {
  incidentId: IncidentId;
  author: string;
  now: number;
  store: AnalysisStore;
  defaultZone?: string;
  idempotency?: { scope: string; key: string };
  workers?: AnalyzeFilesOptions['workers'];
}

/** A file as uploaded: the form field says its kind (or `report`: a saved report). */
export interface UploadedFile {
  field: string;
  name: string;
  size: number;
}

/** The form fields of files an analysis takes: its kinds of evidence, or one saved report. */
export const UPLOAD_FIELDS = [...EVIDENCE_KINDS, 'report'] as const;

/** A saved report is read whole to be checked: this keeps that bounded. */
export const REPORT_BYTES = 32 * 1024 * 1024;

/** The list's name for an analysis: its log files, shortened past a few. */
export function analysisName(logs: readonly string[]): string {
  const shown = logs.slice(0, 3).join(', ');
  return logs.length > 3 ? `${shown} and ${logs.length - 3} more` : shown || 'no logs';
}

/** A report written by `calm analyze --format json`, checked against its schema. */
async function readSavedReport(path: string, file: UploadedFile): Promise<AnalysisReport> {
  if (file.size > REPORT_BYTES)
    throw new UserError(
      `${file.name} is larger than a report can be here (32 MiB); upload the log files instead`,
      'too_large',
    );
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UserError(
      `${file.name} is not JSON (${(error as Error).message}); upload the report calm analyze --format json wrote`,
    );
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      `${file.name} is not a calm analyze report (${REPORT_FORMAT}): ${issue?.path.join('.') || 'report'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/**
 * The report of an upload: the log files (with their changes, crontabs,
 * metrics, bug reports) analyzed as `calm analyze` does, or a report it
 * wrote, read as it is. Either way it is saved with the incident.
 */
export async function runUploadedAnalysis(
  upload: { dir: string; files: readonly UploadedFile[] },
  options: UploadedAnalysisOptions,
): Promise<{ analysis: AnalysisSummary; report: AnalysisReport }> {
  const saved = upload.files.filter((f) => f.field === 'report');
  let report: AnalysisReport;
  if (saved[0]) {
    if (upload.files.length > 1)
      throw new UserError('send either log files or one saved report, not both');
    report = await readSavedReport(join(upload.dir, saved[0].name), saved[0]);
  } else {
    const files = upload.files.map((f) => ({ ...f, kind: f.field as EvidenceKind }));
    if (!files.some((f) => f.kind === 'logs'))
      throw new UserError(
        'no log file in the upload; add at least one as the field logs (or a report of calm analyze --format json as the field report)',
      );
    report = await analyzeFiles(files, {
      dir: upload.dir,
      now: options.now,
      ...(options.defaultZone ? { defaultZone: options.defaultZone } : {}),
      ...(options.workers ? { workers: options.workers } : {}),
    });
  }
  const { analysis } = await options.store.save({
    incidentId: options.incidentId,
    at: options.now,
    author: options.author,
    name: analysisName(report.sources.map((s) => s.name)),
    events: report.totals.events,
    errors: report.totals.errors,
    ...(report.onset.found && report.onset.time !== undefined
      ? { onsetAt: report.onset.time }
      : {}),
    report: JSON.stringify(report),
    ...(options.idempotency ? { idempotency: options.idempotency } : {}),
  });
  return { analysis, report };
}

/** The report's answers as findings that name the saved analysis they come from. */
export function analysisFindings(analysis: AnalysisSummary, report: AnalysisReport) {
  return findingsOf(report).map((finding) => ({
    ...finding,
    source: `calm analyze, analysis ${analysis.id} (${analysis.name})`.slice(0, 300),
  }));
}
