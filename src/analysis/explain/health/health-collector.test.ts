import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricsCollector } from './health-collector.js';
import type { MetricSample } from './health-metrics.js';

const START = Date.UTC(2026, 2, 14, 8);

const sampleArbitrary = fc.record({
  offset: fc.integer({ min: 0, max: 6 * 3_600_000 }),
  host: fc.constantFrom('web-1', 'web-2', 'db-1'),
  metric: fc.constantFrom('cpu_percent', 'memory_used_bytes', 'node_disk_written_bytes_total'),
  // Integers: sums are exact whatever order they are added in.
  value: fc.integer({ min: 0, max: 1_000_000 }),
  line: fc.nat(10_000),
});

function collect(samples: readonly MetricSample[], maxBuckets = 200): MetricsCollector {
  const collector = new MetricsCollector({ maxBuckets });
  for (const sample of samples) collector.add(sample);
  return collector;
}

describe('MetricsCollector', () => {
  it('partials merged in input order give what one pass gives (counters included)', () => {
    fc.assert(
      fc.property(
        fc.array(sampleArbitrary, { minLength: 1, maxLength: 300 }),
        fc.array(fc.nat(300), { maxLength: 4 }),
        (raw, cutsRaw) => {
          // Counters read in time order, as every input delivers them.
          const samples: MetricSample[] = raw
            .sort((a, b) => a.offset - b.offset)
            .map((r) => ({ ...r, time: START + r.offset, source: 'm.csv' }));
          const cuts = [...new Set(cutsRaw.map((c) => c % samples.length))].sort((a, b) => a - b);
          const merged = new MetricsCollector({ maxBuckets: 200 });
          let from = 0;
          for (const cut of [...cuts, samples.length]) {
            // Through structuredClone, as between worker threads.
            merged.merge(structuredClone(collect(samples.slice(from, cut)).partial()));
            from = cut;
          }
          expect(merged.finish()).toEqual(collect(samples).finish());
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('keeps its memory bounded: buckets coarsen, series past the cap are counted as dropped', () => {
    const collector = new MetricsCollector({ maxBuckets: 100, maxSeries: 3 });
    for (let i = 0; i < 20_000; i++)
      collector.add({ time: START + i * 10_000, host: `h${i % 5}`, metric: 'cpu', value: i % 100 });
    const partial = collector.partial();
    expect(partial.length).toBeLessThanOrEqual(100);
    expect(partial.series).toHaveLength(3);
    expect(collector.dropped).toBe(8000);
    expect(partial.bucketMs).toBe(3_600_000);
    const [first] = collector.finish();
    expect(first?.points.every((p) => p.count > 0)).toBe(true);
  });

  it('keeps where the extremes were read, and turns counters into rates with resets', () => {
    const collector = new MetricsCollector();
    const at = (s: number) => START + s * 1000;
    collector.add({ time: at(0), host: 'a', metric: 'cpu', value: 0.2, source: 'x.csv', line: 2 });
    collector.add({
      time: at(0.5),
      host: 'a',
      metric: 'cpu',
      value: 0.9,
      source: 'y.csv',
      line: 7,
    });
    for (const [s, v] of [
      [0, 100],
      [10, 200],
      [20, 50],
    ] as const)
      collector.add({ time: at(s), host: 'a', metric: 'requests_total', value: v });
    const [cpu, requests] = collector.finish();
    expect(cpu?.points[0]).toMatchObject({
      value: expect.closeTo(55, 9),
      low: 20,
      high: 90,
      lowAt: { source: 'x.csv', line: 2 },
      highAt: { source: 'y.csv', line: 7 },
    });
    expect(cpu).toMatchObject({ unit: 'percent', label: 'CPU', exhaustedAt: 100 });
    expect(requests?.points.map((p) => p.value)).toEqual([10, 5]);
  });
});
