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
