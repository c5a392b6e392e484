/**
 * The stage review: "review your log: look into each stage and analyse whether
 * you used your time well". Durations between the incident's milestones, how
 * long each hypothesis stayed open, the silences in the log, and the status
 * updates that came later than the level's cadence asked.
 */
import type { HypothesisStatus } from '../hypothesis/hypothesis.js';
import type { EntrySeq, EpochMs } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import { isActive } from '../incident/lifecycle.js';
import type { Milestone } from '../incident/milestones.js';
import type { SeverityFramework } from '../severity/framework.js';
import { collectCorrections } from '../timeline/corrections.js';
import type { TimelineEntry } from '../timeline/entry.js';
import { type UpdateTiming, updateTimings } from './update-timing.js';

export { type UpdateTiming, updateSummary } from './update-timing.js';

/** Silences longer than this are worth a look, unless the team's config says otherwise. */
export const DEFAULT_GAP_MINUTES = 30;

export const STAGES = ['detect', 'acknowledge', 'declare', 'mitigate', 'resolve'] as const;
export type Stage = (typeof STAGES)[number];

/** Each stage measured between two milestones; the start falls back when it was not recorded. */
const STAGE_SPANS: Readonly<Record<Stage, { label: string; from: Milestone[]; to: Milestone }>> = {
  detect: { label: 'Time to detect', from: ['impact_started'], to: 'detected' },
  acknowledge: { label: 'Time to acknowledge', from: ['detected', 'declared'], to: 'acknowledged' },
  declare: { label: 'Time to declare', from: ['detected'], to: 'declared' },
  mitigate: { label: 'Time to mitigate', from: ['detected', 'declared'], to: 'mitigated' },
  resolve: { label: 'Time to resolve', from: ['detected', 'declared'], to: 'resolved' },
};

export interface StageDuration {
  stage: Stage;
  label: string;
  /** The milestones it runs between, as measured: "detected -> acknowledged". */
  from: Milestone;
  to: Milestone;
  fromAt?: EpochMs;
  toAt?: EpochMs;
  /** Missing when either milestone was not recorded. */
  ms?: number;
}

export interface HypothesisSpan {
  number: number;
  statement: string;
  status: HypothesisStatus;
  proposedAt: EpochMs;
  /** When it was last eliminated or confirmed; none while it is open. */
  decidedAt?: EpochMs;
  /** Proposed to decided, or to the end of the incident (or now) while open. */
  openMs: number;
  reason?: string;
}

export interface LogGap {
  from: EpochMs;
  to: EpochMs;
  ms: number;
  /** The entries either side of the silence. */
  afterSeq: EntrySeq;
  beforeSeq: EntrySeq;
}

export interface StageReview {
  stages: StageDuration[];
  /** Impact start (else detection, else declaration) to mitigation (else resolution, else `end`). */
  impact?: { from: EpochMs; to: EpochMs; ms: number; ongoing: boolean };
  hypotheses: HypothesisSpan[];
  gapMinutes: number;
  gaps: LogGap[];
  /** Every update to an audience the level sets a cadence for, on time or late, and the missed ones. */
  updates: UpdateTiming[];
  /** The moment the review measures open things to: resolution, else now. */
  end: EpochMs;
}

export interface StageReviewInput {
  state: IncidentState;
  entries: readonly TimelineEntry[];
  framework: SeverityFramework;
  now: EpochMs;
  gapMinutes?: number;
}

/** Entries about the review itself come after the incident and say nothing of how it went. */
const AFTERWARDS = new Set([
  'postmortem_section',
  'postmortem_status',
  'action_item',
  'action_item_changed',
]);

export function reviewStages(input: StageReviewInput): StageReview {
  const { state, entries, framework, now } = input;
  const gapMinutes = input.gapMinutes ?? DEFAULT_GAP_MINUTES;
  const m = state.milestones;
  const end = (m.resolved ??
    m.closed ??
    (isActive(state.status) ? now : state.lastEntryAt)) as EpochMs;
  const stages = STAGES.map((stage): StageDuration => {
    const span = STAGE_SPANS[stage];
    const from =
      span.from.find((milestone) => m[milestone] !== undefined) ?? span.from[0] ?? 'declared';
    const fromAt = m[from];
    const toAt = m[span.to];
    return {
      stage,
      label: span.label,
      from,
      to: span.to,
      ...(fromAt !== undefined ? { fromAt } : {}),
      ...(toAt !== undefined ? { toAt } : {}),
      ...(fromAt !== undefined && toAt !== undefined ? { ms: Math.max(0, toAt - fromAt) } : {}),
    };
  });
  const impactFrom = m.impact_started ?? m.detected ?? m.declared;
  const impactTo = m.mitigated ?? m.resolved;
  const impact =
    impactFrom === undefined
      ? undefined
      : {
          from: impactFrom,
          to: (impactTo ?? end) as EpochMs,
          ms: Math.max(0, (impactTo ?? end) - impactFrom),
          ongoing: impactTo === undefined,
        };
  return {
    stages,
    ...(impact ? { impact } : {}),
    hypotheses: hypothesisSpans(state, end),
    gapMinutes,
    // after mitigation the quiet of monitoring is expected, not a gap in the response
    gaps: logGaps(state, entries, gapMinutes, (m.mitigated ?? end) as EpochMs),
    updates: updateTimings(state, entries, framework, end),
    end,
  };
}

function hypothesisSpans(state: IncidentState, end: EpochMs): HypothesisSpan[] {
  return state.hypotheses.map((h) => {
    const proposedAt = h.moves[0]?.at ?? end;
    const last = h.moves.at(-1);
    const decided = h.status === 'eliminated' || h.status === 'confirmed';
    const decidedAt = decided ? last?.at : undefined;
    return {
      number: h.number,
      statement: h.statement,
      status: h.status,
      proposedAt,
      ...(decidedAt !== undefined ? { decidedAt } : {}),
      openMs: Math.max(0, (decidedAt ?? end) - proposedAt),
      ...(decided && last?.reason ? { reason: last.reason } : {}),
    };
  });
}

/** Silences between declaration and the end, in what people logged or Calm recorded. */
function logGaps(
  state: IncidentState,
  entries: readonly TimelineEntry[],
  gapMinutes: number,
  end: EpochMs,
): LogGap[] {
  const struck = collectCorrections(entries);
  const start = state.milestones.declared ?? state.lastEntryAt;
  const times = entries
    .filter((e) => !AFTERWARDS.has(e.body.kind) && !struck.get(e.seq)?.struck)
    .filter((e) => e.occurredAt >= start && e.occurredAt <= end)
    .sort((a, b) => a.occurredAt - b.occurredAt || a.seq - b.seq);
  const gaps: LogGap[] = [];
  for (let i = 1; i < times.length; i++) {
    const [before, after] = [times[i - 1], times[i]];
    if (!before || !after) continue;
    const ms = after.occurredAt - before.occurredAt;
    if (ms > gapMinutes * 60_000)
      gaps.push({
        from: before.occurredAt,
        to: after.occurredAt,
        ms,
        afterSeq: before.seq,
        beforeSeq: after.seq,
      });
  }
  return gaps;
}
