import type { EntrySeq, EpochMs, IncidentId } from '../core/ids.js';
import type { IncidentState } from '../core/incident/incident.js';
import type { Status } from '../core/incident/lifecycle.js';
import type { TimelineEntry } from '../core/timeline/entry.js';
import type { AuditRecord } from './account-store.js';
import type { AlertRecords } from './alert-store.js';
import type { OutboxDraft } from './outbox-store.js';

export interface IncidentFilter {
  status?: Status[];
  severity?: string[];
  service?: string;
  /** Declared at or after. */
  since?: EpochMs;
  /** Declared before. */
  until?: EpochMs;
  /** Words in the title or summary, case-insensitive. */
  text?: string;
  limit?: number;
  /** Only incidents after this one in the list's order (newest first): a page's cursor. */
  after?: { declaredAt: number; id: number };
}

/** Thrown when another writer appended to the incident first; reload and decide again. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(
    readonly incidentId: IncidentId,
    readonly expectedVersion: number,
  ) {
    super(`incident ${incidentId} changed since version ${expectedVersion}`);
  }
}

/**
 * A client's name for one request (an Idempotency-Key), kept in the same
 * transaction as the entries it wrote: a retry finds it and is answered with
 * those entries instead of writing them again.
 */
export interface WriteOptions {
  idempotency?: { scope: string; key: string; at: EpochMs };
  /**
   * The notifications the change causes, queued in the same transaction so
   * that a change is never recorded without its news, nor news sent for a
   * change that was not recorded.
   */
  outbox?: (state: IncidentState, entries: TimelineEntry[]) => OutboxDraft[];
  /**
   * The audit line of the change (who made it, from where), written in the same
   * transaction: no change is recorded without its line.
   */
  audit?: (state: IncidentState, entries: TimelineEntry[]) => AuditRecord;
  /** Inbound alerts' group and dedupe rows (alert-store.ts): a duplicate refuses the write. */
  alerts?: (state: IncidentState, entries: TimelineEntry[]) => AlertRecords;
}

/** A change to an incident, as built on its state: the entries, the state they lead to, how to write it. */
export interface PlannedChange {
  entries: TimelineEntry[];
  next: IncidentState;
  options?: WriteOptions;
}

/** Thrown when a write carries an idempotency key already used: nothing new was written. */
export class AlreadyRecordedError extends Error {
  override readonly name = 'AlreadyRecordedError';
  constructor(
    readonly incidentId: IncidentId,
    readonly firstSeq: number,
    readonly lastSeq: number,
  ) {
    super(`already recorded as entries ${firstSeq}-${lastSeq} of incident ${incidentId}`);
  }
}

/**
 * Where an imported incident came from (calm import): the key it was first
 * declared under, and a digest of its timeline that makes a second import of
 * the same timeline into this store a duplicate.
 */
export interface ImportProvenance {
  originKey: string;
  digest: string;
}

/** Thrown when the same timeline was imported into this store before: nothing new was written. */
export class AlreadyImportedError extends Error {
  override readonly name = 'AlreadyImportedError';
  constructor(readonly incidentId: IncidentId) {
    super(`this timeline was already imported as incident ${incidentId}`);
  }
}

/**
 * Where incidents live. The timeline is append-only: there is no method to
 * change or delete an entry, and the schema refuses it too. The incident's
 * state is a snapshot of its timeline's fold, written in the same transaction
 * as the entries it reflects. Every implementation passes `store.contract.ts`.
 */
export interface IncidentStore {
  /** Allocates an id and writes the incident's first entries and state atomically. */
  createIncident(
    build: (id: IncidentId) => { entries: TimelineEntry[]; state: IncidentState },
    options?: WriteOptions,
  ): Promise<IncidentState>;
  /**
   * Appends entries numbered `expectedVersion + 1 ...` and saves `next`, only if
   * the incident is still at `expectedVersion`; otherwise VersionConflictError.
   */
  appendEntries(
    expectedVersion: number,
    entries: TimelineEntry[],
    next: IncidentState,
    options?: WriteOptions,
  ): Promise<void>;
  /**
   * Builds a change on the incident's latest state and appends it: the store's
   * changes to one incident run one at a time, in the order asked, each built on
   * the state the one before left (possibly not committed yet: writes are
   * committed in batches; if that one is rolled back, this one fails as a
   * conflict). Resolves once the change is durable, with the new state and its
   * entries; undefined when there is no such incident. VersionConflictError when
   * another writer (process) appended first: build again.
   */
  changeIncident(
    id: IncidentId,
    build: (state: IncidentState) => PlannedChange | Promise<PlannedChange>,
  ): Promise<{ state: IncidentState; entries: TimelineEntry[] } | undefined>;
  /**
   * Writes an incident brought from another store: a new id, the entries `build`
   * gives for it (numbered from 1, with their own authors and times) and their
   * state, and its provenance, in one transaction however long the timeline.
   * AlreadyImportedError when a timeline with the same digest was imported before.
   */
  importIncident(
    build: (id: IncidentId) => { entries: TimelineEntry[]; state: IncidentState },
    provenance: ImportProvenance,
    options?: WriteOptions,
  ): Promise<IncidentState>;
  /** The key an imported incident was first declared under; undefined for one declared here. */
  getOrigin(id: IncidentId): Promise<string | undefined>;
  getIncident(id: IncidentId): Promise<IncidentState | undefined>;
  /** Newest first. */
  listIncidents(filter?: IncidentFilter): Promise<IncidentState[]>;
  /** In timeline order. */
  listEntries(
    id: IncidentId,
    range?: { afterSeq?: number; limit?: number },
  ): Promise<TimelineEntry[]>;
  getEntry(id: IncidentId, seq: EntrySeq): Promise<TimelineEntry | undefined>;
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string | undefined): Promise<void>;
  close(): Promise<void>;
}
