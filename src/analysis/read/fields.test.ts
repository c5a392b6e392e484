import { describe, expect, it } from 'vitest';
import { applyField, Draft, parseDuration } from './fields.js';
import { Clock, Zone } from './time.js';

const clock = new Clock(new Zone('UTC'), Date.UTC(2026, 5, 1));

function draft(fields: Record<string, unknown>): Draft {
  const d = new Draft(clock);
  for (const [key, value] of Object.entries(fields)) applyField(d, key, value);
  return d;
}

describe('fields', () => {
  it('reads durations in the unit their key or suffix names', () => {
    const ms = (fields: Record<string, unknown>) => draft(fields).durationMs;
    expect(ms({ duration_ms: 12.5 })).toBe(12.5);
    expect(ms({ duration: 12 })).toBe(12);
    expect(ms({ duration: '12ms' })).toBe(12);
    expect(ms({ duration: '1.5s' })).toBe(1500);
    expect(ms({ latency: '1m2.5s' })).toBe(62_500);
    expect(ms({ elapsed: '250µs' })).toBe(0.25);
    expect(ms({ elapsed: '250 us' })).toBe(0.25);
    expect(ms({ duration_s: 2 })).toBe(2000);
    expect(ms({ duration_us: 1500 })).toBe(1.5);
    expect(ms({ latency_ns: 2_500_000 })).toBe(2.5);
    expect(ms({ 'event.duration': 48_000_000 })).toBe(48);
    expect(ms({ request_time: '0.123' })).toBe(123);
    expect(ms({ request_time: 0.007 })).toBe(7);
    expect(ms({ response_time: 42 })).toBe(42);
    expect(ms({ 'httpRequest.latency': '0.250s' })).toBe(250);
    // the better-named key wins whatever the order
    expect(ms({ duration: 5, duration_ms: 7 })).toBe(7);
    expect(ms({ duration: 'soon' })).toBeNaN();
    expect(ms({ duration: -3 })).toBeNaN();
  });

  it('parses duration texts', () => {
    expect(parseDuration('12', 0)).toBe(12);
    expect(parseDuration('3h', 0)).toBe(10_800_000);
    expect(parseDuration('1h2m3s', 0)).toBe(3_723_000);
    expect(parseDuration('12 parsecs', 0)).toBeNaN();
    expect(parseDuration('', 0)).toBeNaN();
    expect(parseDuration('1.2.3s', 0)).toBeNaN();
  });

  it('ranks the names of each field', () => {
    const d = draft({
      t: '2026-01-01T00:00:00Z',
      ts: 1773479702,
      '@timestamp': '2026-03-14T09:15:02.5Z',
      lvl: 'debug',
      level: 'warn',
      message: 'second',
      msg: 'first',
      pod: 'checkout-7d9f',
      hostname: 'node-1',
      logger: 'com.shop.Api',
      service: 'checkout',
    });
    expect(d.time).toBe(Date.parse('2026-03-14T09:15:02.500Z'));
    expect([d.level, d.message, d.host, d.service]).toEqual([
      'warn',
      'first',
      'node-1',
      'checkout',
    ]);
  });

  it('reads HTTP fields, splitting the query off the path', () => {
    const d = draft({
      request: 'post https://shop.example.com/api/pay?x=1#f HTTP/1.1',
      status: '503',
    });
    expect([d.method, d.path, d.query, d.status]).toEqual(['POST', '/api/pay', 'x=1', 503]);
    expect(draft({ status: 'ok' }).status).toBe(0);
    expect(draft({ status: 99 }).status).toBe(0);
    expect(draft({ url: 'https://shop.example.com' }).path).toBe('/');
  });

  it('reads errors: objects, stacks and one-line texts', () => {
    const object = draft({ err: { type: 'TypeError', message: 'x is undefined' } });
    expect([object.exception, object.errorType, object.errorText]).toEqual([
      true,
      'TypeError',
      'x is undefined',
    ]);
    const stack = draft({ stack_trace: 'Error: a\n    at b (c.js:1:2)\n' });
    expect([stack.exception, stack.stack]).toEqual([true, ['Error: a', '    at b (c.js:1:2)']]);
    const text = draft({ error: 'connection refused' });
    expect([text.exception, text.errorText]).toEqual([false, 'connection refused']);
    expect(
      draft({ exc_info: ['Traceback (most recent call last):', '  File "a.py"'] }).stack,
    ).toEqual(['Traceback (most recent call last):', '  File "a.py"']);
    expect(draft({ stack: [{ at: 'a.js:1' }, 'b'] }).stack).toEqual(['{"at":"a.js:1"}', 'b']);
  });

  it('keeps a stack entry nested too deep to print as a placeholder, without throwing', () => {
    // JSON.stringify runs out of call stack some thousands deep
    const deep = JSON.parse(`${'['.repeat(30_000)}1${']'.repeat(30_000)}`);
    expect(draft({ stack: [deep, 'at x (y.js:1:2)'] }).stack).toEqual(['[...]', 'at x (y.js:1:2)']);
  });

  it('takes the trace id out of a Google Cloud trace name', () => {
    expect(draft({ 'logging.googleapis.com/trace': 'projects/p/traces/abc123' }).traceId).toBe(
      'abc123',
    );
    expect(draft({ trace_id: 'abc/def' }).traceId).toBe('abc/def');
  });

  it('retries a capitalised key in lower case', () => {
    const d = draft({ Level: 'Error', Message: 'boom', Timestamp: '2026-03-14T09:15:02Z' });
    expect([d.level, d.message, d.time]).toEqual([
      'error',
      'boom',
      Date.parse('2026-03-14T09:15:02Z'),
    ]);
  });
});
