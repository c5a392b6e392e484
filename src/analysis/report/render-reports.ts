/**
 * The bug-reports section (question 8) in the terminal report: the answer,
 * then what the reports most have in common, each with its sentence and one
 * report that shows it, indented as render.ts indents the other sections.
 * The caller adds the heading.
 */
import type { BugReportsSection } from './sections.js';
import { cite } from './text.js';

const MAX_COMMONALITIES = 5;

export function bugReportLines(section: BugReportsSection): string[] {
  const lines = [`  ${section.answer}`];
  for (const common of section.commonalities.slice(0, MAX_COMMONALITIES)) {
    lines.push(`  ${common.sentence}${common.notable ? '  <- stands out' : ''}`);
    const example = common.examples[0];
    if (example) lines.push(`        ${cite(example)}`);
  }
  if (section.unreadable > 0)
    lines.push(`  (${section.unreadable} bug report records could not be read)`);
  return lines;
}
