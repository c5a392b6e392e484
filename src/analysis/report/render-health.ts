/**
 * The server-health section (question 7) in the terminal report: the answer,
 * then the surest findings, each with its confidence, its sentence and the
 * metrics line that shows it, indented as render.ts indents the other
 * sections. The caller adds the heading.
 */
import type { HealthSection } from './sections.js';
import { cite, percent } from './text.js';

const MAX_FINDINGS = 5;
const MAX_NOTES = 3;

export function healthLines(section: HealthSection): string[] {
  const lines = [`  ${section.answer}`];
  for (const finding of section.findings.slice(0, MAX_FINDINGS)) {
    lines.push(`  ${percent(finding.confidence).padStart(4)}  ${finding.sentence}`);
    const example = finding.examples[0];
    if (example) lines.push(`        ${cite(example)}`);
  }
  // Notes the answer does not already tell: the fleet's common moves, rows that could not be read.
  const notes = section.notes.filter((note) => !section.answer.includes(note));
  for (const note of notes.slice(0, MAX_NOTES)) lines.push(`  note: ${note}`);
  return lines;
}
