/**
 * The scenario generator from the command line (bundled and run by
 * bench/scenarios.mjs):
 *
 *   list                          the kinds, one a line
 *   write KIND SEED DIR           one scenario into DIR (files, truth.json, scenario.json)
 *   write-all SEEDS DIR           every kind for seeds 1..SEEDS into DIR/KIND-SEED
 *   stats KIND SEED               files, lines and generation time
 *   check SEEDS                   every kind for seeds 1..SEEDS: whole, truth refers to its files
 *   evaluate [SEEDS] [KIND...]    dist/calm.js on seeds 1..SEEDS (default 3), scored: a table
 *                                 of ok/total per kind x answer, a JSON line, the misses
 */
import { join } from 'node:path';
import { evaluate, MissingBuildError } from './evaluate.js';
import { generateScenario, isScenarioKind, listKinds } from './generate.js';
import { formatJson, formatMisses, formatTable, tally } from './tally.js';
import type { ScenarioKind } from './truth.js';
import { validateScenario } from './validate.js';
import { writeScenario } from './write.js';

function kindOf(value: string | undefined): ScenarioKind {
  if (value && isScenarioKind(value)) return value;
  throw new UsageError(`unknown kind ${value ?? '(none)'}; one of: ${listKinds().join(', ')}`);
}

function seedOf(value: string | undefined): number {
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`seed must be an integer, got ${value}`);
  return seed;
}

class UsageError extends Error {}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  switch (command) {
    case 'list':
      for (const kind of listKinds()) console.log(kind);
      return;
    case 'write': {
      const [kind, seed, dir] = rest;
      if (!dir) throw new UsageError('usage: write KIND SEED DIR');
      const scenario = generateScenario(kindOf(kind), seedOf(seed));
      await writeScenario(scenario, dir);
      console.log(`${scenario.kind} ${scenario.seed}: ${scenario.title} -> ${dir}`);
      console.log(`  calm analyze ${scenario.args.join(' ')}   (from ${dir})`);
      return;
    }
    case 'write-all': {
      const [count, dir] = rest;
      if (!dir) throw new UsageError('usage: write-all SEEDS DIR');
      for (const kind of listKinds())
        for (let seed = 1; seed <= seedOf(count); seed++) {
          const scenario = generateScenario(kind, seed);
          await writeScenario(scenario, join(dir, `${kind}-${seed}`));
          console.log(`${kind} ${seed}: ${scenario.title}`);
        }
      return;
    }
    case 'stats': {
      const started = performance.now();
      const scenario = generateScenario(kindOf(rest[0]), seedOf(rest[1]));
      const ms = performance.now() - started;
      let lines = 0;
      for (const file of scenario.files) {
        const n = file.content.split('\n').length - 1;
        lines += n;
        console.log(`${String(n).padStart(8)}  ${file.path}`);
      }
      console.log(`${String(lines).padStart(8)}  lines in ${ms.toFixed(0)} ms: ${scenario.title}`);
      console.log(JSON.stringify(scenario.truth, null, 2));
      return;
    }
    case 'check': {
      let bad = 0;
      for (const kind of listKinds())
        for (let seed = 1; seed <= seedOf(rest[0] ?? '10'); seed++) {
          const started = performance.now();
          const scenario = generateScenario(kind, seed);
          const ms = performance.now() - started;
          const problems = validateScenario(scenario);
          if (problems.length) bad++;
          console.log(
            `${problems.length ? 'BAD ' : 'ok  '} ${kind} ${seed} (${ms.toFixed(0)} ms) ${problems.join('; ')}`,
          );
        }
      if (bad) process.exitCode = 1;
      return;
    }
    case 'evaluate': {
      const seeds = Array.from({ length: rest[0] ? seedOf(rest[0]) : 3 }, (_, i) => i + 1);
      const kinds = rest.length > 1 ? rest.slice(1).map(kindOf) : listKinds();
      const evaluations = await evaluate(kinds, seeds, {
        concurrency: 2,
        onEvaluated: (e) => {
          const ok = e.results.filter((r) => r.ok).length;
          console.error(
            `${e.kind} ${e.seed}: ${ok}/${e.results.length} right in ${(e.ms / 1000).toFixed(1)} s${e.error ? ` (${e.error})` : ''}`,
          );
        },
      });
      const totals = tally(evaluations);
      console.log(formatTable(totals));
      console.log(formatJson(totals));
      if (totals.dropped.length)
        console.log(
          `this build of calm does not know ${totals.dropped.join(', ')}: the scenarios ran without them`,
        );
      const misses = formatMisses(evaluations);
      if (misses.length) {
        console.log(
          `${misses.length} misses (to look closer: write KIND SEED DIR, then calm analyze there):`,
        );
        for (const miss of misses) console.log(miss);
      }
      return;
    }
    default:
      throw new UsageError(
        'commands: list | write KIND SEED DIR | write-all SEEDS DIR | stats KIND SEED | check SEEDS | evaluate [SEEDS] [KIND...]',
      );
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const plain = error instanceof UsageError || error instanceof MissingBuildError;
  console.error(plain ? error.message : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
