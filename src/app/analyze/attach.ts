import type { AnalysisReport } from '../../analysis/report/model.js';

/** The report's answers as findings: evidence for an incident's timeline. */
export function findingsOf(report: AnalysisReport): { text: string; source: string }[] {
  return report.answers.map((answer) => ({
    text: `${answer.question} ${answer.answer}`,
    source: 'calm analyze',
  }));
}
