import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { entrySeq, epochMs, type IncidentId } from '../core/ids.js';
import { applyEntry, type IncidentState, replayTimeline } from '../core/incident/incident.js';
import type { TimelineEntry } from '../core/timeline/entry.js';
import { migrations } from './migrations/index.js';
import { openSqliteStore } from './open.js';
import { openSqliteAdapter } from './sqlite.js';
import { appendWithRetry, describeStoreContract } from './store.contract.js';
import type { IncidentStore } from './store.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'calm-sqlite-test-'));
}

describeStoreContract('sqlite', async () => {
  const dir = tempDir();
  const store = await openSqliteStore(path.join(dir, 'calm.db'));
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite store', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function tempFile(): string {
    const dir = tempDir();
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return path.join(dir, 'calm.db');
  }

  async function open(file: string): Promise<IncidentStore> {
    const store = await openSqliteStore(file);
    cleanups.push(() => store.close());
    return store;
  }

  function raw(file: string): BetterSqlite3.Database {
    const database = new BetterSqlite3(file);
    cleanups.push(() => {
      database.close();
    });
    return database;
  }

  async function declare(store: IncidentStore, title: string): Promise<IncidentState> {
    return store.createIncident((id) => {
      const entry: TimelineEntry = {
        incidentId: id,
        seq: entrySeq(1),
        occurredAt: epochMs(Date.UTC(2025, 0, 15, 14)),
        recordedAt: epochMs(Date.UTC(2025, 0, 15, 14)),
        author: 'alice',
        body: { kind: 'declared', title, summary: '', services: ['api'] },
      };
      return { entries: [entry], state: applyEntry(undefined, entry) };
    });
  }

  async function note(store: IncidentStore, id: IncidentId, text: string) {
    return appendWithRetry(store, id, [{ kind: 'note', text }]);
  }

  const migrationCount = () => Object.keys(migrations(openSqliteAdapter(':memory:'))).length;

  it('refuses UPDATE, DELETE and REPLACE on the timeline', async () => {
    const file = tempFile();
    const store = await open(file);
    const state = await declare(store, 'append-only');
    await note(store, state.id, 'the original words');
    const before = await store.listEntries(state.id);

    const database = raw(file);
    const rows = () => database.prepare('SELECT * FROM timeline_entries ORDER BY id').all();
    const rowsBefore = rows();
    expect(rowsBefore).toHaveLength(2);

    const attempts = [
      'UPDATE timeline_entries SET body = \'{"kind":"note","text":"rewritten"}\' WHERE seq = 2',
      'UPDATE timeline_entries SET seq = seq + 100',
      "UPDATE timeline_entries SET author = 'mallory' WHERE incident_id = 1",
      'DELETE FROM timeline_entries WHERE seq = 2',
      'DELETE FROM timeline_entries',
      // REPLACE deletes the colliding row without firing DELETE triggers.
      `INSERT OR REPLACE INTO timeline_entries (incident_id, seq, kind, occurred_at, recorded_at, author, body)
         VALUES (1, 2, 'note', 0, 0, 'mallory', '{"kind":"note","text":"rewritten"}')`,
      `REPLACE INTO timeline_entries (id, incident_id, seq, kind, occurred_at, recorded_at, author, body)
         VALUES (2, 1, 99, 'note', 0, 0, 'mallory', '{"kind":"note","text":"rewritten"}')`,
    ];
    for (const statement of attempts) {
      expect(() => database.prepare(statement).run(), statement).toThrow(/append-only/);
    }
    // Nor inside a transaction that would otherwise commit.
    expect(() =>
      database.transaction(() => {
        database.prepare("UPDATE incidents SET title = 'changed'").run();
        database.prepare('DELETE FROM timeline_entries WHERE seq = 2').run();
      })(),
    ).toThrow(/append-only/);

    expect(rows()).toEqual(rowsBefore);
    expect(database.prepare('SELECT title FROM incidents').pluck().get()).toBe('append-only');
    expect(await store.listEntries(state.id)).toEqual(before);
  });

  it('runs in WAL mode with foreign keys on and every commit synced', async () => {
    const file = tempFile();
    const adapter = openSqliteAdapter(file);
    cleanups.push(() => adapter.close());
    await adapter.migrate();
    const pragma = async (name: string) => {
      const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(
        adapter.db,
      );
      return rows[0]?.[name];
    };
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('synchronous')).toBe(2); // FULL
    // WAL mode is a property of the file: other connections see it too.
    expect(raw(file).pragma('journal_mode', { simple: true })).toBe('wal');
    // And foreign keys are enforced on the store's connection.
    await expect(
      sql`insert into timeline_entries (incident_id, seq, kind, occurred_at, recorded_at, author, body)
          values (424242, 1, 'note', 0, 0, 'alice', '{}')`.execute(adapter.db),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it('reopens a file cheaply, keeping its data and without migrating again', async () => {
    const file = tempFile();
    const first = await openSqliteStore(file);
    const state = await declare(first, 'survives a reopen');
    await note(first, state.id, 'still here');
    await first.setSetting('current_incident', String(state.id));
    await first.close();

    const database = raw(file);
    expect(database.pragma('user_version', { simple: true })).toBe(migrationCount());
    expect(database.prepare('SELECT count(*) FROM kysely_migration').pluck().get()).toBe(
      migrationCount(),
    );
    // Were the migrator to run again it would recreate its bookkeeping tables;
    // with them gone, a reopen that leaves them gone never ran it.
    database.exec('DROP TABLE kysely_migration; DROP TABLE kysely_migration_lock;');

    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const store = await openSqliteStore(file);
      timings.push(performance.now() - started);
      expect(await store.getIncident(state.id)).toMatchObject({ version: 2 });
      await store.close();
    }
    expect(
      database
        .prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'kysely_migration%'")
        .pluck()
        .get(),
    ).toBe(0);
    expect(database.pragma('user_version', { simple: true })).toBe(migrationCount());
    expect(Math.min(...timings)).toBeLessThan(50);

    const reopened = await open(file);
    const entries = await reopened.listEntries(state.id);
    expect(entries.map((entry) => entry.body)).toEqual([
      { kind: 'declared', title: 'survives a reopen', summary: '', services: ['api'] },
      { kind: 'note', text: 'still here' },
    ]);
    expect(await reopened.getIncident(state.id)).toEqual(replayTimeline(entries));
    expect(await reopened.getSetting('current_incident')).toBe(String(state.id));
    await note(reopened, state.id, 'written after the reopen');
    expect(await reopened.getIncident(state.id)).toMatchObject({ version: 3 });
  });

  it('lets two store instances on one file write at the same time', async () => {
    const file = tempFile();
    const a = await open(file);
    const b = await open(file);
    const state = await declare(a, 'two handles');
    const perStore = 20;
    const write = (store: IncidentStore, who: string) => async () => {
      for (let n = 1; n <= perStore; n++) await note(store, state.id, `${who} ${n}`);
    };
    await Promise.all([
      write(a, 'a')(),
      write(b, 'b')(),
      // Declarations and settings from both handles in between.
      (async () => {
        for (let n = 0; n < 5; n++) {
          await declare(n % 2 ? a : b, `side ${n}`);
          await (n % 2 ? b : a).setSetting('current_incident', String(n));
        }
      })(),
    ]);

    for (const store of [a, b]) {
      const entries = await store.listEntries(state.id);
      expect(entries.map((entry) => Number(entry.seq))).toEqual(
        Array.from({ length: 1 + 2 * perStore }, (_, i) => i + 1),
      );
      expect(await store.getIncident(state.id)).toEqual(replayTimeline(entries));
      expect(await store.listIncidents()).toHaveLength(6);
    }
  });

  it('lets two store instances in one process create and migrate a new file together', async () => {
    const file = tempFile();
    const [a, b] = await Promise.all([open(file), open(file)]);
    const [x, y] = await Promise.all([declare(a, 'from a'), declare(b, 'from b')]);
    expect(x.id).not.toBe(y.id);
    expect(await a.listIncidents()).toHaveLength(2);
    expect(raw(file).pragma('user_version', { simple: true })).toBe(migrationCount());
  });
});
