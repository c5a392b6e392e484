// Grouping accuracy (GA) and speed of the log template miner on Loghub-style data.
// Usage: npm run bench:loghub -- [--data DIR] [--verbose]
//   DIR defaults to ../shared/datasets/loghub-2k (relative to the repo root); every
//   subfolder holding a *_structured*.csv file (Content and EventId columns) is a system.
// Bundles bench/loghub-run.ts with esbuild into bench/out/ and runs it: a table
// (system, lines, true groups, predicted groups, GA, messages/s), then one JSON line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const at = args.indexOf('--data');
const data =
  at >= 0 && args[at + 1]
    ? resolve(process.cwd(), args[at + 1])
    : resolve(root, '../shared/datasets/loghub-2k');
if (!existsSync(data)) {
  console.error(`no data at ${data} (pass --data DIR)`);
  process.exit(2);
}

const outDir = join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const bundle = join(outDir, 'loghub-run.mjs');
await build({
  entryPoints: [join(root, 'bench', 'loghub-run.ts')],
  outfile: bundle,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});

const extra = args.includes('--verbose') ? ['--verbose'] : [];
const run = spawnSync(process.execPath, ['--expose-gc', bundle, data, ...extra], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
