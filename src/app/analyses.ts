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
import type { AnalysisSummary } from '../store/analysis-store.js';
import {
  type AnalyzeFilesOptions,
  analyzeFiles,
  EVIDENCE_KINDS,
  type EvidenceKind,
} from './analyze/analyze-files.js';
import { findingsOf } from './analyze/attach.js';
import type { AppContext } from './context.js';
import { recordFindings, requireIncident } from './incidents.js';
import type { CommandResult } from './run-command.js';

export interface UploadedAnalysisOptions {
  now: number;
  defaultZone?: string;
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
 * wrote, read as it is.
 */
export async function reportOfUpload(
  upload: { dir: string; files: readonly UploadedFile[] },
  options: UploadedAnalysisOptions,
): Promise<AnalysisReport> {
  const saved = upload.files.filter((f) => f.field === 'report');
  if (saved[0]) {
    if (upload.files.length > 1)
      throw new UserError('send either log files or one saved report, not both');
    return readSavedReport(join(upload.dir, saved[0].name), saved[0]);
  }
  const files = upload.files.map((f) => ({ ...f, kind: f.field as EvidenceKind }));
  if (!files.some((f) => f.kind === 'logs'))
    throw new UserError(
      'no log file in the upload; add at least one as the field logs (or a report of calm analyze --format json as the field report)',
    );
  return analyzeFiles(files, {
    dir: upload.dir,
    now: options.now,
    ...(options.defaultZone ? { defaultZone: options.defaultZone } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
  });
}

/**
 * Keeps a report with the incident and records its answers as findings that
 * name it: what `calm analyze --attach` and an upload do. With the context's
 * Idempotency-Key, a retry saves and records nothing more and gets the
 * first analysis back.
 */
export async function attachAnalysis(
  ctx: AppContext,
  id: IncidentId,
  report: AnalysisReport,
): Promise<CommandResult & { analysis: AnalysisSummary }> {
  if (!ctx.analyses) throw new Error('this store was opened without its analyses');
  await requireIncident(ctx, id);
  const { analysis } = await ctx.analyses.save({
    incidentId: id,
    at: ctx.clock.now(),
    author: ctx.author,
    name: analysisName(report.sources.map((s) => s.name)),
    events: report.totals.events,
    errors: report.totals.errors,
    ...(report.onset.found && report.onset.time !== undefined
      ? { onsetAt: report.onset.time }
      : {}),
    report: JSON.stringify(report),
    ...(ctx.idempotency ? { idempotency: ctx.idempotency } : {}),
  });
  const result = await recordFindings(ctx, id, analysisFindings(analysis, report));
  return { ...result, analysis };
}

/** The report's answers as findings that name the saved analysis they come from. */
export function analysisFindings(analysis: AnalysisSummary, report: AnalysisReport) {
  return findingsOf(report).map((finding) => ({
    ...finding,
    source: `calm analyze, analysis ${analysis.id} (${analysis.name})`.slice(0, 300),
  }));
}
