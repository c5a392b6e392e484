import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Exporter,
  freePort,
  hasPrometheus,
  type RunningPrometheus,
  SKIP_REASON,
  startExporter,
  startPrometheus,
} from '../../../test/support/prometheus.js';
import type { MetricSample } from '../../analysis/explain/health/health.js';
import {
  clamp,
  HOUR,
  MINUTE,
  quietFleet,
  replace,
  START,
  WINDOWS,
} from '../../analysis/explain/health/health-testing.js';
import { healthLines } from '../../analysis/report/render-health.js';
import { healthSchema } from '../../analysis/report/sections.js';
import { normal, seededRandom } from '../../analysis/series/testing.js';
import { UserError } from '../../core/errors.js';
import { explainHealth, type HealthContext } from './explain-health.js';

const temp = mkdtempSync(join(tmpdir(), 'calm-explain-health-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  writeFileSync(join(temp, name), text);
  return name;
};
const lineOf = (name: string, line: number) =>
  readFileSync(join(temp, name), 'utf8').split('\n')[line - 1] ?? '';

const SPAN = { from: START, to: START + 150 * MINUTE };
const context = (extra: Partial<HealthContext> = {}): HealthContext => ({
  span: SPAN,
  windows: { incident: WINDOWS.incident, baseline: [WINDOWS.baseline] },
  now: START + 3 * HOUR,
  defaultZone: 'UTC',
  resolvePath: (path) => join(temp, path),
  ...extra,
});

async function explain(
  inputs: Parameters<typeof explainHealth>[0],
  extra?: Partial<HealthContext>,
) {
  const result = await explainHealth(inputs, context(extra));
  if (!result) throw new Error('no health section');
  // Through JSON, as the report is written: the section must survive it and its schema.
  return { ...result, section: healthSchema.parse(JSON.parse(JSON.stringify(result.section))) };
}

/** Two and a half hours of readings a minute from three hosts, one row per host and minute. */
function wideCsv(): string {
  const random = seededRandom(11);
  const rows = ['timestamp,host,cpu_percent,mem_percent,disk_used_percent,load1'];
  for (let m = 0; m < 150; m++)
    for (const host of ['web-1', 'web-2', 'db-1']) {
      const noise = (scale: number) => normal(random) * scale;
      // db-1's disk fills 4 points an hour from 81%: full about 2 h 15 min after the end.
      const disk = host === 'db-1' ? 81 + (4 * m) / 60 + noise(0.2) : 60 + noise(0.3);
      const cells = [30 + noise(5), 40 + noise(1), disk, Math.max(0, 1 + noise(0.3))];
      const time = new Date(START + m * MINUTE).toISOString();
      rows.push([time, host, ...cells.map((v) => v.toFixed(2))].join(','));
    }
  return `${rows.join('\n')}\n`;
}

/** Readings as long CSV: one reading per row, labels in the metric's name. */
function longCsv(samples: readonly MetricSample[]): string {
  const rows = samples.map((s) => {
    const name = s.resource ? `"${s.metric}{mountpoint=""${s.resource}""}"` : s.metric;
    return `${new Date(s.time).toISOString()},${s.host},${name},${s.value}`;
  });
  return `timestamp,host,metric,value\n${rows.join('\n')}\n`;
}

/** Readings as a JSON array, one object per line (so evidence cites the reading's own line). */
const jsonArray = (samples: readonly MetricSample[]) =>
  `[\n${samples
    .map((s) =>
      JSON.stringify({
        time: new Date(s.time).toISOString(),
        host: s.host,
        metric: s.metric,
        value: s.value,
      }),
    )
    .join(',\n')}\n]\n`;

describe('explainHealth: metrics files', () => {
  it('is undefined when no metrics were given', async () => {
    expect(await explainHealth({}, context())).toBeUndefined();
    expect(await explainHealth({ metrics: [] }, context())).toBeUndefined();
  });

  it('finds a disk filling on one host in wide CSV, with the time it will be full', async () => {
    const file = write('metrics.csv', wideCsv());
    const { section, answer } = await explain({ metrics: [file] });
    expect(section.found).toBe(true);
    expect(answer).toBe(section.answer);
    expect(answer).toMatch(
      /^disk on db-1 at 9\d%, \+(3\.9|4|4\.1)%\/h, full in ~2 h \d+ min \(around /,
    );
    expect(section.findings.map((f) => [f.kind, f.host, f.resourceKind])).toEqual([
      ['filling', 'db-1', 'disk'],
    ]);
    const [finding] = section.findings;
    expect(finding?.ratePerHour).toBeCloseTo(4, 0);
    const projected = START + 150 * MINUTE + 2.25 * HOUR;
    expect(Math.abs((finding?.exhaustedBy ?? 0) - projected)).toBeLessThan(15 * MINUTE);
    expect(section.confidence).toBe(finding?.confidence);
    expect(section.confidence).toBeGreaterThan(0.99);
    expect(section.tested).toEqual({ series: 12, hosts: 3 });
    // The evidence cites the file's own line, and that line is db-1's.
    const example = finding?.examples[0];
    expect(example).toMatchObject({ source: 'metrics.csv', host: 'db-1' });
    expect(lineOf(file, example?.line ?? 0)).toMatch(/,db-1,/);

    const lines = healthLines(section);
    expect(lines[0]).toBe(`  ${answer}`);
    expect(lines[1]).toMatch(/^ {2}100% {2}disk on db-1 at 9\d%/);
    expect(lines[2]).toMatch(/^ {8}metrics\.csv:\d+ {2}disk_used_percent 9\d%$/);
  });

  it('without windows, judges trends over the last quarter of the span', async () => {
    const file = write('metrics-trend.csv', wideCsv());
    const { section } = await explain({ metrics: [file] }, { windows: undefined });
    expect(section.findings.map((f) => [f.kind, f.host])).toEqual([['filling', 'db-1']]);
    // Nor without the logs' span: the metrics' own span stands in.
    const own = await explain({ metrics: [file] }, { windows: undefined, span: undefined });
    expect(own.section.findings.map((f) => [f.kind, f.host])).toEqual([['filling', 'db-1']]);
  });

  it('says when the metrics are of another time than the logs', async () => {
    const file = write('other-day.csv', wideCsv());
    const day = 24 * HOUR;
    const { section } = await explain(
      { metrics: [file] },
      { span: { from: SPAN.from - day, to: SPAN.to - day }, windows: undefined },
    );
    // Readings after the incident cannot tell its trends: nothing was tested.
    expect(section.found).toBe(false);
    expect(section.confidence).toBe(0);
    expect(section.notes).toContain(
      'The metrics (2026-03-14T08:00:00.000Z to 2026-03-14T10:29:00.000Z) do not overlap the logs (2026-03-13T08:00:00.000Z to 2026-03-13T10:30:00.000Z).',
    );
  });

  it('a quiet fleet in long CSV gives found: false, and says what was tested', async () => {
    const file = write('quiet.csv', longCsv(quietFleet({ seed: 6, noise: 'gaussian' })));
    const { section } = await explain({ metrics: [file] });
    expect(section).toMatchObject({
      found: false,
      answer:
        'No metric moved against the baseline and nothing is filling up (16 series on 4 hosts (CPU, memory, disk, load)).',
      confidence: 0.99,
      findings: [],
      tested: { series: 16, hosts: 4 },
    });
    expect(healthLines(section)).toEqual([`  ${section.answer}`]);
  });

  it('reads every file into one collection: CPU in JSON, the rest in long CSV', async () => {
    const fleet = replace(
      quietFleet({ seed: 1, noise: 'gaussian' }),
      'web-2',
      'cpu_percent',
      (m, v) => (m >= 120 ? clamp(v + 65, 0, 100) : v),
    );
    const cpu = write('cpu.json', jsonArray(fleet.filter((s) => s.metric === 'cpu_percent')));
    const rest = write('rest.csv', longCsv(fleet.filter((s) => s.metric !== 'cpu_percent')));
    const { section } = await explain({ metrics: [rest, cpu] });
    expect(section.answer).toMatch(
      /^CPU from 3\d% to 9\d% on web-2 only \(the other 3 hosts did not move\)\.$/,
    );
    expect(section.tested).toEqual({ series: 16, hosts: 4 });
    const [finding] = section.findings;
    expect(finding).toMatchObject({ kind: 'shift', host: 'web-2', direction: 'up' });
    expect(finding?.before).toBeLessThan(40);
    expect(finding?.after).toBeGreaterThan(90);
    const example = finding?.examples[0];
    expect(example?.source).toBe('cpu.json');
    expect(lineOf(cpu, example?.line ?? 0)).toMatch(/"host":"web-2","metric":"cpu_percent"/);
  });

  it('notes rows that could not be read, and keeps the rest', async () => {
    const text = wideCsv().replace(/\n2026-03-14T08:05:00.000Z,web-1,/, '\nsoon,web-1,');
    const file = write('some-bad.csv', text);
    const { section } = await explain({ metrics: [file] });
    expect(section.found).toBe(true);
    expect(section.notes).toContainEqual(
      expect.stringMatching(
        /^some-bad\.csv: 1 of 450 rows could not be read \(e\.g\. line 17: no readable time: soon,web-1,/,
      ),
    );
    expect(healthLines(section).at(-1)).toMatch(/^ {2}note: some-bad\.csv: 1 of 450 rows/);
  });
});

describe('explainHealth: inputs it cannot use are a UserError naming the fix', () => {
  const fails = (inputs: Parameters<typeof explainHealth>[0]) =>
    explainHealth(inputs, context()).then(
      () => undefined,
      (error: unknown) => error,
    );

  it('a missing file, a folder', async () => {
    const missing = await fails({ metrics: ['nope.csv'] });
    expect(missing).toBeInstanceOf(UserError);
    expect((missing as Error).message).toBe(
      '--metrics nope.csv: no such file; give a CSV or JSON file of metrics (check the path)',
    );
    mkdirSync(join(temp, 'folder'), { recursive: true });
    expect(await fails({ metrics: ['folder'] })).toMatchObject({
      name: 'UserError',
      message: expect.stringMatching(/^--metrics folder: is a folder; give a CSV or JSON file/),
    });
  });

  it('a CSV with no time column, a file of which no row reads, JSON that is not JSON', async () => {
    const noTime = write('no-time.csv', 'host,cpu_percent\nweb-1,30\n');
    expect(await fails({ metrics: [noTime] })).toMatchObject({
      name: 'UserError',
      message: expect.stringMatching(
        /^no-time\.csv: no time column in the header .*; name one timestamp/,
      ),
    });
    const unreadable = write('unreadable.csv', 'time,cpu_percent\nmonday,30\ntuesday,31\n');
    expect(await fails({ metrics: [unreadable] })).toMatchObject({
      name: 'UserError',
      message:
        '--metrics unreadable.csv: none of its 2 rows could be read (line 2: no readable time: monday,30); give a time column and either a column per metric or metric and value columns',
    });
    const broken = write('broken.json', '[{"time": 1, ');
    expect(await fails({ metrics: [broken] })).toMatchObject({
      name: 'UserError',
      message: expect.stringMatching(/^broken\.json: not valid JSON/),
    });
  });

  it('--prometheus with no query, and a Prometheus that cannot be reached', async () => {
    expect(await fails({ prometheus: { url: 'http://127.0.0.1:9', queries: [] } })).toMatchObject({
      name: 'UserError',
      message:
        '--prometheus http://127.0.0.1:9 needs at least one --query PROMQL; add e.g. --query node_load1',
    });
    const port = await freePort();
    const error = await fails({ prometheus: { url: `http://127.0.0.1:${port}`, queries: ['up'] } });
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Cannot reach Prometheus at http://127.0.0.1:${port}: ECONNREFUSED; check the --prometheus URL`,
      ),
    );
  });
});

describe('explainHealth: the range and step asked of Prometheus', () => {
  it("asks for the logs' span widened a little, at most about 1,000 points", async () => {
    const asked: URLSearchParams[] = [];
    // A stand-in that answers query_range like Prometheus: a flat load on web-1 at every step.
    const server = createServer((request, response) => {
      const params = new URL(request.url ?? '/', 'http://x').searchParams;
      asked.push(params);
      const [start, end, step] = ['start', 'end', 'step'].map((k) =>
        Number.parseFloat(params.get(k) ?? ''),
      );
      const values: [number, string][] = [];
      for (let t = start as number; t <= (end as number); t += step as number)
        values.push([t, '1']);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [{ metric: { __name__: 'node_load1', instance: 'web-1:9100' }, values }],
          },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const { section } = await explain({ prometheus: { url, queries: ['node_load1'] } });
      expect(asked).toHaveLength(1);
      const params = asked[0] as URLSearchParams;
      const start = Number(params.get('start')) * 1000;
      const end = Number(params.get('end')) * 1000;
      const step = Number.parseInt(params.get('step') ?? '', 10);
      expect(params.get('query')).toBe('node_load1');
      expect(start).toBeLessThan(SPAN.from);
      expect(start).toBeGreaterThanOrEqual(SPAN.from - 20 * MINUTE);
      expect(end).toBeGreaterThan(SPAN.to);
      expect(end).toBeLessThanOrEqual(SPAN.to + 20 * MINUTE);
      expect((end - start) / 1000 / step).toBeLessThanOrEqual(1000);
      expect((end - start) / 1000 / step).toBeGreaterThan(500);
      expect(section).toMatchObject({ found: false, tested: { series: 1, hosts: 1 } });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe.skipIf(!hasPrometheus)(
  `explainHealth against a real Prometheus (${hasPrometheus ? 'runs' : SKIP_REASON})`,
  () => {
    let exporter: Exporter;
    let prometheus: RunningPrometheus;

    beforeAll(async () => {
      // The queries below compute their readings (time(), vector()): nothing needs scraping,
      // but the helper's Prometheus is given a target as in prometheus.test.ts.
      exporter = await startExporter((scrape) => `calm_test_up ${scrape}\n`);
      prometheus = await startPrometheus({ targets: [exporter.target] });
    }, 30_000);

    afterAll(async () => {
      await prometheus?.stop();
      await exporter?.close();
    });

    it('finds CPU from 30% to 95% on web-2 only, over the windows of the logs', async () => {
      const now = Date.now();
      const span = { from: now - 150 * MINUTE, to: now };
      const incident = { from: now - 30 * MINUTE, to: now };
      // web-2 at 30% until the incident, 95% since; web-1 at 30% throughout.
      const shift = `vector(30 + 65 * (time() > bool ${incident.from / 1000}))`;
      const query = `label_replace(label_replace(${shift}, "instance", "web-2:9100", "", "") or label_replace(vector(30), "instance", "web-1:9100", "", ""), "__name__", "cpu_percent", "", "")`;
      const { section } = await explain(
        { prometheus: { url: prometheus.url, queries: [query] } },
        {
          span,
          windows: { incident, baseline: [{ from: span.from, to: incident.from }] },
          now,
        },
      );
      expect(section.answer).toBe(
        'CPU from 30% to 95% on web-2 only (the other 1 host did not move).',
      );
      expect(section.findings).toHaveLength(1);
      expect(section.findings[0]).toMatchObject({
        kind: 'shift',
        host: 'web-2',
        metric: 'cpu_percent',
        before: 30,
        after: 95,
      });
      expect(section.findings[0]?.examples[0]?.source).toBe(`prometheus ${query}`);
      expect(section.tested).toEqual({ series: 2, hosts: 2 });
    });

    it("a bad query is a UserError with Prometheus' own message", async () => {
      const result = explainHealth(
        { prometheus: { url: prometheus.url, queries: ['rate('] } },
        context({
          now: Date.now(),
          span: { from: Date.now() - HOUR, to: Date.now() },
          windows: undefined,
        }),
      );
      await expect(result).rejects.toThrow(UserError);
      await expect(result).rejects.toThrow(
        /^Prometheus rejected the query "rate\(": .*parse error/,
      );
    });
  },
);
