import type { CauseLink } from '../cause/chain.js';
import type { Hypothesis } from '../hypothesis/hypothesis.js';
import {
  type EntrySeq,
  type EpochMs,
  epochMs,
  formatIncidentKey,
  type IncidentId,
} from '../ids.js';
import type { ActionItem } from '../review/action-item.js';
import { EMPTY_POSTMORTEM, type PostmortemRecord } from '../review/postmortem-record.js';
import type { TimelineEntry } from '../timeline/entry.js';
import { type Impact, mergeImpact } from './impact.js';
import type { Status } from './lifecycle.js';
import type { Milestone } from './milestones.js';
import type { Roles } from './roles.js';

/** Somebody was told: a status update to an audience or a communication to a person or team. */
export interface Telling {
  seq: EntrySeq;
  at: EpochMs;
  /** An audience (`support`) or whoever was told (`alice`, `payments-team`), lower-cased. */
  to: string;
  via: string;
  kind: 'status_update' | 'communication';
}

/**
 * An incident as its timeline tells it. The state is a fold over the entries
 * (`replayTimeline`): the log is the source of truth and this is a view of it,
 * which the store keeps beside the log for listing and filtering.
 */
export interface IncidentState {
  id: IncidentId;
  key: string;
  title: string;
  summary: string;
  services: string[];
  status: Status;
  severity: string | null;
  impact: Impact;
  impactUpdates: { seq: EntrySeq; impact: Impact }[];
  milestones: Partial<Record<Milestone, EpochMs>>;
  roles: Roles;
  hypotheses: Hypothesis[];
  causeChain: CauseLink[];
  tellings: Telling[];
  /** The review's follow-ups, in the order they were added. */
  actionItems: ActionItem[];
  /** The postmortem's written sections and whether it is complete. */
  postmortem: PostmortemRecord;
  /** How many notes, actions, findings and decisions the log holds (not struck). */
  logged: number;
  declaredBy: string;
  /** A personal incident (personal mode): one engineer's own, never a team's. */
  personal?: true;
  /** The number of entries, which is also the last entry's number. */
  version: number;
  lastEntryAt: EpochMs;
}

function withMilestone(state: IncidentState, milestone: Milestone, at: EpochMs, force = false) {
  if (!force && state.milestones[milestone] !== undefined) return state.milestones;
  return { ...state.milestones, [milestone]: at };
}

function recomputeImpact(updates: IncidentState['impactUpdates']): Impact {
  return updates.reduce<Impact>((impact, update) => mergeImpact(impact, update.impact), {});
}

/** Applies one entry. Pure: returns a new state and leaves the old one as it was. */
export function applyEntry(state: IncidentState | undefined, entry: TimelineEntry): IncidentState {
  const body = entry.body;
  if (!state) {
    if (body.kind !== 'declared') {
      throw new Error(
        `timeline of ${formatIncidentKey(entry.incidentId)} must start with "declared"`,
      );
    }
    return {
      id: entry.incidentId,
      key: formatIncidentKey(entry.incidentId),
      title: body.title,
      summary: body.summary,
      services: body.services,
      status: 'triage',
      severity: null,
      impact: {},
      impactUpdates: [],
      milestones: { declared: entry.occurredAt },
      roles: { responders: [] },
      hypotheses: [],
      causeChain: [],
      tellings: [],
      actionItems: [],
      postmortem: EMPTY_POSTMORTEM,
      logged: 0,
      declaredBy: entry.author,
      ...(body.personal ? { personal: true as const } : {}),
      version: entry.seq,
      lastEntryAt: entry.occurredAt,
    };
  }

  const next: IncidentState = {
    ...state,
    version: entry.seq,
    lastEntryAt: epochMs(Math.max(entry.occurredAt, state.lastEntryAt)),
  };

  switch (body.kind) {
    case 'declared':
      throw new Error(`${state.key} is declared twice (entry #${entry.seq})`);
    case 'note':
    case 'action':
    case 'finding':
    case 'decision':
      next.logged = state.logged + 1;
      return next;
    case 'impact': {
      next.impactUpdates = [...state.impactUpdates, { seq: entry.seq, impact: body.impact }];
      next.impact = mergeImpact(state.impact, body.impact);
      return next;
    }
    case 'hypothesis': {
      const move = {
        status: body.status,
        reason: body.reason,
        at: entry.occurredAt,
        seq: entry.seq,
      };
      const existing = state.hypotheses.find((h) => h.number === body.number);
      next.hypotheses = existing
        ? state.hypotheses.map((h) =>
            h.number === body.number ? { ...h, status: body.status, moves: [...h.moves, move] } : h,
          )
        : [
            ...state.hypotheses,
            { number: body.number, statement: body.text, status: body.status, moves: [move] },
          ];
      return next;
    }
    case 'status_update':
    case 'communication': {
      const telling: Telling =
        body.kind === 'status_update'
          ? {
              seq: entry.seq,
              at: entry.occurredAt,
              to: body.audience,
              via: 'status update',
              kind: body.kind,
            }
          : {
              seq: entry.seq,
              at: entry.occurredAt,
              to: body.to.toLowerCase(),
              via: body.via,
              kind: body.kind,
            };
      next.tellings = [...state.tellings, telling];
      return next;
    }
    case 'root_cause': {
      const link: CauseLink = {
        seq: entry.seq,
        text: body.text,
        categories: body.categories,
        root: body.root,
      };
      const chain = body.root
        ? state.causeChain.map((l) => ({ ...l, root: false }))
        : state.causeChain;
      next.causeChain = [...chain, link];
      return next;
    }
    case 'action_item':
      next.actionItems = [
        ...state.actionItems,
        {
          ...body.item,
          number: body.number,
          seq: entry.seq,
          createdAt: entry.occurredAt,
          updatedAt: entry.occurredAt,
        },
      ];
      return next;
    case 'action_item_changed':
      next.actionItems = state.actionItems.map((item) =>
        item.number === body.number
          ? { ...item, ...body.changes, updatedAt: entry.occurredAt }
          : item,
      );
      return next;
    case 'postmortem_section':
      next.postmortem = {
        ...state.postmortem,
        sections: {
          ...state.postmortem.sections,
          [body.section]: {
            text: body.text,
            seq: entry.seq,
            at: entry.occurredAt,
            author: entry.author,
          },
        },
      };
      return next;
    case 'postmortem_status': {
      const { completedAt: _previous, ...rest } = state.postmortem;
      next.postmortem =
        body.status === 'complete'
          ? { ...rest, status: 'complete', completedAt: entry.occurredAt }
          : { ...rest, status: 'draft' };
      return next;
    }
    case 'severity_changed':
      next.severity = body.to;
      return next;
    case 'status_changed': {
      next.status = body.to;
      if (body.to === 'monitoring' || body.to === 'resolved') {
        next.milestones = withMilestone(next, 'mitigated', entry.occurredAt);
      }
      if (body.to === 'resolved' || body.to === 'closed') {
        next.milestones = withMilestone(next, body.to, entry.occurredAt, true);
      }
      return next;
    }
    case 'role_changed': {
      const roles = { ...state.roles, responders: [...state.roles.responders] };
      if (body.role === 'responder') {
        roles.responders =
          body.change === 'assigned'
            ? [...roles.responders.filter((p) => p !== body.person), body.person]
            : roles.responders.filter((p) => p !== body.person);
      } else if (body.change === 'assigned') {
        roles[body.role] = body.person;
        if (body.role === 'commander') {
          next.milestones = withMilestone(next, 'acknowledged', entry.occurredAt);
        }
      } else {
        delete roles[body.role];
      }
      next.roles = roles;
      return next;
    }
    case 'milestone':
      next.milestones = withMilestone(next, body.milestone, entry.occurredAt, true);
      return next;
    case 'details_changed':
      if (body.title !== undefined) next.title = body.title;
      if (body.summary !== undefined) next.summary = body.summary;
      if (body.services !== undefined) next.services = body.services;
      return next;
    case 'correction':
      return applyCorrection(next, body);
  }
}

function applyCorrection(
  state: IncidentState,
  body: Extract<TimelineEntry['body'], { kind: 'correction' }>,
): IncidentState {
  const target = body.target;
  if (body.action === 'amend') {
    if (state.causeChain.some((link) => link.seq === target)) {
      state.causeChain = state.causeChain.map((link) =>
        link.seq === target ? { ...link, text: body.text ?? link.text } : link,
      );
    }
    return state;
  }
  // A strike takes the struck entry's effect out of the state; the entry stays in the log.
  if (state.impactUpdates.some((update) => update.seq === target)) {
    state.impactUpdates = state.impactUpdates.filter((update) => update.seq !== target);
    state.impact = recomputeImpact(state.impactUpdates);
  } else if (state.causeChain.some((link) => link.seq === target)) {
    state.causeChain = state.causeChain.filter((link) => link.seq !== target);
  } else if (state.tellings.some((telling) => telling.seq === target)) {
    state.tellings = state.tellings.filter((telling) => telling.seq !== target);
  } else {
    state.logged = Math.max(0, state.logged - 1);
  }
  return state;
}

const snapshots = new WeakMap<IncidentState, string>();

/**
 * The state as JSON, its snapshot, worked out once per state (a state is never
 * changed once made: applyEntry makes a new one): the store saves it, and the
 * API answers the write with the same text.
 */
export function snapshotOf(state: IncidentState): string {
  let json = snapshots.get(state);
  if (json === undefined) {
    json = JSON.stringify(state);
    snapshots.set(state, json);
  }
  return json;
}

/**
 * An incident's state as the store kept it. Snapshots written before a field
 * existed lack it; they get its empty value, which is what replaying their
 * timeline would give, since they have no entries of the kinds that fill it.
 */
export function stateFromSnapshot(json: string): IncidentState {
  const state = JSON.parse(json) as IncidentState;
  state.actionItems ??= [];
  state.postmortem ??= EMPTY_POSTMORTEM;
  return state;
}

/** Folds a whole timeline, in entry order, into the incident's state. */
export function replayTimeline(entries: Iterable<TimelineEntry>): IncidentState | undefined {
  let state: IncidentState | undefined;
  for (const entry of entries) state = applyEntry(state, entry);
  return state;
}

/** The last time an audience or person was told anything, if ever. */
export function lastToldAt(state: IncidentState, to: string): EpochMs | undefined {
  const wanted = to.toLowerCase();
  let last: EpochMs | undefined;
  for (const telling of state.tellings) {
    if (telling.to === wanted && (last === undefined || telling.at > last)) last = telling.at;
  }
  return last;
}
