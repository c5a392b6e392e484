import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

export function initialMigration(adapter: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('incidents')
        .$call(adapter.addIdColumn)
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('severity', 'text')
        .addColumn('declared_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('incidents_status')
        .on('incidents')
        .columns(['status', 'declared_at'])
        .execute();

      await db.schema
        .createTable('incident_services')
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('service', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_services_pk', ['incident_id', 'service'])
        .execute();
      await db.schema
        .createIndex('incident_services_service')
        .on('incident_services')
        .column('service')
        .execute();

      await db.schema
        .createTable('timeline_entries')
        .$call(adapter.addIdColumn)
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('recorded_at', 'bigint', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        // Two writers can never give out the same entry number: the loser gets a conflict.
        .addUniqueConstraint('timeline_entries_incident_seq', ['incident_id', 'seq'])
        .execute();

      for (const statement of adapter.appendOnlyGuards('timeline_entries')) {
        await sql.raw(statement).execute(db);
      }

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
