/**
 * The postmortem drafted from the log. Every section Calm can write from the
 * entries is drafted; a section a person wrote (`postmortem_section` entries)
 * replaces that draft. The model is one typed value the Markdown, HTML and
 * JSON outputs all render, so they cannot disagree.
 */
import type { EntrySeq, EpochMs } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import type { Status } from '../incident/lifecycle.js';
import { findLevel, type SeverityFramework } from '../severity/framework.js';
import { collectCorrections } from '../timeline/corrections.js';
import { chronological, describeBody } from '../timeline/describe.js';
import { type EntryKind, KIND_LABELS, type TimelineEntry } from '../timeline/entry.js';
import type { ActionItem } from './action-item.js';
import { type DraftContext, draftSection } from './postmortem-draft.js';
import {
  POSTMORTEM_SECTION_TITLES,
  POSTMORTEM_SECTIONS,
  type PostmortemSection,
  type PostmortemStatus,
} from './postmortem-record.js';
import { reviewStages, type StageReview } from './stages.js';

export interface SectionView {
  section: PostmortemSection;
  title: string;
  /** Paragraphs separated by blank lines; lines starting "- " are a list; `_..._` a prompt. */
  text: string;
  /** Set when a person wrote it; otherwise Calm drafted it from the log. */
  written?: { author: string; at: EpochMs; seq: EntrySeq };
}

export interface TimelineLine {
  seq: EntrySeq;
  at: EpochMs;
  kind: EntryKind;
  label: string;
  text: string;
}

/** A note on the written text (the blameless linter's findings), shown but never blocking. */
export interface PostmortemWarning {
  section: PostmortemSection;
  sentence: string;
  message: string;
  suggestion: string;
}

export interface PostmortemModel {
  key: string;
  title: string;
  incidentStatus: Status;
  severity: string | null;
  severityName?: string;
  services: string[];
  status: PostmortemStatus;
  completedAt?: EpochMs;
  sections: SectionView[];
  timeline: TimelineLine[];
  stages: StageReview;
  actionItems: ActionItem[];
  warnings: PostmortemWarning[];
}

export interface PostmortemInput {
  state: IncidentState;
  entries: readonly TimelineEntry[];
  framework: SeverityFramework;
  now: EpochMs;
  /** How a time reads in the review ("2017-01-31 23:27 UTC"): the caller knows the zone. */
  clock: (at: EpochMs) => string;
  gapMinutes?: number;
}

/** The entries a reader of the review needs to follow the story; notes and chatter stay in the log. */
const KEY_KINDS: ReadonlySet<EntryKind> = new Set<EntryKind>([
  'declared',
  'severity_changed',
  'status_changed',
  'action',
  'finding',
  'decision',
  'hypothesis',
  'root_cause',
  'milestone',
]);

export function keyTimeline(entries: readonly TimelineEntry[]): TimelineLine[] {
  const corrections = collectCorrections(entries);
  return chronological(entries)
    .filter((e) => KEY_KINDS.has(e.body.kind) && !corrections.get(e.seq)?.struck)
    .map((e) => ({
      seq: e.seq,
      at: e.occurredAt,
      kind: e.body.kind,
      label: KIND_LABELS[e.body.kind],
      text: describeBody(e.body, corrections.get(e.seq)),
    }));
}

export function draftPostmortem(input: PostmortemInput): PostmortemModel {
  const { state, entries, framework } = input;
  const stages = reviewStages({
    state,
    entries,
    framework,
    now: input.now,
    ...(input.gapMinutes !== undefined ? { gapMinutes: input.gapMinutes } : {}),
  });
  const level = state.severity ? findLevel(framework, state.severity) : undefined;
  const context: DraftContext = { state, entries, stages, level, clock: input.clock };
  const sections = POSTMORTEM_SECTIONS.map((section): SectionView => {
    const written = state.postmortem.sections[section];
    return {
      section,
      title: POSTMORTEM_SECTION_TITLES[section],
      text: written ? written.text.trim() : draftSection(section, context),
      ...(written ? { written: { author: written.author, at: written.at, seq: written.seq } } : {}),
    };
  });
  return {
    key: state.key,
    title: state.title,
    incidentStatus: state.status,
    severity: state.severity,
    ...(level ? { severityName: level.name } : {}),
    services: state.services,
    status: state.postmortem.status,
    ...(state.postmortem.completedAt !== undefined
      ? { completedAt: state.postmortem.completedAt }
      : {}),
    sections,
    timeline: keyTimeline(entries),
    stages,
    actionItems: state.actionItems,
    warnings: [],
  };
}

/** A section's text as the draft has it now (a person's text, else Calm's): what an editor starts from. */
export function sectionText(model: PostmortemModel, section: PostmortemSection): string {
  return model.sections.find((s) => s.section === section)?.text ?? '';
}
