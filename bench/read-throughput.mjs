// Throughput of the log reader alone (src/analysis/read): bytes in memory to
// LogEvents, single thread, no I/O. Each format runs in its own process so its
// peak RSS is its own; the input is synthetic and deterministic (seeded PRNG),
// built in memory first and fed in 64 KiB chunks. Each figure is the median of
// five timed passes after a warm-up pass (the best pass is shown too: this
// machine is shared, and the best pass is the least disturbed one).
// Targets: >= 1,500,000 lines/s on nginx combined, >= 600,000 lines/s on JSON lines.
// Usage: node bench/read-throughput.mjs [format...]   (formats: see FORMATS below)
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'bench', 'out');
const bundle = join(outDir, 'read.mjs');
const CHUNK = 64 * 1024;
const RUNS = 5;

/** name -> [lines, target lines/s or 0, generator] */
const FORMATS = {
  'nginx-combined': [2_000_000, 1_500_000, nginxLine(false)],
  'nginx-combined+rt': [1_000_000, 0, nginxLine(true)],
  'apache-common+%D': [1_000_000, 0, apacheCommonLine],
  json: [2_000_000, 600_000, jsonLine],
  logfmt: [1_000_000, 0, logfmtLine],
  'syslog-3164': [1_000_000, 0, syslogLine],
  'plain+java-traces': [1_000_000, 0, javaLines],
};

// mulberry32: a small seeded PRNG, so every run reads the same bytes.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  '/api/cart',
  '/api/checkout',
  '/api/products',
  '/login',
  '/static/app.js',
  '/',
  '/health',
];
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'curl/8.5.0',
  'kube-probe/1.29',
];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n, w = 2) => String(n).padStart(w, '0');
const pick = (r, list) => list[Math.floor(r() * list.length)];
const status = (r) => {
  const x = r();
  return x < 0.9 ? 200 : x < 0.95 ? 404 : x < 0.97 ? 302 : x < 0.99 ? 500 : 503;
};
const BASE = Date.UTC(2026, 2, 14, 9, 0, 0);
const at = (i) => new Date(BASE + i * 7);
const clf = (d) =>
  `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
const target = (r) => {
  const path = pick(r, PATHS);
  return r() < 0.3 ? `${path}/${Math.floor(r() * 1e5)}?ref=home&q=${Math.floor(r() * 100)}` : path;
};
const ip = (r) => `10.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;

function nginxLine(withTime) {
  return (r, i) => {
    const base = `${ip(r)} - - [${clf(at(i))}] "${pick(r, METHODS)} ${target(r)} HTTP/1.1" ${status(r)} ${Math.floor(r() * 50_000)} "https://shop.example.com/" "${pick(r, UAS)}"`;
    return withTime ? `${base} ${(r() * 2).toFixed(3)}` : base;
  };
}

function apacheCommonLine(r, i) {
  return `${ip(r)} - frank [${clf(at(i))}] "${pick(r, METHODS)} ${target(r)} HTTP/1.0" ${status(r)} ${Math.floor(r() * 50_000)} ${Math.floor(r() * 2e6)}`;
}

function jsonLine(r, i) {
  const s = status(r);
  const o = {
    time: at(i).toISOString(),
    level: s >= 500 ? 'error' : s >= 400 ? 'warn' : 'info',
    msg: s >= 500 ? 'request failed' : 'request completed',
    host: `web-${Math.floor(r() * 8)}`,
    service: 'checkout',
    method: pick(r, METHODS),
    path: target(r),
    status: s,
    duration_ms: Math.round(r() * 5000) / 10,
    trace_id: Math.floor(r() * 2 ** 52)
      .toString(16)
      .padStart(16, '0'),
    user_agent: pick(r, UAS),
  };
  if (s >= 500 && r() < 0.5) {
    o.err = {
      type: 'Error',
      message: 'upstream timed out',
      stack: 'Error: upstream timed out\n    at pay (/app/pay.js:42:11)',
    };
  }
  return JSON.stringify(o);
}

function logfmtLine(r, i) {
  const s = status(r);
  return `time=${at(i).toISOString()} level=${s >= 500 ? 'error' : 'info'} msg="request completed" method=${pick(r, METHODS)} path=${target(r)} status=${s} duration=${Math.floor(r() * 900)}ms host=web-${Math.floor(r() * 8)}`;
}

function syslogLine(r, i) {
  const d = at(i);
  const stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `<${r() < 0.05 ? 131 : 134}>${stamp} web-${Math.floor(r() * 8)} app[${1000 + Math.floor(r() * 9000)}]: order ${Math.floor(r() * 1e6)} processed in ${Math.floor(r() * 900)} ms`;
}

/** Java-style plain log: mostly one-line events, one in 20 followed by a 12-line stack trace. */
function javaLines(r, i) {
  const d = at(i).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
  if (r() < 0.05) {
    const frames = [];
    for (let k = 0; k < 10; k++)
      frames.push(`\tat com.shop.checkout.Service${k}.call(Service${k}.java:${10 + k})`);
    return `${d} ERROR [http-nio-8080-exec-${Math.floor(r() * 10)}] c.s.c.CheckoutController - payment failed\njava.lang.IllegalStateException: card declined\n${frames.join('\n')}`;
  }
  return `${d} INFO  [http-nio-8080-exec-${Math.floor(r() * 10)}] c.s.c.CheckoutController - order ${Math.floor(r() * 1e6)} placed`;
}

/** The input, generated twice from the same seed: once to size it, once into one buffer. */
function makeInput(name) {
  const [lines, , gen] = FORMATS[name];
  const each = (visit) => {
    const r = prng(0x5eed + name.length);
    let produced = 0;
    for (let i = 0; produced < lines; i++) {
      const text = gen(r, i);
      // multi-line records count every physical line
      for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) produced++;
      produced++;
      visit(text);
    }
    return produced;
  };
  let size = 0;
  each((text) => {
    size += Buffer.byteLength(text) + 1;
  });
  const all = Buffer.allocUnsafe(size);
  let off = 0;
  const produced = each((text) => {
    off += all.write(text, off);
    all[off++] = 10;
  });
  const chunks = [];
  for (let at = 0; at < all.length; at += CHUNK) chunks.push(all.subarray(at, at + CHUNK));
  return { bytes: all.length, lines: produced, chunks };
}

async function child(name) {
  const { createReader } = await import(bundle);
  const input = makeInput(name);
  const pass = (chunks) => {
    const reader = createReader({ source: `web-3/${name}.log`, referenceTime: BASE + 86_400_000 });
    let events = 0;
    let errors = 0;
    for (const chunk of chunks) {
      for (const e of reader.push(chunk)) {
        events++;
        if (e.isError) errors++;
      }
    }
    for (const e of reader.end()) {
      events++;
      if (e.isError) errors++;
    }
    return { events, errors, stats: reader.stats() };
  };
  pass(input.chunks.slice(0, Math.ceil(input.chunks.length / 10)));
  const before = process.memoryUsage().rss;
  const times = [];
  let result;
  for (let k = 0; k < RUNS; k++) {
    const start = process.hrtime.bigint();
    result = pass(input.chunks);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  const seconds = times[Math.floor(times.length / 2)];
  const best = times[0];
  const { stats } = result;
  process.stdout.write(
    `${JSON.stringify({
      name,
      lines: input.lines,
      bytes: input.bytes,
      seconds,
      best,
      inputRssKiB: Math.round(before / 1024),
      events: result.events,
      errors: result.errors,
      format: stats.format,
      unparseable: stats.unparseable,
      continuation: stats.continuation,
      accounted:
        stats.blank + stats.events + stats.continuation + stats.unparseable === stats.lines,
      maxRssKiB: process.resourceUsage().maxRSS,
    })}\n`,
  );
}

async function main(names) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'src', 'analysis', 'read', 'index.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  console.log(
    `log reader throughput: node ${process.version}, ${CHUNK / 1024} KiB chunks, lines/s and MB/s are the median of ${RUNS} passes (best pass in brackets)`,
  );
  const num = (n) => Math.round(n).toLocaleString('en-US');
  const rows = [
    [
      'format',
      'lines',
      'lines/s',
      '(best)',
      'MB/s',
      'events',
      'errors',
      'unparsed',
      'input',
      'peak RSS',
      'detected',
      'target',
    ],
  ];
  for (const name of names) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', name], {
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.toString());
    const rate = r.lines / r.seconds;
    const target = FORMATS[name][1];
    const verdict = target === 0 ? '' : `>= ${num(target)}: ${rate >= target ? 'met' : 'NOT met'}`;
    rows.push([
      name,
      num(r.lines),
      num(rate),
      `(${num(r.lines / r.best)})`,
      (r.bytes / 1e6 / r.seconds).toFixed(1),
      num(r.events),
      num(r.errors),
      num(r.unparseable),
      `${Math.round(r.bytes / 2 ** 20)} MB`,
      `${Math.round(r.maxRssKiB / 1024)} MB`,
      r.format,
      `${verdict}${r.accounted ? '' : ' (line accounting MISMATCH)'}`,
    ]);
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map((row) => row[k].length)));
  for (const row of rows) {
    console.log(
      row
        .map((cell, k) => (k === 0 || k >= 10 ? cell.padEnd(widths[k]) : cell.padStart(widths[k])))
        .join('  ')
        .trimEnd(),
    );
  }
  console.log(
    'input: the synthetic bytes held in memory; peak RSS is the whole process, input included.',
  );
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1]);
} else {
  const names = args.length > 0 ? args : Object.keys(FORMATS);
  for (const name of names) if (!(name in FORMATS)) throw new Error(`unknown format ${name}`);
  await main(names);
}
