import type { Generated } from 'kysely';

/** Kysely's view of the tables; instants are epoch milliseconds (UTC). */
export interface Database {
  incidents: IncidentsTable;
  incident_services: IncidentServicesTable;
  timeline_entries: TimelineEntriesTable;
  settings: SettingsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
  status_components: StatusComponentsTable;
  status_component_services: StatusComponentServicesTable;
  status_component_states: StatusComponentStatesTable;
  status_public_titles: StatusPublicTitlesTable;
  alert_groups: AlertGroupsTable;
  alerts_seen: AlertsSeenTable;
  analyses: AnalysesTable;
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

export interface UsersTable {
  id: Generated<number>;
  name: string;
  /** scrypt, with its parameters and salt (see src/server/auth/passwords.ts). */
  password_hash: string;
  role: string;
  created_at: number | string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's token: a copy of the table opens no session. */
  token_hash: string;
  user_id: number;
  csrf_token: string;
  expires_at: number | string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  scope: string;
  created_at: number | string;
  revoked_at: number | string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number | string;
  actor: string;
  action: string;
  target: string;
  source_ip: string;
  /** JSON. */
  detail: string;
}

export interface IdempotencyKeysTable {
  /** Whose key (a user id): two users' keys never collide. */
  scope: string;
  key: string;
  incident_id: number;
  first_seq: number;
  last_seq: number;
  created_at: number | string;
}

export interface OutboxTable {
  id: Generated<number>;
  /** The change it tells of (INC-3#12, or a reminder's key); once per destination. */
  event_key: string;
  /** A channel's name from the config. */
  destination: string;
  kind: string;
  incident_key: string | null;
  /** JSON: the notification. */
  message: string;
  status: 'pending' | 'delivered' | 'parked';
  attempts: Generated<number>;
  next_attempt_at: number | string;
  /** The worker holding it, and until when; a crashed worker's lease runs out. */
  locked_by: string | null;
  locked_until: number | string | null;
  last_error: string | null;
  created_at: number | string;
  delivered_at: number | string | null;
}

/** A component of the public status page (migrations/005-status-page.ts). */
export interface StatusComponentsTable {
  id: Generated<number>;
  name: string;
  description: string;
  /** Where it stands on the page: ascending. */
  position: number;
  created_at: number | string;
  updated_at: number | string;
  archived_at: number | string | null;
}

/** The Calm services a component stands for: an incident on one shows on the component. */
export interface StatusComponentServicesTable {
  component_id: number;
  service: string;
}

/** Every state a component was put in (append-only); the latest is its state now. */
export interface StatusComponentStatesTable {
  id: Generated<number>;
  component_id: number;
  state: string;
  at: number | string;
  /** Internal: never shown on the public page. */
  author: string;
  reason: string;
}

/** The titles an incident is shown under on the public page (append-only); the latest wins. */
export interface StatusPublicTitlesTable {
  id: Generated<number>;
  incident_id: number;
  title: string;
  at: number | string;
  author: string;
}

/** An alert group's incident, per generation (migration 006-alerts). */
export interface AlertGroupsTable {
  source: string;
  group_key: string;
  generation: number;
  incident_id: number;
  via: 'opened' | 'flood';
  created_at: number | string;
}

/** Each alert (fingerprint, start, status) once per source, with the entry that logged it. */
export interface AlertsSeenTable {
  source: string;
  fingerprint: string;
  starts_at: number | string;
  status: string;
  incident_id: number;
  seq: number;
  received_at: number | string;
}

/** A saved analysis report of an incident (migration 008-analyses). */
export interface AnalysesTable {
  id: Generated<number>;
  incident_id: number;
  created_at: number | string;
  author: string;
  /** The analyzed files' names, as the list shows them. */
  name: string;
  events: number | string;
  errors: number | string;
  onset_at: number | string | null;
  /** The AnalysisReport, as JSON. */
  report: string;
  /** The creating request's Idempotency-Key, with its scope. */
  idempotency: string | null;
}
