/**
 * kill -9 in the middle of a write load, then a restart on the same store:
 * whatever the server acknowledged (2xx) must be there, with its text, on
 * SQLite (the same data folder) and on PostgreSQL. A write whose answer was
 * lost with the connection may or may not be there, but only once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killServers, startServer } from '../support/server-process.js';
import { type Engine, makeServerStore, type ServerStore } from '../support/server-store.js';
import { declareIncident, postNote, readNotes } from '../support/timeline-client.js';
import { startWriteLoad } from '../support/write-load.js';

const ENGINES: Engine[] = ['sqlite', 'postgres'];

describe.each(ENGINES)('calm serve killed with SIGKILL on %s', (engine) => {
  let store: ServerStore | undefined;
  afterEach(async () => {
    await killServers();
    await store?.cleanup();
    store = undefined;
  });

  it('keeps every acknowledged note across the crash, and serves again', async () => {
    store = await makeServerStore(engine);
    const token = await store.addAccount('ana');
    const server = await startServer(store.env);
    const { key } = await declareIncident(server.url, token);

    const load = startWriteLoad({ urls: [server.url], token, key, writers: 5 });
    // a different moment each run: somewhere after the first 20 to 80 acknowledgements
    const killAfter = 20 + Math.floor(Math.random() * 60);
    await load.acknowledgedAtLeast(killAfter);
    server.signal('SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await load.done;
    const acknowledged = [...load.acknowledged];
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);

    const restarted = await startServer(store.env);
    const stored = await readNotes(restarted.url, token, key);
    const context = `killed after ${killAfter} acknowledgements`;
    expect(new Set(stored).size, `${context}: a note stored twice`).toBe(stored.length);
    expect(
      acknowledged.filter((text) => !stored.includes(text)),
      context,
    ).toEqual([]);
    const mayBeStored = new Set([...acknowledged, ...load.unknown]);
    expect(
      stored.filter((text) => !mayBeStored.has(text)),
      context,
    ).toEqual([]);

    expect(await postNote(restarted.url, token, key, 'after the crash')).toBe(201);
    expect((await readNotes(restarted.url, token, key)).at(-1)).toBe('after the crash');
  });
});
