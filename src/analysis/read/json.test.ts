import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyObject, Draft, ROOT } from './fields.js';
import { parseJson } from './json.js';
import { Clock, Zone } from './time.js';

const clock = new Clock(new Zone('UTC'), Date.UTC(2026, 5, 1));

/** The draft JSON.parse and the key table make of a line: what the scanner must match. */
function viaJsonParse(line: string): Draft | undefined {
  const d = new Draft(clock);
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  applyObject(d, o as Record<string, unknown>, ROOT, 0);
  return d;
}

function viaScanner(line: string): Draft | undefined {
  const d = new Draft(clock);
  return parseJson(line, d) ? d : undefined;
}

const KEYS = [
  'time',
  'ts',
  '@timestamp',
  'timestamp',
  'level',
  'severity',
  'lvl',
  'msg',
  'message',
  'log',
  '@mt',
  'host',
  'hostname',
  'pod',
  'service',
  'app',
  'logger',
  'status',
  'status_code',
  'path',
  'url',
  'request',
  'method',
  'duration',
  'duration_ms',
  'latency',
  'request_time',
  'user_agent',
  'trace_id',
  'trace',
  'error',
  'err',
  'exception',
  'stack',
  'stack_trace',
  'http',
  'req',
  'res',
  'response',
  'httpRequest',
  'event',
  'Level',
  'Message',
  'pid',
  'caller',
  'x',
  'é',
  'a\\"b',
];

const scalar = fc.oneof(
  fc.constantFrom(
    '2026-03-14T09:15:02.123Z',
    '2026-03-14 09:15:02,5 +0100',
    'Mar 14 09:15:02',
    '1773479702',
    'info',
    'WARN',
    'Error',
    'GET',
    '/api/cart?id=42&q=a%20b',
    'https://x.example.com/a?b=1',
    'GET /x?y=1 HTTP/1.1',
    '12ms',
    '1.5s',
    'web-3',
    'Error: boom\n    at f (/a.js:1:2)',
    'line "quoted" \\ back',
    '',
    '-',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -1000, max: 2_000_000_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(200, 404, 503, 30, 50, 1773479702.123, 1e21, 5e-7, -0),
  fc.boolean(),
  fc.constant(null),
);

const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(
    fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })),
    tie('value'),
    {
      maxKeys: 6,
    },
  ),
})).object;

describe('JSON scanner', () => {
  it('reads every line as JSON.parse plus the key table would', () => {
    fc.assert(
      fc.property(value, (o) => {
        const line = JSON.stringify(o);
        expect(viaScanner(line)).toEqual(viaJsonParse(line));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with JSON.parse on lines with spaces, and does not throw on broken ones', () => {
    const lines = fc.oneof(
      value.map((o) => JSON.stringify(o, null, 1).replaceAll('\n', ' ')),
      value
        .map((o) => JSON.stringify(o))
        .chain((line) =>
          fc.nat({ max: line.length }).map((k) => line.slice(0, k) + line.slice(k + 1)),
        ),
      value
        .map((o) => JSON.stringify(o))
        .chain((line) =>
          fc
            .tuple(
              fc.nat({ max: line.length }),
              fc.constantFrom('"', ',', '}', '{', '\\', ':', ' ', 'x'),
            )
            .map(([k, c]) => line.slice(0, k) + c + line.slice(k)),
        ),
    );
    fc.assert(
      fc.property(lines, (line) => {
        const scanned = viaScanner(line);
        const parsed = viaJsonParse(line);
        // What JSON.parse reads, the scanner reads the same way. (It may also
        // accept a few lines JSON.parse refuses: broken JSON inside an object
        // it skips, a raw tab in a string, a number like 01.)
        if (parsed !== undefined) expect(scanned).toEqual(parsed);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses lines whose own structure is broken', () => {
    for (const line of [
      '{"msg":"a" "level":"error"}',
      '{"msg":"a",}',
      '{"msg":"a"',
      '{"msg":}',
      '{"msg":"a"} x',
      '{"n":1.}',
      '{"n":-}',
      '{"msg":"bad \\q escape"}',
      '{msg:"a"}',
      '[1,2]',
      '"x"',
    ]) {
      expect(viaScanner(line), line).toBeUndefined();
    }
  });

  it('reads keys in the order of the line, whatever the previous line had', () => {
    const a = viaScanner('{"msg":"a","level":"error","time":"2026-03-14T09:15:02Z"}');
    const b = viaScanner('{"level":"info","msg":"b","x":1,"time":1773479702000}');
    const c = viaScanner('{"msg":"c"}');
    expect([a?.message, a?.level]).toEqual(['a', 'error']);
    expect([b?.message, b?.level, b?.time]).toEqual(['b', 'info', 1773479702000]);
    expect([c?.message, c?.level, c?.time]).toEqual(['c', undefined, Number.NaN]);
  });
});
