/**
 * Group commit and the per-incident order of writes, on real SQLite and
 * PostgreSQL: writes queued together share one transaction, a failing one is
 * rolled back alone, every change carries its audit line, and a writer
 * elsewhere on the same database is still caught by the version check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type IncidentId, incidentId } from '../core/ids.js';
import { applyEntry, type IncidentState, replayTimeline } from '../core/incident/incident.js';
import { declared, entry, note } from '../core/testing/builders.js';
import type { EntryBody } from '../core/timeline/entry.js';
import { AccountStore, type AuditRecord } from './account-store.js';
import type { DialectAdapter } from './dialect.js';
import { openPostgresAdapter } from './postgres.js';
import { freshPostgresSchema } from './postgres.testing.js';
import { SqlIncidentStore } from './sql-store.js';
import { openSqliteAdapter } from './sqlite.js';
import { AlreadyRecordedError, VersionConflictError, type WriteOptions } from './store.js';

const ENGINES = ['sqlite', 'postgres'] as const;

/** Opens an adapter on a fresh database; `again()` opens another on the same one (another instance). */
async function openDatabase(engine: (typeof ENGINES)[number]) {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'calm-group-commit-'));
    const open = () => openSqliteAdapter(join(dir, 'calm.db'));
    return { open, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = await freshPostgresSchema(inject('pgUrl'));
  return { open: () => openPostgresAdapter(schema.url), cleanup: schema.drop };
}

const audited = (action: string) => (state: IncidentState, entries: { seq: number }[]) =>
  ({
    at: 1,
    actor: 'ana',
    action,
    target: state.key,
    sourceIp: '127.0.0.1',
    detail: { entries: entries.map((e) => e.seq) },
  }) satisfies AuditRecord;

/** A change that adds one note after the state it is given. */
const addNote =
  (text: string, options: WriteOptions = {}) =>
  (state: IncidentState) => {
    const body: EntryBody = { ...note(text) };
    const added = entry(state.version + 1, body, { incident: state.id });
    return { entries: [added], next: applyEntry(state, added), options };
  };

describe.each(ENGINES)('group commit on %s', (engine) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function open() {
    const database = await openDatabase(engine);
    cleanups.push(database.cleanup);
    const instance = async () => {
      const adapter: DialectAdapter = database.open();
      await adapter.migrate();
      cleanups.push(() => adapter.close());
      return {
        adapter,
        incidents: new SqlIncidentStore(adapter),
        accounts: new AccountStore(adapter),
      };
    };
    return { instance };
  }

  /** Adds a trigger to the test's database, written for its engine. */
  async function installTrigger(
    adapter: DialectAdapter,
    trigger: { sqlite: string; postgres: string[] },
  ) {
    for (const text of engine === 'sqlite' ? [trigger.sqlite] : trigger.postgres)
      await sql.raw(text).execute(adapter.db);
  }

  async function declareIn(store: SqlIncidentStore): Promise<IncidentId> {
    const state = await store.createIncident((id) => {
      const entries = [entry(1, declared({ title: 'checkout down' }), { incident: id })];
      const made = replayTimeline(entries);
      if (!made) throw new Error('a declaration makes an incident');
      return { entries, state: made };
    });
    return state.id;
  }

  it('commits writes queued together, rolling back only the one that failed', async () => {
    const { adapter } = await (await open()).instance();
    const put = (key: string, fail = false) =>
      adapter.writeTransaction(async (trx) => {
        await trx.insertInto('settings').values({ key, value: 'v' }).execute();
        if (fail) throw new Error(`${key} refused`);
        if (engine !== 'postgres') return undefined;
        // the transaction each write ran in: one for the whole batch
        const { rows } = await sql<{ id: string }>`select txid_current() as id`.execute(trx);
        return rows[0]?.id;
      });
    const results = await Promise.allSettled([put('a'), put('b', true), put('c'), put('d')]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('b refused');
    if (engine === 'postgres') {
      const ids = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
      expect(new Set(ids).size).toBe(1);
    }
    const keys = await adapter.db.selectFrom('settings').select('key').orderBy('key').execute();
    expect(keys.map((row) => row.key)).toEqual(['a', 'c', 'd']);
  });

  // SQLite only: PostgreSQL has no such setting per handle
  if (engine === 'sqlite')
    it('leaves the handle at synchronous=FULL between batches, for the writes made outside them', async () => {
      const { adapter } = await (await open()).instance();
      const level = async () =>
        (await sql<{ synchronous: number }>`pragma synchronous`.execute(adapter.db)).rows[0]
          ?.synchronous;
      expect(await level()).toBe(2);
      await adapter.writeTransaction(async (trx) => {
        await trx.insertInto('settings').values({ key: 'k', value: 'v' }).execute();
      });
      await expect(
        adapter.writeTransaction(async () => {
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(await level()).toBe(2);
    });

  it('takes back what a write kept when its savepoint is rolled back', async () => {
    const { adapter } = await (await open()).instance();
    const kept: string[] = [];
    const write = (key: string, fail: boolean) =>
      adapter.writeTransaction(async (trx, scope) => {
        kept.push(key);
        scope.ifRolledBack(() => kept.splice(kept.indexOf(key), 1));
        await trx.insertInto('settings').values({ key, value: 'v' }).execute();
        if (fail) throw new Error('no');
      });
    await Promise.allSettled([write('a', false), write('b', true), write('c', false)]);
    expect(kept).toEqual(['a', 'c']);
  });

  it('runs concurrent changes to one incident in order, each on the state the one before left, with its audit line', async () => {
    const { incidents, adapter } = await (await open()).instance();
    const id = await declareIn(incidents);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        incidents.changeIncident(id, addNote(`note ${i}`, { audit: audited('timeline.log') })),
      ),
    );
    expect(results.map((r) => r?.entries[0]?.seq)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 2),
    );
    const stored = await incidents.getIncident(id);
    expect(stored?.version).toBe(41);
    expect(stored?.logged).toBe(40);
    const audit = await adapter.db.selectFrom('audit_log').select('detail').execute();
    const seqs = audit.flatMap((row) => (JSON.parse(row.detail) as { entries: number[] }).entries);
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
  });

  it('saves the state of changes queued together once, not once each, and code in the batch reads the latest', async () => {
    const { incidents, adapter } = await (await open()).instance();
    const id = await declareIn(incidents);
    // every save of an incident's row leaves a line in settings
    await installTrigger(adapter, {
      sqlite: `CREATE TRIGGER count_saves AFTER UPDATE ON incidents BEGIN INSERT INTO settings (key, value) VALUES ('saved ' || NEW.version, NEW.version); END`,
      postgres: [
        `CREATE FUNCTION count_saves() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO settings (key, value) VALUES ('saved ' || NEW.version, NEW.version::text); RETURN NEW; END $$`,
        'CREATE TRIGGER count_saves AFTER UPDATE ON incidents FOR EACH ROW EXECUTE FUNCTION count_saves()',
      ],
    });
    // code queued amid the changes (from the fifth's build, so after the fourth's write)
    // reads the incident's row and its log in the batch's transaction
    let probe: Promise<{ version: number; logged: number }> | undefined;
    const readBoth = () =>
      adapter.writeTransaction(async (trx) => {
        const row = await trx
          .selectFrom('incidents')
          .select('version')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        const { n } = await trx
          .selectFrom('timeline_entries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('incident_id', '=', id)
          .executeTakeFirstOrThrow();
        return { version: Number(row.version), logged: Number(n) };
      });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        incidents.changeIncident(id, (state) => {
          if (i === 4) probe = readBoth();
          return addNote(`note ${i}`)(state);
        }),
      ),
    );
    expect(results.map((r) => r?.entries[0]?.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    );
    const seen = await probe;
    expect(seen?.version).toBe(seen?.logged);
    const saves = await adapter.db
      .selectFrom('settings')
      .select('value')
      .where('key', 'like', 'saved %')
      .execute();
    expect(saves.length).toBeLessThan(10);
    expect(saves.map((row) => Number(row.value))).toContain(21);
    const entries = await incidents.listEntries(id);
    expect(await incidents.getIncident(id)).toEqual(replayTimeline(entries));
  });

  it('never commits half a write: one that faults after its first statement leaves nothing of itself, and the log and snapshot agree', async () => {
    const { incidents, adapter } = await (await open()).instance();
    const id = await declareIn(incidents);
    // a fault in a write's last statement (its audit line), after its entry was inserted
    await installTrigger(adapter, {
      sqlite: `CREATE TRIGGER audit_fault BEFORE INSERT ON audit_log WHEN NEW.action = 'fault' BEGIN SELECT RAISE(ABORT, 'audit line refused'); END`,
      postgres: [
        `CREATE FUNCTION audit_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.action = 'fault' THEN RAISE EXCEPTION 'audit line refused'; END IF; RETURN NEW; END $$`,
        'CREATE TRIGGER audit_fault BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_fault()',
      ],
    });
    const texts = ['before', 'faulty', 'after'];
    const results = await Promise.allSettled(
      texts.map((text) =>
        incidents.changeIncident(
          id,
          addNote(text, { audit: audited(text === 'faulty' ? 'fault' : 'timeline.log') }),
        ),
      ),
    );
    expect(results[1]?.status).toBe('rejected');
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('audit line refused');
    // (on SQLite the fault takes its batch with it; on PostgreSQL its savepoint alone)
    const written = texts.filter((_, i) => results[i]?.status === 'fulfilled');
    const entries = await incidents.listEntries(id);
    expect(entries.slice(1).map((e) => (e.body as { text: string }).text)).toEqual(written);
    expect(await incidents.getIncident(id)).toEqual(replayTimeline(entries));
    const audit = await adapter.db.selectFrom('audit_log').select('id').execute();
    expect(audit).toHaveLength(written.length);
    // and the next change builds on what is stored
    const again = await incidents.changeIncident(id, addNote('again'));
    expect(again?.entries[0]?.seq).toBe(entries.length + 1);
  });

  it('refuses a change whose idempotency key an earlier one used (committed or not), writing neither its entries nor its audit line', async () => {
    const { incidents, adapter } = await (await open()).instance();
    const id = await declareIn(incidents);
    const keyed: WriteOptions = {
      idempotency: { scope: 'user:1', key: 'retry-me', at: 1 as never },
      audit: audited('timeline.log'),
    };
    const results = await Promise.allSettled([
      incidents.changeIncident(id, addNote('first', keyed)),
      incidents.changeIncident(id, addNote('other', { audit: audited('timeline.log') })),
      incidents.changeIncident(id, addNote('retry', keyed)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(AlreadyRecordedError);
    const texts = (await incidents.listEntries(id))
      .slice(1)
      .map((e) => (e.body as { text: string }).text);
    expect(texts).toEqual(['first', 'other']);
    const audit = await adapter.db.selectFrom('audit_log').select('id').execute();
    expect(audit).toHaveLength(2);
  });

  it('refuses as conflicts the changes built on one that failed, and keeps the snapshot true to the log', async () => {
    const { incidents } = await (await open()).instance();
    const id = await declareIn(incidents);
    const keyed: WriteOptions = { idempotency: { scope: 'user:1', key: 'once', at: 1 as never } };
    await incidents.changeIncident(id, addNote('first', keyed));
    // queued together: the retry fails at its key, and the two built on its state after it
    const results = await Promise.allSettled([
      incidents.changeIncident(id, addNote('retry', keyed)),
      incidents.changeIncident(id, addNote('on the retry')),
      incidents.changeIncident(id, addNote('on that one')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const [retry, ...built] = results as PromiseRejectedResult[];
    expect(retry?.reason).toBeInstanceOf(AlreadyRecordedError);
    for (const r of built) expect(r.reason).toBeInstanceOf(VersionConflictError);
    // built again from the database, the next change follows the log as stored
    const again = await incidents.changeIncident(id, addNote('built again'));
    expect(again?.entries[0]?.seq).toBe(3);
    const entries = await incidents.listEntries(id);
    expect(entries.map((e) => (e.body as { text?: string }).text)).toEqual([
      undefined,
      'first',
      'built again',
    ]);
    expect(await incidents.getIncident(id)).toEqual(replayTimeline(entries));
  });

  it('catches a write another instance made, and builds again on it', async () => {
    const db = await open();
    const [here, there] = [await db.instance(), await db.instance()];
    const id = await declareIn(here.incidents);
    await here.incidents.changeIncident(id, addNote('here, kept in memory'));
    // another instance appends behind this one's back
    const fresh = await there.incidents.getIncident(id);
    if (!fresh) throw new Error('no incident');
    const { entries, next } = addNote('there')(fresh);
    await there.incidents.appendEntries(fresh.version, entries, next);
    await expect(here.incidents.changeIncident(id, addNote('stale'))).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    const result = await here.incidents.changeIncident(id, addNote('built again'));
    expect(result?.entries[0]?.seq).toBe(4);
    const texts = (await there.incidents.listEntries(id))
      .slice(1)
      .map((e) => (e.body as { text: string }).text);
    expect(texts).toEqual(['here, kept in memory', 'there', 'built again']);
    expect((await there.incidents.getIncident(id))?.version).toBe(4);
  });

  it('answers undefined for an incident that does not exist, writing nothing', async () => {
    const { incidents } = await (await open()).instance();
    expect(await incidents.changeIncident(incidentId(99), addNote('x'))).toBeUndefined();
  });

  it('refuses a revoked token at once on the instance that revoked it, and within 2 s on another', async () => {
    const db = await open();
    const [here, there] = [await db.instance(), await db.instance()];
    const user = await here.accounts.createUser('ana', 'hash', 'responder', 1);
    for (const token of ['calm_one', 'calm_two'])
      await here.accounts.createToken(user.id, token, token, 'write', 1);
    const tokens = await here.accounts.listTokens(user.id);
    const idOf = (name: string) => tokens.find((t) => t.name === name)?.id ?? -1;
    // both instances have looked both tokens up (and keep them)
    for (const store of [here.accounts, there.accounts])
      for (const token of ['calm_one', 'calm_two'])
        expect((await store.tokenOwner(token))?.account.name).toBe('ana');

    expect(await here.accounts.revokeToken(user.id, idOf('calm_one'), 2)).toBe(true);
    expect(await here.accounts.tokenOwner('calm_one')).toBeUndefined();

    expect(await here.accounts.revokeToken(user.id, idOf('calm_two'), 2)).toBe(true);
    expect(await here.accounts.tokenOwner('calm_two')).toBeUndefined();
    const deadline = Date.now() + 2_500;
    while ((await there.accounts.tokenOwner('calm_two')) !== undefined) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
