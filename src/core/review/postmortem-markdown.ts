/** The postmortem as Markdown: to paste into a wiki or keep beside the code. */
import type { EpochMs } from '../ids.js';
import type { ActionItem } from './action-item.js';
import type { PostmortemModel, SectionView } from './postmortem.js';
import type { PostmortemSection } from './postmortem-record.js';
import { renderStageReview } from './stages-text.js';

/** Where the parts that are not free text sit among the sections, the same in every format. */
export type OutlinePart = PostmortemSection | 'timeline' | 'stages' | 'action_items';
export const OUTLINE: readonly OutlinePart[] = [
  'summary',
  'impact',
  'timeline',
  'detection',
  'response',
  'investigation',
  'stages',
  'root_cause',
  'resolution',
  'went_well',
  'went_poorly',
  'lucky',
  'action_items',
];

export const PART_TITLES = {
  timeline: 'Timeline',
  stages: 'Where the time went',
  action_items: 'Action items',
} as const;

/** "SEV1 (Critical) · closed · services: a, b · postmortem draft" */
export function headline(model: PostmortemModel): string {
  return [
    model.severity
      ? `${model.severity}${model.severityName ? ` (${model.severityName})` : ''}`
      : 'unrated',
    `incident ${model.incidentStatus}`,
    model.services.length ? `services: ${model.services.join(', ')}` : '',
    model.status === 'complete' ? 'postmortem complete' : 'postmortem draft',
  ]
    .filter(Boolean)
    .join(' · ');
}

export const ACTION_COLUMNS = ['#', 'Action', 'Kind', 'Priority', 'Owner', 'Due', 'Status', 'Link'];

export function actionRow(item: ActionItem): string[] {
  return [
    `A${item.number}`,
    item.title,
    item.kind,
    item.priority.toUpperCase(),
    item.owner ?? '(nobody yet)',
    item.due ?? '',
    item.status.replace('_', ' '),
    item.link ?? '',
  ];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;

function table(head: string[], rows: string[][]): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}

function part(model: PostmortemModel, name: OutlinePart, clock: (at: EpochMs) => string): string {
  if (name === 'timeline')
    return model.timeline.length
      ? table(
          ['Time', 'Entry', 'What happened'],
          model.timeline.map((line) => [clock(line.at), `#${line.seq} ${line.label}`, line.text]),
        )
      : '_The log holds no key entries yet._';
  if (name === 'stages')
    return `\`\`\`text\n${renderStageReview(model.stages, clock, { eachUpdate: false })}\n\`\`\``;
  if (name === 'action_items')
    return model.actionItems.length
      ? table(ACTION_COLUMNS, model.actionItems.map(actionRow))
      : '_No action items yet. Add them with `calm action add "..." --owner NAME`: prevent, detect, mitigate or process._';
  const section = model.sections.find((s) => s.section === name) as SectionView;
  return section.text;
}

export function renderPostmortemMarkdown(
  model: PostmortemModel,
  clock: (at: EpochMs) => string,
): string {
  const out = [`# Postmortem: ${model.key} — ${model.title}`, '', headline(model)];
  if (model.warnings.length) {
    out.push('', '> **Blameless review:** the linter flagged written text; consider rewording.');
    for (const w of model.warnings)
      out.push(`> - ${w.section}: "${w.sentence.trim()}" (${w.message}; try: ${w.suggestion})`);
  }
  for (const name of OUTLINE) {
    const title =
      name in PART_TITLES
        ? PART_TITLES[name as keyof typeof PART_TITLES]
        : (model.sections.find((s) => s.section === name)?.title ?? name);
    out.push('', `## ${title}`, '', part(model, name, clock));
  }
  return `${out.join('\n')}\n`;
}
