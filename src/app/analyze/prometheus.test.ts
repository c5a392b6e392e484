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
import { analyzeHealth, MetricsCollector } from '../../analysis/explain/health/health.js';
import { UserError } from '../../core/errors.js';
import { chooseStepSeconds, MAX_POINTS, queryPrometheus } from './prometheus.js';

const GAUGE = 'calm_test_disk_used_percent';

describe('chooseStepSeconds', () => {
  it('aims at about 1,000 points, whole seconds, at least 1 s', () => {
    expect(chooseStepSeconds(0, 3_600_000)).toBe(4);
    expect(chooseStepSeconds(0, 60_000)).toBe(1);
    expect(chooseStepSeconds(0, 60_000, 15_000)).toBe(15);
  });

  it('never asks for more than 11,000 points per series, whatever the step wanted', () => {
    for (const days of [1, 7, 30, 365]) {
      const range = days * 86_400_000;
      const step = chooseStepSeconds(0, range, 1000);
      expect(range / 1000 / step).toBeLessThanOrEqual(MAX_POINTS);
    }
  });
});

describe('queryPrometheus without a Prometheus', () => {
  it('says the server cannot be reached, in one line', async () => {
    const port = await freePort();
    const query = queryPrometheus({
      url: `http://127.0.0.1:${port}`,
      query: 'up',
      start: 0,
      end: 60_000,
    });
    await expect(query).rejects.toThrow(UserError);
    await expect(query).rejects.toThrow(
      new RegExp(
        `^Cannot reach Prometheus at http://127.0.0.1:${port}: ECONNREFUSED; check the --prometheus URL`,
      ),
    );
  });

  it('says when the URL is not a Prometheus', async () => {
    const exporter = await startExporter(() => 'x 1\n');
    try {
      await expect(
        queryPrometheus({ url: exporter.url, query: 'up', start: 0, end: 60_000 }),
      ).rejects.toThrow(
        /did not answer like Prometheus' HTTP API \(HTTP 404, text\/plain\); check the --prometheus URL$/,
      );
    } finally {
      await exporter.close();
    }
  });

  it('refuses an empty range and a malformed URL', async () => {
    await expect(
      queryPrometheus({ url: 'http://x', query: 'up', start: 5, end: 5 }),
    ).rejects.toThrow(/range is empty/);
    await expect(
      queryPrometheus({ url: 'not a url', query: 'up', start: 0, end: 5 }),
    ).rejects.toThrow(/is not a URL/);
  });
});

describe.skipIf(!hasPrometheus)(
  `queryPrometheus against a real Prometheus (${hasPrometheus ? 'runs' : SKIP_REASON})`,
  () => {
    let exporter: Exporter;
    let prometheus: RunningPrometheus;
    let started = 0;

    beforeAll(async () => {
      // A disk filling one point a second on "/": 50%, 51%, 52% ...
      exporter = await startExporter((scrape) =>
        [
          `# HELP ${GAUGE} Disk used.`,
          `# TYPE ${GAUGE} gauge`,
          `${GAUGE}{mountpoint="/"} ${50 + scrape}`,
          '',
        ].join('\n'),
      );
      started = Date.now();
      prometheus = await startPrometheus({ targets: [exporter.target] });
      // Prometheus sends its first targets to the scraper after 5 s, then scrapes every second.
      await prometheus.waitForSamples(GAUGE, 5);
    }, 30_000);

    afterAll(async () => {
      await prometheus?.stop();
      await exporter?.close();
    });

    it('reads the scraped gauge as readings of host 127.0.0.1, mount point /', async () => {
      const input = await queryPrometheus({
        url: prometheus.url,
        query: GAUGE,
        start: started,
        end: Date.now(),
        stepMs: 1000,
      });
      expect(input.form).toBe('prometheus');
      expect(input.rows).toBe(1);
      expect(input.samples.length).toBeGreaterThanOrEqual(4);
      expect(input.samples[0]).toMatchObject({
        host: '127.0.0.1',
        metric: GAUGE,
        resource: '/',
        line: 1,
      });
      const values = input.samples.map((s) => s.value);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect((values.at(-1) ?? 0) - (values[0] ?? 0)).toBeGreaterThanOrEqual(3);
    });

    it('feeds the health analysis: an expression named like a metric, a disk filling 4%/h', async () => {
      const end = Date.now();
      const start = end - 150 * 60_000;
      // Prometheus computes the ramp itself (time()), so no hours of scraping are needed.
      const ramp = `vector(81 + 4 * (time() - ${start / 1000}) / 3600)`;
      const query = `label_replace(label_replace(${ramp}, "instance", "db-1:9100", "", ""), "mountpoint", "/", "", "")`;
      const input = await queryPrometheus({
        url: prometheus.url,
        query,
        name: 'disk_used_percent',
        start,
        end,
        stepMs: 60_000,
      });
      expect(input.samples).toHaveLength(151);
      const collector = new MetricsCollector();
      for (const sample of input.samples) collector.add(sample);
      const health = analyzeHealth(collector, { incident: { from: end - 30 * 60_000, to: end } });
      expect(health.answer).toMatch(
        /^disk \/ on db-1 at 91%, \+4%\/h, full in ~2 h 15 min \(around /,
      );
    });

    it("passes on Prometheus' own message for a bad query", async () => {
      const query = queryPrometheus({
        url: prometheus.url,
        query: 'rate(',
        start: started,
        end: Date.now(),
      });
      await expect(query).rejects.toThrow(UserError);
      await expect(query).rejects.toThrow(/^Prometheus rejected the query "rate\(": .*parse error/);
    });

    it('says when the query matches nothing', async () => {
      await expect(
        queryPrometheus({
          url: prometheus.url,
          query: 'calm_no_such_metric',
          start: started,
          end: Date.now(),
        }),
      ).rejects.toThrow(
        /^Prometheus returned no series for "calm_no_such_metric" between .*; check the metric name/,
      );
    });

    it('a month at a 1 s step is raised to a step Prometheus accepts, with a warning', async () => {
      const end = Date.now();
      // vector(1) has a value at every step: the full 11,000 points, and no labels.
      const input = await queryPrometheus({
        url: prometheus.url,
        query: 'vector(1)',
        start: end - 30 * 86_400_000,
        end,
        stepMs: 1000,
      });
      expect(input.samples.length).toBeGreaterThan(10_000);
      expect(input.samples.length).toBeLessThanOrEqual(MAX_POINTS + 1);
      expect(input.samples[0]).toMatchObject({ host: '(unknown)', metric: 'vector(1)', value: 1 });
      expect(input.warnings).toContain(
        'Step raised to 236s: Prometheus returns at most 11000 points per series.',
      );
    });
  },
);
