/**
 * Saved analyses (migrations/008-analyses.ts): an incident's analysis
 * reports, whole, with the few facts a list shows beside each. Rows are
 * never changed; a new analysis is a new row.
 */
import type { DialectAdapter } from './dialect.js';

export interface AnalysisSummary {
  id: number;
  incidentId: number;
  at: number;
  author: string;
  /** The analyzed files' names. */
  name: string;
  events: number;
  errors: number;
  onsetAt?: number;
}

export interface AnalysisDraft extends Omit<AnalysisSummary, 'id'> {
  /** The report as JSON text (already validated). */
  report: string;
  /** The creating request's scope and Idempotency-Key. */
  idempotency?: { scope: string; key: string };
}

const SUMMARY_COLUMNS = [
  'id',
  'incident_id',
  'created_at',
  'author',
  'name',
  'events',
  'errors',
  'onset_at',
] as const;

interface SummaryRow {
  id: number;
  incident_id: number;
  created_at: number | string;
  author: string;
  name: string;
  events: number | string;
  errors: number | string;
  onset_at: number | string | null;
}

function summaryOf(row: SummaryRow): AnalysisSummary {
  return {
    id: Number(row.id),
    incidentId: Number(row.incident_id),
    at: Number(row.created_at),
    author: row.author,
    name: row.name,
    events: Number(row.events),
    errors: Number(row.errors),
    ...(row.onset_at !== null ? { onsetAt: Number(row.onset_at) } : {}),
  };
}

const idempotencyOf = (scope: string, key: string) => `${scope} ${key}`;

export class AnalysisStore {
  constructor(private readonly adapter: DialectAdapter) {}

  private get db() {
    return this.adapter.db;
  }

  /** Saves a report; a retry of the same request (same key) gets the first one back. */
  async save(draft: AnalysisDraft): Promise<{ analysis: AnalysisSummary; replayed: boolean }> {
    const key = draft.idempotency;
    // looked up first: a failed insert would still use up an id on PostgreSQL
    const earlier = key && (await this.byKey(key.scope, key.key));
    if (earlier) return { analysis: earlier, replayed: true };
    try {
      const row = await this.db
        .insertInto('analyses')
        .values({
          incident_id: draft.incidentId,
          created_at: draft.at,
          author: draft.author,
          name: draft.name,
          events: draft.events,
          errors: draft.errors,
          onset_at: draft.onsetAt ?? null,
          report: draft.report,
          idempotency: draft.idempotency
            ? idempotencyOf(draft.idempotency.scope, draft.idempotency.key)
            : null,
        })
        .returning(SUMMARY_COLUMNS)
        .executeTakeFirstOrThrow();
      return { analysis: summaryOf(row), replayed: false };
    } catch (error) {
      if (!draft.idempotency || !this.adapter.isUniqueViolation(error)) throw error;
      const first = await this.byKey(draft.idempotency.scope, draft.idempotency.key);
      if (!first) throw error;
      return { analysis: first, replayed: true };
    }
  }

  /** The analysis a request with this key saved, if one did. */
  async byKey(scope: string, key: string): Promise<AnalysisSummary | undefined> {
    const row = await this.db
      .selectFrom('analyses')
      .select(SUMMARY_COLUMNS)
      .where('idempotency', '=', idempotencyOf(scope, key))
      .executeTakeFirst();
    return row ? summaryOf(row) : undefined;
  }

  /** An incident's analyses, newest first, without their reports. */
  async list(incidentId: number): Promise<AnalysisSummary[]> {
    const rows = await this.db
      .selectFrom('analyses')
      .select(SUMMARY_COLUMNS)
      .where('incident_id', '=', incidentId)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(summaryOf);
  }

  /** One analysis of the incident with its report (JSON text), or undefined. */
  async get(
    incidentId: number,
    id: number,
  ): Promise<{ analysis: AnalysisSummary; report: string } | undefined> {
    const row = await this.db
      .selectFrom('analyses')
      .select([...SUMMARY_COLUMNS, 'report'])
      .where('incident_id', '=', incidentId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { analysis: summaryOf(row), report: row.report } : undefined;
  }
}
