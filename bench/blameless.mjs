// Precision and recall of the blameless linter (src/core/review/blame.ts) on the
// labelled sentences in test/fixtures/blameless/sentences.tsv (issue 8: precision at
// least 0.9, recall at least 0.8). A sentence counts as flagged when the linter finds
// anything in it. Prints the misses and false alarms so the rules can be judged.
// Usage: npm run bench:blameless [-- --quiet]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const quiet = process.argv.includes('--quiet');
const out = mkdtempSync(join(tmpdir(), 'calm-blameless-'));
try {
  await build({
    entryPoints: [join(root, 'src/core/review/blame.ts')],
    outfile: join(out, 'blame.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const { lintBlame } = await import(pathToFileURL(join(out, 'blame.mjs')).href);
  const read = (file) =>
    readFileSync(join(root, 'test/fixtures/blameless', file), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .slice(1)
      .map((line) => {
        const [label, sentence] = line.split('\t');
        return { blame: label === 'blame', sentence };
      });
  const measure = (name, rows) => {
    const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
    const started = process.hrtime.bigint();
    for (const { blame, sentence } of rows) {
      const findings = lintBlame(sentence);
      const flagged = findings.length > 0;
      if (blame && flagged) counts.tp++;
      else if (blame) {
        counts.fn++;
        if (!quiet) console.log(`${name}: missed:      ${sentence}`);
      } else if (flagged) {
        counts.fp++;
        if (!quiet) console.log(`${name}: false alarm: ${sentence}   <- "${findings[0].match}"`);
      } else counts.tn++;
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const precision = counts.tp / (counts.tp + counts.fp);
    const recall = counts.tp / (counts.tp + counts.fn);
    return { name, sentences: rows.length, ...counts, precision, recall, ms };
  };
  // sentences.tsv: the rules were written against it; held-out.tsv: written after they were frozen
  const dev = read('sentences.tsv');
  const heldOut = read('held-out.tsv');
  const results = [measure('written against', dev), measure('held out', heldOut)];
  const all = measure('all', [...dev, ...heldOut]);
  console.log('set                  sentences  blame  precision  recall     F1');
  for (const r of [...results, all]) {
    const f1 = (2 * r.precision * r.recall) / (r.precision + r.recall);
    console.log(
      `${r.name.padEnd(20)} ${String(r.sentences).padStart(9)} ${String(r.tp + r.fn).padStart(6)} ` +
        `${r.precision.toFixed(3).padStart(10)} ${r.recall.toFixed(3).padStart(7)} ${f1.toFixed(3).padStart(6)}`,
    );
  }
  console.log(
    `targets (issue 8): precision >= 0.9, recall >= 0.8 on all ${all.sentences}; ${all.ms.toFixed(1)} ms for them`,
  );
  console.log(JSON.stringify({ bench: 'blameless', sets: [...results, all] }));
  if (all.precision < 0.9 || all.recall < 0.8) process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
