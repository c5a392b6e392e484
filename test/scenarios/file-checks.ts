/**
 * The checks every kind shares: all its files, the same bytes for the same
 * seed, sizes and spans in range, every line readable.
 */
import { expect, it } from 'vitest';
import { generateScenario } from '../../bench/scenarios/generate.js';
import type { ScenarioKind } from '../../bench/scenarios/truth.js';
import { validateScenario } from '../../bench/scenarios/validate.js';
import { accessRecords, appRecords, scenario } from './support.js';

export const SEED = 11;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function checkFilesAndDeterminism(kind: ScenarioKind): void {
  it('generates every file, the same bytes for the same seed', () => {
    const s = scenario(kind, SEED);
    const again = generateScenario(kind, SEED);
    expect(again.files.map((f) => f.path)).toEqual(s.files.map((f) => f.path));
    for (const [i, f] of s.files.entries())
      expect(again.files[i]?.content === f.content).toBe(true);
    expect(JSON.stringify(again.truth)).toBe(JSON.stringify(s.truth));

    expect(validateScenario(s)).toEqual([]);
    const paths = s.files.map((f) => f.path);
    const hosts = new Set(paths.filter((p) => p.startsWith('logs/')).map((p) => p.split('/')[1]));
    expect(hosts.size).toBeGreaterThanOrEqual(3);
    for (const host of hosts) {
      expect(paths).toContain(`logs/${host}/access.log`);
      expect(paths.filter((p) => p.startsWith(`logs/${host}/`)).length).toBeGreaterThan(3);
    }
    for (const side of ['changes.jsonl', 'metrics.csv', 'reports.csv'])
      expect(paths).toContain(side);
    expect(paths.includes('crontab') || paths.includes('cronjobs.yaml')).toBe(true);
    const total = s.files.reduce((n, f) => n + f.content.split('\n').length - 1, 0);
    expect(total).toBeGreaterThanOrEqual(20_000);
    expect(total).toBeLessThanOrEqual(300_000);
    expect(s.span.to - s.span.from).toBeGreaterThanOrEqual(2 * HOUR);
    expect(s.span.to - s.span.from).toBeLessThanOrEqual(3 * 24 * HOUR);
    // every line reads back; every service line names a host and a service
    expect(accessRecords(s).length).toBeGreaterThan(10_000);
    for (const r of appRecords(s))
      expect(r.host && r.service && Number.isFinite(r.time)).toBeTruthy();
  });
}
