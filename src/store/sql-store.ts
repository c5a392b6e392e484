import { type CompiledQuery, type Kysely, sql } from 'kysely';
import {
  type EntrySeq,
  type EpochMs,
  entrySeq,
  epochMs,
  type IncidentId,
  incidentId,
} from '../core/ids.js';
import { type IncidentState, snapshotOf, stateFromSnapshot } from '../core/incident/incident.js';
import type { EntryBody, TimelineEntry } from '../core/timeline/entry.js';
import { prepareAuditInsert } from './account-store.js';
import { alertRecordInserts } from './alert-store.js';
import type { DialectAdapter } from './dialect.js';
import {
  type PlannedStatement,
  type PlannedWrite,
  runStatements,
  type SnapshotWrite,
} from './group-commit.js';
import { IncidentTurns } from './incident-turns.js';
import { outboxInsert } from './outbox-store.js';
import { prepareQuery } from './prepared.js';
import type { Database, TimelineEntriesTable } from './schema.js';
import {
  AlreadyImportedError,
  AlreadyRecordedError,
  type ImportProvenance,
  type IncidentFilter,
  type IncidentStore,
  type PlannedChange,
  VersionConflictError,
  type WriteOptions,
} from './store.js';

type EntryRow = Omit<TimelineEntriesTable, 'id'>;

function toRow(entry: TimelineEntry): EntryRow {
  return {
    incident_id: entry.incidentId,
    seq: entry.seq,
    kind: entry.body.kind,
    occurred_at: entry.occurredAt,
    recorded_at: entry.recordedAt,
    author: entry.author,
    body: JSON.stringify(entry.body),
  };
}

function fromRow(row: EntryRow): TimelineEntry {
  return {
    incidentId: incidentId(row.incident_id),
    seq: entrySeq(row.seq),
    // PostgreSQL hands bigint columns back as strings.
    occurredAt: epochMs(Number(row.occurred_at)),
    recordedAt: epochMs(Number(row.recorded_at)),
    author: row.author,
    body: JSON.parse(row.body) as EntryBody,
  };
}

/**
 * Columns that copy the state for filtering and search hold its text without
 * NUL characters, which PostgreSQL text cannot store; the state itself (JSON,
 * where NUL is escaped) keeps every character.
 */
const searchable = (text: string) => text.replaceAll('\u0000', '\ufffd');

function snapshotColumns(state: IncidentState, updatedAt: EpochMs) {
  return {
    title: searchable(state.title),
    summary: searchable(state.summary),
    status: state.status,
    severity: state.severity,
    declared_at: state.milestones.declared ?? updatedAt,
    updated_at: updatedAt,
    version: state.version,
    state: snapshotOf(state),
  };
}

/** Replaces the incident's rows of services (they copy its state's, for the service filter). */
function servicesWrite(db: Kysely<Database>, state: IncidentState): CompiledQuery[] {
  const queries: CompiledQuery[] = [
    db.deleteFrom('incident_services').where('incident_id', '=', state.id).compile(),
  ];
  if (state.services.length) {
    const unique = [...new Set(state.services.map(searchable))];
    queries.push(
      db
        .insertInto('incident_services')
        .values(unique.map((service) => ({ incident_id: state.id, service })))
        .compile(),
    );
  }
  return queries;
}

/** The row that makes a retry of the same request (its idempotency key) a replay. */
function keyInsert(
  db: Kysely<Database>,
  options: WriteOptions,
  entries: TimelineEntry[],
): CompiledQuery | undefined {
  const key = options.idempotency;
  const [first, last] = [entries[0], entries[entries.length - 1]];
  if (!key || !first || !last) return undefined;
  return db
    .insertInto('idempotency_keys')
    .values({
      scope: key.scope,
      key: key.key,
      incident_id: first.incidentId,
      first_seq: first.seq,
      last_seq: last.seq,
      created_at: key.at,
    })
    .compile();
}

/**
 * A change's statements, compiled: an append as a planned write (group-commit.ts),
 * so that SQLite runs it without Kysely in between, and the writes that go with
 * every change (sideWrites), a new incident's too. The statements every append runs
 * are compiled once per store (prepared.ts): raw SQL would do as well, but these
 * stay typed against the schema and one definition serves both dialects.
 */
function changePlanner(db: Kysely<Database>) {
  const updateSnapshot = prepareQuery<unknown[]>(db, (db, v) =>
    db
      .updateTable('incidents')
      .set({
        title: v(0),
        summary: v(1),
        status: v(2),
        severity: v(3),
        declared_at: v(4),
        updated_at: v(5),
        version: v(6),
        state: v(7),
      })
      .where('id', '=', v(8))
      .where('version', '=', v(9)),
  );
  const insertEntry = prepareQuery<unknown[]>(db, (db, v) =>
    db.insertInto('timeline_entries').values({
      incident_id: v(0),
      seq: v(1),
      kind: v(2),
      occurred_at: v(3),
      recorded_at: v(4),
      author: v(5),
      body: v(6),
    }),
  );
  const insertAudit = prepareAuditInsert(db);
  /**
   * What goes with every change, in its transaction: the incident's services when
   * they changed, the idempotency key, the news, the alert rows, the audit line.
   */
  const sideWrites = (
    state: IncidentState,
    entries: TimelineEntry[],
    options: WriteOptions,
    services: boolean,
  ): PlannedStatement[] => {
    const audit = options.audit?.(state, entries);
    const queries = [
      ...(services ? servicesWrite(db, state) : []),
      outboxInsert(db, options.outbox?.(state, entries) ?? []),
    ];
    const key = keyInsert(db, options, entries);
    return [
      ...(key ? [{ query: key, refusable: true as const }] : []),
      ...queries.filter((query) => query !== undefined).map((query) => ({ query })),
      ...alertRecordInserts(db, options.alerts?.(state, entries)),
      ...(audit ? [{ query: insertAudit(audit) }] : []),
    ];
  };
  /**
   * Appends `entries` and saves `next` as the incident's state, if it is still at
   * `expectedVersion` (else, or if the write it was built on fails, VersionConflictError).
   */
  const append = (
    expectedVersion: number,
    entries: TimelineEntry[],
    next: IncidentState,
    options: WriteOptions,
  ): PlannedWrite => {
    const conflict = () => new VersionConflictError(next.id, expectedVersion);
    const c = snapshotColumns(next, latestRecordedAt(entries));
    const snapshot: SnapshotWrite = {
      from: expectedVersion,
      to: next.version,
      save: (stored) => ({
        query: updateSnapshot(
          c.title,
          c.summary,
          c.status,
          c.severity,
          c.declared_at,
          c.updated_at,
          c.version,
          c.state,
          next.id,
          stored,
        ),
        expectRows: 1,
        mismatch: conflict,
      }),
    };
    const statements: PlannedStatement[] = [];
    for (const entry of entries) {
      const r = toRow(entry);
      statements.push({
        query: insertEntry(
          r.incident_id,
          r.seq,
          r.kind,
          r.occurred_at,
          r.recorded_at,
          r.author,
          r.body,
        ),
      });
    }
    const services = entries.some((entry) => entry.body.kind === 'details_changed');
    statements.push(...sideWrites(next, entries, options, services));
    return { snapshot, statements, stale: conflict };
  };
  return { append, sideWrites };
}

/*
 * An imported incident's provenance lives in the settings table, outside its
 * timeline, so that the timeline stays exactly as it was exported: the digest's
 * row is unique (a second import of it is refused by the key), the origin's row
 * says where the incident came from.
 */
const importDigestKey = (digest: string) => `import.digest.${digest}`;
const originKey = (id: IncidentId) => `import.origin.${id}`;

/** Rows per INSERT: 7 values each stays under every engine's limit on bound values. */
const INSERT_CHUNK = 500;

async function insertEntryRows(trx: Kysely<Database>, entries: TimelineEntry[]) {
  for (let start = 0; start < entries.length; start += INSERT_CHUNK)
    await trx
      .insertInto('timeline_entries')
      .values(entries.slice(start, start + INSERT_CHUNK).map(toRow))
      .execute();
}

const latestRecordedAt = (entries: TimelineEntry[]) =>
  epochMs(Math.max(...entries.map((entry) => entry.recordedAt)));

/** The one store implementation; what differs between engines lives in the adapter. */
export class SqlIncidentStore implements IncidentStore {
  readonly #turns = new IncidentTurns();
  readonly #planner: ReturnType<typeof changePlanner>;

  constructor(private readonly adapter: DialectAdapter) {
    this.#planner = changePlanner(adapter.db);
  }

  private get db() {
    return this.adapter.db;
  }

  async createIncident(
    build: (id: IncidentId) => { entries: TimelineEntry[]; state: IncidentState },
    options: WriteOptions = {},
  ) {
    try {
      return await this.#create(build, options);
    } catch (error) {
      await this.#rethrowIfRecorded(error, options);
      throw error;
    }
  }

  async importIncident(
    build: (id: IncidentId) => { entries: TimelineEntry[]; state: IncidentState },
    provenance: ImportProvenance,
    options: WriteOptions = {},
  ) {
    // Looked up first so that a duplicate costs no incident number (PostgreSQL's sequence
    // does not give back the number of a rolled-back insert); the unique key settles races.
    const before = await this.getSetting(importDigestKey(provenance.digest));
    if (before && !options.idempotency) throw new AlreadyImportedError(incidentId(Number(before)));
    try {
      return await this.#create(build, options, provenance);
    } catch (error) {
      await this.#rethrowIfRecorded(error, options);
      if (this.adapter.isUniqueViolation(error)) {
        const first = await this.getSetting(importDigestKey(provenance.digest));
        if (first) throw new AlreadyImportedError(incidentId(Number(first)));
      }
      throw error;
    }
  }

  getOrigin(id: IncidentId) {
    return this.getSetting(originKey(id));
  }

  #create(
    build: (id: IncidentId) => { entries: TimelineEntry[]; state: IncidentState },
    options: WriteOptions,
    provenance?: ImportProvenance,
  ) {
    return this.adapter.writeTransaction(async (trx) => {
      const { id } = await trx
        .insertInto('incidents')
        .values({
          title: '',
          summary: '',
          status: 'triage',
          severity: null,
          declared_at: 0,
          updated_at: 0,
          version: 0,
          state: '{}',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { entries, state } = build(incidentId(Number(id)));
      await insertEntryRows(trx, entries);
      if (provenance) {
        await trx
          .insertInto('settings')
          .values([
            { key: importDigestKey(provenance.digest), value: String(state.id) },
            { key: originKey(state.id), value: provenance.originKey },
          ])
          .execute();
      }
      await trx
        .updateTable('incidents')
        .set(snapshotColumns(state, latestRecordedAt(entries)))
        .where('id', '=', state.id)
        .execute();
      await runStatements(trx, this.#planner.sideWrites(state, entries, options, true));
      return state;
    });
  }

  /** A unique violation on the idempotency key: the request was done before. */
  async #rethrowIfRecorded(error: unknown, options: WriteOptions): Promise<void> {
    const key = options.idempotency;
    if (!key || !this.adapter.isUniqueViolation(error)) return;
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['incident_id', 'first_seq', 'last_seq'])
      .where('scope', '=', key.scope)
      .where('key', '=', key.key)
      .executeTakeFirst();
    if (row)
      throw new AlreadyRecordedError(incidentId(row.incident_id), row.first_seq, row.last_seq);
  }

  async appendEntries(
    expectedVersion: number,
    entries: TimelineEntry[],
    next: IncidentState,
    options: WriteOptions = {},
  ) {
    if (entries.length === 0) return;
    const write = this.#planner.append(expectedVersion, entries, next, options);
    await this.#settle(this.adapter.writePlanned(write), write, options);
  }

  /**
   * Takes the incident's turn and builds the change on the state the write before
   * left (kept, or read). The write is queued before the turn passes on, so the next
   * change to the incident builds on this one and goes in after it, possibly in the
   * same batch; should this one be rolled back, those built on it fail as version
   * conflicts (PlannedWrite.after) and are built again from the database.
   */
  async changeIncident(
    id: IncidentId,
    build: (state: IncidentState) => PlannedChange | Promise<PlannedChange>,
  ) {
    const passTurn = await this.#turns.take(id);
    let planned: {
      change: { state: IncidentState; entries: TimelineEntry[] };
      write: PlannedWrite;
      done: Promise<void>;
      options: WriteOptions;
    };
    try {
      const kept = this.#turns.latest(id);
      const state = kept?.state ?? (await this.getIncident(id));
      if (!state) return undefined;
      const { entries, next, options = {} } = await build(state);
      if (entries.length === 0) return { state, entries };
      const write = this.#planner.append(state.version, entries, next, options);
      if (kept?.write) write.after = kept.write;
      planned = {
        change: { state: next, entries },
        write,
        options,
        done: this.adapter.writePlanned(write),
      };
      this.#turns.remember(next, write);
    } catch (error) {
      this.#turns.forget(id);
      throw error;
    } finally {
      passTurn();
    }
    try {
      await this.#settle(planned.done, planned.write, planned.options);
    } catch (error) {
      this.#turns.forget(id, planned.change.state);
      throw error;
    }
    return planned.change;
  }

  /**
   * Waits for a write, and names its failure: a replay of a request done before
   * (its idempotency key), or a version conflict (an entry number taken meanwhile).
   */
  async #settle(done: Promise<void>, write: PlannedWrite, options: WriteOptions) {
    try {
      await done;
    } catch (error) {
      await this.#rethrowIfRecorded(error, options);
      throw this.adapter.isUniqueViolation(error) ? write.stale() : error;
    }
  }

  async getIncident(id: IncidentId) {
    const row = await this.db
      .selectFrom('incidents')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirst();
    return row && row.state !== '{}' ? stateFromSnapshot(row.state) : undefined;
  }

  async listIncidents(filter: IncidentFilter = {}) {
    let query = this.db.selectFrom('incidents').select('state').where('version', '>', 0);
    if (filter.status?.length) query = query.where('status', 'in', filter.status);
    if (filter.severity?.length) query = query.where('severity', 'in', filter.severity);
    if (filter.since !== undefined) query = query.where('declared_at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('declared_at', '<', filter.until);
    if (filter.after) {
      const { declaredAt, id } = filter.after;
      query = query.where((eb) =>
        eb.or([
          eb('declared_at', '<', declaredAt),
          eb.and([eb('declared_at', '=', declaredAt), eb('id', '<', id)]),
        ]),
      );
    }
    if (filter.service) {
      const service = filter.service;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('incident_services')
            .select('incident_id')
            .whereRef('incident_services.incident_id', '=', 'incidents.id')
            .where('service', '=', service),
        ),
      );
    }
    if (filter.text) {
      for (const word of filter.text.toLowerCase().split(/\s+/).filter(Boolean)) {
        const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where(
          sql<boolean>`(lower(title) like ${pattern} escape '\\' or lower(summary) like ${pattern} escape '\\')`,
        );
      }
    }
    const rows = await query
      .orderBy('declared_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 1000)
      .execute();
    return rows.map((row) => stateFromSnapshot(row.state));
  }

  async listEntries(id: IncidentId, range: { afterSeq?: number; limit?: number } = {}) {
    let query = this.db
      .selectFrom('timeline_entries')
      .select(['incident_id', 'seq', 'kind', 'occurred_at', 'recorded_at', 'author', 'body'])
      .where('incident_id', '=', id);
    if (range.afterSeq !== undefined) query = query.where('seq', '>', range.afterSeq);
    if (range.limit !== undefined) query = query.limit(range.limit);
    const rows = await query.orderBy('seq').execute();
    return rows.map(fromRow);
  }

  async getEntry(id: IncidentId, seq: EntrySeq) {
    const row = await this.db
      .selectFrom('timeline_entries')
      .select(['incident_id', 'seq', 'kind', 'occurred_at', 'recorded_at', 'author', 'body'])
      .where('incident_id', '=', id)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async getSetting(key: string) {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value;
  }

  async setSetting(key: string, value: string | undefined) {
    await this.adapter.writeTransaction(async (trx) => {
      await trx.deleteFrom('settings').where('key', '=', key).execute();
      if (value !== undefined) await trx.insertInto('settings').values({ key, value }).execute();
    });
  }

  close() {
    return this.adapter.close();
  }
}
