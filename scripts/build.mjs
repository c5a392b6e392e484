// Bundles the CLI into one ESM file (plus lazily loaded chunks). One file starts
// markedly faster than hundreds of node_modules files resolved one by one, and
// `calm log` must feel instant (see bench/cli-latency.mjs).
import { chmodSync, renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { buildWeb } from './build-web.mjs';

// Build beside dist/ and swap it in, so a build never leaves a half-written
// dist/ for a concurrent test run or CLI call to trip over.
const staging = `dist.building-${process.pid}`;
await build({
  entryPoints: { calm: 'src/cli/main.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // The native SQLite binding cannot be bundled.
  external: ['better-sqlite3'],
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __calmCreateRequire } from 'node:module';\nconst require = __calmCreateRequire(import.meta.url);",
  },
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
chmodSync(`${staging}/calm.js`, 0o755);
// The web app the server serves at / (dist/web): rebuilt only when web/ changed.
await buildWeb(staging);
const retired = `dist.old-${process.pid}`;
try {
  renameSync('dist', retired);
} catch {
  // no earlier build
}
renameSync(staging, 'dist');
rmSync(retired, { recursive: true, force: true });
