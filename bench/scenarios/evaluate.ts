/**
 * Runs the current evidence engine on generated scenarios in memory (the
 * reader and the Analyzer, as `calm analyze` does in one thread) and scores
 * each report with score.ts. The side inputs are not read yet: the engine
 * takes them once the lead wires `--changes`, `--cron`, `--metrics` and
 * `--reports` in.
 */
import { Analyzer } from '../../src/analysis/analyzer.js';
import { readAll } from '../../src/analysis/read/index.js';
import type { AnalysisReport } from '../../src/analysis/report/model.js';
import { generateScenario } from './generate.js';
import { type ScoredAnswer, scoreReport } from './score.js';
import type { Scenario, ScenarioKind } from './truth.js';

export function analyzeScenario(scenario: Scenario): AnalysisReport {
  const analyzer = new Analyzer();
  const encoder = new TextEncoder();
  for (const file of scenario.files) {
    if (!file.path.startsWith('logs/')) continue;
    const { events, stats } = readAll(encoder.encode(file.content), {
      source: file.path,
      defaultZone: scenario.timeZone,
      referenceTime: scenario.span.to,
    });
    for (const event of events) analyzer.add(event);
    analyzer.addSource({
      name: file.path,
      format: stats.format ?? 'unknown',
      lines: stats.lines,
      events: stats.events,
      unparseable: stats.unparseable,
      unparseableSamples: stats.samples.map((s) => ({
        source: file.path,
        line: s.line,
        text: s.text,
      })),
    });
  }
  return analyzer.finish(scenario.span.to);
}

export interface Evaluation {
  kind: ScenarioKind;
  seed: number;
  results: ScoredAnswer[];
}

export function evaluate(kinds: readonly ScenarioKind[], seeds: readonly number[]): Evaluation[] {
  const out: Evaluation[] = [];
  for (const kind of kinds)
    for (const seed of seeds) {
      const scenario = generateScenario(kind, seed);
      out.push({ kind, seed, results: scoreReport(analyzeScenario(scenario), scenario.truth) });
    }
  return out;
}
