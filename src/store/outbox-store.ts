/**
 * The notification outbox (see migrations/004-outbox.ts). Messages enter with
 * the change that causes them (`outboxInsert` inside the incident store's
 * write) or on their own (reminders); workers claim due ones under a lease,
 * then mark each delivered, or failed with when to try again, or parked.
 */
import type { CompiledQuery, Kysely, Selectable } from 'kysely';
import type { DialectAdapter } from './dialect.js';
import type { Database, OutboxTable } from './schema.js';

export type OutboxStatus = OutboxTable['status'];

export interface OutboxDraft {
  eventKey: string;
  destination: string;
  kind: string;
  incidentKey?: string;
  message: unknown;
  at: number;
}

export interface OutboxMessage {
  id: number;
  eventKey: string;
  destination: string;
  kind: string;
  incidentKey: string | null;
  message: unknown;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

/** Adds the drafts in the caller's transaction; news already queued for a destination is skipped. */
export async function insertOutbox(trx: Kysely<Database>, drafts: OutboxDraft[]): Promise<number> {
  const insert = outboxInsert(trx, drafts);
  if (!insert) return 0;
  const result = await trx.executeQuery(insert);
  return Number(result.numAffectedRows ?? 0);
}

/** insertOutbox's statement, compiled for a planned write (none for no drafts). */
export function outboxInsert(
  db: Kysely<Database>,
  drafts: OutboxDraft[],
): CompiledQuery | undefined {
  if (!drafts.length) return undefined;
  return db
    .insertInto('outbox')
    .values(
      drafts.map((draft) => ({
        event_key: draft.eventKey,
        destination: draft.destination,
        kind: draft.kind,
        incident_key: draft.incidentKey ?? null,
        message: JSON.stringify(draft.message),
        status: 'pending' as const,
        next_attempt_at: draft.at,
        created_at: draft.at,
      })),
    )
    .onConflict((oc) => oc.columns(['event_key', 'destination']).doNothing())
    .compile();
}

const num = (value: number | string | null) => (value === null ? null : Number(value));

function toMessage(row: Selectable<OutboxTable>): OutboxMessage {
  return {
    id: Number(row.id),
    eventKey: row.event_key,
    destination: row.destination,
    kind: row.kind,
    incidentKey: row.incident_key,
    message: JSON.parse(row.message),
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    deliveredAt: num(row.delivered_at),
  };
}

export class OutboxStore {
  constructor(private readonly adapter: DialectAdapter) {}

  enqueue(drafts: OutboxDraft[]): Promise<number> {
    return this.adapter.writeTransaction((trx) => insertOutbox(trx, drafts));
  }

  /**
   * Takes up to `limit` due messages for `worker` until `now + leaseMs`. No
   * two workers hold one message: a lease ends when its holder marks the
   * message, or runs out when the holder died mid-delivery.
   */
  claim(worker: string, now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
    return this.adapter.writeTransaction(async (trx) => {
      const due = trx
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .orderBy('id')
        .limit(limit)
        .$if(this.adapter.rowLocks, (query) => query.forUpdate().skipLocked());
      const rows = await trx
        .updateTable('outbox')
        .set({ locked_by: worker, locked_until: now + leaseMs })
        .where('id', 'in', due)
        .returningAll()
        .execute();
      return rows.map(toMessage).sort((a, b) => a.id - b.id);
    });
  }

  async delivered(id: number, at: number): Promise<void> {
    await this.adapter.db
      .updateTable('outbox')
      .set({ status: 'delivered', delivered_at: at, locked_by: null, locked_until: null })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  /** A failed attempt: try again at `retryAt`, or park the message when there is none. */
  async failed(id: number, error: string, retryAt: number | undefined): Promise<void> {
    await this.adapter.db
      .updateTable('outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: error.slice(0, 1000),
        locked_by: null,
        locked_until: null,
        ...(retryAt === undefined ? { status: 'parked' as const } : { next_attempt_at: retryAt }),
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  /** A parked message goes back in the queue, due now, with its attempts counted afresh. */
  async retry(id: number, now: number): Promise<boolean> {
    const result = await this.adapter.db
      .updateTable('outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, last_error: null })
      .where('id', '=', id)
      .where('status', '=', 'parked')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async list(filter: { status?: OutboxStatus; limit?: number } = {}): Promise<OutboxMessage[]> {
    const rows = await this.adapter.db
      .selectFrom('outbox')
      .selectAll()
      .$if(filter.status !== undefined, (q) =>
        q.where('status', '=', filter.status as OutboxStatus),
      )
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map(toMessage);
  }

  /** When the next pending message falls due (so a worker knows how long to sleep). */
  async nextDueAt(): Promise<number | undefined> {
    const row = await this.adapter.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.min('next_attempt_at').as('due'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
  }
}
