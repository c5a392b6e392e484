import type { Kysely, Migration } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/**
 * The notification outbox: a message per (event, destination), written in
 * the same transaction as the change that causes it, then delivered by the
 * outbox worker. The unique pair makes a second enqueue of the same news a
 * no-op; the lease columns let several server instances share the work.
 */
export function outboxMigration(adapter: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('outbox')
        .$call(adapter.addIdColumn)
        .addColumn('event_key', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('incident_key', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')
        .addUniqueConstraint('outbox_event_destination', ['event_key', 'destination'])
        .execute();
      await db.schema
        .createIndex('outbox_due')
        .on('outbox')
        .columns(['status', 'next_attempt_at'])
        .execute();
    },
  };
}
