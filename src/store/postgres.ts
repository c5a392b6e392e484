import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DialectAdapter } from './dialect.js';
import { GroupCommit } from './group-commit.js';
import { migrateToLatest } from './migrations/index.js';
import type { Database } from './schema.js';

/** PostgreSQL's SQLSTATE for a unique violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * The team store: PostgreSQL, for teams that run several Calm instances on one
 * database. Transactions run at READ COMMITTED: the store's writes are guarded
 * by the incident's version (an UPDATE ... WHERE version = n, which a second
 * writer re-checks after the first commits) and by unique constraints, so two
 * instances appending at once get one success and one conflict, never a lost
 * or doubled entry.
 */
export function openPostgresAdapter(url: string, options: { maxConnections?: number } = {}) {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  // An idle connection the server drops must not take the process down.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const run = (text: string) => async (connection: Kysely<Database>) => {
    await sql.raw(text).execute(connection);
  };
  // One writer per instance, on one pooled connection: a batch of writes pays
  // one commit (one WAL flush). Writers on other instances (and the CLI) are
  // still serialized by the row locks and caught by the version check.
  const writer = new GroupCommit({
    withConnection: (batch) => db.connection().execute(batch),
    begin: run('begin'),
    commit: run('commit'),
    rollback: run('rollback'),
    savepoint: run('savepoint calm_write'),
    release: run('release savepoint calm_write'),
    rollbackToSavepoint: run('rollback to savepoint calm_write'),
    // a failed statement leaves the transaction open (aborted until the savepoint is rolled back to)
    inTransaction: () => true,
  });
  const adapter: DialectAdapter & { pool: pg.Pool } = {
    name: 'postgres',
    rowLocks: true,
    db,
    pool,
    addIdColumn: (table) =>
      table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity()),
    appendOnlyGuards: (table) => [
      `CREATE OR REPLACE FUNCTION calm_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '% is append-only: add a correction instead', TG_TABLE_NAME; END $$`,
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
       FOR EACH ROW EXECUTE FUNCTION calm_append_only()`,
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
       FOR EACH STATEMENT EXECUTE FUNCTION calm_append_only()`,
    ],
    // No INSERT OR REPLACE in PostgreSQL: an insert never removes a row.
    replaceGuards: () => [],
    writeTransaction: (work) => writer.run(work),
    writePlanned: (write) => writer.runPlanned(write),
    isUniqueViolation: (error) => (error as { code?: string })?.code === UNIQUE_VIOLATION,
    // Kysely's migrator takes a lock table in PostgreSQL, so instances starting
    // together migrate once, in turn.
    migrate: () => migrateToLatest(adapter),
    close: () => db.destroy(),
  };
  return adapter;
}
