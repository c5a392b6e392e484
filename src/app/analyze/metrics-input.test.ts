import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeHealth, MetricsCollector } from '../../analysis/explain/health/health.js';
import {
  clamp,
  quietFleet,
  replace,
  WINDOWS,
} from '../../analysis/explain/health/health-testing.js';
import { UserError } from '../../core/errors.js';
import { parseMetrics, readMetricsFile } from './metrics-input.js';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/metrics');
const fixture = (name: string) => readMetricsFile(join(FIXTURES, name), { name });
const temp = mkdtempSync(join(tmpdir(), 'calm-metrics-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 2, 14, 8);

describe('readMetricsFile: CSV', () => {
  it('reads the wide form; word columns label the readings; bad rows are counted and sampled', async () => {
    const input = await fixture('wide.csv');
    expect(input.form).toBe('csv-wide');
    expect(input.rows).toBe(7);
    expect(input.samples[0]).toEqual({
      time: T0,
      host: 'web-1',
      metric: 'cpu_percent',
      value: 31.5,
      resource: '/',
      source: 'wide.csv',
      line: 3,
    });
    // "95%" reads as 95; an empty cell is no reading; "yesterday" and "high" are bad.
    expect(
      input.samples
        .filter((s) => s.host === 'web-2' && s.metric === 'cpu_percent')
        .map((s) => s.value),
    ).toEqual([29.1, 95, 94]);
    expect(input.samples.filter((s) => s.metric === 'disk_used_percent')).toHaveLength(5);
    expect(input.badRows).toBe(2);
    expect(input.badSamples).toEqual([
      {
        source: 'wide.csv',
        line: 7,
        text: 'no readable time: yesterday,web-1,/,30.2,42.0,61.3,0.8',
      },
      {
        source: 'wide.csv',
        line: 8,
        text: 'a value is not a number: 2026-03-14T08:02:00Z,web-2,/,94.0,high,58.1,1.1',
      },
    ]);
    expect(input.samples.at(-1)).toMatchObject({ time: T0 + 3 * 60_000, line: 9 });
  });

  it('reads the long form with ; delimiters, epoch seconds or ms, and name{labels}', async () => {
    const input = await fixture('long.csv');
    expect(input.form).toBe('csv-long');
    expect(input.samples[0]).toMatchObject({
      time: T0,
      host: 'db-1',
      metric: 'node_filesystem_avail_bytes',
      resource: '/',
      value: 19e9,
    });
    // The instance label names the host; ms and s epochs agree.
    expect(input.samples[4]).toMatchObject({
      time: T0 + 120_000,
      host: 'db-2',
      metric: 'node_load1',
    });
    expect(input.badRows).toBe(1);
    const health = analyzeHealth(collect(input.samples), {
      incident: { from: T0, to: T0 + 600_000 },
    });
    expect(health.tested.series).toBe(2);
  });

  it('refuses a table without a time column, in one line that names the fix', () => {
    expect(() => parseMetrics('host,cpu\nweb-1,30\n', 'm.csv')).toThrow(UserError);
    expect(() => parseMetrics('host,cpu\nweb-1,30\n', 'm.csv')).toThrow(
      /m\.csv: no time column .*name one timestamp, time, ts or date/,
    );
  });

  it('reads gzip files and zones for times without one', async () => {
    const path = join(temp, 'm.csv.gz');
    writeFileSync(path, gzipSync('time,host,cpu\n2026-03-14 09:00:00,web-1,0.5\n'));
    const input = await readMetricsFile(path, { timeZone: 'Europe/Berlin' });
    expect(input.samples[0]).toMatchObject({ time: T0, value: 0.5 });
  });

  it('round-trips any wide table (property)', () => {
    const row = fc.record({
      minute: fc.nat(10_000),
      host: fc.constantFrom('web-1', 'db-1', 'api-3'),
      cpu: fc.double({ min: 0, max: 100, noNaN: true }),
      mem: fc.integer({ min: 0, max: 2 ** 40 }),
      epoch: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), (rows) => {
        const lines = rows.map((r) => {
          const time = T0 + r.minute * 60_000;
          return `${r.epoch ? time : new Date(time).toISOString()},${r.host},${r.cpu},${r.mem}`;
        });
        const input = parseMetrics(
          ['time,host,cpu_percent,memory_used_bytes', ...lines].join('\n'),
          'p.csv',
        );
        expect(input.badRows).toBe(0);
        expect(input.samples.map((s) => [s.time, s.host, s.metric, s.value, s.line])).toEqual(
          rows.flatMap((r, i) => [
            [T0 + r.minute * 60_000, r.host, 'cpu_percent', r.cpu, i + 2],
            [T0 + r.minute * 60_000, r.host, 'memory_used_bytes', r.mem, i + 2],
          ]),
        );
      }),
      { seed: 3, numRuns: 100 },
    );
  });
});

describe('readMetricsFile: JSON', () => {
  it('reads an array of long readings, citing the line each object starts on', async () => {
    const input = await fixture('long.json');
    expect(input.form).toBe('json-long');
    expect(input.samples.map((s) => [s.time, s.value, s.line])).toEqual([
      [T0, 1073741824, 2],
      [T0 + 60_000, 1.08e9, 8],
    ]);
    expect(input.badSamples[0]).toMatchObject({
      line: 14,
      text: expect.stringMatching(/^no readable time/),
    });
  });

  it('reads JSON lines of nested wide objects (host.name, cpu.pct as a fraction)', async () => {
    const input = await fixture('wide.jsonl');
    expect(input.form).toBe('json-wide');
    expect(input.samples[0]).toMatchObject({
      host: 'web-1',
      metric: 'cpu.pct',
      value: 0.31,
      resource: '/',
      line: 1,
    });
    expect(input.samples.filter((s) => s.metric === 'load.1')).toHaveLength(2);
    expect(input.badRows).toBe(1);
    const [cpu] = collect(input.samples).finish();
    expect(cpu).toMatchObject({ label: 'CPU /', unit: 'percent' });
    expect(cpu?.points[0]?.value).toBeCloseTo(31, 6);
  });

  it("reads Prometheus' own query_range response saved to a file", async () => {
    const input = await fixture('prometheus-response.json');
    expect(input.form).toBe('prometheus');
    expect(input.rows).toBe(2);
    expect(input.samples).toEqual([
      {
        time: T0,
        host: 'db-1',
        metric: 'node_filesystem_avail_bytes',
        value: 19e9,
        resource: '/',
        source: 'prometheus-response.json',
        line: 1,
      },
      {
        time: T0 + 60_500,
        host: 'db-1',
        metric: 'node_filesystem_avail_bytes',
        value: 18.9e9,
        resource: '/',
        source: 'prometheus-response.json',
        line: 1,
      },
      {
        time: T0,
        host: 'db-1',
        metric: 'node_filesystem_avail_bytes',
        value: 50e9,
        resource: '/var',
        source: 'prometheus-response.json',
        line: 2,
      },
    ]);
  });
});

function collect(samples: Parameters<MetricsCollector['add']>[0][]): MetricsCollector {
  const collector = new MetricsCollector();
  for (const sample of samples) collector.add(sample);
  return collector;
}

describe('from a file to the health answer', () => {
  it('a wide CSV of a fleet where web-2 went to 95% CPU says so', async () => {
    const fleet = replace(
      quietFleet({ seed: 11, noise: 'ar1', hosts: 3 }),
      'web-2',
      'cpu_percent',
      (m, v) => (m >= 120 ? clamp(v + 65, 0, 100) : v),
    );
    const byRow = new Map<string, Record<string, number>>();
    for (const s of fleet) {
      const key = `${new Date(s.time).toISOString()},${s.host}`;
      byRow.set(key, { ...byRow.get(key), [s.metric]: s.value });
    }
    const header = 'timestamp,host,cpu_percent,memory_used_bytes,disk_used_percent,load1';
    const lines = [...byRow].map(([key, v]) =>
      [key, v.cpu_percent, v.memory_used_bytes, v.disk_used_percent, v.load1].join(','),
    );
    const path = join(temp, 'fleet.csv');
    writeFileSync(path, [header, ...lines].join('\n'));
    const input = await readMetricsFile(path, { name: 'fleet.csv' });
    const health = analyzeHealth(collect(input.samples), WINDOWS);
    expect(health.answer).toMatch(
      /^CPU from \d+% to 9\d% on web-2 only \(the other 2 hosts did not move\)\.$/,
    );
    expect(health.findings[0]?.evidence.lines[0]).toMatchObject({
      source: 'fleet.csv',
      host: 'web-2',
    });
  });
});
