import type { CreateTableBuilder, Kysely } from 'kysely';
import type { PlannedWrite, Work } from './group-commit.js';
import type { Database } from './schema.js';

/**
 * Everything that differs between SQL engines, in one small interface (as
 * Kysely does with its dialects): the store itself is written once against it.
 */
export interface DialectAdapter {
  readonly name: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  /**
   * Whether SELECT ... FOR UPDATE SKIP LOCKED exists: writers that claim rows
   * then pass over each other's. Without it (SQLite) a write transaction
   * holds the whole database, which serializes claims just as well.
   */
  readonly rowLocks: boolean;
  /** Adds an auto-numbered integer primary key `id`. */
  addIdColumn<T extends string, C extends string>(
    table: CreateTableBuilder<T, C>,
  ): CreateTableBuilder<T, C>;
  /** Statements that make a table refuse UPDATE and DELETE. */
  appendOnlyGuards(table: string): string[];
  /** Statements that stop an insert from replacing a row (engines with REPLACE semantics). */
  replaceGuards(table: string): string[];
  /**
   * Runs `work` in a transaction that holds the write lock from its start, so
   * concurrent writers queue instead of failing half-way. Writes queued together
   * share one transaction and one commit (group-commit.ts), each in a savepoint
   * of its own; the promise settles once the write is committed, or rolled back.
   * `work` must use `trx` only: a query on `db`, or another writeTransaction, would
   * wait for the batch that is waiting for it.
   */
  writeTransaction<T>(work: Work<T>): Promise<T>;
  /**
   * Queues a write given as its statements (synchronously, in order with the
   * writes queued before it), to commit as writeTransaction's do. SQLite runs
   * them straight on better-sqlite3 (BatchEngine.runPlanned).
   */
  writePlanned(write: PlannedWrite): Promise<void>;
  isUniqueViolation(error: unknown): boolean;
  /** Brings the schema up to date; cheap when it already is. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}
