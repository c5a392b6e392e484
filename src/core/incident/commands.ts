import type { CauseCategory } from '../cause/categories.js';
import { UserError } from '../errors.js';
import {
  assertHypothesisMove,
  type HypothesisStatus,
  reasonRequired,
} from '../hypothesis/hypothesis.js';
import type { EntrySeq, EpochMs } from '../ids.js';
import { requireLevel, type SeverityFramework } from '../severity/framework.js';
import type {
  Audience,
  EntryBody,
  FindingEvidence,
  LoggableKind,
  TimelineEntry,
} from '../timeline/entry.js';
import { isCorrectable } from '../timeline/entry.js';
import { type Impact, isImpactEmpty } from './impact.js';
import type { IncidentState } from './incident.js';
import { assertTransition, type Status } from './lifecycle.js';
import type { Milestone } from './milestones.js';
import type { Role } from './roles.js';

/**
 * The domain's decisions: each function checks a request against the incident
 * as it stands and answers with the entries to append, or a UserError. Nothing
 * here writes anything; the app layer appends what these return.
 */
export interface Change {
  body: EntryBody;
  /** Defaults to the time the command says it happened. */
  occurredAt?: EpochMs;
}

function requireText(text: string, what: string): string {
  const trimmed = text.trim();
  if (!trimmed)
    throw new UserError(
      `the ${what} is empty; write what happened, e.g. calm log "rolled back to v2.13"`,
    );
  return trimmed;
}

export interface DeclareInput {
  title: string;
  summary?: string;
  services?: string[];
  severity?: string;
  severityReason?: string;
  impactStartedAt?: EpochMs;
  detectedAt?: EpochMs;
  /** When it was declared, if before it was recorded (a log written up afterwards). */
  declaredAt?: EpochMs;
  /** Personal mode: the engineer's own incident, kept on their machine. */
  personal?: boolean;
}

export function declareIncident(input: DeclareInput, framework: SeverityFramework): Change[] {
  const title = requireText(input.title, 'title');
  const changes: Change[] = [
    {
      body: {
        kind: 'declared',
        title,
        summary: input.summary?.trim() ?? '',
        services: input.services ?? [],
        ...(input.personal ? { personal: true as const } : {}),
      },
      ...(input.declaredAt !== undefined ? { occurredAt: input.declaredAt } : {}),
    },
  ];
  if (input.severity) {
    const level = requireLevel(framework, input.severity);
    changes.push({
      body: {
        kind: 'severity_changed',
        from: null,
        to: level.key,
        reason: input.severityReason ?? 'set when declared',
      },
      ...(input.declaredAt !== undefined ? { occurredAt: input.declaredAt } : {}),
    });
  }
  if (input.impactStartedAt !== undefined) {
    changes.push({
      body: { kind: 'milestone', milestone: 'impact_started' },
      occurredAt: input.impactStartedAt,
    });
  }
  if (input.detectedAt !== undefined) {
    changes.push({
      body: { kind: 'milestone', milestone: 'detected' },
      occurredAt: input.detectedAt,
    });
  }
  return changes;
}

export function logText(kind: LoggableKind, text: string): Change[] {
  return [{ body: { kind, text: requireText(text, kind) } }];
}

export interface FindingInput {
  text: string;
  source?: string;
  evidence?: FindingEvidence;
}

export function recordFindings(findings: FindingInput[]): Change[] {
  if (!findings.length) throw new UserError('no findings to record');
  return findings.map(({ text, source, evidence }) => ({
    body: {
      kind: 'finding',
      text: requireText(text, 'finding'),
      ...(source?.trim() ? { source: source.trim() } : {}),
      ...(evidence ? { evidence } : {}),
    },
  }));
}

export function recordImpact(impact: Impact, text?: string): Change[] {
  if (isImpactEmpty(impact) && !text?.trim()) {
    throw new UserError(
      'no impact given; say who is affected, e.g. calm impact --affected subset --rollback yes',
    );
  }
  return [{ body: { kind: 'impact', impact, ...(text?.trim() ? { text: text.trim() } : {}) } }];
}

export function proposeHypothesis(state: IncidentState, statement: string): Change[] {
  const text = requireText(statement, 'hypothesis');
  return [
    { body: { kind: 'hypothesis', number: state.hypotheses.length + 1, status: 'proposed', text } },
  ];
}

export function moveHypothesis(
  state: IncidentState,
  number: number,
  to: HypothesisStatus,
  reason: string | undefined,
): Change[] {
  const hypothesis = state.hypotheses.find((h) => h.number === number);
  if (!hypothesis) {
    const known = state.hypotheses.map((h) => `H${h.number}`).join(', ') || 'none yet';
    throw new UserError(
      `${state.key} has no hypothesis H${number} (it has ${known}); see \`calm hypothesis list\``,
      'not_found',
    );
  }
  assertHypothesisMove(hypothesis, to);
  const why = reason?.trim();
  if (reasonRequired(hypothesis.status, to) && !why) {
    const move = to === 'testing' ? `reopened after being ${hypothesis.status}` : to;
    throw new UserError(
      `say why H${number} is ${move}: add --reason "..." (the log keeps why each cause was ruled in or out)`,
    );
  }
  return [
    {
      body: {
        kind: 'hypothesis',
        number,
        status: to,
        text: hypothesis.statement,
        ...(why ? { reason: why } : {}),
      },
    },
  ];
}

export function setSeverity(
  state: IncidentState,
  framework: SeverityFramework,
  key: string,
  reason: string,
): Change[] {
  const level = requireLevel(framework, key);
  if (state.severity === level.key) {
    throw new UserError(`${state.key} is already ${level.key}; nothing to change`, 'conflict');
  }
  return [
    {
      body: {
        kind: 'severity_changed',
        from: state.severity,
        to: level.key,
        reason: reason.trim() || 'no reason given',
      },
    },
  ];
}

export function changeStatus(state: IncidentState, to: Status, reason?: string): Change[] {
  assertTransition(state.status, to);
  const why = reason?.trim();
  if (to === 'declined' && !why) {
    throw new UserError(
      'say why this is not an incident: add --reason "a bug, not an incident: ..."',
    );
  }
  return [
    { body: { kind: 'status_changed', from: state.status, to, ...(why ? { reason: why } : {}) } },
  ];
}

export function assignRole(
  state: IncidentState,
  role: Role,
  person: string,
  remove = false,
): Change[] {
  const who = requireText(person, 'name');
  if (role === 'responder') {
    const present = state.roles.responders.includes(who);
    if (remove && !present)
      throw new UserError(`${who} is not a responder on ${state.key}`, 'not_found');
    if (!remove && present)
      throw new UserError(`${who} is already a responder on ${state.key}`, 'conflict');
    return [
      {
        body: { kind: 'role_changed', role, person: who, change: remove ? 'removed' : 'assigned' },
      },
    ];
  }
  const holder = state.roles[role];
  if (remove) {
    if (holder !== who)
      throw new UserError(`${who} is not the ${role} on ${state.key}`, 'not_found');
    return [{ body: { kind: 'role_changed', role, person: who, change: 'removed' } }];
  }
  if (holder === who)
    throw new UserError(`${who} is already the ${role} on ${state.key}`, 'conflict');
  return [
    {
      body: {
        kind: 'role_changed',
        role,
        person: who,
        change: 'assigned',
        ...(holder ? { previous: holder } : {}),
      },
    },
  ];
}

export function recordStatusUpdate(audience: Audience, text: string): Change[] {
  return [{ body: { kind: 'status_update', audience, text: requireText(text, 'status update') } }];
}

export function recordCommunication(to: string, via: string, text?: string): Change[] {
  const who = requireText(to, 'name of who was told');
  const channel = requireText(via, 'channel');
  return [
    {
      body: {
        kind: 'communication',
        to: who,
        via: channel,
        ...(text?.trim() ? { text: text.trim() } : {}),
      },
    },
  ];
}

export function addCauseLink(text: string, categories: CauseCategory[], root: boolean): Change[] {
  return [{ body: { kind: 'root_cause', text: requireText(text, 'cause'), categories, root } }];
}

export function setMilestone(milestone: Milestone, at: EpochMs): Change[] {
  if (milestone === 'declared') {
    throw new UserError(
      'the declared time is when the incident was opened and cannot be set; set impact-started or detected instead',
    );
  }
  return [{ body: { kind: 'milestone', milestone }, occurredAt: at }];
}

export function changeDetails(details: {
  title?: string;
  summary?: string;
  services?: string[];
}): Change[] {
  const body: Extract<EntryBody, { kind: 'details_changed' }> = { kind: 'details_changed' };
  if (details.title !== undefined) body.title = requireText(details.title, 'title');
  if (details.summary !== undefined) body.summary = details.summary.trim();
  if (details.services !== undefined) body.services = details.services;
  if (Object.keys(body).length === 1) {
    throw new UserError('nothing to change; give --title, --summary or --services');
  }
  return [{ body }];
}

/** A correction needs the entry it corrects and the corrections it already had. */
export function correctEntry(
  state: IncidentState,
  target: TimelineEntry | undefined,
  targetSeq: EntrySeq,
  earlier: { struck: boolean },
  action: 'amend' | 'strike',
  reason: string,
  text?: string,
): Change[] {
  if (!target) {
    throw new UserError(
      `${state.key} has no entry #${targetSeq}; see the numbers in \`calm show\``,
      'not_found',
    );
  }
  if (!isCorrectable(target.body.kind)) {
    throw new UserError(
      `entry #${targetSeq} (${target.body.kind.replace('_', ' ')}) was recorded by Calm and cannot be corrected; make a new change instead`,
    );
  }
  if (earlier.struck) throw new UserError(`entry #${targetSeq} is already struck`, 'conflict');
  const why = requireText(reason, 'reason for the correction');
  if (action === 'amend') {
    if (target.body.kind === 'impact') {
      throw new UserError(
        'an impact entry cannot be amended; strike it and log the right impact with `calm impact`',
      );
    }
    return [
      {
        body: {
          kind: 'correction',
          target: targetSeq,
          action,
          text: requireText(text ?? '', 'amended text'),
          reason: why,
        },
      },
    ];
  }
  return [{ body: { kind: 'correction', target: targetSeq, action, reason: why } }];
}
