import { sql } from 'kysely';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { replayTimeline } from '../core/incident/incident.js';
import { declared, entry, note } from '../core/testing/builders.js';
import { openPostgresStore } from './open.js';
import { openPostgresAdapter } from './postgres.js';
import { freshPostgresSchema } from './postgres.testing.js';
import { appendWithRetry, describeStoreContract } from './store.contract.js';
import type { IncidentStore } from './store.js';

const baseUrl = inject('pgUrl');

/** Declares an incident through the store, as the app layer does. */
function declare(store: IncidentStore, title: string) {
  return store.createIncident((id) => {
    const entries = [entry(1, declared({ title }), { incident: id })];
    const state = replayTimeline(entries);
    if (!state) throw new Error('a declaration always makes an incident');
    return { entries, state };
  });
}

describeStoreContract('postgres', async () => {
  const schema = await freshPostgresSchema(baseUrl);
  const store = await openPostgresStore(schema.url);
  return {
    store,
    async cleanup() {
      await store.close();
      await schema.drop();
    },
  };
});

describe('PostgreSQL store', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function fresh() {
    const schema = await freshPostgresSchema(baseUrl);
    cleanups.push(schema.drop);
    return schema.url;
  }

  it('refuses to change or delete a timeline entry, even in plain SQL', async () => {
    const url = await fresh();
    const store = await openPostgresStore(url);
    await declare(store, 'checkout down');
    await store.close();
    const adapter = openPostgresAdapter(url);
    cleanups.push(() => adapter.close());
    await expect(
      sql`update timeline_entries set author = 'eve'`.execute(adapter.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from timeline_entries`.execute(adapter.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`truncate timeline_entries cascade`.execute(adapter.db)).rejects.toThrow(
      /append-only/,
    );
  });

  it('migrates once when several instances start together', async () => {
    const url = await fresh();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(url)));
    for (const store of stores) cleanups.push(() => store.close());
    const [first] = stores;
    if (!first) throw new Error('no store');
    const created = await declare(first, 'db slow');
    // Two instances appending to one incident at once: every note lands once.
    await Promise.all(
      stores.flatMap((store, i) =>
        [0, 1, 2].map((n) => appendWithRetry(store, created.id, [note(`note ${i}.${n}`)])),
      ),
    );
    const entries = await first.listEntries(created.id);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.filter((e) => e.body.kind === 'note')).toHaveLength(12);
  });

  it('says which database it cannot open, without the password', async () => {
    await expect(openPostgresStore('postgres://calm:s3cret@127.0.0.1:1/calm')).rejects.toThrow(
      /^cannot open the PostgreSQL database at postgres:\/\/calm:\*\*\*@127\.0\.0\.1:1\/calm: .*check CALM_DATABASE_URL$/,
    );
  });
});
