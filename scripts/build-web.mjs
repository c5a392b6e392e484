// Builds the web app (web/) with Vite into `<outDir>/web`. The CLI is built on
// every `npm start`, `npm test` and `npm run build`, and must stay fast: when
// web/'s sources (and the lock file) are what the last build was made from, the
// last build (dist/web) is copied instead, in milliseconds.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = '.source-hash';
// src/core too: the app takes the domain's types and lists (web/src/types.ts) from there.
const INPUTS = ['web', 'src/core', 'package-lock.json', 'scripts/build-web.mjs'];

function hashInputs() {
  const hash = createHash('sha256');
  const add = (path) => {
    if (statSync(path).isDirectory()) {
      const names = readdirSync(path).sort();
      for (const name of names)
        if (name !== 'node_modules' && !name.startsWith('.')) add(join(path, name));
      return;
    }
    hash.update(`${path}\0`);
    hash.update(readFileSync(path));
  };
  for (const input of INPUTS) add(input);
  return hash.digest('hex');
}

/** Builds (or reuses) the app into `${outDir}/web`; returns what it did, for the log. */
export async function buildWeb(outDir, previous = 'dist/web') {
  const target = join(outDir, 'web');
  const sourceHash = hashInputs();
  const stamp = join(previous, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceHash) {
    try {
      cpSync(previous, target, { recursive: true });
      return 'reused';
    } catch {
      // a concurrent build swapped dist/ away mid-copy: build it instead
    }
  }
  // Vite builds React's development bundle when NODE_ENV says so (vitest sets it to 'test')
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({
    root: 'web',
    mode: 'production',
    configFile: 'web/vite.config.ts',
    logLevel: 'warn',
    build: { outDir: join(process.cwd(), target), emptyOutDir: true },
  });
  writeFileSync(join(target, STAMP), sourceHash);
  return 'built';
}
