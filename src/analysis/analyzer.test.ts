import { describe, expect, it } from 'vitest';
import { Analyzer } from './analyzer.js';
import type { LogEvent } from './event.js';
import { seededRandom } from './series/testing.js';

const T0 = Date.UTC(2026, 2, 14, 9, 0, 0);
const event = (i: number, message: string, isError = false): LogEvent => ({
  time: T0 + i * 1000,
  host: `web-${i % 3}`,
  message,
  isError,
  isClientError: false,
  source: 'app.log',
  line: i + 1,
});

describe('Analyzer memory bound', () => {
  it('forgets the statistics of evicted templates, keeping the totals', () => {
    const r = seededRandom(3);
    const analyzer = new Analyzer({ maxClusters: 16 });
    // Words no masking sees as variables: every message is a cluster of its own.
    const word = () => Array.from({ length: 6 }, () => 'abcdefghij'[Math.floor(r() * 10)]).join('');
    for (let i = 0; i < 20_000; i++)
      analyzer.add(event(i, `${word()} ${word()} happened`, i % 7 === 0));
    const partial = analyzer.partial();
    expect(partial.templates.length).toBeLessThanOrEqual(2 * 16 + 1);
    const report = analyzer.finish(T0);
    expect(report.totals.events).toBe(20_000);
    expect(report.totals.errors).toBe(Math.ceil(20_000 / 7));
  });
});

describe('Analyzer partials', () => {
  it('merging the partials of parts gives the report of one pass', () => {
    const messages = ['user 1 logged in', 'payment 42 failed', 'cache miss for key k9'];
    const events = Array.from({ length: 3000 }, (_, i) =>
      event(i, messages[i % 3] ?? '', i > 2000 && i % 3 === 1),
    );
    const whole = new Analyzer();
    for (const e of events) whole.add(e);
    const parts = [new Analyzer(), new Analyzer()];
    for (const [i, e] of events.entries()) parts[i < 1500 ? 0 : 1]?.add(e);
    const merged = new Analyzer();
    for (const part of parts) merged.merge(part.partial());
    expect({ ...merged.finish(T0), generatedAt: 0 }).toEqual({
      ...whole.finish(T0),
      generatedAt: 0,
    });
  });
});

describe('Analyzer start sizes', () => {
  it('starting at the sizes reached on a sample of the events changes nothing', () => {
    const r = seededRandom(5);
    // Six hours of requests with durations, errors in the last third.
    const events = Array.from({ length: 20_000 }, (_, i): LogEvent => {
      const status = i > 14_000 && r() < 0.3 ? 502 : 200;
      const path = `/api/items/${Math.floor(r() * 50)}`;
      return {
        time: T0 + Math.floor(i * 1080 + r() * 900),
        message: `GET ${path} ${status}`,
        fromRequest: true,
        http: { method: 'GET', path, status, durationMs: Math.round(r() * r() * 3000) },
        isError: status >= 500,
        isClientError: false,
        source: 'access.log',
        line: i + 1,
      };
    });
    const sampler = new Analyzer();
    for (const e of [...events.slice(0, 200), ...events.slice(-200)]) sampler.add(e);
    const start = sampler.startSizes();
    expect(start.gridBucketMs).toBeGreaterThan(1000);
    expect(start.latencySliceMs).toBeGreaterThan(60_000);
    const analyze = (limits: ConstructorParameters<typeof Analyzer>[0]) => {
      const parts = [new Analyzer(limits), new Analyzer(limits)];
      for (const [i, e] of events.entries()) parts[i < 9000 ? 0 : 1]?.add(e);
      const merged = new Analyzer(limits);
      for (const part of parts) merged.merge(part.partial());
      const latency = merged.evidence().latency;
      return {
        report: { ...merged.finish(T0), generatedAt: 0 },
        sliceMs: latency.sliceMs,
        p95: latency.quantiles('*', T0, T0 + 7 * 3_600_000, [0.5, 0.95]),
      };
    };
    expect(analyze({ start })).toEqual(analyze({}));
  });
});
