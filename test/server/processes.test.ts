/**
 * `calm serve` as the operator runs it: a real process on a loopback port,
 * what it prints, and how it stops. SIGTERM must finish what it accepted,
 * refuse the rest cleanly, and exit 0 even with live timelines open.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, runCalm } from '../run-calm.js';
import { killServers, startServer } from '../support/server-process.js';
import { makeServerStore, type ServerStore } from '../support/server-store.js';
import { declareIncident, readNotes } from '../support/timeline-client.js';
import { followTimeline } from '../support/timeline-stream.js';
import { startWriteLoad } from '../support/write-load.js';

const FIRST_ADMIN_HINT = /calm user add \S+ --role admin/;
const STOPPING = 'stopping: finishing requests in flight';

describe('calm serve as a process', () => {
  let store: ServerStore | undefined;
  afterEach(async () => {
    await killServers();
    await store?.cleanup();
    store = undefined;
  });

  it('prints its URL and, until an account exists, how to create the first admin', async () => {
    store = await makeServerStore('sqlite');
    // the hint follows the URL line, so the whole output is read after the process has stopped
    const empty = await startServer(store.env);
    expect(empty.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    empty.signal('SIGTERM');
    expect((await empty.exited).code).toBe(0);
    expect(empty.output()).toMatch(FIRST_ADMIN_HINT);

    await store.addAccount('ana', 'admin');
    const withAdmin = await startServer(store.env);
    withAdmin.signal('SIGTERM');
    expect((await withAdmin.exited).code).toBe(0);
    expect(withAdmin.output()).toContain(`Calm is serving ${withAdmin.url}`);
    expect(withAdmin.output()).not.toMatch(FIRST_ADMIN_HINT);
  });

  it('on SIGTERM during a stream of writes, exits 0 and keeps exactly what it acknowledged', async () => {
    store = await makeServerStore('sqlite');
    const token = await store.addAccount('ana');
    const server = await startServer(store.env);
    const { key } = await declareIncident(server.url, token);
    const load = startWriteLoad({ urls: [server.url], token, key, writers: 4, pauseMs: 5 });
    await load.acknowledgedAtLeast(30);
    server.signal('SIGTERM');
    const exit = await server.exited;
    await load.done;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain(STOPPING);
    // answered requests are either stored (2xx) or refused while closing (503), nothing else
    expect(new Set(load.refused.map((r) => r.status))).toEqual(
      new Set(load.refused.length ? [503] : []),
    );
    const stored = await readNotes((await startServer(store.env)).url, token, key);
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored).toEqual(expect.arrayContaining(load.acknowledged));
    const answeredOrUnknown = new Set([...load.acknowledged, ...load.unknown]);
    expect(stored.filter((text) => !answeredOrUnknown.has(text))).toEqual([]);
  });

  it('on SIGTERM with a live timeline open, ends the stream and exits 0', async () => {
    store = await makeServerStore('sqlite');
    const token = await store.addAccount('ana');
    const server = await startServer(store.env);
    const { key } = await declareIncident(server.url, token);
    const stream = await followTimeline(server.url, token, key);
    await stream.waitFor(1);
    const started = Date.now();
    server.signal('SIGTERM');
    const stillRunning = sleep(10_000).then(() => 'still running after 10 s');
    expect(await Promise.race([server.exited, stillRunning])).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(5_000);
    stream.close();
  });

  it('refuses a port it cannot use in one line, with exit code 2 (a usage mistake)', async () => {
    const workspace = makeWorkspace();
    try {
      for (const port of ['99999', 'abc', '-1']) {
        const result = await runCalm(['serve', '--port', port], {
          cwd: workspace.dir,
          env: { ...workspace.env, CALM_HOME: workspace.dir },
        });
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(/^calm: --port takes a port number/);
      }
    } finally {
      workspace.cleanup();
    }
  });
});
