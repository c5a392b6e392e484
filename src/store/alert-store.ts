/**
 * Inbound alerts' bookkeeping (see migrations/006-alerts.ts): which incident
 * each alert group belongs to, and which alerts were already logged. Rows
 * enter with the entries they stand for (`alertRecordInserts`, run inside
 * the incident store's write); a row another writer added first makes that
 * whole write fail with AlertConflictError, and the caller decides again.
 */
import type { Kysely } from 'kysely';
import type { DialectAdapter } from './dialect.js';
import type { PlannedStatement } from './group-commit.js';
import type { Database } from './schema.js';

export interface AlertGroupLink {
  source: string;
  groupKey: string;
  generation: number;
  incidentId: number;
  /** 'opened': the group declared the incident; 'flood': it joined the source's flood incident. */
  via: 'opened' | 'flood';
  at: number;
}

export interface AlertIdentity {
  fingerprint: string;
  startsAt: number;
  status: string;
}

export interface SeenAlert extends AlertIdentity {
  source: string;
  incidentId: number;
  /** The timeline entry that logged it. */
  seq: number;
  at: number;
}

export interface AlertRecords {
  groups: AlertGroupLink[];
  seen: SeenAlert[];
}

/** Another delivery (here or on another instance) recorded a group or alert first. */
export class AlertConflictError extends Error {
  override readonly name = 'AlertConflictError';
}

export const alertKey = (alert: AlertIdentity) =>
  `${alert.fingerprint}\u0000${alert.startsAt}\u0000${alert.status}`;

const byText =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * The inserts of the rows, compiled, to run in the caller's transaction, each with
 * the rows it must add. A row already there is not overwritten: the write is refused
 * as a whole. Rows go in sorted, so that two PostgreSQL transactions waiting on each
 * other's keys take them in one order.
 */
export function alertRecordInserts(
  db: Kysely<Database>,
  records: AlertRecords | undefined,
): PlannedStatement[] {
  if (!records) return [];
  const statements: PlannedStatement[] = [];
  const groups = [...records.groups].sort(byText((g) => `${g.source}\u0000${g.groupKey}`));
  if (groups.length)
    statements.push({
      query: db
        .insertInto('alert_groups')
        .values(
          groups.map((g) => ({
            source: g.source,
            group_key: g.groupKey,
            generation: g.generation,
            incident_id: g.incidentId,
            via: g.via,
            created_at: g.at,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .compile(),
      expectRows: groups.length,
      mismatch: () =>
        new AlertConflictError('an alert group was given an incident by another delivery'),
    });
  const seen = [...records.seen].sort(byText((s) => `${s.source}\u0000${alertKey(s)}`));
  if (seen.length)
    statements.push({
      query: db
        .insertInto('alerts_seen')
        .values(
          seen.map((s) => ({
            source: s.source,
            fingerprint: s.fingerprint,
            starts_at: s.startsAt,
            status: s.status,
            incident_id: s.incidentId,
            seq: s.seq,
            received_at: s.at,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .compile(),
      expectRows: seen.length,
      mismatch: () => new AlertConflictError('an alert was logged by another delivery'),
    });
  return statements;
}

export class AlertStore {
  constructor(private readonly adapter: DialectAdapter) {}

  /** The group's latest generation and its incident, if it ever had one. */
  async currentGroup(
    source: string,
    groupKey: string,
  ): Promise<{ generation: number; incidentId: number; via: 'opened' | 'flood' } | undefined> {
    const row = await this.adapter.db
      .selectFrom('alert_groups')
      .select(['generation', 'incident_id', 'via'])
      .where('source', '=', source)
      .where('group_key', '=', groupKey)
      .orderBy('generation', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row
      ? { generation: Number(row.generation), incidentId: Number(row.incident_id), via: row.via }
      : undefined;
  }

  /** Which of these alerts were logged already, by alertKey, with the incident they went to. */
  async seen(
    source: string,
    alerts: AlertIdentity[],
  ): Promise<Map<string, { incidentId: number }>> {
    const found = new Map<string, { incidentId: number }>();
    const fingerprints = [...new Set(alerts.map((a) => a.fingerprint))];
    for (let i = 0; i < fingerprints.length; i += 500) {
      const rows = await this.adapter.db
        .selectFrom('alerts_seen')
        .select(['fingerprint', 'starts_at', 'status', 'incident_id'])
        .where('source', '=', source)
        .where('fingerprint', 'in', fingerprints.slice(i, i + 500))
        .execute();
      for (const row of rows)
        found.set(
          alertKey({
            fingerprint: row.fingerprint,
            startsAt: Number(row.starts_at),
            status: row.status,
          }),
          { incidentId: Number(row.incident_id) },
        );
    }
    return found;
  }

  /** How many incidents the source's alert groups opened since `since` (the flood throttle). */
  async openedSince(source: string, since: number): Promise<number> {
    const row = await this.adapter.db
      .selectFrom('alert_groups')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('source', '=', source)
      .where('via', '=', 'opened')
      .where('created_at', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
