import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../event.js';
import { FORMATS, type LogFormat } from './detect.js';
import { createReader, type ReaderOptions, readAll, readEvents } from './reader.js';

const encode = (text: string) => new TextEncoder().encode(text);
const REFERENCE = Date.UTC(2026, 5, 1);

/** Feeds the input cut at the given offsets; returns events and stats. */
function readCut(input: Uint8Array, offsets: number[], options: ReaderOptions) {
  const reader = createReader(options);
  const points = [...new Set(offsets.map((o) => o % (input.length + 1)))].sort((a, b) => a - b);
  const events: LogEvent[] = [];
  let from = 0;
  for (const p of [...points, input.length]) {
    events.push(...reader.push(input.subarray(from, p)));
    from = p;
  }
  events.push(...reader.end());
  return { events, stats: reader.stats() };
}

/** The lines of an input as one decode would give them. */
function referenceLines(input: Uint8Array): string[] {
  const lines = new TextDecoder().decode(input).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const word = fc.constantFrom(
  'GET',
  'POST',
  '/api/cart',
  'error',
  'ERROR',
  'web-3',
  'x=1',
  '"',
  '[',
  ']',
  '{',
  '}',
  ':',
  '-',
  ' ',
);
const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));

/** Lines in the shapes the reader knows, slightly broken now and then, and junk. */
const logLine = fc.oneof(
  fc
    .tuple(
      ip,
      fc.constantFrom('GET', 'POST', '-'),
      fc.webPath(),
      fc.integer({ min: 100, max: 599 }),
      fc.nat(99_999),
      fc.option(fc.constantFrom(' 0.123', ' 4567', ' rt=0.5')),
    )
    .map(
      ([a, m, p, s, b, rt]) =>
        `${a} - - [14/Mar/2026:09:15:02 +0000] "${m} ${p || '/'} HTTP/1.1" ${s} ${b} "-" "curl/8.0"${rt ?? ''}`,
    ),
  fc
    .dictionary(
      fc.constantFrom(
        'time',
        'level',
        'msg',
        'status',
        'path',
        'host',
        'err',
        'stack',
        'duration_ms',
        'x',
      ),
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.constantFrom('info', 'error', 'Error: a\n    at b (c.js:1:2)'),
      ),
    )
    .map((o) => JSON.stringify(o)),
  fc
    .tuple(fc.nat(191), fc.string({ maxLength: 20 }))
    .map(([pri, m]) => `<${pri}>Mar 14 09:15:02 web-1 app[12]: ${m}`),
  fc.string({ maxLength: 20 }).map((m) => `<165>1 2026-03-14T09:15:02Z web-1 app 12 - - ${m}`),
  fc
    .tuple(
      fc.constantFrom(
        '2026-03-14 09:15:02,123',
        '2026-03-14T09:15:02Z',
        'Mar 14 09:15:02',
        '[2026-03-14 09:15:02]',
        '1773479702',
        'E0314 09:15:02.000001',
      ),
      fc.constantFrom('INFO', 'ERROR', 'warn', ''),
      fc.string({ maxLength: 20 }),
    )
    .map(([t, l, m]) => `${t} ${l} ${m}`),
  fc
    .string({ maxLength: 20 })
    .map((m) => `time=2026-03-14T09:15:02Z level=error msg="${m}" status=500`),
  fc.constantFrom(
    '\tat com.x.Y.z(Y.java:12)',
    '    at handler (/app/server.js:42:11)',
    'Caused by: java.io.IOException: x',
    '\t... 12 more',
    'Traceback (most recent call last):',
    '  File "/app/x.py", line 3, in f',
    'ValueError: bad',
    'java.lang.IllegalStateException: boom',
    'goroutine 1 [running]:',
    'main.main()',
    'panic: boom',
    'fatal error: all goroutines are asleep',
    'Exception in thread "main" java.lang.Error: x',
    "/app/x.rb:12:in `run': boom (RuntimeError)",
    "\tfrom /app/x.rb:3:in `each'",
    '',
    '   ',
  ),
  fc.array(word, { maxLength: 8 }).map((w) => w.join('')),
  fc.string({ maxLength: 40, unit: 'binary' }),
);

const logInput = fc
  .tuple(fc.array(logLine, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, last]) => encode(lines.join(eol) + (last ? eol : '')));

const anyInput = fc.oneof(logInput, fc.uint8Array({ maxLength: 2000 }));
const formatOption = fc.option(fc.constantFrom(...FORMATS), { nil: undefined });

describe('createReader', () => {
  it('never throws on any bytes, in any format, however cut', () => {
    fc.assert(
      fc.property(
        anyInput,
        fc.array(fc.nat(), { maxLength: 8 }),
        formatOption,
        fc.constantFrom(8, 64, 65_536),
        (input, offsets, format, maxLineLength) => {
          const { events, stats } = readCut(input, offsets, {
            source: 'web-3/app.log',
            referenceTime: REFERENCE,
            format,
            maxLineLength,
            maxStackLines: 5,
            detectLines: 10,
          });
          expect(events.length).toBe(stats.events);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('accounts for every line: blank, event, continuation or unparseable', () => {
    fc.assert(
      fc.property(anyInput, formatOption, (input, format) => {
        const { events, stats } = readAll(input, {
          source: 'x.log',
          referenceTime: REFERENCE,
          format,
          maxStackLines: 3,
        });
        const lines = referenceLines(input);
        expect(stats.lines).toBe(lines.length);
        expect(stats.blank + stats.events + stats.continuation + stats.unparseable).toBe(
          stats.lines,
        );
        expect(events.length).toBe(stats.events);
        expect(stats.droppedContinuation).toBeLessThanOrEqual(stats.continuation);
        // events come in line order, each from a non-blank line
        let previous = 0;
        for (const e of events) {
          expect(e.line).toBeGreaterThan(previous);
          expect(lines[e.line - 1]?.trim()).not.toBe('');
          expect(e.stack?.length ?? 0).toBeLessThanOrEqual(3);
          previous = e.line;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('makes every line that continues nothing an event or an unparseable line', () => {
    // lower-case words: never a stack frame, a trace header or a continuation
    const plainWords = fc.array(fc.stringMatching(/^[a-z][a-z ]{0,20}$/), { maxLength: 30 });
    const jsonOrWords = fc.array(
      fc.oneof(
        fc.stringMatching(/^[a-z][a-z ]{0,20}$/),
        fc
          .dictionary(fc.constantFrom('msg', 'level', 'x'), fc.stringMatching(/^[a-z]{0,5}$/))
          .map((o) => JSON.stringify(o)),
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(plainWords, (lines) => {
        const { stats } = readAll(lines.join('\n'), { source: 'x', format: 'text' });
        const nonBlank = lines.filter((l) => l.trim() !== '').length;
        expect(stats.events).toBe(nonBlank);
        expect(stats.continuation + stats.unparseable).toBe(0);
      }),
    );
    fc.assert(
      fc.property(jsonOrWords, (lines) => {
        const { stats } = readAll(lines.join('\n'), { source: 'x', format: 'json' });
        const nonBlank = lines.filter((l) => l.trim() !== '').length;
        expect(stats.events + stats.unparseable).toBe(nonBlank);
        expect(stats.events).toBe(lines.filter((l) => l.startsWith('{')).length);
      }),
    );
  });

  it('reads the same events however the input is cut into chunks', () => {
    fc.assert(
      fc.property(
        logInput,
        fc.array(fc.nat(), { maxLength: 10 }),
        formatOption,
        (input, offsets, format) => {
          const options = {
            source: 'web-3/app.log',
            referenceTime: REFERENCE,
            format,
            detectLines: 7,
          };
          const whole = readAll(input, options);
          const cut = readCut(input, offsets, options);
          expect(cut.events).toEqual(whole.events);
          expect(cut.stats).toEqual(whole.stats);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('holds events back until the format is known, then lets them through', () => {
    const reader = createReader({ source: 'x', referenceTime: REFERENCE, detectLines: 3 });
    expect(reader.push(encode('{"msg":"a"}\n{"msg":"b"}\n'))).toEqual([]);
    expect(reader.stats().format).toBeUndefined();
    expect(reader.stats().lines).toBe(2);
    // the third line decides; the last event waits for what follows it
    expect(reader.push(encode('{"msg":"c"}\n')).map((e) => e.message)).toEqual(['a', 'b']);
    expect(reader.stats().format).toBe('json');
    expect(reader.stats().detection).toEqual({ format: 'json', sampled: 3, matched: 3 });
    expect(reader.end().map((e) => e.message)).toEqual(['c']);
    expect(() => reader.push(encode('x'))).toThrow(/after end/);
    expect(reader.end()).toEqual([]);
  });

  it('keeps at most maxStackLines continuation lines and counts the rest', () => {
    const text = [
      '2026-03-14 09:15:02,123 ERROR boom',
      'java.lang.IllegalStateException: x',
      ...Array.from({ length: 5 }, (_, k) => `\tat a.B.c${k}(B.java:${k})`),
      '2026-03-14 09:15:03,000 INFO ok',
    ].join('\n');
    const { events, stats } = readAll(text, { source: 'x', maxStackLines: 3 });
    expect(events[0]?.stack).toEqual([
      'java.lang.IllegalStateException: x',
      '\tat a.B.c0(B.java:0)',
      '\tat a.B.c1(B.java:1)',
    ]);
    expect(events[0]?.isError).toBe(true);
    expect(stats).toMatchObject({ events: 2, continuation: 6, droppedContinuation: 3 });
  });

  it('does not count indented lines without a trace as an error', () => {
    const text = '2026-03-14 09:15:02 INFO config:\n  port: 8080\n  host: 0.0.0.0\n';
    const { events } = readAll(text, { source: 'x' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ stack: ['  port: 8080', '  host: 0.0.0.0'], isError: false });
  });

  it('cuts long lines and says so', () => {
    const long = `2026-03-14T09:15:02Z INFO ${'x'.repeat(100)}`;
    const { events, stats } = readAll(`${long}\nshort line\n`, { source: 'x', maxLineLength: 50 });
    expect(events[0]?.message).toBe('x'.repeat(50 - '2026-03-14T09:15:02Z INFO '.length));
    expect(stats).toMatchObject({ truncatedLines: 1, droppedChars: long.length - 50 });
  });

  it('keeps at most maxSamples unparseable lines, cut to 200 characters', () => {
    const lines = [
      '{"msg":"ok"}',
      ...Array.from({ length: 5 }, (_, k) => `junk ${k} ${'y'.repeat(300)}`),
    ];
    const { stats } = readAll(lines.join('\n'), {
      source: 'app.json',
      format: 'json',
      maxSamples: 2,
    });
    expect(stats.unparseable).toBe(5);
    expect(stats.samples).toEqual([
      { source: 'app.json', line: 2, text: `junk 0 ${'y'.repeat(193)}` },
      { source: 'app.json', line: 3, text: `junk 1 ${'y'.repeat(193)}` },
    ]);
  });

  it('reads everything as the forced format', () => {
    const text = '2026-03-14T09:15:02Z ERROR boom\n{"msg":"x"}\n';
    const forced = (format: LogFormat) => readAll(text, { source: 'x', format }).stats;
    expect(forced('plain')).toMatchObject({ format: 'plain', events: 1, continuation: 1 });
    expect(forced('plain').detection).toBeUndefined();
    expect(forced('json')).toMatchObject({ format: 'json', events: 1, unparseable: 1 });
    expect(forced('text')).toMatchObject({ format: 'text', events: 2 });
  });

  it('falls back to text when no format reads enough lines', () => {
    const { stats } = readAll('hello\nworld\n2026-03-14T09:15:02Z x\nmore\n', { source: 'x' });
    expect(stats.format).toBe('text');
  });

  it('streams batches with readEvents and returns the stats', async () => {
    async function* chunks() {
      yield encode('{"msg":"a"}\n{"ms');
      yield encode('g":"b"}\n');
    }
    const gen = readEvents(chunks(), { source: 'x', detectLines: 1 });
    const batches: string[][] = [];
    let next = await gen.next();
    while (!next.done) {
      batches.push(next.value.map((e) => e.message));
      next = await gen.next();
    }
    expect(batches.flat()).toEqual(['a', 'b']);
    expect(next.value).toMatchObject({ format: 'json', events: 2, lines: 2 });
  });
});

describe('stack traces split across records', () => {
  it('joins the lines rsyslog wrote one record each', () => {
    const text = [
      'Mar 14 09:15:02 web-1 app[12]: ERROR payment failed',
      'Mar 14 09:15:02 web-1 app[12]: java.lang.IllegalStateException: declined',
      'Mar 14 09:15:02 web-1 app[12]: #011at com.shop.Pay.charge(Pay.java:88)',
      'Mar 14 09:15:03 web-1 app[12]: INFO next',
      'Mar 14 09:15:03 web-1 other[13]: #011indented but another program',
    ].join('\n');
    const { events, stats } = readAll(text, { source: 'syslog', referenceTime: REFERENCE });
    expect(stats.format).toBe('syslog-3164');
    expect(events.map((e) => [e.message, e.stack])).toEqual([
      [
        'ERROR payment failed',
        ['java.lang.IllegalStateException: declined', '\tat com.shop.Pay.charge(Pay.java:88)'],
      ],
      ['INFO next', undefined],
      ['\tindented but another program', undefined],
    ]);
  });

  it('joins a Python traceback Docker wrote one record per line', () => {
    const lines = [
      '2026-03-14 09:15:02,123 ERROR unhandled',
      'Traceback (most recent call last):',
      '  File "/app/main.py", line 12, in handler',
      'ZeroDivisionError: division by zero',
      '2026-03-14 09:15:03,000 INFO ok',
    ];
    const text = lines
      .map((log) =>
        JSON.stringify({ log: `${log}\n`, stream: 'stderr', time: '2026-03-14T09:15:02.5Z' }),
      )
      .join('\n');
    const { events } = readAll(text, { source: 'x', referenceTime: REFERENCE });
    expect(events.map((e) => [e.level, e.message, e.stack, e.isError])).toEqual([
      ['error', 'unhandled', lines.slice(1, 4), true],
      ['info', 'ok', undefined, false],
    ]);
  });
});
