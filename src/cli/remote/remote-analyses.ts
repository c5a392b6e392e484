/**
 * Log analyses over the team server's API: `calm analyze --attach` sends the
 * report it made as a form's `report` file, and the server keeps it with the
 * incident (its Evidence page) and records its answers, as it does here.
 */
import type { AnalysisReport } from '../../analysis/report/model.js';
import type { IncidentService } from '../../app/incident-service.js';
import { formatIncidentKey } from '../../core/ids.js';
import type { IncidentState } from '../../core/incident/incident.js';
import type { TimelineEntry } from '../../core/timeline/entry.js';
import type { AnalysisSummary } from '../../store/analysis-store.js';
import type { ApiClient } from './api-client.js';

interface Attached {
  analysis: AnalysisSummary;
  incident: IncidentState;
  entries: TimelineEntry[];
}

export function remoteAnalyses(api: ApiClient): Pick<IncidentService, 'attachAnalysis'> {
  return {
    async attachAnalysis(id, report: AnalysisReport) {
      const form = new FormData();
      const json = new Blob([JSON.stringify(report)], { type: 'application/json' });
      form.append('report', json, 'report.json');
      const answer = await api.request<Attached>({
        method: 'POST',
        path: `/api/incidents/${formatIncidentKey(id)}/analyses`,
        body: form,
      });
      return { state: answer.incident, entries: answer.entries, analysis: answer.analysis };
    },
  };
}
