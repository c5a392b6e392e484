import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_REQUESTS, LatencySketch, OTHER_ENDPOINTS } from './latency.js';
import { RELATIVE_ACCURACY } from './latency-histogram.js';

const T0 = Date.UTC(2026, 2, 14, 9, 0, 0);
const DAY = 86_400_000;
const EVERYTHING = [{ from: -Infinity, to: Infinity }];

/** The exact value the sketch approximates: the element of rank floor(q (n - 1)). */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

const request = fc.record({
  endpoint: fc.constantFrom('GET /a 200', 'POST /b 201', 'GET /c/<*> 200', 'DELETE /d 204'),
  offset: fc.integer({ min: 0, max: 3 * DAY }),
  duration: fc.double({ min: 0.1, max: 500_000, noNaN: true }),
});

/** Everything a report could read from a sketch, for comparing two sketches. */
function readings(sketch: LatencySketch) {
  const endpoints = sketch.endpoints();
  const windows = [
    EVERYTHING,
    [{ from: T0, to: T0 + DAY }],
    [{ from: T0 + DAY, to: T0 + 3 * DAY }],
  ];
  return {
    sliceMs: sketch.sliceMs,
    endpoints,
    values: [ALL_REQUESTS, ...endpoints.map((e) => e.endpoint)].map((name) =>
      windows.map((ranges) => ({
        quantiles: sketch.quantilesIn(name, ranges, [0, 0.5, 0.95, 1]),
        above: sketch.slicesAbove(name, 100, ranges),
      })),
    ),
  };
}

describe('LatencySketch', () => {
  it('reads every quantile within RELATIVE_ACCURACY (4%) of the exact one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.05, max: 300_000, noNaN: true }), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.constantFrom(0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1),
        (durations, q) => {
          const sketch = new LatencySketch();
          for (const d of durations) sketch.add('GET /x 200', T0, d);
          const [read] = sketch.quantiles('GET /x 200', T0, T0 + 60_000, [q]);
          const exact = exactQuantile(durations, q);
          expect(Math.abs((read as number) - exact) / exact).toBeLessThanOrEqual(
            RELATIVE_ACCURACY + 1e-9,
          );
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('merges partials (also through structured clone) into what one pass gives', () => {
    fc.assert(
      fc.property(
        fc.array(request, { minLength: 1, maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (requests, cutsAt) => {
          const one = new LatencySketch();
          for (const r of requests) one.add(r.endpoint, T0 + r.offset, r.duration);
          const cuts = [...new Set(cutsAt.map((c) => c % requests.length))].sort((a, b) => a - b);
          const bounds = [0, ...cuts, requests.length];
          const merged = new LatencySketch();
          for (let i = 0; i + 1 < bounds.length; i++) {
            const part = new LatencySketch();
            for (const r of requests.slice(bounds[i], bounds[i + 1]))
              part.add(r.endpoint, T0 + r.offset, r.duration);
            merged.merge(structuredClone(part.partial()));
          }
          expect(readings(merged)).toEqual(readings(one));
        },
      ),
      { seed: 11, numRuns: 150 },
    );
  });

  it('keeps each tracked endpoint whole when parts pooled different endpoints', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.nat(100)), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.integer({ min: 1, max: 4 }),
        (events, parts) => {
          const truth = new Map<string, number>();
          const merged = new LatencySketch(5);
          const size = Math.ceil(events.length / parts);
          for (let p = 0; p < parts; p++) {
            const part = new LatencySketch(5);
            for (const [id, ms] of events.slice(p * size, (p + 1) * size)) {
              const name = `GET /e${id} 200`;
              truth.set(name, (truth.get(name) ?? 0) + 1);
              part.add(name, T0 + ms * 1000, ms);
            }
            merged.merge(part.partial());
          }
          const listed = merged.endpoints();
          expect(listed.filter((e) => e.endpoint !== OTHER_ENDPOINTS).length).toBeLessThanOrEqual(
            5,
          );
          for (const { endpoint, count } of listed)
            if (endpoint !== OTHER_ENDPOINTS) expect(count).toBe(truth.get(endpoint));
          const total = listed.reduce((sum, e) => sum + e.count, 0);
          expect(total).toBe(events.length);
          expect(merged.quantilesIn(ALL_REQUESTS, EVERYTHING, [0.5]).count).toBe(events.length);
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });

  it('keeps at most maxSlices slices, coarsening as the span grows', () => {
    const sketch = new LatencySketch(50, 200);
    for (let minute = 0; minute < 30 * 24 * 60; minute += 7)
      sketch.add('GET /a 200', T0 + minute * 60_000, 20);
    expect(sketch.sliceMs).toBe(6 * 3_600_000); // 30 days in 6-hour slices: 120
    const slices = sketch.slicesAbove('GET /a 200', 10, EVERYTHING);
    expect(slices.totals.length).toBeLessThanOrEqual(200);
    expect(slices.totals.reduce((a, b) => a + b, 0)).toBe(Math.ceil((30 * 24 * 60) / 7));
    expect(slices.above.every((n, i) => n === slices.totals[i])).toBe(true);
  });

  it('reads windows from their slices and leaves out unusable requests', () => {
    const sketch = new LatencySketch();
    for (let s = 0; s < 3600; s++) sketch.add('GET /a 200', T0 + s * 1000, s < 1800 ? 100 : 1000);
    sketch.add('GET /a 200', Number.NaN, 5);
    sketch.add('GET /a 200', T0, -1);
    sketch.add('GET /a 200', T0, Number.POSITIVE_INFINITY);
    sketch.add('GET /a 200', T0 + 10, 0); // 0 ms: counted, read as 0
    const [before] = sketch.quantiles('GET /a 200', T0, T0 + 1_800_000, [0.5]);
    const [after] = sketch.quantiles('GET /a 200', T0 + 1_800_000, T0 + 3_600_000, [0.5]);
    expect(Math.abs((before as number) / 100 - 1)).toBeLessThan(0.02);
    expect(Math.abs((after as number) / 1000 - 1)).toBeLessThan(0.02);
    expect(sketch.quantiles('GET /a 200', T0, T0 + 3_600_000, [0])).toEqual([0]);
    expect(sketch.endpoints()).toEqual([{ endpoint: 'GET /a 200', count: 3601 }]);
    expect(sketch.quantiles('GET /nothing 200', T0, T0 + 1000, [0.5])).toEqual([undefined]);
  });

  it('folds only the fastest requests when durations span more than its bins', () => {
    const sketch = new LatencySketch();
    const durations = Array.from({ length: 1000 }, (_, i) => 1e-2 * 10 ** (i / 100)); // 0.01 ms to 1e8 ms
    for (const d of durations) sketch.add('GET /a 200', T0, d);
    const [p1, p50, p99] = sketch.quantiles('GET /a 200', T0, T0 + 60_000, [0.01, 0.5, 0.99]);
    const error = (read: number | undefined, q: number) =>
      Math.abs((read as number) / exactQuantile(durations, q) - 1);
    expect(error(p50, 0.5)).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    expect(error(p99, 0.99)).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    // The lowest keys were folded into the floor, about 1e8 / 1.083^250 = 0.2 ms.
    expect(p1 as number).toBeGreaterThan(0.1);
  });
});
