/*
 * Property tests over the whole evidence pipeline: bytes -> createReader (in
 * chunks) -> every event into an Analyzer -> finish(). Whatever the input
 * (random bytes, random strings, lines of every format broken in every way),
 * nothing throws or hangs, every line is accounted for, the analyzer counts
 * every event, and where the chunks are cut changes nothing.
 *
 * Hangs: each property is async and yields to the event loop between runs,
 * so the test timeout fails a property that has become slow, and each run
 * must finish within RUN_BUDGET_MS, which turns a super-linear blow-up into a
 * counterexample fast-check can shrink. (A loop that never returns inside one
 * synchronous call cannot be interrupted in the thread it runs in; the time
 * budget does not catch that, the stalled run shows it.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Analyzer } from './analyzer.js';
import type { LogEvent } from './event.js';
import { createReader, FORMATS, type ReaderOptions, type ReaderStats } from './read/index.js';
import { reportSchema } from './report/model.js';
import { RENDERERS } from './report/render.js';

const REFERENCE = Date.UTC(2026, 5, 1);
/** The vitest timeout of each property. */
const TIMEOUT_MS = 30_000;
/** The longest one run (read twice, analyze twice) may take. */
const RUN_BUDGET_MS = 5_000;

const encoder = new TextEncoder();
const encode = (text: string) => encoder.encode(text);

interface Outcome {
  events: LogEvent[];
  stats: ReaderStats;
  /** The report, as JSON (what the CLI writes). */
  report: string;
}

/** Reads `input` cut at `cuts` (byte offsets), then analyzes every event. */
function pipeline(input: Uint8Array, cuts: readonly number[], options: ReaderOptions, now: number) {
  const reader = createReader(options);
  const events: LogEvent[] = [];
  let from = 0;
  for (const to of [...cuts, input.length]) {
    for (const e of reader.push(input.subarray(from, to))) events.push(e);
    from = to;
  }
  for (const e of reader.end()) events.push(e);
  const stats = reader.stats();

  const analyzer = new Analyzer();
  let added = 0;
  for (const e of events) {
    analyzer.add(e);
    added++;
  }
  analyzer.addSource({
    name: options.source,
    format: stats.format ?? 'unknown',
    lines: stats.lines,
    events: stats.events,
    unparseable: stats.unparseable,
    unparseableSamples: stats.samples.map((s) => ({
      source: s.source,
      line: s.line,
      text: s.text,
    })),
  });
  const report = analyzer.finish(now);

  // the reader's accounting (reader.ts, ReaderStats)
  expect(stats.lines).toBe(stats.blank + stats.events + stats.continuation + stats.unparseable);
  expect(stats.lines).toBe(lineCount(input));
  expect(events.length).toBe(stats.events);
  expect(stats.droppedContinuation).toBeLessThanOrEqual(stats.continuation);
  for (const e of events) {
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(stats.lines);
    expect(typeof e.message).toBe('string');
    // a time is a date: within what Date can hold
    if (e.time !== undefined) expect(Math.abs(e.time)).toBeLessThanOrEqual(8.64e15);
    expect(e.stack?.length ?? 0).toBeLessThanOrEqual(options.maxStackLines ?? 200);
  }
  // the analyzer saw every event, and says so
  expect(report.totals.events).toBe(added);
  expect(report.totals.errors).toBe(events.filter((e) => e.isError).length);
  expect(report.totals.unparseable).toBe(stats.unparseable);
  expectFiniteNumbers(report);
  const json = JSON.stringify(report);
  // what the CLI writes: the JSON the schema describes, and the text and Markdown renderings
  const valid = reportSchema.safeParse(JSON.parse(json));
  if (!valid.success) expect.fail(valid.error.message);
  for (const render of Object.values(RENDERERS)) expect(typeof render(report)).toBe('string');
  return { events, stats, report: json } satisfies Outcome;
}

/** Lines as one decode of the whole input gives them ("\n" ends a line; a last line may lack it). */
function lineCount(input: Uint8Array): number {
  const text = new TextDecoder().decode(input);
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  if (text.length > text.lastIndexOf('\n') + 1) n++;
  return n;
}

/** NaN or Infinity in a report would be written as null: a schema violation. */
function expectFiniteNumbers(value: unknown, path = 'report'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) expect.fail(`${path} is ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      expectFiniteNumbers(v, `${path}[${i}]`);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) expectFiniteNumbers(v, `${path}.${k}`);
  }
}

/**
 * Reads the input whole and cut at the given offsets (every offset, when
 * `bytewise`): both must hold the invariants and give the same events, stats
 * and report.
 */
function check(
  input: Uint8Array,
  offsets: readonly number[],
  bytewise: boolean,
  options: ReaderOptions,
) {
  const started = Date.now();
  const now = Date.now();
  const cuts = bytewise
    ? Array.from({ length: Math.max(0, input.length - 1) }, (_, i) => i + 1)
    : [...new Set(offsets.map((o) => o % (input.length + 1)))].sort((a, b) => a - b);
  const whole = pipeline(input, [], options, now);
  const pieces = pipeline(input, cuts, options, now);
  expect(pieces.events).toEqual(whole.events);
  expect(pieces.stats).toEqual(whole.stats);
  expect(pieces.report).toBe(whole.report);
  const took = Date.now() - started;
  if (took > RUN_BUDGET_MS) expect.fail(`one run took ${took} ms (${input.length} bytes)`);
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const offsets = fc.array(fc.nat(), { maxLength: 24 });
const options: fc.Arbitrary<ReaderOptions> = fc.record({
  source: fc.constantFrom(
    'web-3/app.log',
    '/var/log/pods/shop_checkout-7d9f_0a1b2c3d/app/0.log',
    '/var/log/containers/checkout-7d9f_shop_app-0a1b2c3d4e5f.log',
    '-',
  ),
  referenceTime: fc.constant(REFERENCE),
  defaultZone: fc.constantFrom('UTC', 'Europe/Berlin', '+05:30'),
  format: fc.option(fc.constantFrom(...FORMATS), { nil: undefined, freq: 3 }),
  maxLineLength: fc.constantFrom(undefined, 8, 200, 5_000),
  maxStackLines: fc.constantFrom(undefined, 0, 3),
  detectLines: fc.constantFrom(undefined, 1, 5),
});

// ---------------------------------------------------------------------------
// Fragments of every format, realistic and broken

const stamp = fc.constantFrom(
  '2026-03-14T09:15:02.123Z',
  '2026-03-14T09:15:02.669794202Z',
  '2026-03-14T10:15:02.5+01:00',
  '2026-03-14 09:15:02,123',
  '2026-03-14 09:15:02',
  '2026/03/14 09:15:02',
  'Mar 14 09:15:02',
  'Mar  4 09:15:02',
  '14/Mar/2026:09:15:02 +0000',
  'Sat Mar 14 09:15:02 2026',
  '[2026-03-14 09:15:02]',
  '1773479702',
  '1773479702123',
  'E0314 09:15:02.123456',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '2026-02-30T25:61:61+99:99',
  '2026-03-14T09:15:02.Z',
  '275760-09-13T00:00:00Z',
);
const level = fc.constantFrom(
  'INFO',
  'ERROR',
  'WARN',
  'warn',
  'DEBUG',
  'FATAL',
  '[error]',
  'E',
  'CRIT',
  'panic',
  '',
);
const word = fc.constantFrom(
  'GET',
  'POST',
  '/api/cart',
  'error',
  'timeout',
  'web-3',
  'x=1',
  'level=error',
  '"',
  '\\',
  '\\"',
  '[',
  ']',
  '{',
  '}',
  ':',
  '-',
  ' ',
  '\t',
  '\u0000',
  '\r',
  'é',
  '😀',
  '\ufeff',
  '\ud800',
  'null',
  '1e999',
);
const words = fc.array(word, { maxLength: 10 }).map((w) => w.join(''));
const text = fc.oneof(
  words,
  fc.string({ maxLength: 30 }),
  fc.string({ maxLength: 12, unit: 'binary' }),
);

const knownKey = fc.constantFrom(
  'time',
  'ts',
  '@timestamp',
  't',
  'level',
  'severity',
  'lvl',
  'msg',
  'message',
  'log',
  'stream',
  'host',
  'pod',
  'service',
  'logger',
  'status',
  'status_code',
  'path',
  'url',
  'request',
  'method',
  'duration_ms',
  'duration',
  'request_time',
  'trace_id',
  'err',
  'error',
  'stack',
  'exception',
  'http',
  'req',
  'res',
  'httpRequest',
  '@mt',
  '@l',
  'x',
);
const oddNumber = fc.constantFrom(
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '0.000000000000000000001',
  '-0',
  '1E+2',
  '00012',
  '1.',
  '.5',
  '9007199254740993',
  'NaN',
  'Infinity',
);
const jsonValue = fc.jsonValue({ maxDepth: 4 });
/** A JSON object whose keys the reader knows, values anything (nested too). */
const jsonObject = fc
  .dictionary(fc.oneof(knownKey, fc.string({ maxLength: 6 })), jsonValue, { maxKeys: 8 })
  .map((o) => JSON.stringify(o));
const nestedJson = fc
  .tuple(fc.constantFrom('error', 'http', 'log', 'x', 'req'), fc.nat(300), jsonValue)
  .map(
    ([key, depth, v]) => `${`{"${key}":`.repeat(depth)}${JSON.stringify(v)}${'}'.repeat(depth)}`,
  );
const hugeNumbers = fc
  .tuple(knownKey, oddNumber, knownKey, oddNumber)
  .map(([a, x, b, y]) => `{"${a}":${x},"${b}":${y},"msg":"n"}`);
/** A JSON line broken: cut, a quote or brace added or lost somewhere. */
const brokenJson = fc
  .tuple(
    fc.oneof(jsonObject, hugeNumbers),
    fc.nat(),
    fc.constantFrom('', '"', '\\', '{', '}', ',', ':', '\u0000', '\\u12'),
    fc.boolean(),
  )
  .map(([s, at, insert, cut]) => {
    const i = at % (s.length + 1);
    return cut ? s.slice(0, i) : s.slice(0, i) + insert + s.slice(i + (insert === '' ? 1 : 0));
  });
/** Nested thousands deep under a key the reader reads (a stack, an error, a request). */
const deepJson = fc
  .tuple(
    fc.constantFrom('stack', 'exc_info', 'error', 'http', 'x'),
    fc.integer({ min: 1, max: 40_000 }),
    fc.constantFrom('[', '{"a":', '{"error":', '{"stack":['),
    fc.boolean(),
  )
  .map(([key, depth, open, closed]) => {
    const close = open === '[' ? ']' : open === '{"stack":[' ? ']}' : '}';
    return `{"${key}":${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}}`;
  });
const json = fc.oneof(jsonObject, nestedJson, hugeNumbers, brokenJson, deepJson);
/** Deep JSON alone, bare or wrapped by a container runtime. */
const deepInput = fc
  .array(fc.tuple(deepJson, fc.constantFrom('', '2026-03-14T09:15:02Z stderr F ')), {
    minLength: 1,
    maxLength: 3,
  })
  .map((lines) => encode(lines.map(([l, wrap]) => wrap + l).join('\n')));

const logfmtValue = fc.oneof(
  text.map((t) => `"${t}"`),
  fc.constantFrom(
    'error',
    '500',
    '1.5s',
    '"unterminated',
    'a"b',
    '""',
    '"\\"',
    '2026-03-14T09:15:02Z',
  ),
  words,
);
const logfmt = fc
  .array(fc.tuple(fc.oneof(knownKey, fc.constantFrom('a', 'b.c', '@x')), logfmtValue), {
    minLength: 1,
    maxLength: 8,
  })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(' '));

const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const access = fc
  .tuple(
    ip,
    fc.constantFrom('GET', 'POST', 'BREW', '-', ''),
    fc.oneof(fc.webPath(), text),
    fc.constantFrom('200', '404', '500', '503', '000', '999', '-'),
    fc.constantFrom('1234', '-', ''),
    fc.constantFrom('"-" "curl/8.0"', '"-" "a \\"quoted\\" agent"', '"unterminated', ''),
    fc.constantFrom('', ' 0.123', ' 4567', ' rt=0.5', ' request_time=abc', ' 1e400'),
  )
  .map(
    ([a, m, p, s, b, ua, rt]) =>
      `${a} - - [14/Mar/2026:09:15:02 +0000] "${m} ${p} HTTP/1.1" ${s} ${b} ${ua}${rt}`,
  );

const syslog = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '<34>', '<191>', '<999>', '<>', '<1'),
      fc.constantFrom('Mar 14 09:15:02', 'Oct 11 22:14:15', '2026-03-14T09:15:02.123+00:00'),
      fc.constantFrom('web-1 ', 'fe80::1 ', '', 'ERROR ', 'web-1: '),
      fc.constantFrom('sshd[123]:', 'su:', 'postfix/smtpd[9]:', 'app', 'app[', 'a:b:', '#011at'),
      text,
    )
    .map(([pri, t, host, tag, m]) => `${pri}${t} ${host}${tag} ${m}`),
  fc
    .tuple(
      fc.nat(200),
      fc.constantFrom('-', '2026-03-14T09:15:02.003Z', 'bad'),
      fc.constantFrom('- ', '[id a="1"] ', '[id a="\\"]"] ', '[unterminated ', '[a][b] '),
      text,
    )
    .map(([pri, t, sd, m]) => `<${pri}>1 ${t} web-1 app 12 ID47 ${sd}\ufeff${m}`),
);

const stackLine = fc.constantFrom(
  '\tat com.shop.Pay.charge(Pay.java:88)',
  '    at handler (/app/server.js:42:11)',
  'Caused by: java.io.IOException: broken pipe',
  '\t... 12 more',
  'Traceback (most recent call last):',
  '  File "/app/x.py", line 3, in f',
  'ValueError: bad',
  'java.lang.IllegalStateException: boom',
  'goroutine 1 [running]:',
  'main.main()',
  '\t/app/main.go:20 +0x25',
  'panic: runtime error: index out of range',
  'fatal error: all goroutines are asleep',
  'Exception in thread "main" java.lang.Error: x',
  "/app/x.rb:12:in `run': boom (RuntimeError)",
  "\tfrom /app/x.rb:3:in `each'",
  '[signal SIGSEGV: segmentation violation]',
  'exit status 2',
  '#011at com.x.Y(Y.java:1)',
);

const plain = fc.tuple(stamp, level, text).map(([t, l, m]) => `${t} ${l} ${m}`);

/** A line a container might write: what a CRI line or Docker's `log` wraps. */
const payload = fc.oneof(json, logfmt, access, plain, stackLine, text);

const cri = fc
  .tuple(
    fc.constantFrom(
      '2026-03-14T09:15:02.669794202Z',
      '2026-03-14T10:15:02+01:00',
      'Mar 14 09:15:02',
    ),
    fc.constantFrom('stdout', 'stderr', 'stdin'),
    fc.constantFrom('F', 'P', 'F:x', 'X', ''),
    payload,
  )
  .map(([t, s, tag, p]) => `${t} ${s} ${tag} ${p}`);
/** A line the runtime split: P parts then an F one. */
const criSplit = fc
  .tuple(
    fc.constantFrom('stdout', 'stderr'),
    payload,
    fc.array(fc.nat(), { maxLength: 4 }),
    fc.boolean(),
  )
  .map(([s, p, cuts, finished]) => {
    const points = [...new Set(cuts.map((c) => c % (p.length + 1)))].sort((a, b) => a - b);
    const parts: string[] = [];
    let from = 0;
    for (const at of points) {
      parts.push(p.slice(from, at));
      from = at;
    }
    parts.push(p.slice(from));
    return parts
      .map((part, k) => {
        const tag = k === parts.length - 1 && finished ? 'F' : 'P';
        return `2026-03-14T09:15:02.${k}Z ${s} ${tag} ${part}`;
      })
      .join('\n');
  });
const docker = fc
  .tuple(payload, fc.constantFrom('\n', '', '\r\n'), fc.constantFrom('stdout', 'stderr', undefined))
  .map(([log, end, stream]) =>
    JSON.stringify({ log: log + end, stream, time: '2026-03-14T09:15:02.5Z' }),
  );

const longLine = fc
  .tuple(fc.oneof(payload, cri), fc.integer({ min: 100, max: 3_000 }))
  .map(([line, times]) =>
    line.repeat(Math.min(times, Math.ceil(70_000 / (line.length || 1)))).slice(0, 70_000),
  );

const line = fc.oneof(
  { arbitrary: json, weight: 3 },
  { arbitrary: logfmt, weight: 2 },
  { arbitrary: access, weight: 2 },
  { arbitrary: syslog, weight: 2 },
  { arbitrary: plain, weight: 2 },
  { arbitrary: cri, weight: 2 },
  { arbitrary: criSplit, weight: 2 },
  { arbitrary: docker, weight: 2 },
  { arbitrary: stackLine, weight: 2 },
  { arbitrary: text, weight: 1 },
  { arbitrary: fc.constantFrom('', ' ', '\t', '\r', '\u0000'), weight: 1 },
  { arbitrary: longLine, weight: 1 },
);

/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, surrogates, cut sequences. */
const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0xfe],
  [0x80],
  [0xc3],
  [0xc0, 0x80],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf0, 0x9f, 0x98],
  [0xf4, 0x90, 0x80, 0x80],
  [0xef, 0xbb, 0xbf],
);
const eol = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r', '\n\r');

/** Lines of every format joined by mixed line ends, with invalid bytes spliced in. */
const mixedInput = fc
  .tuple(
    fc.array(fc.tuple(line, eol), { maxLength: 30 }),
    fc.array(fc.tuple(fc.nat(), invalidUtf8), { maxLength: 4 }),
    fc.boolean(),
  )
  .map(([lines, bad, bom]) => {
    const text = lines.map(([l, e]) => l + e).join('');
    let bytes = encode(bom ? `\ufeff${text}` : text);
    for (const [at, seq] of bad) {
      const i = at % (bytes.length + 1);
      const next = new Uint8Array(bytes.length + seq.length);
      next.set(bytes.subarray(0, i));
      next.set(seq, i);
      next.set(bytes.subarray(i), i + seq.length);
      bytes = next;
    }
    return bytes;
  });

/** One format's lines only, so that detection picks it and its parser reads most lines. */
const oneFormatInput = fc
  .tuple(
    fc.constantFrom(json, logfmt, access, syslog, plain, cri, criSplit, docker),
    fc.integer({ min: 1, max: 40 }),
  )
  .chain(([arb, n]) => fc.array(arb, { minLength: 1, maxLength: n }))
  .chain((lines) =>
    fc.array(fc.tuple(fc.nat(lines.length), stackLine), { maxLength: 6 }).map((traces) => {
      const out = [...lines];
      for (const [at, frame] of traces) out.splice(at, 0, frame);
      return encode(out.join('\n'));
    }),
  );

/** Multi-byte characters (2, 3 and 4 bytes) dense, so that cuts fall inside them. */
const multiByteInput = fc
  .array(
    fc.oneof(
      fc.constantFrom('é', 'ß', '€', '中', '😀', '𝄞', '\u0000', '\r', '\n', '\r\n', ' ', '{', '"'),
      fc.string({ maxLength: 8, unit: 'binary' }),
    ),
    { maxLength: 200 },
  )
  .map((parts) => encode(parts.join('')));

describe('the pipeline: reader + analyzer', () => {
  const property = (
    name: string,
    input: fc.Arbitrary<Uint8Array>,
    numRuns: number,
    readerOptions = options,
  ) => {
    it(
      name,
      async () => {
        await fc.assert(
          fc.asyncProperty(
            input,
            offsets,
            fc.boolean(),
            readerOptions,
            async (bytes, cuts, bytewise, opts) => {
              await tick();
              check(bytes, cuts, bytewise && bytes.length <= 4_000, opts);
            },
          ),
          { numRuns },
        );
      },
      TIMEOUT_MS,
    );
  };

  property('takes any bytes, however cut', fc.uint8Array({ maxLength: 3_000 }), 200);
  property('takes multi-byte text cut inside its characters', multiByteInput, 200);
  property('takes any string', fc.string({ maxLength: 500, unit: 'binary' }).map(encode), 200);
  property('takes lines of every format, mixed and broken', mixedInput, 500);
  property('takes files of one format, with traces among them', oneFormatInput, 500);
  property(
    'takes JSON nested thousands deep',
    deepInput,
    40,
    // lines long enough to hold the nesting
    options.map((o) => ({ ...o, maxLineLength: undefined })),
  );
});
