/**
 * What the API answers, typed from the domain's own definitions. The lists
 * below are the domain's too (small pure modules, so the bundle takes only
 * the constants): the app offers exactly what the server validates against.
 */

export type { CauseCategory } from '../../src/core/cause/categories.js';
export type { DueText, UpdateDraft } from '../../src/core/communication/composer.js';
export type { Hypothesis, HypothesisStatus } from '../../src/core/hypothesis/hypothesis.js';
export type { IncidentState } from '../../src/core/incident/incident.js';
export type { Status } from '../../src/core/incident/lifecycle.js';
export type {
  ActionItem,
  ActionItemFields,
  ActionItemKind,
  ActionItemPriority,
  ActionItemStatus,
} from '../../src/core/review/action-item.js';
export type { BlameFinding } from '../../src/core/review/blame.js';
export type { Insights } from '../../src/core/review/insights.js';
export type { PostmortemModel, SectionView } from '../../src/core/review/postmortem.js';
export type { PostmortemSection } from '../../src/core/review/postmortem-record.js';
export type { StageReview } from '../../src/core/review/stages.js';
export type { SeverityFramework, SeverityLevel } from '../../src/core/severity/framework.js';
export type {
  ComponentState,
  ComponentStateChange,
  StatusComponent,
} from '../../src/core/status-page/component.js';
export type { PublicIncident, PublicStatus } from '../../src/core/status-page/public-view.js';
export type { Audience, EntryBody, TimelineEntry } from '../../src/core/timeline/entry.js';

import type { IncidentState } from '../../src/core/incident/incident.js';
import type { ActionItem } from '../../src/core/review/action-item.js';

export interface User {
  id: number;
  name: string;
  role: 'viewer' | 'responder' | 'admin';
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type IncidentList = Page<IncidentState>;

/** An action item as the API lists it: with its incident, and overdue on the server's today. */
export interface ActionItemRow {
  incident: Pick<IncidentState, 'key' | 'title' | 'status' | 'severity'>;
  item: ActionItem;
  overdue: boolean;
}

export interface Question {
  key: string;
  question: string;
  /** null: yes or no. */
  choices: string[] | null;
}

export interface Suggestion {
  level: { key: string; name: string; description: string };
  reason: string;
  matched: boolean;
}

export type Answers = Record<string, boolean | string>;

export { CAUSE_CATEGORIES } from '../../src/core/cause/categories.ts';
export { HYPOTHESIS_STATUSES } from '../../src/core/hypothesis/hypothesis.ts';
export { ACTIVE_STATUSES, STATUSES } from '../../src/core/incident/lifecycle.ts';
export {
  ACTION_ITEM_KINDS,
  ACTION_ITEM_PRIORITIES,
  ACTION_ITEM_STATUSES,
} from '../../src/core/review/action-item.ts';
export { OUTLINE, PART_TITLES } from '../../src/core/review/postmortem-markdown.ts';
export {
  COMPONENT_STATE_LABELS,
  COMPONENT_STATES,
} from '../../src/core/status-page/component.ts';
export { collectCorrections } from '../../src/core/timeline/corrections.ts';
export { AUDIENCES, isCorrectable } from '../../src/core/timeline/entry.ts';
