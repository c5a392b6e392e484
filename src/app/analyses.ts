/**
 * Analyses kept with an incident: a report made from uploaded files is
 * saved whole (to be opened again) and its answers become the incident's
 * findings, as `calm analyze --attach` records them.
 */
import type { AnalysisReport } from '../analysis/report/model.js';
import type { IncidentId } from '../core/ids.js';
import type { AnalysisStore, AnalysisSummary } from '../store/analysis-store.js';
import {
  type AnalyzeFilesOptions,
  analyzeFiles,
  type EvidenceFile,
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

/** The list's name for an analysis: its log files, shortened past a few. */
export function analysisName(files: readonly EvidenceFile[]): string {
  const logs = files.filter((f) => f.kind === 'logs').map((f) => f.name);
  const shown = logs.slice(0, 3).join(', ');
  return logs.length > 3 ? `${shown} and ${logs.length - 3} more` : shown;
}

export async function runUploadedAnalysis(
  upload: { dir: string; files: readonly EvidenceFile[] },
  options: UploadedAnalysisOptions,
): Promise<{ analysis: AnalysisSummary; report: AnalysisReport }> {
  const report = await analyzeFiles(upload.files, {
    dir: upload.dir,
    now: options.now,
    ...(options.defaultZone ? { defaultZone: options.defaultZone } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
  });
  const { analysis } = await options.store.save({
    incidentId: options.incidentId,
    at: options.now,
    author: options.author,
    name: analysisName(upload.files),
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
