// Throughput and latency of the team server (`calm serve`) under 50 concurrent connections,
// against a bare Fastify hello-world measured in the same run as the ceiling: on a shared
// 2-core machine the absolute figures move from run to run, the ratio much less.
//   1. hello-world: GET / -> {"hello":"world"}, the same Fastify, nothing else: the ceiling,
//      measured first and last;
//   2. Calm on SQLite (a fresh data folder): append a timeline entry, then read the incident;
//   3. Calm on PostgreSQL (a throwaway cluster, or CALM_BENCH_PG_URL): the same two.
// Every server is a child process and autocannon (the client) runs here, so the client's
// CPU competes with each server's alike. Each run follows a short warm-up on the same
// endpoint. Every response must be 2xx, and every acknowledged append must be in the
// timeline afterwards: a bench that sees an error or a lost append says so and exits 1.
// Target (issue 5): appending on SQLite reaches at least 30% of the ceiling's req/s with
// p99 at most 25 ms at 50 connections.
// Usage: npm run bench:server -- [--duration 10] [--warmup 2] [--profile DIR]
//   --profile DIR writes a V8 CPU profile of each Calm server (node --cpu-prof) into DIR.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    profile: { type: 'string' },
  },
});
const DURATION = Number(opts.duration);
const WARMUP = Number(opts.warmup);
const CONNECTIONS = 50;
const TARGET = { share: 0.3, p99Ms: 25 };
const PASSWORD = 'bench password, long enough';
if (!(DURATION >= 1) || !(WARMUP >= 0))
  throw new Error('--duration takes seconds (at least 1), --warmup seconds (0 or more)');
if (!fs.existsSync(join(root, 'dist', 'calm.js')))
  throw new Error('no dist/calm.js: npm run build');

// --- everything started here is stopped on the way out, on failure too ------------------

const children = new Set(); // { name, child, exit, port }
const dirs = new Set();
const finalizers = []; // async clean-ups, such as dropping a schema on someone else's server
let cluster; // { bin, data, port } of a throwaway PostgreSQL

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Whether something accepts connections on the port (a zombie child does not). */
function listening(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitPortClosed(port, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await listening(port))) return true;
    await sleep(100);
  }
  return false;
}

const exited = (child) => child.exitCode !== null || child.signalCode !== null;

async function stopChild(entry) {
  const { name, child, port } = entry;
  if (!exited(child)) {
    // SIGTERM lets Calm finish requests in flight and close its store (and write --cpu-prof)
    child.kill('SIGTERM');
    const gone = Promise.race([entry.exit, sleep(10_000)]);
    const closed = port ? await waitPortClosed(port, 10_000) : true;
    await gone;
    if (!closed || !exited(child)) {
      process.stderr.write(`  ${name} did not stop on SIGTERM: SIGKILL\n`);
      child.kill('SIGKILL');
      if (port) await waitPortClosed(port, 5_000);
    }
  }
  children.delete(entry);
}

function pgCtl(args) {
  const { bin, data } = cluster;
  return spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const c of [...children]) await stopChild(c);
    for (const finalize of finalizers.splice(0)) await finalize().catch(() => {});
    if (cluster) {
      pgCtl(['-m', 'fast', '-w', 'stop']);
      if (!(await waitPortClosed(cluster.port, 10_000))) pgCtl(['-m', 'immediate', '-w', 'stop']);
      cluster = undefined;
    }
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    dirs.clear();
  })();
  return cleaning;
}
// The last resort, when the script dies before cleanup() ran: synchronous, so blunt.
process.on('exit', () => {
  for (const { child } of children) if (!exited(child)) child.kill('SIGKILL');
  if (cluster) pgCtl(['-m', 'immediate', '-w', 'stop']);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the servers\n`);
    cleanup().finally(() => process.exit(130));
  });
}

// --- servers ---------------------------------------------------------------------------

/** Spawns a server and waits for the line that gives its address. */
async function startServer(name, args, env, pattern) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entry = { name, child, exit: once(child, 'exit'), port: undefined };
  children.add(entry);
  let output = '';
  const keep = (d) => {
    output = (output + d).slice(-4000);
  };
  child.stderr.on('data', keep);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: no address after 30 s:\n${output}`)),
      30_000,
    );
    child.stdout.on('data', (d) => {
      keep(d);
      const found = pattern.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before serving:\n${output}`));
    });
  });
  // keep draining, so a chatty server never blocks on a full pipe
  child.stdout.resume();
  entry.port = Number(new URL(url).port);
  return { url, entry };
}

const HELLO = `
import Fastify from 'fastify';
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log('hello-world is serving ' + address);
process.once('SIGTERM', () => app.close());
`;

function startHello() {
  // cwd is the repo, so the bare import resolves to the project's Fastify
  return startServer('hello-world', ['--input-type=module', '-e', HELLO], {}, /serving (\S+)/);
}

/** A Calm server on a fresh data folder (or `databaseUrl`), with a responder's token. */
async function startCalm(name, calm, databaseUrl) {
  const home = fs.mkdtempSync(join(tmpdir(), 'calm-bench-server-'));
  dirs.add(home);
  const env = { CALM_HOME: home, CALM_USER: 'bench' };
  if (databaseUrl) env.CALM_DATABASE_URL = databaseUrl;
  const add = spawnSync(process.execPath, [calm, 'user', 'add', 'bench', '--role', 'responder'], {
    input: `${PASSWORD}\n`,
    env: { ...process.env, ...env },
  });
  if (add.status !== 0) throw new Error(`${name}: calm user add failed:\n${add.stderr}`);
  const profile = opts.profile
    ? [
        '--cpu-prof',
        '--cpu-prof-dir',
        resolve(opts.profile),
        '--cpu-prof-name',
        `${name}.cpuprofile`,
      ]
    : [];
  const { url, entry } = await startServer(
    name,
    [...profile, calm, 'serve', '--port', '0'],
    env,
    /Calm is serving (http:\/\/\S+)/,
  );
  // the API's own way in: log in, then make a write token with the session
  const login = await call(url, 'POST', '/api/session', { name: 'bench', password: PASSWORD });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  const made = await call(
    url,
    'POST',
    '/api/tokens',
    { name: 'bench', scope: 'write' },
    { cookie, 'x-csrf-token': login.body.csrfToken },
  );
  const token = made.body.token;
  const declared = await call(
    url,
    'POST',
    '/api/incidents',
    { title: 'Bench incident' },
    auth(token),
  );
  return { name, home, url, token, key: declared.body.incident.key, entry };
}

const auth = (token) => ({ authorization: `Bearer ${token}` });

async function call(url, method, path, body, headers = {}) {
  const response = await fetch(new URL(path, url), {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return { headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway cluster as the tests make one (test/support/postgres-cluster.ts), fsync on. */
async function startPostgres() {
  const base = '/usr/lib/postgresql';
  const version = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .sort((a, b) => Number(b) - Number(a))
        .find((v) => fs.existsSync(join(base, v, 'bin', 'initdb')))
    : undefined;
  if (!version)
    throw new Error(
      'PostgreSQL is not installed: apt-get install postgresql, or set CALM_BENCH_PG_URL',
    );
  if (process.getuid?.() !== 0)
    throw new Error(
      'starting a throwaway PostgreSQL needs root (runuser); or set CALM_BENCH_PG_URL',
    );
  const bin = join(base, version, 'bin');
  const dir = fs.mkdtempSync(join(tmpdir(), 'calm-bench-pg-'));
  dirs.add(dir);
  const id = (flag) => Number(spawnSync('id', [flag, 'postgres']).stdout.toString().trim());
  fs.chownSync(dir, id('-u'), id('-g'));
  const data = join(dir, 'data');
  const run = (file, args) => {
    const result = spawnSync('runuser', ['-u', 'postgres', '--', file, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (result.status !== 0) throw new Error(`${file} failed:\n${result.stderr}`);
  };
  run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  cluster = { bin, data, port };
  const settings = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`;
  run(join(bin, 'pg_ctl'), ['-D', data, '-o', settings, '-l', join(dir, 'log'), '-w', 'start']);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/** A schema of its own on a server someone else runs, dropped at the end. */
async function freshSchema(baseUrl) {
  const { default: pg } = await import('pg');
  const schema = `calm_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const drop = async () => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  };
  return { url: url.toString(), drop };
}

// --- load ------------------------------------------------------------------------------

/** One autocannon run, after a warm-up on the same endpoint (with `warmup`'s request). */
async function load(title, url, request, warmup = request) {
  const base = { url, connections: CONNECTIONS };
  if (WARMUP > 0) await autocannon({ ...base, ...warmup, duration: WARMUP });
  process.stderr.write(`  ${title}: ${CONNECTIONS} connections, ${DURATION} s\n`);
  const r = await autocannon({ ...base, ...request, duration: DURATION });
  return {
    title,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    // connection errors (timeouts included), non-2xx answers, bodies that did not match
    errors: r.errors + r.non2xx + r.mismatches,
    statusCodes: Object.fromEntries(
      Object.entries(r.statusCodeStats).map(([code, { count }]) => [code, count]),
    ),
    // sent, but dropped unanswered by autocannon when its time was up
    cutOff: Math.max(0, r.requests.sent - r.requests.total - r.errors),
  };
}

const get = async (calm, path) =>
  (await call(calm.url, 'GET', path, undefined, auth(calm.token))).body;
const version = async (calm) => (await get(calm, `/api/incidents/${calm.key}`)).version;

/** Entries after `afterSeq` whose text is `text`, read through the timeline's pages. */
async function countEntries(calm, afterSeq, text) {
  let [cursor, count] = [String(afterSeq), 0];
  while (cursor !== null) {
    const page = await get(calm, `/api/incidents/${calm.key}/timeline?limit=500&cursor=${cursor}`);
    for (const entry of page.items) if (entry.body.text === text) count++;
    cursor = page.nextCursor;
  }
  return count;
}

/**
 * Appends one note per request, then counts the measured run's notes in the timeline:
 * there must be one per 2xx. autocannon drops its sockets when the time is up, and the
 * requests then in flight (at most one per connection) may be stored all the same, their
 * 2xx never read: so stored may exceed the 2xx count by up to the number cut off, no more.
 */
async function appendRun(engine, calm) {
  const text = `bench append on ${engine}, run ${process.pid}`;
  const before = await version(calm);
  const request = (note) => ({
    method: 'POST',
    headers: { ...auth(calm.token), 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'note', text: note }),
  });
  const url = new URL(`/api/incidents/${calm.key}/timeline`, calm.url).toString();
  const row = await load(`append, ${engine}`, url, request(text), request(`${text} (warm-up)`));
  // the server may still be finishing what autocannon left in flight
  let [last, still] = [await version(calm), 0];
  while (still < 3) {
    await sleep(200);
    const now = await version(calm);
    still = now === last ? still + 1 : 0;
    last = now;
  }
  const stored = await countEntries(calm, before, text);
  const lost = Math.max(0, row.ok - stored);
  const extra = stored - row.ok;
  row.stored = stored;
  row.storedOk = lost === 0 && extra <= row.cutOff;
  row.storedNote = row.storedOk
    ? `${stored} stored for ${row.ok} 2xx${extra > 0 ? ` (+${extra} of the ${row.cutOff} cut off at the deadline)` : ''}`
    : lost > 0
      ? `${lost} ACKNOWLEDGED APPENDS LOST: ${stored} stored for ${row.ok} 2xx`
      : `${extra - row.cutOff} entries too many: ${stored} stored for ${row.ok} 2xx and ${row.cutOff} cut off`;
  return row;
}

/**
 * How long making 16 KB durable takes where the data folder is, just before the appends
 * (an append's commit writes a few 4 KB pages): on this shared disk it swings from a tenth
 * of a millisecond to tens, and every append waits for its batch's one (group-committed
 * with the appends queued beside it), so it tells a slow disk from a slow Calm.
 */
function probeFsync(dir, n = 200) {
  const file = join(dir, 'fsync-probe');
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(16384, 1);
  const times = [];
  try {
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      // rewrites within 1 MB, as SQLite does in a write-ahead log reused after a checkpoint
      fs.writeSync(fd, block, 0, block.length, (i % 64) * block.length);
      fs.fdatasyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  const mean = times.reduce((sum, t) => sum + t, 0) / n;
  times.sort((a, b) => a - b);
  return { median: times[n >> 1], mean, p99: times[Math.floor(n * 0.99)] };
}

/** Share of the last 10 s in which some task waited for a CPU (Linux PSI): the neighbours' load. */
function cpuPressure() {
  try {
    const some = /^some avg10=([\d.]+)/m.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'));
    return some ? Number(some[1]) : undefined;
  } catch {
    return undefined;
  }
}

// --- the run ---------------------------------------------------------------------------

const rows = [];
const pressureBefore = cpuPressure();
let fsyncProbe;
let failure;
try {
  // A copy of the build to run, inside the repo so that node_modules resolve: a rebuild
  // meanwhile must not swap the code under a measurement.
  const DIST = join(root, 'bench', 'out', `dist-${process.pid}`);
  dirs.add(DIST);
  fs.cpSync(join(root, 'dist'), DIST, { recursive: true });
  const calmJs = join(DIST, 'calm.js');
  process.stderr.write(`runs (${WARMUP} s warm-up each):\n`);

  const { url: hello } = await startHello();
  rows.push(await load('hello-world (ceiling, first)', hello, {}));

  const engines = [
    ['SQLite', async () => undefined],
    [
      'PostgreSQL',
      async () => {
        const base = process.env.CALM_BENCH_PG_URL;
        if (!base) return startPostgres();
        const schema = await freshSchema(base);
        finalizers.push(schema.drop);
        return schema.url;
      },
    ],
  ];
  for (const [engine, database] of engines) {
    const calm = await startCalm(engine.toLowerCase(), calmJs, await database());
    if (engine === 'SQLite') fsyncProbe = probeFsync(calm.home);
    rows.push(await appendRun(engine, calm));
    const url = new URL(`/api/incidents/${calm.key}`, calm.url).toString();
    rows.push(await load(`read, ${engine}`, url, { headers: auth(calm.token) }));
    await stopChild(calm.entry);
  }
  rows.push(await load('hello-world (ceiling, last)', hello, {}));
} catch (error) {
  failure = error;
} finally {
  await cleanup();
}

// --- the report ------------------------------------------------------------------------

// The neighbours' load moves the figures within a run too: the ceiling is measured first
// and last, and Calm's rows are compared with the mean of the two.
const ceilings = rows.filter((row) => row.title.startsWith('hello-world'));
const ceiling = ceilings.length
  ? ceilings.reduce((sum, row) => sum + row.reqPerSec, 0) / ceilings.length
  : undefined;
const fixed = (x, digits = 0) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits));
const cells = [['run', 'req/s', 'p50 ms', 'p99 ms', '2xx', 'errors', '% of ceiling']];
for (const row of rows) {
  cells.push([
    row.title,
    fixed(row.reqPerSec),
    fixed(row.p50, 1),
    fixed(row.p99, 1),
    String(row.ok),
    String(row.errors),
    ceiling ? fixed((100 * row.reqPerSec) / ceiling, 1) : '-',
  ]);
}
const widths = cells[0].map((_, k) => Math.max(...cells.map((row) => row[k].length)));
for (const row of cells)
  console.log(row.map((c, k) => (k ? c.padStart(widths[k]) : c.padEnd(widths[k]))).join('  '));

if (pressureBefore !== undefined)
  console.log(
    `before the run, tasks waited for a CPU ${pressureBefore}% of the time (the machine's other load)`,
  );
if (fsyncProbe)
  console.log(
    `write + fdatasync of 16 KB in the SQLite data folder, just before its appends: median ${fixed(fsyncProbe.median, 2)} ms, mean ${fixed(fsyncProbe.mean, 2)} ms, p99 ${fixed(fsyncProbe.p99, 2)} ms`,
  );
const appendChecks = rows.filter((row) => row.storedNote);
for (const row of appendChecks) console.log(`${row.title}: ${row.storedNote}`);
const erring = rows.filter((row) => row.errors > 0);
for (const row of erring)
  console.log(
    `!!! ${row.title}: ${row.errors} ERRORS (status codes ${JSON.stringify(row.statusCodes)}): its figures do not count`,
  );

const sqliteAppend = rows.find((row) => row.title === 'append, SQLite');
let verdict = 'not measured';
if (sqliteAppend && ceiling) {
  const share = sqliteAppend.reqPerSec / ceiling;
  const met = share >= TARGET.share && sqliteAppend.p99 <= TARGET.p99Ms && !sqliteAppend.errors;
  verdict = `${met ? 'met' : 'NOT met'}: ${(100 * share).toFixed(1)}% of the ceiling (${fixed(sqliteAppend.reqPerSec)} of ${fixed(ceiling)} req/s), p99 ${fixed(sqliteAppend.p99, 1)} ms`;
}
console.log(
  `target: appending on SQLite reaches at least ${100 * TARGET.share}% of the ceiling's req/s with p99 at most ${TARGET.p99Ms} ms at ${CONNECTIONS} connections: ${verdict}`,
);
console.log(
  JSON.stringify({
    bench: 'server',
    duration: DURATION,
    connections: CONNECTIONS,
    ceiling,
    pressureBefore,
    fsyncProbe,
    rows,
    verdict,
  }),
);

const lost = appendChecks.filter((row) => !row.storedOk);
if (failure || erring.length || lost.length) {
  if (failure) process.stderr.write(`\nBENCH FAILED: ${failure?.stack ?? failure}\n`);
  process.stderr.write(
    `\n!!! THIS BENCH IS NOT CLEAN: ${[
      failure && 'it failed',
      erring.length && `${erring.length} run(s) with errors`,
      lost.length && `${lost.length} append run(s) whose entries do not match the 2xx count`,
    ]
      .filter(Boolean)
      .join(', ')}\n`,
  );
  process.exitCode = 1;
}
