import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContrastCollector } from '../../analysis/explain/contrast/contrast.js';
import {
  AGENTS,
  type AgentName,
  START,
  simulateTraffic,
} from '../../analysis/explain/contrast/contrast.testing.js';
import type { TrafficMix } from '../../analysis/explain/contrast/contrast-rank.js';
import { bugReportLines } from '../../analysis/report/render-reports.js';
import { bugReportsSchema } from '../../analysis/report/sections.js';
import { UserError } from '../../core/errors.js';
import { type BugReportContext, explainBugReports } from './explain-reports.js';

const temp = mkdtempSync(join(tmpdir(), 'calm-explain-reports-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  writeFileSync(join(temp, name), text);
  return name;
};

const HOUR = 3_600_000;
const SPAN = { from: START, to: START + 2 * HOUR };

/** The traffic mix of two hours of simulated shop traffic (Firefox 126 is about 6% of it). */
function trafficOf(seed: number): TrafficMix {
  const collector = new ContrastCollector();
  for (const e of simulateTraffic({ seed, events: 4000, failure: () => 0.01 })) collector.add(e);
  return collector.result().traffic;
}
const traffic = trafficOf(1);

const context = (extra: Partial<BugReportContext> = {}): BugReportContext => ({
  traffic,
  span: SPAN,
  now: START + 3 * HOUR,
  defaultZone: 'UTC',
  resolvePath: (path) => join(temp, path),
  ...extra,
});

async function explain(files: string[], extra?: Partial<BugReportContext>) {
  const result = await explainBugReports({ reports: files }, context(extra));
  if (!result) throw new Error('no bug-reports section');
  // Through JSON, as the report is written: the section must survive it and its schema.
  return {
    ...result,
    section: bugReportsSchema.parse(JSON.parse(JSON.stringify(result.section))),
  };
}

const csvField = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** Reports as a support tool exports them: CSV, one report per row after the header. */
function reportsCsv(agents: readonly AgentName[]): string {
  const rows = agents.map((agent, i) =>
    [
      new Date(START + i * 600_000).toISOString(),
      csvField(AGENTS[agent]),
      `https://shop.example/checkout/${4500 + i}`,
      csvField(i % 2 ? 'Pay button does nothing' : 'Stuck on the payment step'),
    ].join(','),
  );
  return `Created At,User Agent,Page URL,Description\n${rows.join('\n')}\n`;
}

describe('explainBugReports', () => {
  it('is undefined when no reports were given', async () => {
    expect(await explainBugReports({}, context())).toBeUndefined();
    expect(await explainBugReports({ reports: [] }, context())).toBeUndefined();
  });

  it('flags a browser that most reports come from while the traffic says it is rare', async () => {
    const agents: AgentName[] = [
      ...Array<AgentName>(9).fill('firefox126'),
      'chromeWindows',
      'safariIos',
    ];
    const file = write('reports.csv', reportsCsv(agents));
    const { section, answer } = await explain([file]);
    expect(section).toMatchObject({ found: true, reports: 11, unreadable: 0 });
    expect(answer).toBe(section.answer);
    expect(answer).toMatch(
      /^9 of 11 reports are from Firefox 126 on Windows 10 \(\d\.\d% of the traffic\)\./,
    );
    const [top] = section.commonalities;
    expect(top).toMatchObject({
      attribute: 'browser',
      value: 'Firefox 126',
      count: 9,
      of: 11,
      notable: true,
    });
    expect(top?.trafficShare).toBeLessThan(0.1);
    expect(top?.lift).toBeGreaterThan(5);
    expect(top?.confidence).toBeGreaterThan(0.99);
    expect(section.confidence).toBe(top?.confidence);
    expect(top?.examples[0]).toMatchObject({ source: 'reports.csv', line: 2, time: START });

    const lines = bugReportLines(section);
    expect(lines[0]).toBe(`  ${answer}`);
    expect(lines[1]).toMatch(/^ {2}9 of 11 reports are from Firefox 126 .* {2}<- stands out$/);
    expect(lines[2]).toMatch(
      /^ {8}reports\.csv:2 {2}https:\/\/shop\.example\/checkout\/4500 \| Mozilla/,
    );
  });

  it('the most common browser of the traffic is no finding', async () => {
    // Only the browser: pages and words with no traffic to compare with are said as facts.
    const agents: AgentName[] = [
      'chromeWindows',
      'chromeWindows',
      'chromeWindows',
      'safariIos',
      'edge',
    ];
    const csv = `user_agent\n${agents.map((a) => csvField(AGENTS[a])).join('\n')}\n`;
    const { section } = await explain([write('usual.csv', csv)]);
    expect(section.found).toBe(false);
    expect(section.answer).toMatch(/^The 5 reports have nothing clear in common/);
    expect(section.commonalities.find((c) => c.value === 'Chrome 124')).toMatchObject({
      notable: false,
      count: 3,
    });
  });

  it('reads JSON; counts the records it cannot use as unreadable; reads every file', async () => {
    const firefox = write(
      'firefox.json',
      JSON.stringify({
        tickets: [
          {
            createdAt: '2026-03-14T12:10:00Z',
            browser: { name: 'Firefox', version: '126' },
            os: 'Windows 10',
            url: '/cart',
          },
          {
            createdAt: '2026-03-14T12:20:00Z',
            browser: { name: 'Firefox', version: '126' },
            os: 'Windows 10',
            url: '/cart',
          },
          'not a report',
          {},
        ],
      }),
    );
    const more = write(
      'more.csv',
      reportsCsv(['firefox126', 'firefox126', 'firefox126', 'chromeMac']),
    );
    const { section } = await explain([firefox, more]);
    expect(section).toMatchObject({ reports: 6, unreadable: 2, found: true });
    expect(section.commonalities[0]).toMatchObject({ value: 'Firefox 126', count: 5, of: 6 });
    expect(section.commonalities[0]?.examples.map((e) => e.source)).toEqual([
      'firefox.json',
      'firefox.json',
      'more.csv',
    ]);
    expect(bugReportLines(section).at(-1)).toBe('  (2 bug report records could not be read)');
  });

  it('a value the traffic never shows has no finite lift: null in the report', async () => {
    const never: TrafficMix = {
      browser: [
        { value: 'Chrome 124', events: 1000, share: 1 },
        { value: 'Firefox 126', events: 0, share: 0 },
      ],
    };
    const file = write('never.csv', reportsCsv(['firefox126', 'firefox126', 'firefox126']));
    const { section } = await explain([file], { traffic: never });
    const firefox = section.commonalities.find((c) => c.attribute === 'browser');
    expect(firefox).toMatchObject({
      value: 'Firefox 126',
      trafficShare: 0,
      lift: null,
      notable: true,
    });
  });

  it('without a traffic mix, a value most reports share is said as a fact, with no lift', async () => {
    const file = write(
      'no-traffic.csv',
      reportsCsv(['safariIos', 'safariIos', 'safariIos', 'edge']),
    );
    const { section } = await explain([file], { traffic: undefined });
    const safari = section.commonalities.find((c) => c.attribute === 'browser');
    expect(safari).toMatchObject({ value: 'Mobile Safari 17', count: 3, of: 4, notable: true });
    expect(safari).not.toHaveProperty('lift');
    expect(safari).not.toHaveProperty('trafficShare');
  });

  it('says when the reports came after the onset', async () => {
    // Eleven reports in the last twenty minutes of two hours; the errors started 100 minutes in.
    const rows = Array.from(
      { length: 11 },
      (_, i) => `${new Date(START + 100 * 60_000 + i * 110_000).toISOString()},Chrome 124,/cart`,
    );
    const file = write('late.csv', `time,browser,page\n${rows.join('\n')}\n`);
    const { section } = await explain([file], { onset: START + 100 * 60_000 });
    expect(section.found).toBe(true);
    expect(section.answer).toMatch(/11 of the 11 timed reports came after the errors started at/);
  });
});

describe('explainBugReports: files it cannot use are a UserError naming the fix', () => {
  const fails = (files: string[]) =>
    explainBugReports({ reports: files }, context()).then(
      () => undefined,
      (error: unknown) => error,
    );

  it('a missing file', async () => {
    const error = await fails(['nope.csv']);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      '--reports nope.csv: no such file; give a CSV or JSON file of bug reports (check the path)',
    );
  });

  it('a file in which no record can be used', async () => {
    const broken = write('broken.jsonl', '{"time": "2026-03-14T12:00:00Z",\n{"browser": \n');
    const error = await fails([broken]);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^--reports broken\.jsonl: none of its 2 records could be read \(line 1: not JSON\); give CSV with a header row, a JSON array or JSON lines/,
    );
  });
});
