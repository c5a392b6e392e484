/**
 * The personal postmortem (personal mode): one engineer's review of their own
 * incident, "radically transparent" and private. Drafted from the log like the
 * team's (postmortem.ts), in the engineer's own template: what happened, what I
 * did, what I would do differently, and what I change personally as against
 * what the team or organisation should change. A section the engineer wrote
 * (a `postmortem_section` entry) replaces its draft.
 */
import { UserError } from '../errors.js';
import type { EntrySeq, EpochMs } from '../ids.js';
import type { Change } from '../incident/commands.js';
import { describeImpact, isImpactEmpty } from '../incident/impact.js';
import type { IncidentState } from '../incident/incident.js';
import type { SeverityFramework } from '../severity/framework.js';
import { findLevel } from '../severity/framework.js';
import { formatDuration } from '../time.js';
import type { TimelineEntry } from '../timeline/entry.js';
import type { ActionItem } from './action-item.js';
import { keyTimeline, type TimelineLine } from './postmortem.js';
import { type DraftContext, prompt, writtenEntries } from './postmortem-draft.js';
import { wentPoorly } from './postmortem-facts.js';
import { actionRow } from './postmortem-markdown.js';
import {
  PERSONAL_POSTMORTEM_SECTIONS,
  PERSONAL_SECTION_TITLES,
  type PersonalPostmortemSection,
} from './postmortem-record.js';
import { reviewStages } from './stages.js';
import { renderStageReview } from './stages-text.js';

export interface PersonalSectionView {
  section: PersonalPostmortemSection;
  title: string;
  text: string;
  written?: { author: string; at: EpochMs; seq: EntrySeq };
}

export interface PersonalPostmortem {
  key: string;
  title: string;
  engineer: string;
  sections: PersonalSectionView[];
  timeline: TimelineLine[];
  stagesText: string;
  /** Items the engineer owns: their own changes. */
  mine: ActionItem[];
  /** Items for others, or nobody yet: the team's and the organisation's. */
  theirs: ActionItem[];
}

const list = (items: string[]) => items.map((item) => `- ${item}`).join('\n');
const paragraphs = (...parts: (string | false)[]) => parts.filter(Boolean).join('\n\n');

function draft(section: PersonalPostmortemSection, ctx: DraftContext, engineer: string): string {
  const { state, clock } = ctx;
  const m = state.milestones;
  switch (section) {
    case 'what_happened': {
      const start = m.impact_started ?? m.declared;
      const lasted =
        start !== undefined && m.resolved !== undefined
          ? `It lasted ${formatDuration(m.resolved - start)}, from ${clock(start)} to ${clock(m.resolved)}.`
          : start !== undefined && `It started at ${clock(start)} and is not resolved yet.`;
      return paragraphs(
        `${state.title}.${state.summary ? ` ${state.summary}` : ''}`,
        !isImpactEmpty(state.impact) && `Impact: ${describeImpact(state.impact)}.`,
        lasted ?? false,
        prompt(
          'Say plainly what went wrong, including your part in it: admitting it is where learning starts.',
        ),
      );
    }
    case 'what_i_did': {
      const mine = writtenEntries(ctx, ['action', 'decision', 'finding', 'note']).filter(
        (e) => e.entry.author === engineer && e.text,
      );
      return paragraphs(
        mine.length
          ? list(mine.map((e) => `${clock(e.entry.occurredAt)}: ${e.text}`))
          : '_Your log holds no actions or notes yet._',
        prompt('Did you use your time well at each stage? Who did you tell, and when?'),
      );
    }
    case 'do_differently':
      return paragraphs(
        list(wentPoorly(ctx)),
        prompt(
          'What would you do differently next time: slow down, tell someone sooner, check before acting?',
        ),
      );
    case 'change_personally':
      return prompt(
        'The efficiencies you implement yourself: a checklist before a risky command, a habit, a tool. Add each as an action item you own.',
      );
    case 'change_team':
      return prompt(
        'What the team or organisation should change so this cannot happen to the next person: mandatory testing, code review, restricted access. Add each as an action item for its owner.',
      );
  }
}

export interface PersonalPostmortemInput {
  state: IncidentState;
  entries: readonly TimelineEntry[];
  framework: SeverityFramework;
  now: EpochMs;
  clock: (at: EpochMs) => string;
}

export function draftPersonalPostmortem(input: PersonalPostmortemInput): PersonalPostmortem {
  const { state, entries, framework, clock } = input;
  const stages = reviewStages({ state, entries, framework, now: input.now });
  const level = state.severity ? findLevel(framework, state.severity) : undefined;
  const ctx: DraftContext = { state, entries, stages, level, clock };
  const engineer = state.declaredBy;
  return {
    key: state.key,
    title: state.title,
    engineer,
    sections: PERSONAL_POSTMORTEM_SECTIONS.map((section) => {
      const written = state.postmortem.sections[section];
      return {
        section,
        title: PERSONAL_SECTION_TITLES[section],
        text: written ? written.text.trim() : draft(section, ctx, engineer),
        ...(written
          ? { written: { author: written.author, at: written.at, seq: written.seq } }
          : {}),
      };
    }),
    timeline: keyTimeline(entries),
    stagesText: renderStageReview(stages, clock, { eachUpdate: false }),
    mine: state.actionItems.filter((item) => item.owner === engineer),
    theirs: state.actionItems.filter((item) => item.owner !== engineer),
  };
}

const items = (rows: ActionItem[]) =>
  rows.length ? list(rows.map((item) => actionRow(item).filter(Boolean).join(' · '))) : '';

export function renderPersonalPostmortem(
  model: PersonalPostmortem,
  clock: (at: EpochMs) => string,
): string {
  const out = [
    `# Personal postmortem: ${model.key} — ${model.title}`,
    '',
    `By ${model.engineer}; private, kept on this machine.`,
  ];
  for (const section of model.sections) {
    out.push('', `## ${section.title}`, '', section.text);
    if (section.section === 'what_i_did' && model.timeline.length)
      out.push(
        '',
        'Key entries of the log:',
        '',
        list(model.timeline.map((l) => `${clock(l.at)} #${l.seq} ${l.label}: ${l.text}`)),
      );
    if (section.section === 'do_differently') out.push('', '```text', model.stagesText, '```');
    if (section.section === 'change_personally' && model.mine.length)
      out.push('', items(model.mine));
    if (section.section === 'change_team' && model.theirs.length) out.push('', items(model.theirs));
  }
  return `${out.join('\n')}\n`;
}

export function parsePersonalSection(input: string): PersonalPostmortemSection {
  const normalized = input.trim().toLowerCase().replace(/[- ]/g, '_');
  const found = PERSONAL_POSTMORTEM_SECTIONS.find((s) => s === normalized);
  if (!found)
    throw new UserError(
      `unknown section "${input}"; a personal postmortem has ${PERSONAL_POSTMORTEM_SECTIONS.map((s) => s.replace(/_/g, '-')).join(', ')}`,
    );
  return found;
}

/** A section of the personal postmortem as the engineer wrote it; the same text again records nothing. */
export function writePersonalSection(state: IncidentState, name: string, text: string): Change[] {
  if (!state.personal)
    throw new UserError(
      `${state.key} is a team incident; write its postmortem with \`calm postmortem write\`, or declare your own with \`calm declare --personal\``,
    );
  const section = parsePersonalSection(name);
  const trimmed = text.trim();
  if (!trimmed)
    throw new UserError(`the ${section.replace(/_/g, '-')} section is empty; write its text`);
  if (state.postmortem.sections[section]?.text === trimmed) return [];
  return [{ body: { kind: 'postmortem_section', section, text: trimmed } }];
}
