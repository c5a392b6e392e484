import type { AnalysisReport } from '../../analysis/report/model.js';
import type { FindingInput } from '../../core/incident/commands.js';

/** How many templates and stacks an incident keeps: the top ones are what recurs. */
const TOP_TEMPLATES = 10;
const TOP_STACKS = 5;
/** The API takes evidence strings up to a title's length; longer templates are cut there. */
const TEXT_MAX = 300;

/**
 * The report's answers as findings, evidence for an incident's timeline, and
 * its error signatures as one more finding whose structured evidence (message
 * templates, stack fingerprints) later incidents are compared with (recurrence).
 */
export function findingsOf(report: AnalysisReport): FindingInput[] {
  const findings: FindingInput[] = report.answers.map((answer) => ({
    text: `${answer.question} ${answer.answer}`,
    source: 'calm analyze',
  }));
  const templates = report.errorMessages
    .filter((message) => message.errorCount > 0)
    .sort((a, b) => b.errorCount - a.errorCount)
    .slice(0, TOP_TEMPLATES);
  const stacks = [...report.stackTraces].sort((a, b) => b.count - a.count).slice(0, TOP_STACKS);
  if (templates.length || stacks.length) {
    const lines = [
      ...templates.map((t) => `"${t.template}" (${t.errorCount})`),
      ...stacks.map((s) => `${s.signature} [${s.fingerprint}] (${s.count})`),
    ];
    findings.push({
      text: `Error signatures: ${lines.join('; ')}`,
      source: 'calm analyze',
      evidence: {
        ...(templates.length
          ? { templates: templates.map((t) => t.template.slice(0, TEXT_MAX)) }
          : {}),
        ...(stacks.length
          ? {
              stacks: stacks.map((s) => ({
                fingerprint: s.fingerprint,
                signature: s.signature.slice(0, TEXT_MAX),
              })),
            }
          : {}),
      },
    });
  }
  return findings;
}
