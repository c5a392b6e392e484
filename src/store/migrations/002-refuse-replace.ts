import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectAdapter } from '../dialect.js';

/**
 * SQLite's INSERT OR REPLACE deletes the row it collides with without firing
 * DELETE triggers, which would let a timeline entry be rewritten in place.
 * Refuse any insert that would take an existing entry's number.
 */
export function refuseReplaceMigration(adapter: DialectAdapter): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const statement of adapter.replaceGuards('timeline_entries')) {
        await sql.raw(statement).execute(db);
      }
    },
  };
}
