// The incident-scenario generator (issue 4, "How it is judged") from the command line.
// Usage: node bench/scenarios.mjs list
//        node bench/scenarios.mjs write KIND SEED DIR
//        node bench/scenarios.mjs write-all SEEDS DIR
//        node bench/scenarios.mjs stats KIND SEED
//        node bench/scenarios.mjs check SEEDS
//        node bench/scenarios.mjs evaluate [SEEDS] [KIND...]
// Bundles bench/scenarios/cli.ts with esbuild into bench/out/ and runs it (see bench/scenarios/README.md).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const bundle = join(outDir, 'scenarios-cli.mjs');
await build({
  entryPoints: [join(root, 'bench', 'scenarios', 'cli.ts')],
  outfile: bundle,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
