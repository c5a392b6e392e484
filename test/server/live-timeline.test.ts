/**
 * The live timeline over real sockets: one server on SQLite, then two server
 * processes sharing one PostgreSQL schema, where a client of either must see
 * every entry written through either, once each and in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killServers, startServer } from '../support/server-process.js';
import { makeServerStore, type ServerStore } from '../support/server-store.js';
import { declareIncident, postNote, readNotes } from '../support/timeline-client.js';
import { followTimeline, type TimelineStream } from '../support/timeline-stream.js';
import { startWriteLoad } from '../support/write-load.js';

/** 1, 2, ... n: every entry of the incident, each once, in order. */
const firstSeqs = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const seqsOf = (stream: TimelineStream) => stream.received.map((entry) => entry.seq);
const textsOf = (stream: TimelineStream) => stream.received.map((entry) => entry.text);

describe('live timeline over a socket', () => {
  let store: ServerStore | undefined;
  const streams: TimelineStream[] = [];
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await killServers();
    await store?.cleanup();
    store = undefined;
  });

  it('streams notes as they are logged, and on reconnection sends only those missed', async () => {
    store = await makeServerStore('sqlite');
    const token = await store.addAccount('ana');
    const { url } = await startServer(store.env);
    const { key, version } = await declareIncident(url, token);
    expect(key).toBe('INC-1');
    const first = await followTimeline(url, token, key);
    streams.push(first);

    for (const text of ['paged the DBA', 'replica lag 40 s', 'failed over to db-2'])
      expect(await postNote(url, token, key, text)).toBe(201);
    await first.waitFor(version + 3);
    expect(seqsOf(first)).toEqual(firstSeqs(version + 3));
    expect(textsOf(first).slice(version)).toEqual([
      'paged the DBA',
      'replica lag 40 s',
      'failed over to db-2',
    ]);

    first.close();
    for (const text of ['lag back to 0 s', 'error rate normal'])
      expect(await postNote(url, token, key, text)).toBe(201);
    const lastSeen = first.received.at(-1)?.id;
    const resumed = await followTimeline(url, token, key, lastSeen);
    streams.push(resumed);
    // a note logged after reconnecting marks the end: nothing may arrive before the missed ones
    expect(await postNote(url, token, key, 'monitoring')).toBe(201);
    await resumed.waitFor(3);
    expect(seqsOf(resumed)).toEqual([version + 4, version + 5, version + 6]);
    expect(textsOf(resumed)).toEqual(['lag back to 0 s', 'error rate normal', 'monitoring']);
  });

  it('across two servers on one PostgreSQL, a client of either sees writes through the other', async () => {
    store = await makeServerStore('postgres');
    const token = await store.addAccount('ana');
    const [a, b] = await Promise.all([startServer(store.env), startServer(store.env)]);
    const { key, version } = await declareIncident(a.url, token);
    const [onA, onB] = await Promise.all([
      followTimeline(a.url, token, key),
      followTimeline(b.url, token, key),
    ]);
    streams.push(onA, onB);

    expect(await postNote(b.url, token, key, 'written through B')).toBe(201);
    await onA.waitFor(version + 1);
    expect(onA.received.at(-1)?.text).toBe('written through B');
    expect(await postNote(a.url, token, key, 'written through A')).toBe(201);
    await onB.waitFor(version + 2);
    expect(textsOf(onB).slice(version)).toEqual(['written through B', 'written through A']);
  });

  it('under concurrent writes to both servers, every client gets each entry once, in order', async () => {
    store = await makeServerStore('postgres');
    const token = await store.addAccount('ana');
    const [a, b] = await Promise.all([startServer(store.env), startServer(store.env)]);
    const { key, version } = await declareIncident(a.url, token);
    const clients = await Promise.all(
      [a, b, a, b].map((server) => followTimeline(server.url, token, key)),
    );
    streams.push(...clients);

    const load = startWriteLoad({ urls: [a.url, b.url], token, key, writers: 4, quota: 50 });
    await load.done;
    expect(load.unknown).toEqual([]);
    expect(load.refused.filter((refusal) => refusal.status >= 500)).toEqual([]);
    const total = version + load.acknowledged.length;
    await Promise.all(clients.map((client) => client.waitFor(total, 20_000)));
    // a write after the load has settled arrives last, so nothing can still be on its way
    expect(await postNote(b.url, token, key, 'load finished')).toBe(201);
    await Promise.all(clients.map((client) => client.waitFor(total + 1)));

    const stored = await readNotes(a.url, token, key);
    expect(stored.slice(0, -1).sort()).toEqual([...load.acknowledged].sort());
    expect(stored.at(-1)).toBe('load finished');
    for (const client of clients) {
      expect(seqsOf(client)).toEqual(firstSeqs(total + 1));
      expect(textsOf(client).slice(version)).toEqual(stored);
    }
  });
});
