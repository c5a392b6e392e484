/**
 * The stage review: "review your log: look into each stage and analyse whether
 * you used your time well". Durations between the incident's milestones, how
 * long each hypothesis stayed open, the silences in the log, and the status
 * updates that came later than the level's cadence asked.
 */
import { updateSchedule } from '../guide/schedule.js';
import type { HypothesisStatus } from '../hypothesis/hypothesis.js';
import type { EntrySeq, EpochMs } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import { isActive } from '../incident/lifecycle.js';
import type { Milestone } from '../incident/milestones.js';
import { findLevel, type SeverityFramework } from '../severity/framework.js';
import { collectCorrections } from '../timeline/corrections.js';
import type { Audience, TimelineEntry } from '../timeline/entry.js';
import { AUDIENCES } from '../timeline/entry.js';

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

export interface UpdateTiming {
  audience: Audience;
  /** When it was posted; none for an update that never came before the incident ended. */
  at?: EpochMs;
  seq?: EntrySeq;
  dueAt: EpochMs;
  /** Positive when late. */
  lateByMs: number;
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

/**
 * Each update judged by the schedule the guide keeps (updateSchedule): the
 * incident as it stood just before the update, under the severity it had then.
 * An audience still waiting when the incident ended missed its update.
 */
function updateTimings(
  state: IncidentState,
  entries: readonly TimelineEntry[],
  framework: SeverityFramework,
  end: EpochMs,
): UpdateTiming[] {
  const struck = collectCorrections(entries);
  const severities = entries
    .filter((e) => e.body.kind === 'severity_changed' && !struck.get(e.seq)?.struck)
    .sort((a, b) => a.occurredAt - b.occurredAt || a.seq - b.seq);
  /** The level in force at `at`, and since when: its cadence starts then for an audience not yet told. */
  const levelAt = (at: number) => {
    let key: string | undefined;
    let since = (state.milestones.declared ?? state.lastEntryAt) as number;
    for (const e of severities)
      if (e.occurredAt <= at && e.body.kind === 'severity_changed') {
        if (e.body.to !== key) since = Math.max(since, e.occurredAt);
        key = e.body.to;
      }
    return { level: key ? findLevel(framework, key) : undefined, since: since as EpochMs };
  };
  /** The incident as it stood at `at`: active, told only what it had been told before. */
  const asOf = (at: number, seq: number, since: EpochMs): IncidentState => ({
    ...state,
    status: 'investigating',
    milestones: { ...state.milestones, declared: since },
    tellings: state.tellings.filter((t) => t.at < at || (t.at === at && t.seq < seq)),
  });
  const audiences = new Set<string>(AUDIENCES);
  const out: UpdateTiming[] = [];
  const tellings = [...state.tellings].sort((a, b) => a.at - b.at || a.seq - b.seq);
  for (const telling of tellings) {
    if (!audiences.has(telling.to) || telling.at > end) continue;
    const { level, since } = levelAt(telling.at);
    const due = updateSchedule(asOf(telling.at, telling.seq, since), level, telling.at).find(
      (d) => d.audience === telling.to,
    );
    if (due)
      out.push({
        audience: due.audience,
        at: telling.at,
        seq: telling.seq,
        dueAt: due.dueAt,
        lateByMs: Math.max(0, due.overdueByMs),
      });
  }
  const last = levelAt(end);
  for (const due of updateSchedule(asOf(end, Number.MAX_SAFE_INTEGER, last.since), last.level, end))
    if (due.overdueByMs > 0)
      out.push({ audience: due.audience, dueAt: due.dueAt, lateByMs: due.overdueByMs });
  return out;
}

/** Per audience: how many updates went out, how many late and the worst delay, how many missed at the end. */
export function updateSummary(updates: readonly UpdateTiming[]) {
  const byAudience = new Map<
    Audience,
    { sent: number; late: number; missed: number; worstMs: number }
  >();
  for (const u of updates) {
    const row = byAudience.get(u.audience) ?? { sent: 0, late: 0, missed: 0, worstMs: 0 };
    if (u.at === undefined) row.missed++;
    else row.sent++;
    if (u.at !== undefined && u.lateByMs > 0) row.late++;
    // the worst delay of an update that went out; a missed one is reported with its due time
    if (u.at !== undefined) row.worstMs = Math.max(row.worstMs, u.lateByMs);
    byAudience.set(u.audience, row);
  }
  return AUDIENCES.filter((a) => byAudience.has(a)).map((audience) => ({
    audience,
    ...(byAudience.get(audience) as {
      sent: number;
      late: number;
      missed: number;
      worstMs: number;
    }),
  }));
}
