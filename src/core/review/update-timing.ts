/**
 * Status updates judged against the severity level's cadence per audience,
 * with the schedule the guide keeps (updateSchedule) rather than a second one.
 */
import { updateSchedule } from '../guide/schedule.js';
import type { EntrySeq, EpochMs } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import { findLevel, type SeverityFramework } from '../severity/framework.js';
import { collectCorrections } from '../timeline/corrections.js';
import { AUDIENCES, type Audience, type TimelineEntry } from '../timeline/entry.js';

export interface UpdateTiming {
  audience: Audience;
  /** When it was posted; none for an update that never came before the incident ended. */
  at?: EpochMs;
  seq?: EntrySeq;
  dueAt: EpochMs;
  /** Positive when late. */
  lateByMs: number;
}

/**
 * Each update judged by the schedule the guide keeps (updateSchedule): the
 * incident as it stood just before the update, under the severity it had then.
 * An audience still waiting when the incident ended missed its update.
 */
export function updateTimings(
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
