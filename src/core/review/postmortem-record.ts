import { UserError } from '../errors.js';
import type { EntrySeq, EpochMs } from '../ids.js';
import type { SeverityLevel } from '../severity/framework.js';
import type { ActionItem } from './action-item.js';
import { isOpenActionItem } from './action-item.js';

/**
 * The sections of a postmortem people write or correct. Calm drafts each from
 * the log; text written for a section replaces the draft of that section and
 * is kept with the incident as an entry, so the review has its own history.
 * The timeline and the action items are never free text: they come from the
 * log and from the items.
 */
export const POSTMORTEM_SECTIONS = [
  'summary',
  'impact',
  'detection',
  'response',
  'investigation',
  'root_cause',
  'resolution',
  'went_well',
  'went_poorly',
  'lucky',
] as const;
export type PostmortemSection = (typeof POSTMORTEM_SECTIONS)[number];

export const POSTMORTEM_SECTION_TITLES: Readonly<Record<PostmortemSection, string>> = {
  summary: 'Summary',
  impact: 'Impact',
  detection: 'Detection',
  response: 'Response',
  investigation: 'Investigation',
  root_cause: 'Root cause and contributing factors',
  resolution: 'Resolution',
  went_well: 'What went well',
  went_poorly: 'What went poorly',
  lucky: 'Where we got lucky',
};

/**
 * A personal postmortem's sections (personal mode): one engineer's review of
 * their own log, as the background reading suggests ("you could even write
 * your own personal post mortem"; "efficiencies you implement personally as
 * well as changes to make at the organisational and team level").
 */
export const PERSONAL_POSTMORTEM_SECTIONS = [
  'what_happened',
  'what_i_did',
  'do_differently',
  'change_personally',
  'change_team',
] as const;
export type PersonalPostmortemSection = (typeof PERSONAL_POSTMORTEM_SECTIONS)[number];

export const PERSONAL_SECTION_TITLES: Readonly<Record<PersonalPostmortemSection, string>> = {
  what_happened: 'What happened',
  what_i_did: 'What I did',
  do_differently: 'What I would do differently',
  change_personally: 'What I change personally',
  change_team: 'What the team or organisation should change',
};

/** A section of either template: what a `postmortem_section` entry may name. */
export type AnyPostmortemSection = PostmortemSection | PersonalPostmortemSection;

export function sectionTitle(section: AnyPostmortemSection): string {
  return section in PERSONAL_SECTION_TITLES
    ? PERSONAL_SECTION_TITLES[section as PersonalPostmortemSection]
    : POSTMORTEM_SECTION_TITLES[section as PostmortemSection];
}

export const POSTMORTEM_STATUSES = ['draft', 'complete'] as const;
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

export interface WrittenSection {
  text: string;
  seq: EntrySeq;
  at: EpochMs;
  author: string;
}

/** The review as the log tells it: written sections and whether it is complete. */
export interface PostmortemRecord {
  status: PostmortemStatus;
  sections: Partial<Record<AnyPostmortemSection, WrittenSection>>;
  completedAt?: EpochMs;
}

export const EMPTY_POSTMORTEM: PostmortemRecord = { status: 'draft', sections: {} };

export function parsePostmortemSection(input: string): PostmortemSection {
  const normalized = input.trim().toLowerCase().replace(/[- ]/g, '_');
  const found = POSTMORTEM_SECTIONS.find((section) => section === normalized);
  if (!found) {
    throw new UserError(
      `unknown postmortem section "${input}"; use one of ${POSTMORTEM_SECTIONS.map((s) => s.replace(/_/g, '-')).join(', ')}`,
    );
  }
  return found;
}

/**
 * Whether the review may be marked complete. Where the level's policy requires
 * a postmortem, the review must lead to change: at least one action item that
 * is not dropped, and every item with an owner, since an item nobody owns is
 * not done.
 */
export function completionBlockers(
  key: string,
  level: SeverityLevel | undefined,
  items: readonly ActionItem[],
): string[] {
  if (!level?.policy.postmortemRequired) return [];
  const blockers: string[] = [];
  const kept = items.filter((item) => item.status !== 'wont_do');
  if (kept.length === 0) {
    blockers.push(
      `${level.key} requires a postmortem with action items; add one with \`calm action add "..." --owner NAME\``,
    );
  }
  for (const item of items) {
    if (isOpenActionItem(item) && !item.owner) {
      blockers.push(
        `action item A${item.number} of ${key} has no owner; give it one with \`calm action update A${item.number} --owner NAME\``,
      );
    }
  }
  return blockers;
}

export function assertCanComplete(
  key: string,
  level: SeverityLevel | undefined,
  items: readonly ActionItem[],
): void {
  const [first, ...rest] = completionBlockers(key, level, items);
  if (first) {
    throw new UserError(
      rest.length ? `${first} (and ${rest.length} more)` : first,
      'illegal_transition',
    );
  }
}
