import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/**
 * Saved analyses: the whole report of a log analysis run for an incident
 * (uploaded in the web app's Evidence page), so it can be opened again.
 * A table rather than a timeline entry: a report runs to hundreds of
 * kilobytes (its series, examples, contrasts), and every read of an incident
 * folds its entries; the timeline gets the report's answers as findings.
 * The few columns beside the report are what the list shows without reading
 * it. `idempotency` holds the creating request's key (scope and key), so a
 * retried upload returns the analysis already saved.
 */
export function analysesMigration(adapter: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('analyses')
        .$call(adapter.addIdColumn)
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('events', 'bigint', (c) => c.notNull())
        .addColumn('errors', 'bigint', (c) => c.notNull())
        .addColumn('onset_at', 'bigint')
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('idempotency', 'text', (c) => c.unique())
        .execute();
      await db.schema
        .createIndex('analyses_incident')
        .on('analyses')
        .columns(['incident_id', 'id'])
        .execute();
      for (const statement of adapter.appendOnlyGuards('analyses'))
        await sql.raw(statement).execute(db);
    },
  };
}
