// Prints the web app's JavaScript and CSS as shipped (dist/web/assets), raw and
// gzipped, and exits 1 when the JavaScript is over the budget (300 kB gzipped,
// issue 7). Run after a build: `npm run build && node scripts/web-size.mjs`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const JS_BUDGET_GZIP = 300 * 1024;

export function measureWebAssets(dir = 'dist/web/assets') {
  const files = readdirSync(dir).filter((name) => /\.(js|css)$/.test(name));
  return files.map((name) => {
    const body = readFileSync(join(dir, name));
    return { name, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const assets = measureWebAssets();
  const kB = (n) => `${(n / 1024).toFixed(1)} kB`;
  for (const a of assets)
    console.log(`${a.name.padEnd(28)} ${kB(a.bytes).padStart(9)}  gzip ${kB(a.gzip)}`);
  const js = assets.filter((a) => a.name.endsWith('.js')).reduce((sum, a) => sum + a.gzip, 0);
  console.log(`JavaScript gzipped: ${kB(js)} of ${kB(JS_BUDGET_GZIP)}`);
  if (js > JS_BUDGET_GZIP) process.exitCode = 1;
}
