import type { AnalysisReport } from '../../analysis/report/model.js';
import type { IncidentId } from '../../core/ids.js';
import type { Change } from '../../core/incident/commands.js';
import type { AppContext } from '../context.js';
import { runIncidentCommand } from '../run-command.js';

/** The report's answers become finding entries: evidence on the incident's timeline. */
export function attachFindings(ctx: AppContext, id: IncidentId, report: AnalysisReport) {
  const changes: Change[] = report.answers.map((answer) => ({
    body: { kind: 'finding', text: `${answer.question} ${answer.answer}`, source: 'calm analyze' },
  }));
  return runIncidentCommand(ctx, id, () => changes);
}
