/** The analysis report as the server sends it (calm.analysis/v1), and a saved analysis. */
export type { AnalysisReport as Report } from '../../../src/analysis/report/model.ts';
export type { AnalysisSummary } from '../../../src/store/analysis-store.ts';
