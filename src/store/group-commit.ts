/**
 * Group commit: the writes queued while the database is busy share one
 * transaction and one commit, so one fsync makes a whole batch durable instead
 * of one write each (under 50 concurrent appends, two fsyncs per write held the
 * SQLite server to about 200 writes a second). Each write runs in a SAVEPOINT
 * of its own: one that fails is rolled back alone and gets its own error, the
 * others still commit. A write is answered only once the batch has committed,
 * so an acknowledged write is as durable as it was with a transaction each.
 * A write is code (Work, run with Kysely) or data (PlannedWrite, its statements:
 * SQLite runs those straight on better-sqlite3, without a promise per statement).
 */
import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** What a write may ask of the batch it runs in. */
export interface WriteScope {
  /**
   * Called, synchronously and before any later batch starts, if this write's
   * changes are rolled back after all (its savepoint, or the whole batch at
   * commit): for caches that ran ahead of the commit.
   */
  ifRolledBack(undo: () => void): void;
}

export type Work<T> = (trx: Kysely<Database>, scope: WriteScope) => Promise<T>;

/** One statement of a planned write, and how many rows it must change (else the write fails). */
export interface PlannedStatement {
  query: CompiledQuery;
  expectRows?: number;
  /** The write's error when the statement changed another number of rows than `expectRows`. */
  mismatch?(): Error;
  /** A constraint may refuse the statement in the normal run of things (a unique key). */
  refusable?: true;
}

/** Whether the statement may fail without anything being wrong: a count checked, a key refused. */
export const mayRefuse = (statement: PlannedStatement) =>
  statement.expectRows !== undefined || statement.refusable === true;

/**
 * A write given as data, the statements it runs in order, rather than as code:
 * an engine that can runs them directly (BatchEngine.runPlanned). An append to
 * an incident is one (sql-store.ts).
 */
export interface PlannedWrite {
  statements: PlannedStatement[];
  /**
   * The UPDATE that saves the state this write leaves, run before `statements`;
   * kept apart so that a batch writes each incident's state once (GroupCommit).
   */
  snapshot?: SnapshotWrite;
  /**
   * The write this one was built on (the state that one leaves), while it is not
   * yet known to be committed: if it is rolled back, this one fails with `stale()`
   * instead of running. Dropped once this write runs.
   */
  after?: PlannedWrite;
  stale(): Error;
  /** Set, before any later batch runs, once the write is rolled back or refused. */
  failed?: boolean;
}

/** The saving of an incident's state: one row, guarded by its version. */
export interface SnapshotWrite {
  /** The version the write is built on, and the one it leaves. */
  from: number;
  to: number;
  /** The UPDATE saving this write's state over the row, which must be at `expectedVersion`. */
  save(expectedVersion: number): PlannedStatement;
}

/**
 * What became of a planned write the engine ran itself (BatchEngine.runPlanned):
 * undefined when it ran, else the statement that changed another number of rows
 * than it had to (its savepoint rolled back).
 */
export type PlanOutcome = undefined | { mismatch: PlannedStatement };

/** The engine's side: a connection held for a batch, and the statements around it. */
export interface BatchEngine {
  /** Runs `batch` on one connection held throughout (no other query of this handle runs in it). */
  withConnection<T>(batch: (connection: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Opens the transaction holding the write lock (SQLite: BEGIN IMMEDIATE). */
  begin(connection: Kysely<Database>): Promise<void>;
  commit(connection: Kysely<Database>): Promise<void>;
  /**
   * Makes what has been committed durable, when commit() alone does not (SQLite
   * commits with synchronous=NORMAL and then fsyncs its log): a batch is answered
   * once this settles, and the next batch runs meanwhile.
   */
  durable?(): Promise<void>;
  /** Ends the transaction if it is still open, and undoes what begin() set. */
  rollback(connection: Kysely<Database>): Promise<void>;
  savepoint(connection: Kysely<Database>): Promise<void>;
  release(connection: Kysely<Database>): Promise<void>;
  rollbackToSavepoint(connection: Kysely<Database>): Promise<void>;
  /**
   * Whether the transaction survived a failed statement. SQLite ends it
   * outright on some errors (SQLITE_FULL, SQLITE_IOERR): then the whole batch is lost.
   */
  inTransaction(): boolean;
  /**
   * Runs a planned write's statements synchronously on the batch's connection, when
   * the engine can (SQLite: better-sqlite3 is synchronous); else they go through
   * Kysely one by one, in a savepoint. A failed statement throws, a mismatch is
   * answered; either way the write's changes are taken back, or the transaction
   * ended (inTransaction) when they cannot be alone.
   */
  runPlanned?(statements: PlannedStatement[]): PlanOutcome;
}

/** A write waiting for its batch: given as code (work) or as data (plan). */
type Job = ({ work: Work<unknown>; plan?: undefined } | { plan: PlannedWrite }) & {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  undos: (() => void)[];
};

/** Runs statements in order through Kysely, each checked against the rows it must change. */
export async function runStatements(trx: Kysely<Database>, statements: PlannedStatement[]) {
  for (const statement of statements) {
    const result = await trx.executeQuery(statement.query);
    if (
      statement.expectRows !== undefined &&
      Number(result.numAffectedRows ?? 0) !== statement.expectRows
    )
      throw mismatchError(statement);
  }
}

/** How a write in a batch went: `lost` when its failure ended the batch's transaction. */
type Outcome = { result: unknown } | { error: unknown; lost?: boolean };

/**
 * The state a planned write left that the batch has not saved yet: the write
 * whose state it is, and the version the incident's row has in the batch's
 * transaction (the version the first write of the chain saved).
 */
interface Unsaved {
  latest: PlannedWrite & { snapshot: SnapshotWrite };
  stored: number;
}

const mismatchError = (statement: PlannedStatement) =>
  statement.mismatch?.() ??
  new Error(`expected ${statement.expectRows} rows changed by: ${statement.query.sql}`);

/**
 * Bounds a batch's time holding the write lock (reads on SQLite wait for it too);
 * more writes than this simply go in the next batch.
 */
const MAX_BATCH = 128;

const nextTurnOfTheLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * How many promise callbacks a batch waits through, once its queue is empty, for a
 * write that was waiting on one of its own (the next change to the same incident is
 * built and queued within a few dozen) before it commits.
 */
const CHAINED_WRITE_TICKS = 64;

/** One writer per database handle: batches run one after another, in the order asked. */
export class GroupCommit {
  readonly #queue: Job[] = [];
  #draining = false;

  constructor(private readonly engine: BatchEngine) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        work: work as Work<unknown>,
        resolve: resolve as never,
        reject,
        undos: [],
      });
      if (!this.#draining) void this.#drain();
    });
  }

  /**
   * Queues a planned write, in order with every other write of this handle
   * (synchronously: a write built on it may be queued straight after).
   */
  runPlanned(plan: PlannedWrite): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({
        plan,
        resolve: resolve as never,
        reject,
        undos: [],
      });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain() {
    this.#draining = true;
    try {
      while (this.#queue.length) {
        // Requests that have just arrived join this batch: gathered before it takes the
        // write lock, so that the lock is never held across a turn of the event loop
        // (another handle on the file in this process would block the thread on it).
        await nextTurnOfTheLoop();
        await this.engine.withConnection((c) => this.#batch(c));
      }
    } catch (error) {
      // the connection could not be had at all: nothing queued can be written
      for (const job of this.#queue.splice(0)) job.reject(error);
    } finally {
      this.#draining = false;
    }
  }

  async #batch(connection: Kysely<Database>) {
    const { engine } = this;
    try {
      await engine.begin(connection);
    } catch (error) {
      for (const job of this.#queue.splice(0)) job.reject(error);
      return;
    }
    const done: { job: Job; result: unknown }[] = [];
    // Settled when the batch ends, so that a writer that failed (a version conflict)
    // and tries again reads what this batch committed, not the state before it.
    const failed: { job: Job; error: unknown }[] = [];
    const unsaved = new Map<PlannedWrite, Unsaved>();
    const undo = (jobs: Job[]) => {
      for (const job of jobs) for (const step of job.undos.reverse()) step();
    };
    const lose = (error: unknown) => {
      undo(done.map((d) => d.job));
      for (const { job } of done) job.reject(error);
      for (const { job, error: own } of failed) job.reject(own);
    };
    try {
      while (done.length + failed.length < MAX_BATCH) {
        // Writes that were waiting on this batch's earlier ones (the next change to
        // the same incident) join it.
        for (let tick = 0; !this.#queue.length && tick < CHAINED_WRITE_TICKS; tick++)
          await Promise.resolve();
        const job = this.#queue.shift();
        if (!job) break;
        // code may read the incidents' rows: it finds every state this batch made
        if (!job.plan) await this.#saveStates(connection, unsaved);
        const outcome = job.plan
          ? await this.#runPlanned(connection, job, job.plan, unsaved)
          : await this.#inSavepoint(connection, job, job.work);
        if ('result' in outcome) done.push({ job, result: outcome.result });
        else {
          failed.push({ job, error: outcome.error });
          if (outcome.lost) throw outcome.error;
        }
      }
      await this.#saveStates(connection, unsaved);
      await engine.commit(connection);
    } catch (error) {
      await engine.rollback(connection).catch(() => {});
      lose(error);
      return;
    }
    for (const { job, error } of failed) job.reject(error);
    const durable = engine.durable?.();
    if (!durable) {
      for (const { job, result } of done) job.resolve(result);
      return;
    }
    // Not awaited: the next batch takes the write lock while this one's log is
    // being fsynced (off the event loop), instead of the server idling through it.
    // A failed fsync rejects the batch's writes, but undoes nothing: they are
    // committed, and what the caches hold is what the database holds.
    durable.then(
      () => {
        for (const { job, result } of done) job.resolve(result);
      },
      (error: unknown) => {
        for (const { job } of done) job.reject(error);
      },
    );
  }

  /** Runs `work` in a savepoint of its own: one that fails is rolled back alone. */
  async #inSavepoint(
    connection: Kysely<Database>,
    job: Job,
    work: Work<unknown>,
  ): Promise<Outcome> {
    const { engine } = this;
    await engine.savepoint(connection);
    try {
      const result = await work(connection, { ifRolledBack: (step) => job.undos.push(step) });
      await engine.release(connection);
      return { result };
    } catch (error) {
      for (const step of job.undos.splice(0).reverse()) step();
      if (!engine.inTransaction()) return { error, lost: true };
      await engine.rollbackToSavepoint(connection);
      await engine.release(connection);
      return { error };
    }
  }

  /**
   * A planned write: refused if the write it was built on failed; else its
   * statements run, on SQLite synchronously (no promise per statement). When the
   * write it was built on ran earlier in this batch and its state is not saved yet,
   * this write's state replaces it unsaved: under 50 concurrent appends to one
   * incident, a batch saved the incident's whole state (its largest row) once per
   * append. The chain's first write checked the version and holds the row (and its
   * lock, on PostgreSQL); #saveStates saves the chain's last state before any code
   * runs and before the commit.
   */
  async #runPlanned(
    connection: Kysely<Database>,
    job: Job,
    plan: PlannedWrite,
    unsaved: Map<PlannedWrite, Unsaved>,
  ): Promise<Outcome> {
    const after = plan.after;
    plan.after = undefined;
    const fail = (error: unknown, lost = false) => {
      plan.failed = true;
      return { error, lost };
    };
    if (after?.failed) return fail(plan.stale());
    const { snapshot } = plan;
    const found = after && snapshot && unsaved.get(after);
    const chain = found && found.latest.snapshot.to === snapshot.from ? found : undefined;
    const statements =
      chain || !snapshot ? plan.statements : [snapshot.save(snapshot.from), ...plan.statements];
    const { runPlanned } = this.engine;
    if (runPlanned) {
      let error: unknown;
      try {
        const outcome = runPlanned(statements);
        if (outcome) error = mismatchError(outcome.mismatch);
      } catch (thrown) {
        error = thrown;
      }
      // without a transaction (a fault, or a write the engine could not take back alone) the batch is lost
      if (error !== undefined) return fail(error, !this.engine.inTransaction());
      job.undos.push(() => {
        plan.failed = true;
      });
    } else {
      const outcome = await this.#inSavepoint(connection, job, async (trx, scope) => {
        scope.ifRolledBack(() => {
          plan.failed = true;
        });
        await runStatements(trx, statements);
      });
      if ('error' in outcome) return fail(outcome.error, outcome.lost);
    }
    if (snapshot) {
      if (chain && after) unsaved.delete(after);
      unsaved.set(plan, {
        latest: plan as PlannedWrite & { snapshot: SnapshotWrite },
        stored: chain ? chain.stored : snapshot.to,
      });
    }
    return { result: undefined };
  }

  /** Saves each chain's last state over the one its first write saved (a mismatch loses the batch). */
  async #saveStates(connection: Kysely<Database>, unsaved: Map<PlannedWrite, Unsaved>) {
    for (const { latest, stored } of unsaved.values()) {
      if (latest.snapshot.to === stored) continue;
      const statement = latest.snapshot.save(stored);
      if (!this.engine.runPlanned) await runStatements(connection, [statement]);
      else {
        const outcome = this.engine.runPlanned([statement]);
        if (outcome) throw mismatchError(outcome.mismatch);
      }
    }
    unsaved.clear();
  }
}
