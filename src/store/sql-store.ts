import { type Kysely, sql } from 'kysely';
import {
  type EntrySeq,
  type EpochMs,
  entrySeq,
  epochMs,
  type IncidentId,
  incidentId,
} from '../core/ids.js';
import { type IncidentState, stateFromSnapshot } from '../core/incident/incident.js';
import type { EntryBody, TimelineEntry } from '../core/timeline/entry.js';
import { insertAudit, prepareAuditInsert } from './account-store.js';
import { insertAlertRecords } from './alert-store.js';
import type { DialectAdapter } from './dialect.js';
import { IncidentTurns } from './incident-turns.js';
import { insertOutbox } from './outbox-store.js';
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
    state: JSON.stringify(state),
  };
}

async function writeServices(trx: Kysely<Database>, state: IncidentState) {
  await trx.deleteFrom('incident_services').where('incident_id', '=', state.id).execute();
  if (state.services.length) {
    const unique = [...new Set(state.services.map(searchable))];
    await trx
      .insertInto('incident_services')
      .values(unique.map((service) => ({ incident_id: state.id, service })))
      .execute();
  }
}

async function recordKey(trx: Kysely<Database>, options: WriteOptions, entries: TimelineEntry[]) {
  const key = options.idempotency;
  const [first, last] = [entries[0], entries[entries.length - 1]];
  if (!key || !first || !last) return;
  await trx
    .insertInto('idempotency_keys')
    .values({
      scope: key.scope,
      key: key.key,
      incident_id: first.incidentId,
      first_seq: first.seq,
      last_seq: last.seq,
      created_at: key.at,
    })
    .execute();
}

/**
 * The statements every append runs, compiled once per store (prepared.ts): raw
 * SQL would do as well, but these stay typed against the schema and one
 * definition serves both dialects.
 */
function appendStatements(db: Kysely<Database>) {
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
  return {
    /** Saves `next` if the incident is still at `expectedVersion`; whether it was. */
    async updateSnapshot(
      trx: Kysely<Database>,
      next: IncidentState,
      updatedAt: EpochMs,
      expectedVersion: number,
    ) {
      const c = snapshotColumns(next, updatedAt);
      const result = await updateSnapshot(
        trx,
        c.title,
        c.summary,
        c.status,
        c.severity,
        c.declared_at,
        c.updated_at,
        c.version,
        c.state,
        next.id,
        expectedVersion,
      );
      return Number(result.numAffectedRows) === 1;
    },
    async insertEntries(trx: Kysely<Database>, entries: TimelineEntry[]) {
      for (const entry of entries) {
        const r = toRow(entry);
        await insertEntry(
          trx,
          r.incident_id,
          r.seq,
          r.kind,
          r.occurred_at,
          r.recorded_at,
          r.author,
          r.body,
        );
      }
    },
    insertAudit: prepareAuditInsert(db),
  };
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
  readonly #statements: ReturnType<typeof appendStatements>;

  constructor(private readonly adapter: DialectAdapter) {
    this.#statements = appendStatements(adapter.db);
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
      await writeServices(trx, state);
      await recordKey(trx, options, entries);
      await insertOutbox(trx, options.outbox?.(state, entries) ?? []);
      await insertAlertRecords(trx, options.alerts?.(state, entries));
      await insertAudit(trx, options.audit?.(state, entries));
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
    await this.#append(expectedVersion, entries, next, options);
  }

  async changeIncident(
    id: IncidentId,
    build: (state: IncidentState) => PlannedChange | Promise<PlannedChange>,
  ) {
    const passTurn = await this.#turns.take(id);
    try {
      const kept = this.#turns.latest(id);
      const state = kept ?? (await this.getIncident(id));
      if (!state) return undefined;
      const { entries, next, options = {} } = await build(state);
      if (entries.length === 0) return { state, entries };
      await this.#append(state.version, entries, next, options, { kept, passTurn });
      return { state: next, entries };
    } catch (error) {
      this.#turns.forget(id);
      throw error;
    } finally {
      passTurn();
    }
  }

  /**
   * The append itself. In `turn`, the write built on the state kept for its incident
   * (`kept`, undefined when read from the database): it runs only if that state is
   * still the one kept, keeps its own result, and passes the turn on once its
   * statements have run, before the batch commits.
   */
  async #append(
    expectedVersion: number,
    entries: TimelineEntry[],
    next: IncidentState,
    options: WriteOptions,
    turn?: { kept: IncidentState | undefined; passTurn(): void },
  ) {
    try {
      await this.adapter.writeTransaction(async (trx, scope) => {
        if (turn?.kept && this.#turns.latest(next.id) !== turn.kept)
          throw new VersionConflictError(next.id, expectedVersion);
        const statements = this.#statements;
        const at = latestRecordedAt(entries);
        if (!(await statements.updateSnapshot(trx, next, at, expectedVersion))) {
          throw new VersionConflictError(next.id, expectedVersion);
        }
        await statements.insertEntries(trx, entries);
        if (entries.some((entry) => entry.body.kind === 'details_changed')) {
          await writeServices(trx, next);
        }
        await recordKey(trx, options, entries);
        await insertOutbox(trx, options.outbox?.(next, entries) ?? []);
        await insertAlertRecords(trx, options.alerts?.(next, entries));
        await statements.insertAudit(trx, options.audit?.(next, entries));
        if (turn) {
          this.#turns.remember(next);
          scope.ifRolledBack(() => this.#turns.forget(next.id, next));
          turn.passTurn();
        }
      });
    } catch (error) {
      await this.#rethrowIfRecorded(error, options);
      if (this.adapter.isUniqueViolation(error))
        throw new VersionConflictError(next.id, expectedVersion);
      throw error;
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
