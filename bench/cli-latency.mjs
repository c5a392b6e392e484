// Prints how fast the CLI feels during an incident, against baselines measured
// in the same run:
//   1. `calm log` (a whole process: start, open the store, append, fsync, exit)
//      against `node -e ''`, median of 30 runs each, interleaved. Target: ratio <= 3.
//   2. `calm show` of an incident with 10,000 entries, median of 30 runs. Target: <= 300 ms.
// Usage: npm run bench   (builds first)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const calm = join(root, 'dist', 'calm.js');
const RUNS = 30;

function time(args, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;

const home = mkdtempSync(join(tmpdir(), 'calm-bench-'));
const env = { ...process.env, CALM_HOME: join(home, 'log'), CALM_USER: 'bench' };
try {
  // 1. calm log against node -e ''
  execFileSync(process.execPath, [calm, 'declare', 'Bench incident', '--severity', 'SEV2'], {
    env,
  });
  time([calm, 'log', 'warm-up'], env);
  time(['-e', ''], env);
  const logTimes = [];
  const nodeTimes = [];
  for (let i = 0; i < RUNS; i++) {
    nodeTimes.push(time(['-e', ''], env));
    logTimes.push(time([calm, 'log', `bench entry ${i}: rolled back web-${i % 7}`], env));
  }
  const logMedian = median(logTimes);
  const nodeMedian = median(nodeTimes);
  const ratio = logMedian / nodeMedian;
  console.log(
    `calm log           median ${fmt(logMedian)} over ${RUNS} runs (min ${fmt(Math.min(...logTimes))}, max ${fmt(Math.max(...logTimes))})`,
  );
  console.log(`node -e ''         median ${fmt(nodeMedian)} over ${RUNS} runs (baseline)`);
  console.log(
    `ratio              ${ratio.toFixed(2)}  (target <= 3: ${ratio <= 3 ? 'met' : 'NOT met'})`,
  );

  // 2. calm show on 10,000 entries
  const seedDir = join(root, 'bench', 'out');
  mkdirSync(seedDir, { recursive: true });
  const seed = join(seedDir, 'seed-timeline.mjs');
  await build({
    entryPoints: [join(root, 'bench', 'seed-timeline.ts')],
    outfile: seed,
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
  const showEnv = { ...env, CALM_HOME: join(home, 'show') };
  mkdirSync(showEnv.CALM_HOME, { recursive: true });
  execFileSync(process.execPath, [seed, join(showEnv.CALM_HOME, 'calm.db'), '10000'], {
    env: showEnv,
    stdio: 'inherit',
  });
  const lines = execFileSync(process.execPath, [calm, 'show', 'INC-1'], {
    env: showEnv,
    maxBuffer: 64 << 20,
  })
    .toString()
    .split('\n').length;
  time([calm, 'show', 'INC-1'], showEnv);
  const showTimes = [];
  for (let i = 0; i < RUNS; i++) showTimes.push(time([calm, 'show', 'INC-1'], showEnv));
  const showMedian = median(showTimes);
  console.log(
    `calm show (10,000 entries, ${lines} lines)  median ${fmt(showMedian)} over ${RUNS} runs (min ${fmt(Math.min(...showTimes))}, max ${fmt(Math.max(...showTimes))})  (target <= 300 ms: ${showMedian <= 300 ? 'met' : 'NOT met'})`,
  );
  console.log(`                   = ${(showMedian / nodeMedian).toFixed(2)} x node -e ''`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
