import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/**
 * The public status page: the components customers know ("API", "Checkout"),
 * which Calm services each stands for, every state a component was put in
 * (append-only, so 90 days of history can be drawn), and the public titles
 * given to incidents (append-only: the latest wins, and who chose each is kept).
 */
export function statusPageMigration(adapter: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('status_components')
        .$call(adapter.addIdColumn)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        // retired components leave the page but keep their history
        .addColumn('archived_at', 'bigint')
        .execute();
      await db.schema
        .createTable('status_component_services')
        .addColumn('component_id', 'integer', (c) => c.notNull().references('status_components.id'))
        .addColumn('service', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('status_component_services_pk', ['component_id', 'service'])
        .execute();
      await db.schema
        .createIndex('status_component_services_service')
        .on('status_component_services')
        .column('service')
        .execute();
      await db.schema
        .createTable('status_component_states')
        .$call(adapter.addIdColumn)
        .addColumn('component_id', 'integer', (c) => c.notNull().references('status_components.id'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('status_component_states_at')
        .on('status_component_states')
        .columns(['component_id', 'at'])
        .execute();
      for (const statement of adapter.appendOnlyGuards('status_component_states'))
        await sql.raw(statement).execute(db);
      await db.schema
        .createTable('status_public_titles')
        .$call(adapter.addIdColumn)
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('status_public_titles_incident')
        .on('status_public_titles')
        .columns(['incident_id', 'id'])
        .execute();
      for (const statement of adapter.appendOnlyGuards('status_public_titles'))
        await sql.raw(statement).execute(db);
    },
  };
}
