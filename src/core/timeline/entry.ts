import type { CauseCategory } from '../cause/categories.js';
import type { HypothesisStatus } from '../hypothesis/hypothesis.js';
import type { EntrySeq, EpochMs, IncidentId } from '../ids.js';
import type { Impact } from '../incident/impact.js';
import type { Status } from '../incident/lifecycle.js';
import type { Milestone } from '../incident/milestones.js';
import type { Role } from '../incident/roles.js';
import type { ActionItemFields } from '../review/action-item.js';
import type { AnyPostmortemSection, PostmortemStatus } from '../review/postmortem-record.js';

/** Who hears from an incident on a cadence. */
export const AUDIENCES = ['responders', 'support', 'executives', 'customers'] as const;
export type Audience = (typeof AUDIENCES)[number];

/**
 * What a tool found, in a form other incidents can be compared with
 * (recurrence): the error-message templates and stack-trace fingerprints of
 * `calm analyze`. Optional: findings written by people carry none.
 */
export interface FindingEvidence {
  templates?: string[];
  stacks?: { fingerprint: string; signature: string }[];
}

/**
 * What a timeline entry says. One kind per thing an engineer records during an
 * incident; the kinds below the line are written by Calm itself when the
 * incident's state changes, so the log is the whole story.
 */
export type EntryBody =
  | {
      kind: 'declared';
      title: string;
      summary: string;
      services: string[];
      /** One engineer's own incident (personal mode): stays on their machine, tells nobody. */
      personal?: true;
    }
  | { kind: 'note'; text: string }
  | { kind: 'impact'; impact: Impact; text?: string }
  /** A change tried: "rolled back to v2.13". */
  | { kind: 'action'; text: string }
  | {
      kind: 'hypothesis';
      number: number;
      status: HypothesisStatus;
      /** The statement, when proposed; the reason, when it moves. */
      text: string;
      reason?: string;
    }
  /** Evidence: "p99 latency on db-2 is normal". */
  | { kind: 'finding'; text: string; source?: string; evidence?: FindingEvidence }
  | { kind: 'status_update'; audience: Audience; text: string }
  /** Who was told, through which channel: "told support via email". */
  | { kind: 'communication'; to: string; via: string; text?: string }
  | { kind: 'decision'; text: string }
  | { kind: 'root_cause'; text: string; categories: CauseCategory[]; root: boolean }
  /** A follow-up of the review; its number is 1-based within the incident (A1, A2, ...). */
  | { kind: 'action_item'; number: number; item: ActionItemFields }
  /** A change to an action item: its status, owner, due date ... */
  | {
      kind: 'action_item_changed';
      number: number;
      changes: Partial<ActionItemFields>;
      reason?: string;
    }
  /** A postmortem section as written by a person, replacing Calm's draft of it. */
  | { kind: 'postmortem_section'; section: AnyPostmortemSection; text: string }
  | { kind: 'postmortem_status'; status: PostmortemStatus; reason?: string }
  // --- recorded automatically ---
  | { kind: 'severity_changed'; from: string | null; to: string; reason: string }
  | { kind: 'status_changed'; from: Status; to: Status; reason?: string }
  | {
      kind: 'role_changed';
      role: Role;
      person: string;
      change: 'assigned' | 'removed';
      previous?: string;
    }
  | { kind: 'milestone'; milestone: Milestone }
  | { kind: 'details_changed'; title?: string; summary?: string; services?: string[] }
  /** Amends or strikes an earlier entry; the earlier entry itself never changes. */
  | {
      kind: 'correction';
      target: EntrySeq;
      action: 'amend' | 'strike';
      text?: string;
      reason: string;
    };

export type EntryKind = EntryBody['kind'];

/** The kinds a person types with `calm log --kind`. */
export const LOGGABLE_KINDS = ['note', 'action', 'finding', 'decision'] as const;
export type LoggableKind = (typeof LOGGABLE_KINDS)[number];

/** What the app layer hands to the store: the store gives it its number. */
export interface EntryDraft {
  /** When it happened; people may backdate (`--at 14:02`). */
  occurredAt: EpochMs;
  /** When Calm recorded it. */
  recordedAt: EpochMs;
  author: string;
  body: EntryBody;
}

export interface TimelineEntry extends EntryDraft {
  incidentId: IncidentId;
  seq: EntrySeq;
}

/** Entries a correction may strike or amend: what people wrote, not state changes. */
const CORRECTABLE: ReadonlySet<EntryKind> = new Set<EntryKind>([
  'note',
  'action',
  'finding',
  'decision',
  'impact',
  'root_cause',
  'status_update',
  'communication',
]);

export function isCorrectable(kind: EntryKind): boolean {
  return CORRECTABLE.has(kind);
}

export const KIND_LABELS: Readonly<Record<EntryKind, string>> = {
  declared: 'declared',
  note: 'note',
  impact: 'impact',
  action: 'action',
  hypothesis: 'hypothesis',
  finding: 'finding',
  status_update: 'update',
  communication: 'told',
  decision: 'decision',
  root_cause: 'cause',
  action_item: 'action item',
  action_item_changed: 'action item',
  postmortem_section: 'postmortem',
  postmortem_status: 'postmortem',
  severity_changed: 'severity',
  status_changed: 'status',
  role_changed: 'role',
  milestone: 'milestone',
  details_changed: 'details',
  correction: 'correction',
};
