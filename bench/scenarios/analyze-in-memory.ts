/**
 * The engine's reader and Analyzer on a scenario's logs, in memory and in one
 * thread, without the side inputs (changes, cron, metrics, reports): what
 * `calm analyze` did before those were wired in. The scored evaluation runs
 * the real CLI instead (evaluate.ts); this stays for the reader test in
 * test/scenarios/parts.test.ts (every line read, every host named).
 */
import { Analyzer } from '../../src/analysis/analyzer.js';
import { readAll } from '../../src/analysis/read/index.js';
import type { AnalysisReport } from '../../src/analysis/report/model.js';
import type { Scenario } from './truth.js';

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
