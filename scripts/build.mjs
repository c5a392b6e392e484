// Bundles the CLI into one ESM file (plus lazily loaded chunks). One file starts
// markedly faster than hundreds of node_modules files resolved one by one, and
// `calm log` must feel instant (see bench/cli-latency.mjs).
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { calm: 'src/cli/main.ts' },
  outdir: 'dist',
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
chmodSync('dist/calm.js', 0o755);
