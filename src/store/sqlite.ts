import { closeSync, fdatasync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect } from 'kysely';
import type { DialectAdapter } from './dialect.js';
import { GroupCommit, mayRefuse, type PlannedStatement, type PlanOutcome } from './group-commit.js';
import { migrateToLatest, migrations } from './migrations/index.js';
import type { Database } from './schema.js';

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);
const isBusy = (error: unknown) => BUSY_CODES.has((error as { code?: string })?.code ?? '');
/** How long a writer waits for another to finish before giving up. */
const BUSY_TIMEOUT_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Switches the file to WAL mode. Two processes opening a brand-new file at
 * once make SQLite answer SQLITE_BUSY straight away, without waiting on the
 * busy timeout; so wait here (synchronously: opening is synchronous).
 */
function enableWal(database: BetterSqlite3.Database) {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20);
  }
}

/** More query texts than the store has shapes of query; `in (...)` lists of new lengths make more. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely sees it, keeping prepared statements by their SQL text.
 * Kysely prepares every query afresh: under load that was a tenth of the server's
 * time on a read, and an append prepares six. A statement can be run again with new
 * parameters; one still iterating (busy) is not shared, a fresh one is prepared instead.
 * The oldest text goes first when the cache is full: reordering on every hit cost
 * more than the rare texts it would have kept. PRAGMAs are never kept: SQLite runs
 * many of them while compiling, so a kept one would neither set nor read anything anew.
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(text) {
      if (/^\s*pragma\b/i.test(text)) return database.prepare(text);
      const cached = cache.get(text);
      if (cached) return cached.busy ? database.prepare(text) : cached;
      const statement = database.prepare(text);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(text, statement);
      return statement;
    },
  };
}

/**
 * Makes what was committed to the write-ahead log durable, off the main thread.
 * A batch commits with synchronous=NORMAL, which in WAL mode is FULL without the
 * fsync of the log after the commit (SQLite still syncs the log before each
 * checkpoint, and the log's header when it starts it again), and then
 * fdatasyncs the log itself, on libuv's thread pool, before anyone is answered:
 * the same durability as FULL, but the fsync no longer stops the event loop
 * (under 50 concurrent appends, the thread sat blocked in COMMIT for most of each
 * batch instead of reading and preparing the next requests). Fsync is per file,
 * so another descriptor of the log serves; the log is never deleted while this
 * handle is open. Reads of this handle wait for the fsync as they wait for the
 * batch, so none sees a change that is not durable yet; another process reading
 * in that window (well under a millisecond to a few ms) could.
 */
function walSyncer(path: string) {
  let fd: number | undefined;
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const fdatasyncOnce = () => {
    fd ??= openSync(`${path}-wal`, 'r');
    const file = fd;
    return new Promise<void>((resolve, reject) =>
      fdatasync(file, (error) => (error ? reject(error) : resolve())),
    );
  };
  return {
    /**
     * Resolves once an fdatasync that started after this call has finished. Callers
     * arriving while one runs share the one after it: batches commit faster than a
     * slow disk syncs, and each needs only some sync that began after its commit.
     */
    sync(): Promise<void> {
      if (path === ':memory:') return Promise.resolve();
      if (!running) {
        running = fdatasyncOnce().finally(() => {
          running = undefined;
        });
        return running;
      }
      next ??= running
        .catch(() => {})
        .then(() => {
          next = undefined;
          running = fdatasyncOnce().finally(() => {
            running = undefined;
          });
          return running;
        });
      return next;
    },
    /** Closes the log once the syncs under way have finished (writes are waiting on them). */
    async close() {
      await next?.catch(() => {});
      await running?.catch(() => {});
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * The embedded store: one SQLite file in WAL mode. Every commit is fsynced
 * (synchronous=FULL, or NORMAL and the log fsynced before answering: walSyncer),
 * so an entry Calm has acknowledged survives a crash of the process, and of the
 * machine. Writers from several processes queue on the busy timeout rather than fail.
 */
export function openSqliteAdapter(path: string): DialectAdapter {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
  enableWal(database);
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  // SQLite's own lower() folds ASCII only; the text filter promises case-insensitive words.
  database.function('lower', { deterministic: true }, (value: unknown) =>
    value === null ? null : String(value).toLowerCase(),
  );
  const cached = withStatementCache(database);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });

  // Prepared once, as exec() would compile it on every write. Not so the busy_timeout
  // pragmas: SQLite applies them when their statement is compiled, not when it runs.
  const begin = database.prepare('BEGIN IMMEDIATE');

  /**
   * Takes the write lock (BEGIN IMMEDIATE), waiting up to the busy timeout for
   * another writer to finish. SQLite's busy handler would wait by blocking the
   * thread, and so deadlock against a writer in this same process (another
   * handle on the file) that is paused between two statements of its
   * transaction; waiting here between tries lets that writer commit.
   */
  async function beginImmediate() {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      database.exec('PRAGMA busy_timeout = 0');
      try {
        begin.run();
        return;
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
      } finally {
        database.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
      await sleep(Math.min(2 ** attempt, 25) * (0.5 + Math.random()));
    }
  }

  function rollback() {
    // Some errors (SQLITE_FULL, SQLITE_IOERR) have already rolled the transaction back.
    if (database.inTransaction) database.exec('ROLLBACK');
  }

  // Prepared once each: a batch runs them around every write it holds.
  const statements = {
    commit: database.prepare('COMMIT'),
    savepoint: database.prepare('SAVEPOINT calm_write'),
    release: database.prepare('RELEASE calm_write'),
    rollbackTo: database.prepare('ROLLBACK TO calm_write'),
  };
  /**
   * A planned write's statements (an append), run straight on better-sqlite3: Kysely
   * and a promise per statement cost as much again as SQLite's own work did.
   * A savepoint lets a refused statement take back those of its write that ran
   * before it; SQLite takes back a failed statement's own changes by itself. So a
   * write whose only refusable statement comes first (the version check of a
   * plain append) runs without one: the savepoint's two statements more per write
   * were a twentieth of the server's CPU under 50 concurrent appends. If a statement
   * after the first fails all the same (a fault, not a refusal), the write is half
   * done and nothing can take that back alone: the whole batch is rolled back
   * (GroupCommit finds the transaction gone and fails every write in it).
   */
  function runPlanned(planned: PlannedStatement[]): PlanOutcome {
    const guarded = planned.some((statement, i) => i > 0 && mayRefuse(statement));
    if (guarded) statements.savepoint.run();
    /** Takes back what the write did: its savepoint, else (if it changed anything) the batch. */
    const undo = (changed: number) => {
      if (!database.inTransaction) return;
      if (guarded) {
        statements.rollbackTo.run();
        statements.release.run();
      } else if (changed > 0) rollback();
    };
    let changed = 0;
    try {
      for (const statement of planned) {
        const { query, expectRows } = statement;
        const { changes } = (cached.prepare(query.sql) as BetterSqlite3.Statement).run(
          query.parameters,
        );
        changed += changes;
        if (expectRows !== undefined && changes !== expectRows) {
          undo(changed);
          return { mismatch: statement };
        }
      }
      if (guarded) statements.release.run();
      return undefined;
    } catch (error) {
      undo(changed);
      throw error;
    }
  }

  const wal = walSyncer(path);
  const writer = new GroupCommit({
    runPlanned,
    // Holding Kysely's one connection keeps this handle's other queries out of the batch.
    withConnection: (batch) => db.connection().execute(batch),
    // BEGIN IMMEDIATE takes the write lock up front; a deferred BEGIN would fail
    // outright when it later tries to upgrade a read snapshot that another
    // process has written past.
    // synchronous may change only outside a transaction, and takes effect when its
    // PRAGMA is compiled (so exec() compiles it each time; pragma() costs 4-8 times
    // as much, reading back a result): NORMAL for the batch, FULL again for every
    // other write of this handle.
    begin: async () => {
      database.exec('PRAGMA synchronous = NORMAL');
      try {
        await beginImmediate();
      } catch (error) {
        database.exec('PRAGMA synchronous = FULL');
        throw error;
      }
    },
    commit: async () => {
      statements.commit.run();
      database.exec('PRAGMA synchronous = FULL');
    },
    durable: () => wal.sync(),
    rollback: async () => {
      rollback();
      database.exec('PRAGMA synchronous = FULL');
    },
    savepoint: async () => {
      statements.savepoint.run();
    },
    release: async () => {
      statements.release.run();
    },
    rollbackToSavepoint: async () => {
      statements.rollbackTo.run();
    },
    inTransaction: () => database.inTransaction,
  });

  const adapter: DialectAdapter = {
    name: 'sqlite',
    rowLocks: false,
    db,
    addIdColumn: (table) => table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
    appendOnlyGuards: (table) => [
      `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: add a correction instead'); END`,
      `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: add a correction instead'); END`,
    ],
    writeTransaction: (work) => writer.run(work),
    writePlanned: (write) => writer.runPlanned(write),
    replaceGuards: (table) => [
      `CREATE TRIGGER ${table}_no_replace BEFORE INSERT ON ${table} WHEN EXISTS (SELECT 1 FROM ${table} WHERE id = NEW.id OR (incident_id = NEW.incident_id AND seq = NEW.seq)) BEGIN SELECT RAISE(ABORT, '${table} is append-only: that entry number is already taken'); END`,
    ],
    isUniqueViolation: (error) => {
      const { code, message } = error as { code?: string; message?: string };
      return (
        /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(code ?? '') ||
        (code === 'SQLITE_CONSTRAINT_TRIGGER' && /already taken/.test(message ?? ''))
      );
    },
    async migrate() {
      // user_version caches how many migrations ran, so that a short command
      // (`calm log`) does not pay for the migrator's bookkeeping queries.
      const latest = Object.keys(migrations(adapter)).length;
      if (database.pragma('user_version', { simple: true }) === latest) return;
      // Kysely runs SQLite migrations outside any transaction and without a
      // lock, so two processes opening a new file would both create its tables
      // and one would fail. Migrate holding the write lock instead: whoever
      // comes second finds the work done, and a crash leaves no half-made schema.
      await beginImmediate();
      try {
        if (database.pragma('user_version', { simple: true }) !== latest) {
          await migrateToLatest(adapter);
          database.pragma(`user_version = ${latest}`);
        }
        database.exec('COMMIT');
      } catch (error) {
        rollback();
        throw error;
      }
    },
    close: async () => {
      await db.destroy();
      await wal.close();
    },
  };
  return adapter;
}
