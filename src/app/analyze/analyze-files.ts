/**
 * An analysis of files handed over whole (the server's uploads), the same two
 * steps as `calm analyze`: the streaming pass over the logs (in worker
 * threads when they are large and a worker script is given, so a server's
 * event loop stays free), then the explain step over the other evidence.
 */
import { join } from 'node:path';
import type { AnalysisReport } from '../../analysis/report/model.js';
import { explainReport } from './explain.js';
import { analyzeSources } from './run.js';
import { type LogSource, openFile } from './sources.js';

/** The kinds of evidence a file can be, as `calm analyze` takes them. */
export const EVIDENCE_KINDS = ['logs', 'changes', 'cron', 'metrics', 'reports'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface EvidenceFile {
  kind: EvidenceKind;
  /** Unique among the files: it is how the report cites them. */
  name: string;
  size: number;
}

export interface AnalyzeFilesOptions {
  /** The folder holding every file under its name. */
  dir: string;
  now: number;
  /** Zone for stamps without one (IANA name or offset). */
  defaultZone?: string;
  workers?: { script: URL; count: number };
}

export async function analyzeFiles(
  files: readonly EvidenceFile[],
  options: AnalyzeFilesOptions,
): Promise<AnalysisReport> {
  const named = (kind: EvidenceKind) => files.filter((f) => f.kind === kind).map((f) => f.name);
  const sources: LogSource[] = files
    .filter((f) => f.kind === 'logs')
    .map((f) => {
      const path = join(options.dir, f.name);
      const gzip = f.name.endsWith('.gz');
      return { name: f.name, size: f.size, path, gzip, open: () => openFile(path, gzip) };
    });
  const zone = options.defaultZone ? { defaultZone: options.defaultZone } : {};
  const { report, evidence } = await analyzeSources(sources, {
    now: options.now,
    ...zone,
    ...(options.workers ? { workers: options.workers } : {}),
  });
  return explainReport(
    report,
    evidence,
    {
      changes: named('changes'),
      cron: named('cron'),
      metrics: named('metrics'),
      reports: named('reports'),
    },
    {
      now: options.now,
      ...zone,
      cwd: options.dir,
      resolvePath: (name) => join(options.dir, name),
    },
  );
}
