import type { Kysely, Migration } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/**
 * Inbound alerts (Alertmanager, Grafana). `alert_groups` maps a source's
 * alert group to the incident it opened (or the flood incident it joined), one
 * row per generation: once that incident is resolved, the next firing opens
 * generation + 1. `alerts_seen` holds each alert's fingerprint, start and
 * status once, so a repeat (Alertmanager re-sends every repeat_interval) or a
 * retried delivery writes nothing. Both are written in the transaction of the
 * timeline entries they stand for; their keys make a concurrent duplicate,
 * on another instance too, fail that transaction as a whole.
 */
export function alertsMigration(_adapter: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alert_groups')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        /** 'opened': the group declared the incident; 'flood': it joined the flood incident. */
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_groups_pk', ['source', 'group_key', 'generation'])
        .execute();
      // how many incidents a source opened in the last minute (the flood throttle)
      await db.schema
        .createIndex('alert_groups_opened')
        .on('alert_groups')
        .columns(['source', 'via', 'created_at'])
        .execute();
      await db.schema
        .createTable('alerts_seen')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('alerts_seen_pk', ['source', 'fingerprint', 'starts_at', 'status'])
        .execute();
    },
  };
}
