import type { Generated } from 'kysely';

/** Kysely's view of the tables; instants are epoch milliseconds (UTC). */
export interface Database {
  incidents: IncidentsTable;
  incident_services: IncidentServicesTable;
  timeline_entries: TimelineEntriesTable;
  settings: SettingsTable;
}

export interface IncidentsTable {
  id: Generated<number>;
  title: string;
  summary: string;
  status: string;
  severity: string | null;
  declared_at: number | string;
  updated_at: number | string;
  /** The number of timeline entries the snapshot reflects. */
  version: number;
  /** The IncidentState snapshot, as JSON. */
  state: string;
}

export interface IncidentServicesTable {
  incident_id: number;
  service: string;
}

export interface TimelineEntriesTable {
  id: Generated<number>;
  incident_id: number;
  seq: number;
  kind: string;
  occurred_at: number | string;
  recorded_at: number | string;
  author: string;
  /** The EntryBody, as JSON. */
  body: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}
