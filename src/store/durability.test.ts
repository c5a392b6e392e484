import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entrySeq, epochMs, type IncidentId } from '../core/ids.js';
import { applyEntry, replayTimeline } from '../core/incident/incident.js';
import type { TimelineEntry } from '../core/timeline/entry.js';
import { openSqliteStore } from './open.js';
import type { IncidentStore } from './store.js';

/*
 * Several processes on one SQLite file, and processes killed mid-write. The
 * children run the real store code: beforeAll bundles it with esbuild into a
 * folder under the repository's node_modules, so that the bundle's import of
 * the native better-sqlite3 resolves to the repository's copy.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundleDir = path.join(
  repo,
  'node_modules',
  '.cache',
  `calm-store-test-${randomBytes(6).toString('hex')}`,
);
const bundle = path.join(bundleDir, 'store.mjs');
let dataDir: string;

/** Shared by the child scripts: the retry pattern of src/app/run-command.ts. */
const CHILD_PRELUDE = `
import { openSqliteStore, applyEntry, VersionConflictError } from './store.mjs';

export function entriesAfter(state, bodies, author) {
  const at = Date.now();
  return bodies.map((body, index) => ({
    incidentId: state.id,
    seq: state.version + 1 + index,
    occurredAt: at,
    recordedAt: at,
    author,
    body,
  }));
}

export async function appendWithRetry(store, id, bodies, author) {
  for (let attempt = 1; ; attempt++) {
    const state = await store.getIncident(id);
    if (!state) throw new Error('incident ' + id + ' is gone');
    const entries = entriesAfter(state, bodies, author);
    const next = entries.reduce((s, e) => applyEntry(s, e), state);
    try {
      await store.appendEntries(state.version, entries, next);
      return { attempt, entries };
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= 1000) throw error;
    }
  }
}

export { openSqliteStore };
`;

const CHILDREN: Record<string, string> = {
  /** Appends notes forever, printing each entry's number once the append resolved. */
  'append-forever.mjs': `
import { appendWithRetry, openSqliteStore } from './prelude.mjs';
const [file, id] = process.argv.slice(2);
const store = await openSqliteStore(file);
for (let n = 1; ; n++) {
  const { entries } = await appendWithRetry(store, Number(id), [{ kind: 'note', text: 'note ' + n + ' ' + 'x'.repeat(n % 7 * 300) }], 'killed');
  process.stdout.write(entries.map((e) => e.seq).join('\\n') + '\\n');
}
`,
  /**
   * Opens the store, says "ready", and on "go" appends \`count\` notes; then
   * prints how many attempts the unluckiest append took.
   */
  'append-n.mjs': `
import { appendWithRetry, openSqliteStore } from './prelude.mjs';
const [file, id, who, count] = process.argv.slice(2);
const store = await openSqliteStore(file);
process.stdout.write('ready\\n');
process.stdin.once('data', async () => {
  let worst = 0;
  for (let n = 1; n <= Number(count); n++) {
    const { attempt } = await appendWithRetry(store, Number(id), [{ kind: 'note', text: who + ' ' + n }], who);
    worst = Math.max(worst, attempt);
  }
  await store.close();
  process.stdout.write(JSON.stringify({ worst }) + '\\n');
  process.exit(0);
});
`,
  /** Waits for "go" on stdin, then opens (and so migrates) the store and declares an incident. */
  'open-on-go.mjs': `
import { openSqliteStore, entriesAfter } from './prelude.mjs';
import { applyEntry } from './store.mjs';
const [file, who] = process.argv.slice(2);
process.stdout.write('ready\\n');
process.stdin.once('data', async () => {
  const store = await openSqliteStore(file);
  const state = await store.createIncident((id) => {
    const entries = entriesAfter({ id, version: 0 }, [{ kind: 'declared', title: 'from ' + who, summary: '', services: [] }], who);
    return { entries, state: applyEntry(undefined, entries[0]) };
  });
  await store.close();
  process.stdout.write(JSON.stringify({ id: state.id }) + '\\n');
  process.exit(0);
});
`,
};

beforeAll(async () => {
  fs.mkdirSync(bundleDir, { recursive: true });
  await build({
    stdin: {
      contents: [
        "export { openSqliteStore } from './src/store/open.ts';",
        "export { VersionConflictError } from './src/store/store.ts';",
        "export { applyEntry } from './src/core/incident/incident.ts';",
      ].join('\n'),
      resolveDir: repo,
      loader: 'ts',
      sourcefile: 'durability-entry.ts',
    },
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3', 'pg'],
    logLevel: 'warning',
  });
  fs.writeFileSync(path.join(bundleDir, 'prelude.mjs'), CHILD_PRELUDE);
  for (const [name, source] of Object.entries(CHILDREN)) {
    fs.writeFileSync(path.join(bundleDir, name), source);
  }
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'calm-durability-test-'));
}, 60_000);

afterAll(() => {
  fs.rmSync(bundleDir, { recursive: true, force: true });
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  /** Complete lines written to stdout so far. */
  lines: string[];
  stderr: () => string;
  /** Settles when the process has exited and its output is closed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once `predicate` holds for the lines read so far. */
  waitFor(predicate: (lines: string[]) => boolean): Promise<void>;
}

function runChild(script: string, args: string[]): Child {
  const child = spawn(process.execPath, [path.join(bundleDir, script), ...args], {
    cwd: bundleDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters: { predicate: (lines: string[]) => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.predicate(lines)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    check();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal }));
    },
  );
  return {
    process: child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor(predicate) {
      return new Promise<void>((resolve, reject) => {
        if (predicate(lines)) return resolve();
        waiters.push({ predicate, resolve });
        exited.then(({ code, signal }) => {
          if (!predicate(lines)) {
            reject(
              new Error(
                `${script} exited (${code ?? signal}) early:\n${stderr || lines.join('\n')}`,
              ),
            );
          }
        });
      });
    },
  };
}

let fileCount = 0;
const newFile = () => path.join(dataDir, `calm-${++fileCount}.db`);

async function declare(store: IncidentStore, title: string, notes = 0): Promise<IncidentId> {
  const state = await store.createIncident((id) => {
    const at = epochMs(Date.UTC(2025, 0, 15, 14));
    const entries: TimelineEntry[] = [
      {
        incidentId: id,
        seq: entrySeq(1),
        occurredAt: at,
        recordedAt: at,
        author: 'parent',
        body: { kind: 'declared', title, summary: '', services: ['api'] },
      },
    ];
    for (let n = 1; n <= notes; n++) {
      entries.push({
        incidentId: id,
        seq: entrySeq(n + 1),
        occurredAt: at,
        recordedAt: at,
        author: 'parent',
        body: { kind: 'note', text: `initial ${n}` },
      });
    }
    const state = replayTimeline(entries);
    if (!state) throw new Error('unreachable');
    return { entries, state };
  });
  return state.id;
}

function integrityCheck(file: string): unknown {
  const database = new BetterSqlite3(file, { readonly: true });
  try {
    return database.pragma('integrity_check', { simple: true });
  } finally {
    database.close();
  }
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('SQLite store across processes', () => {
  it('keeps every acknowledged entry when the writer is killed with SIGKILL', async () => {
    const file = newFile();
    const parent = await openSqliteStore(file);
    const id = await declare(parent, 'kill -9 under load');
    await parent.close();

    const child = runChild('append-forever.mjs', [file, String(id)]);
    const acknowledged = () => child.lines.filter(Boolean).map(Number);
    await child.waitFor(() => acknowledged().length >= 50);
    child.process.kill('SIGKILL');
    const { signal } = await child.exited;
    expect(signal).toBe('SIGKILL');

    const acked = acknowledged();
    expect(acked.length).toBeGreaterThanOrEqual(50);
    expect(acked).toEqual(range(2, acked.length + 1));

    expect(integrityCheck(file)).toBe('ok');
    const store = await openSqliteStore(file);
    try {
      const entries = await store.listEntries(id);
      const seqs = entries.map((entry) => Number(entry.seq));
      for (const seq of acked) expect(seqs).toContain(seq);
      expect(seqs).toEqual(range(1, entries.length));
      const snapshot = await store.getIncident(id);
      expect(snapshot?.version).toBe(entries.length);
      expect(snapshot).toEqual(replayTimeline(entries));
      // The store still takes writes after the crash.
      const next = entries.length + 1;
      const at = epochMs(Date.now());
      const entry: TimelineEntry = {
        incidentId: id,
        seq: entrySeq(next),
        occurredAt: at,
        recordedAt: at,
        author: 'parent',
        body: { kind: 'note', text: 'after the crash' },
      };
      if (!snapshot) throw new Error('the incident is gone');
      await store.appendEntries(snapshot.version, [entry], applyEntry(snapshot, entry));
      expect(await store.getIncident(id)).toMatchObject({ version: next });
    } finally {
      await store.close();
    }
    expect(integrityCheck(file)).toBe('ok');
  });

  it('lets two processes append to one incident at once, numbering without gaps', async () => {
    const file = newFile();
    const initial = 3;
    const parent = await openSqliteStore(file);
    const id = await declare(parent, 'two writers', initial - 1);
    await parent.close();

    const perChild = 100;
    const children = ['left', 'right'].map((who) =>
      runChild('append-n.mjs', [file, String(id), who, String(perChild)]),
    );
    await Promise.all(children.map((child) => child.waitFor((lines) => lines[0] === 'ready')));
    for (const child of children) child.process.stdin?.write('go\n');
    const results = await Promise.all(children.map((child) => child.exited));
    for (const [index, result] of results.entries()) {
      expect(result, children[index]?.stderr()).toEqual({ code: 0, signal: null });
    }
    // Conflicts happen, but stay well inside run-command.ts's budget of 25 attempts.
    for (const child of children) {
      expect(JSON.parse(child.lines[1] ?? '{}').worst).toBeLessThanOrEqual(25);
    }

    const store = await openSqliteStore(file);
    try {
      const entries = await store.listEntries(id);
      expect(entries).toHaveLength(initial + 2 * perChild);
      expect(entries.map((entry) => Number(entry.seq))).toEqual(range(1, initial + 2 * perChild));
      for (const who of ['left', 'right']) {
        const mine = entries
          .filter((entry) => entry.author === who)
          .map((entry) => (entry.body.kind === 'note' ? entry.body.text : ''));
        expect(mine).toEqual(range(1, perChild).map((n) => `${who} ${n}`));
      }
      const snapshot = await store.getIncident(id);
      expect(snapshot?.version).toBe(initial + 2 * perChild);
      expect(snapshot).toEqual(replayTimeline(entries));
    } finally {
      await store.close();
    }
    expect(integrityCheck(file)).toBe('ok');
  });

  it('lets two processes create and migrate a brand-new file at the same moment', async () => {
    for (let round = 0; round < 10; round++) {
      const file = newFile();
      const children = ['first', 'second'].map((who) => runChild('open-on-go.mjs', [file, who]));
      await Promise.all(children.map((child) => child.waitFor((lines) => lines[0] === 'ready')));
      for (const child of children) child.process.stdin?.write('go\n');
      const results = await Promise.all(children.map((child) => child.exited));
      for (const [index, result] of results.entries()) {
        expect(result, children[index]?.stderr()).toEqual({ code: 0, signal: null });
      }
      const ids = children.map((child) => JSON.parse(child.lines[1] ?? '{}').id);
      expect(new Set(ids).size).toBe(2);

      expect(integrityCheck(file)).toBe('ok');
      const store = await openSqliteStore(file);
      try {
        expect((await store.listIncidents()).map((state) => state.title).sort()).toEqual([
          'from first',
          'from second',
        ]);
      } finally {
        await store.close();
      }
    }
  });
});
