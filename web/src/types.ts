/**
 * What the API answers, typed from the domain's own definitions (types only:
 * nothing from src/ is bundled into the app).
 */
export type { DueText, UpdateDraft } from '../../src/core/communication/composer.js';
export type { Hypothesis, HypothesisStatus } from '../../src/core/hypothesis/hypothesis.js';
export type { IncidentState } from '../../src/core/incident/incident.js';
export type { Status } from '../../src/core/incident/lifecycle.js';
export type { SeverityFramework, SeverityLevel } from '../../src/core/severity/framework.js';
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

/** The same lists the server validates against. */
export const STATUSES = [
  'triage',
  'investigating',
  'identified',
  'monitoring',
  'resolved',
  'closed',
  'declined',
] as const;
export const ACTIVE_STATUSES = ['triage', 'investigating', 'identified', 'monitoring'] as const;
export const AUDIENCES = ['responders', 'support', 'executives', 'customers'] as const;
export const HYPOTHESIS_STATUSES = ['proposed', 'testing', 'eliminated', 'confirmed'] as const;
