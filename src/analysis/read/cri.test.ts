import { describe, expect, it } from 'vitest';
import { parseCri } from './cri.js';
import { detectFormat } from './detect.js';
import { Draft } from './fields.js';
import { readAll } from './reader.js';
import { Clock, Zone } from './time.js';

const REFERENCE = Date.UTC(2026, 5, 1);
const clock = new Clock(new Zone('UTC'), REFERENCE);
const at = (iso: string) => Date.parse(iso);

function wrapper(line: string) {
  const d = new Draft(clock);
  if (!parseCri(line, d)) return undefined;
  return { time: d.time, stream: d.stream, partial: d.partial, payload: d.message };
}

const read = (lines: string[], source = 'app.log', maxLineLength?: number) =>
  readAll(lines.join('\n'), { source, referenceTime: REFERENCE, maxLineLength });

describe('parseCri', () => {
  it('reads the stamp, the stream, the tag and the payload', () => {
    expect(wrapper('2016-10-06T00:17:09.669794202Z stdout F message')).toEqual({
      time: at('2016-10-06T00:17:09.669Z'),
      stream: 1,
      partial: false,
      payload: 'message',
    });
    expect(wrapper('2026-03-14T10:15:02.123456789+01:00 stderr P part one ')).toEqual({
      time: at('2026-03-14T09:15:02.123Z'),
      stream: 2,
      partial: true,
      payload: 'part one ',
    });
    // more tags after the first, and an empty line with or without its space
    expect(wrapper('2026-03-14T09:15:02Z stdout F:x  indented')?.payload).toBe(' indented');
    expect(wrapper('2026-03-14T09:15:02Z stdout F ')?.payload).toBe('');
    expect(wrapper('2026-03-14T09:15:02Z stdout F')?.payload).toBe('');
  });

  it('refuses lines that are not CRI', () => {
    for (const line of [
      '2026-03-14T09:15:02Z stdin F x',
      '2026-03-14T09:15:02Z stdout X x',
      '2026-03-14T09:15:02Z stdout Fx',
      '2026-03-14T09:15:02Z  stdout F x',
      '2026-03-14T09:15:02Z INFO stdout F x',
      'Mar 14 09:15:02 stdout F x',
      'stdout F x',
      '',
    ]) {
      expect(wrapper(line), line).toBeUndefined();
    }
  });
});

describe('CRI logs', () => {
  it('is detected as its own format', () => {
    const lines = [
      '2026-03-14T09:15:02.1Z stdout F {"level":"info","msg":"up"}',
      '2026-03-14T09:15:02.2Z stderr F plain text',
      '2026-03-14T09:15:02.3Z stdout P a long',
      '2026-03-14T09:15:02.3Z stdout F  line',
    ];
    expect(detectFormat(lines, clock)).toEqual({ format: 'cri', sampled: 4, matched: 4 });
  });

  it('joins the parts of a split line into one event, at the line of its first part', () => {
    const { events, stats } = read([
      '2026-03-14T09:15:02.100Z stdout P part1',
      '2026-03-14T09:15:02.200Z stdout P  part2',
      '2026-03-14T09:15:02.300Z stdout F part3',
      '2026-03-14T09:15:03.000Z stdout F next',
    ]);
    expect(events.map((e) => [e.line, e.time, e.message])).toEqual([
      [1, at('2026-03-14T09:15:02.100Z'), 'part1 part2part3'],
      [4, at('2026-03-14T09:15:03.000Z'), 'next'],
    ]);
    expect(stats).toMatchObject({ format: 'cri', lines: 4, events: 2, continuation: 2, blank: 0 });
  });

  it('joins parts per stream, and reads a split JSON line once joined', () => {
    const { events, stats } = read([
      '2026-03-14T09:15:02Z stdout P {"level":"error",',
      '2026-03-14T09:15:02Z stderr F WARN disk almost full',
      '2026-03-14T09:15:02Z stdout F "msg":"boom","status":503}',
    ]);
    // the stderr line is whole first; the split stdout line when its end comes
    expect(events.map((e) => [e.line, e.level, e.message, e.http?.status, e.isError])).toEqual([
      [2, 'warn', 'WARN disk almost full', undefined, false],
      [1, 'error', 'boom', 503, true],
    ]);
    expect(stats).toMatchObject({ lines: 3, events: 2, continuation: 1 });
  });

  it('reads a line whose last part never came, at the end', () => {
    const { events, stats } = read([
      '2026-03-14T09:15:02Z stdout F first',
      '2026-03-14T09:15:03Z stdout P cut ',
      '2026-03-14T09:15:04Z stdout P short',
    ]);
    expect(events.map((e) => [e.line, e.time, e.message])).toEqual([
      [1, at('2026-03-14T09:15:02Z'), 'first'],
      [2, at('2026-03-14T09:15:03Z'), 'cut short'],
    ]);
    expect(stats).toMatchObject({ lines: 3, events: 2, continuation: 1 });
  });

  it('keeps at most maxLineLength characters of a joined line, and counts the rest', () => {
    const { events, stats } = read(
      [
        `2026-03-14T09:15:02Z stdout P ${'a'.repeat(60)}`,
        `2026-03-14T09:15:02Z stdout P ${'b'.repeat(60)}`,
        `2026-03-14T09:15:02Z stdout F ${'c'.repeat(60)}`,
      ],
      'app.log',
      100,
    );
    expect(events.map((e) => e.message)).toEqual([`${'a'.repeat(60)}${'b'.repeat(40)}`]);
    expect(stats).toMatchObject({ truncatedLines: 1, droppedChars: 80 });
  });

  it('counts empty lines as blank, a split one with all its parts', () => {
    const { events, stats } = read([
      '2026-03-14T09:15:02Z stdout F ',
      '2026-03-14T09:15:02Z stdout P ',
      '2026-03-14T09:15:02Z stdout F  ',
      '2026-03-14T09:15:03Z stdout F x',
    ]);
    expect(events.map((e) => e.message)).toEqual(['x']);
    expect(stats).toMatchObject({ lines: 4, blank: 3, events: 1, continuation: 0 });
  });

  it('reads the payload as JSON, logfmt, a stamped line, an access log line or text', () => {
    const { events } = read([
      '2026-03-14T09:15:02Z stdout F {"level":"error","msg":"boom","trace_id":"abc","time":"2020-01-01T00:00:00Z"}',
      '2026-03-14T09:15:03Z stdout F time=2020-01-01T00:00:00Z level=warn msg="slow query" status=200 duration=1.5s',
      '2026-03-14T09:15:04Z stdout F 2020-01-01 00:00:00,123 ERROR [main] c.s.Pay - declined',
      '2026-03-14T09:15:05Z stdout F 10.0.0.1 - - [14/Mar/2026:09:15:05 +0000] "GET /cart?id=7 HTTP/1.1" 502 12 "-" "curl/8.5.0"',
      '2026-03-14T09:15:06Z stderr F ERROR boom',
      '2026-03-14T09:15:07Z stdout F listening on :8080',
    ]);
    // the runtime's time, always: it has a zone, and one clock for all containers
    expect(events.map((e) => e.time)).toEqual(
      [2, 3, 4, 5, 6, 7].map((s) => at(`2026-03-14T09:15:0${s}Z`)),
    );
    expect(events.map((e) => [e.level, e.message, e.isError])).toEqual([
      ['error', 'boom', true],
      ['warn', 'slow query', false],
      ['error', '[main] c.s.Pay - declined', true],
      [undefined, 'GET /cart 502', true],
      ['error', 'ERROR boom', true],
      [undefined, 'listening on :8080', false],
    ]);
    expect(events[0]?.traceId).toBe('abc');
    expect(events[1]?.http).toEqual({ status: 200, durationMs: 1500 });
    expect(events[3]?.http).toEqual({
      method: 'GET',
      path: '/cart',
      query: { id: '7' },
      status: 502,
      userAgent: 'curl/8.5.0',
    });
  });

  it('joins a stack trace written one line each, and starts a Go panic of its own', () => {
    const { events, stats } = read([
      '2026-03-14T09:15:02Z stdout F 2026-03-14 09:15:02,123 ERROR [main] c.s.Pay - declined',
      '2026-03-14T09:15:02Z stdout F java.lang.IllegalStateException: card declined',
      '2026-03-14T09:15:02Z stdout F \tat com.shop.Pay.charge(Pay.java:88)',
      '2026-03-14T09:15:02Z stderr F \tat not.the.same.Stream(X.java:1)',
      '2026-03-14T09:15:03Z stderr F panic: runtime error: index out of range [3] with length 3',
      '2026-03-14T09:15:03Z stderr F ',
      '2026-03-14T09:15:03Z stderr F goroutine 1 [running]:',
      '2026-03-14T09:15:03Z stderr F main.main()',
      '2026-03-14T09:15:03Z stderr F \t/app/main.go:20 +0x25',
      '2026-03-14T09:15:03Z stderr F exit status 2',
    ]);
    expect(events.map((e) => [e.line, e.level, e.message, e.stack, e.isError])).toEqual([
      [
        1,
        'error',
        '[main] c.s.Pay - declined',
        ['java.lang.IllegalStateException: card declined', '\tat com.shop.Pay.charge(Pay.java:88)'],
        true,
      ],
      [4, undefined, '\tat not.the.same.Stream(X.java:1)', undefined, false],
      [
        5,
        'fatal',
        'panic: runtime error: index out of range [3] with length 3',
        ['goroutine 1 [running]:', 'main.main()', '\t/app/main.go:20 +0x25', 'exit status 2'],
        true,
      ],
    ]);
    expect(stats).toMatchObject({ lines: 10, blank: 1, events: 3, continuation: 6 });
  });

  it('takes the pod as the host from the paths Kubernetes lays out', () => {
    const line = ['2026-03-14T09:15:02Z stdout F up'];
    const host = (source: string) => read(line, source).events[0]?.host;
    expect(host('/var/log/pods/shop_checkout-7d9f-x2k4_0a1b2c3d-4e5f/app/0.log')).toBe(
      'checkout-7d9f-x2k4',
    );
    expect(host('/var/log/containers/checkout-7d9f-x2k4_shop_app-0a1b2c3d4e5f.log')).toBe(
      'checkout-7d9f-x2k4',
    );
    // a host the line names wins
    const named = read(
      ['2026-03-14T09:15:02Z stdout F {"msg":"up","host":"web-1"}'],
      'web-9/0.log',
    );
    expect(named.events[0]?.host).toBe('web-1');
  });
});

describe('CRI lines in a file read as plain', () => {
  it('reads each line through, without joining parts', () => {
    const { events } = readAll(
      [
        '2026-03-14T09:15:02Z stdout F {"level":"error","msg":"boom"}',
        '2026-03-14T09:15:03Z stdout F {"user":"x"}',
        '2026-03-14T09:15:04Z stderr F WARN disk almost full',
        '2026-03-14T09:15:05Z stdout P part1',
        '2026-03-14T09:15:05Z stdout F part2',
      ].join('\n'),
      { source: 'x', referenceTime: REFERENCE, format: 'plain' },
    );
    expect(events.map((e) => [e.time, e.level, e.message])).toEqual([
      [at('2026-03-14T09:15:02Z'), 'error', 'boom'],
      [at('2026-03-14T09:15:03Z'), undefined, '{"user":"x"}'],
      [at('2026-03-14T09:15:04Z'), 'warn', 'WARN disk almost full'],
      [at('2026-03-14T09:15:05Z'), undefined, 'part1'],
      [at('2026-03-14T09:15:05Z'), undefined, 'part2'],
    ]);
  });
});

describe("Docker's json-file", () => {
  const record = (log: string, stream = 'stdout', time = '2026-03-14T09:15:02.5Z') =>
    JSON.stringify({ log, stream, time });

  it('joins records whose log does not end with a newline', () => {
    const { events, stats } = readAll(
      [
        record('{"level":"error",', 'stdout', '2026-03-14T09:15:02.1Z'),
        record('WARN between\n', 'stderr'),
        record('"msg":"split boom"}\n', 'stdout', '2026-03-14T09:15:02.9Z'),
        record('whole\n'),
      ].join('\n'),
      { source: 'x', referenceTime: REFERENCE },
    );
    expect(stats).toMatchObject({ format: 'json', lines: 4, events: 3, continuation: 1 });
    expect(events.map((e) => [e.line, e.time, e.level, e.message])).toEqual([
      [2, at('2026-03-14T09:15:02.5Z'), 'warn', 'WARN between'],
      [1, at('2026-03-14T09:15:02.1Z'), 'error', 'split boom'],
      [4, at('2026-03-14T09:15:02.5Z'), undefined, 'whole'],
    ]);
  });

  it('reads a JSON or logfmt log, keeping the wrapper time and what the line lacks', () => {
    const { events } = readAll(
      [
        record('{"level":"warn","msg":"inner","time":"2020-01-01T00:00:00Z","status":429}\n'),
        record('level=error msg="from logfmt" path=/pay\n', 'stderr'),
        JSON.stringify({
          log: 'plain line\n',
          stream: 'stdout',
          time: '2026-03-14T09:15:03Z',
          kubernetes: { pod_name: 'checkout-7d9f' },
        }),
      ].join('\n'),
      { source: 'x', referenceTime: REFERENCE },
    );
    expect(events.map((e) => [e.time, e.level, e.message, e.host, e.http])).toEqual([
      [at('2026-03-14T09:15:02.5Z'), 'warn', 'inner', undefined, { status: 429 }],
      [at('2026-03-14T09:15:02.5Z'), 'error', 'from logfmt', undefined, { path: '/pay' }],
      [at('2026-03-14T09:15:03Z'), undefined, 'plain line', 'checkout-7d9f', undefined],
    ]);
  });

  it('joins nothing when a record has no stream: a `log` field of some other logger', () => {
    const { events } = readAll(
      [JSON.stringify({ log: 'one', level: 'info' }), JSON.stringify({ log: 'two' })].join('\n'),
      { source: 'x', referenceTime: REFERENCE },
    );
    expect(events.map((e) => [e.level, e.message])).toEqual([
      ['info', 'one'],
      [undefined, 'two'],
    ]);
  });
});
