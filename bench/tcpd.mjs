// Scores Calm's default change-point detector on the Turing Change Point Dataset
// (van den Burg & Williams 2020): F1 with a margin of 5 observations and segmentation
// cover, per series and averaged, next to the "zero" baseline that predicts no change.
// Target: average F1 >= 0.78 with the one default setting.
// Usage: npm run bench:tcpd [-- --data DIR]
//   DIR holds annotations.json and datasets/*.json (default: ../shared/datasets/tcpd
//   relative to the repository root).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { data: { type: 'string' } },
  allowPositionals: false,
});
const data = resolve(values.data ?? join(root, '..', 'shared', 'datasets', 'tcpd'));
if (!existsSync(join(data, 'annotations.json')) || !existsSync(join(data, 'datasets'))) {
  console.error(`no TCPD data in ${data} (expected annotations.json and datasets/)`);
  process.exit(2);
}

const outDir = join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const runner = join(outDir, 'tcpd-run.mjs');
await build({
  entryPoints: [join(root, 'bench', 'tcpd-run.ts')],
  outfile: runner,
  bundle: true,
  format: 'esm',
  platform: 'node',
  logLevel: 'warning',
});

console.log(`TCPD benchmark on ${data}`);
const result = spawnSync(process.execPath, [runner, data], { stdio: 'inherit' });
process.exit(result.status ?? 1);
