import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { DialectAdapter } from './dialect.js';
import { migrateToLatest, migrations } from './migrations/index.js';
import type { Database } from './schema.js';

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);
const isBusy = (error: unknown) => BUSY_CODES.has((error as { code?: string })?.code ?? '');

/**
 * The embedded store: one SQLite file in WAL mode. Every commit is fsynced
 * (synchronous=FULL), so an entry Calm has acknowledged survives a crash of
 * the process, and of the machine. Writers from several processes queue on
 * the busy timeout rather than fail.
 */
export function openSqliteAdapter(path: string): DialectAdapter {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path, { timeout: 15_000 });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });

  const adapter: DialectAdapter = {
    name: 'sqlite',
    db,
    addIdColumn: (table) => table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
    appendOnlyGuards: (table) => [
      `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: add a correction instead'); END`,
      `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: add a correction instead'); END`,
    ],
    writeTransaction: (work) =>
      db.connection().execute(async (connection) => {
        // BEGIN IMMEDIATE takes the write lock up front (waiting on the busy
        // timeout); a deferred BEGIN would fail outright when it later tries to
        // upgrade a read snapshot that another process has written past.
        await sql`begin immediate`.execute(connection);
        try {
          const result = await work(connection);
          await sql`commit`.execute(connection);
          return result;
        } catch (error) {
          await sql`rollback`.execute(connection);
          throw error;
        }
      }),
    isUniqueViolation: (error) =>
      /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test((error as { code?: string })?.code ?? ''),
    async migrate() {
      // user_version caches how many migrations ran, so that a short command
      // (`calm log`) does not pay for the migrator's bookkeeping queries.
      const latest = Object.keys(migrations(adapter)).length;
      if (database.pragma('user_version', { simple: true }) === latest) return;
      for (let attempt = 0; ; attempt++) {
        try {
          await migrateToLatest(adapter);
          break;
        } catch (error) {
          // Another process is migrating the same file; its work will be ours.
          if (!isBusy(error) || attempt >= 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
        }
      }
      database.pragma(`user_version = ${latest}`);
    },
    close: () => db.destroy(),
  };
  return adapter;
}
