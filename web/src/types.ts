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
export type { SeverityFramework, SeverityLevel } from '../../src/core/severity/framework.js';
export type {
  ComponentState,
  ComponentStateChange,
  StatusComponent,
} from '../../src/core/status-page/component.js';
export type { PublicIncident, PublicStatus } from '../../src/core/status-page/public-view.js';
export type { Audience, EntryBody, TimelineEntry } from '../../src/core/timeline/entry.js';

import type { IncidentState } from '../../src/core/incident/incident.js';

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
  COMPONENT_STATE_LABELS,
  COMPONENT_STATES,
} from '../../src/core/status-page/component.ts';
export { collectCorrections } from '../../src/core/timeline/corrections.ts';
export { AUDIENCES, isCorrectable } from '../../src/core/timeline/entry.ts';
