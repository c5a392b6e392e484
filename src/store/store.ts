import type { EntrySeq, EpochMs, IncidentId } from '../core/ids.js';
import type { IncidentState } from '../core/incident/incident.js';
import type { Status } from '../core/incident/lifecycle.js';
import type { TimelineEntry } from '../core/timeline/entry.js';

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
 * Where incidents live. The timeline is append-only: there is no method to
 * change or delete an entry, and the schema refuses it too. The incident's
 * state is a snapshot of its timeline's fold, written in the same transaction
 * as the entries it reflects. Every implementation passes `store.contract.ts`.
 */
export interface IncidentStore {
  /** Allocates an id and writes the incident's first entries and state atomically. */
  createIncident(
    build: (id: IncidentId) => { entries: TimelineEntry[]; state: IncidentState },
  ): Promise<IncidentState>;
  /**
   * Appends entries numbered `expectedVersion + 1 ...` and saves `next`, only if
   * the incident is still at `expectedVersion`; otherwise VersionConflictError.
   */
  appendEntries(
    expectedVersion: number,
    entries: TimelineEntry[],
    next: IncidentState,
  ): Promise<void>;
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
