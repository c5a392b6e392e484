/*
 * The reader: bytes of one log source in, LogEvents out.
 *
 *   const reader = createReader({ source: 'web-3/access.log' });
 *   for await (const chunk of stream) handle(reader.push(chunk));
 *   handle(reader.end());
 *   reader.stats();
 *
 * push() returns the events completed by that chunk: an event is held back
 * until the next one starts, because the lines after it may be its stack
 * trace. The first lines are held until the format is known (50 candidate
 * lines, or end()). Nothing here throws on input: lines no parser reads are
 * counted, and a few kept as samples.
 *
 * A line that does not parse in the file's format continues the event above
 * (into its `stack`) when it is indented or part of a stack trace; in a
 * plain (timestamped) file every line without a timestamp does. A crash
 * report (Go `panic:`, Ruby's uncaught exception, Java's `Exception in
 * thread`) starts an event of its own, with the time of the event before it.
 * An event is an error when its level is error or fatal, its status 5xx, or
 * it carries an exception: an error object or stack field, or continuation
 * lines that show a trace. A one-line `error` field counts only when the
 * line has no level.
 *
 * A container runtime's wrapper (Docker's json-file `{"log": ...}`, a CRI
 * line "<stamp> stdout F <line>") holds a line of the container's own output:
 * that line is read through the other formats' parsers (JSON, logfmt, a
 * stamped plain line, an access log line, text), with the runtime's time.
 * A line the runtime split (CRI `P` parts up to the `F` one; Docker records
 * whose `log` does not end with a newline) is joined again, per stream, and
 * becomes one event at the line of its first part, when its last part comes
 * (or at end()).
 */
import type { HttpFields, Level, LogEvent } from '../event.js';
import { parseAccess } from './access.js';
import { parseCri } from './cri.js';
import { type Detection, detectFormat, isBlank, isCandidate, type LogFormat } from './detect.js';
import { Draft, stackLines } from './fields.js';
import { hostFromSource } from './host.js';
import { parseQuery } from './http.js';
import { parseJson } from './json.js';
import { type LineSink, LineSplitter } from './lines.js';
import { parseLogfmt } from './logfmt.js';
import { continuesTrace, crashLevel, isContinuationLike, isTraceLine } from './multiline.js';
import { parseInner, parsePlain, parseText } from './plain.js';
import { parseSyslog3164, parseSyslog5424 } from './syslog.js';
import { Clock, Zone } from './time.js';

export interface ReaderOptions {
  /** The name events carry as `source` (a path, usually); also where the host is guessed from. */
  source: string;
  /**
   * IANA zone ("Europe/Berlin") or fixed offset ("+02:00") for stamps that
   * carry no zone. Default "UTC": a reader never depends on the machine it
   * runs on; the CLI passes the user's zone when that is what they want.
   */
  defaultZone?: string;
  /** Overrides the host guessed from the source path: its first capture group. */
  hostPattern?: RegExp;
  /** Epoch ms that years missing from stamps are inferred against. Default: now. */
  referenceTime?: number;
  /** Skip detection and read every line as this format. */
  format?: LogFormat;
  /** Candidate lines (not blank, not continuation) detection looks at. Default 50. */
  detectLines?: number;
  /** Longest line kept, in UTF-16 code units; the rest is dropped and counted. Default 65,536. */
  maxLineLength?: number;
  /** Continuation lines kept per event; more are counted and dropped. Default 200. */
  maxStackLines?: number;
  /** Unparseable lines kept as samples. Default 10. */
  maxSamples?: number;
}

export interface UnparseableSample {
  source: string;
  line: number;
  /** The line, cut to 200 characters. */
  text: string;
}

/**
 * Every line is exactly one of: blank, the first line of an event,
 * a continuation of the event above (kept in its stack or dropped past the
 * cap), or unparseable: lines = blank + events + continuation + unparseable
 * (once end() has run). The parts of a line a container runtime split count
 * as one line of its kind, and each part after the first as a continuation
 * (all blank when the joined line is).
 */
export interface ReaderStats {
  source: string;
  /** Undefined until the format is known. */
  format: LogFormat | undefined;
  /** How detection judged the first lines (undefined when the format was forced or is not known yet). */
  detection: Detection | undefined;
  lines: number;
  blank: number;
  events: number;
  continuation: number;
  /** Continuation lines past maxStackLines (included in `continuation`). */
  droppedContinuation: number;
  unparseable: number;
  samples: UnparseableSample[];
  /** Lines longer than maxLineLength, cut (and lines joined from parts that grew past it). */
  truncatedLines: number;
  droppedChars: number;
}

export interface LogReader {
  /** Feeds a chunk of bytes; returns the events it completed (possibly none). */
  push(chunk: Uint8Array): LogEvent[];
  /** Ends the input; returns the remaining events. */
  end(): LogEvent[];
  stats(): ReaderStats;
}

const JSON_LINES = 0;
const LOGFMT = 1;
const ACCESS = 2;
const SYSLOG_3164 = 3;
const SYSLOG_5424 = 4;
const PLAIN = 5;
const TEXT = 6;
const CRI = 7;
const UNKNOWN = -1;

const CODES: Record<LogFormat, number> = {
  json: JSON_LINES,
  cri: CRI,
  logfmt: LOGFMT,
  access: ACCESS,
  'syslog-3164': SYSLOG_3164,
  'syslog-5424': SYSLOG_5424,
  plain: PLAIN,
  text: TEXT,
};

/** The parts of a line a container runtime split, waiting for the last one. */
interface Partial {
  /** The line number of the first part. */
  line: number;
  /** The time of the first part. */
  time: number;
  text: string;
  /** Parts after the first. */
  parts: number;
  /** Characters past maxLineLength, dropped. */
  dropped: number;
}

class Reader implements LogReader, LineSink {
  private readonly source: string;
  private readonly pathHost: string | undefined;
  private readonly clock: Clock;
  private readonly draft: Draft;
  /** A container's own line (Docker's `log`, a CRI payload), read out of `draft`. */
  private readonly inner: Draft;
  private readonly splitter: LineSplitter;
  private readonly maxLine: number;
  private readonly detectLines: number;
  private readonly maxStack: number;
  private readonly maxSamples: number;
  private formatName: LogFormat | undefined;
  private format = UNKNOWN;
  private detection: Detection | undefined;
  private buffer: string[] = [];
  private candidates = 0;
  private out: LogEvent[] = [];
  private pending: LogEvent | undefined;
  /** The pending event shows a trace: lines that do not parse go on with it. */
  private inTrace = false;
  /** The runtime stream of the pending event (0: none or not known). */
  private pendingStream = 0;
  /** Split lines waiting for their last part, by stream (1 stdout, 2 stderr). */
  private readonly partials: (Partial | undefined)[] = [undefined, undefined, undefined];
  /** Lines joined from parts that ran past maxLineLength, and the characters dropped. */
  private joinedTruncated = 0;
  private joinedDropped = 0;
  private ended = false;
  private lineNo = 0;
  private blank = 0;
  private events = 0;
  private continuation = 0;
  private droppedContinuation = 0;
  private unparseable = 0;
  private readonly samples: UnparseableSample[] = [];

  constructor(options: ReaderOptions) {
    this.source = options.source;
    this.pathHost = hostFromSource(options.source, options.hostPattern);
    const zone = new Zone(options.defaultZone ?? 'UTC');
    this.clock = new Clock(zone, options.referenceTime ?? Date.now());
    this.draft = new Draft(this.clock);
    this.inner = new Draft(this.clock);
    const count = (value: number | undefined, fallback: number, least: number) =>
      Math.max(least, Math.floor(value ?? fallback) || least);
    this.maxLine = count(options.maxLineLength, 65_536, 1);
    this.splitter = new LineSplitter(this.maxLine);
    this.detectLines = count(options.detectLines, 50, 1);
    this.maxStack = count(options.maxStackLines, 200, 0);
    this.maxSamples = count(options.maxSamples, 10, 0);
    if (options.format !== undefined) {
      this.formatName = options.format;
      this.format = CODES[options.format];
    }
  }

  push(chunk: Uint8Array): LogEvent[] {
    if (this.ended) throw new Error('LogReader.push() after end()');
    this.splitter.push(chunk, this);
    const out = this.out;
    if (out.length === 0) return [];
    this.out = [];
    return out;
  }

  end(): LogEvent[] {
    if (!this.ended) {
      this.ended = true;
      this.splitter.end(this);
      if (this.format === UNKNOWN && this.buffer.length > 0) this.detect();
      this.flushPartials();
      this.flush();
    }
    const out = this.out;
    this.out = [];
    return out;
  }

  stats(): ReaderStats {
    return {
      source: this.source,
      format: this.formatName,
      detection: this.detection,
      lines: this.lineNo + this.buffer.length,
      blank: this.blank,
      events: this.events,
      continuation: this.continuation,
      droppedContinuation: this.droppedContinuation,
      unparseable: this.unparseable,
      samples: this.samples.slice(),
      truncatedLines: this.splitter.truncated + this.joinedTruncated,
      droppedChars: this.splitter.droppedChars + this.joinedDropped,
    };
  }

  /** LineSink: one line from the splitter. */
  line(text: string): void {
    if (this.format !== UNKNOWN) {
      this.process(text);
      return;
    }
    this.buffer.push(text);
    if (isCandidate(text)) this.candidates++;
    if (this.candidates >= this.detectLines || this.buffer.length >= 20 * this.detectLines) {
      this.detect();
    }
  }

  private detect(): void {
    const detection = detectFormat(this.buffer, this.clock);
    this.detection = detection;
    this.formatName = detection.format;
    this.format = CODES[detection.format];
    const buffered = this.buffer;
    this.buffer = [];
    for (const text of buffered) this.process(text);
  }

  private parse(text: string, d: Draft): boolean {
    switch (this.format) {
      case JSON_LINES:
        return parseJson(text, d);
      case CRI:
        return parseCri(text, d);
      case ACCESS:
        return parseAccess(text, d);
      case LOGFMT:
        return parseLogfmt(text, d);
      case SYSLOG_3164:
        return parseSyslog3164(text, d, false);
      case SYSLOG_5424:
        return parseSyslog5424(text, d);
      case PLAIN:
        return parsePlain(text, d);
      default:
        return false;
    }
  }

  private process(text: string): void {
    const n = ++this.lineNo;
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && isBlank(text))) {
      this.blank++;
      return;
    }
    const d = this.draft;
    d.reset();
    const format = this.format;
    const pending = this.pending;
    if (this.parse(text, d)) {
      if (d.fromLog) {
        this.container(d, n);
        return;
      }
      // Docker and syslog split a stack trace into one record per line.
      if (
        pending !== undefined &&
        format !== ACCESS &&
        format !== PLAIN &&
        d.message !== undefined &&
        (d.level === undefined || d.level === pending.level) &&
        (d.host ?? this.pathHost) === pending.host &&
        d.service === pending.service &&
        !isBlank(d.message) &&
        (isContinuationLike(d.message) || (this.inTrace && continuesTrace(d.message)))
      ) {
        this.append(pending, d.message);
        return;
      }
      this.start(d, text, n);
      return;
    }
    const crash = crashLevel(text);
    if (crash !== undefined) {
      d.reset();
      d.message = text;
      d.level = crash;
      d.exception = true;
      if (pending?.time !== undefined) d.time = pending.time;
      this.start(d, text, n);
      this.inTrace = true;
      return;
    }
    if (
      pending !== undefined &&
      (format === PLAIN ||
        isContinuationLike(text) ||
        (this.inTrace && (format !== TEXT || continuesTrace(text))))
    ) {
      this.append(pending, text);
      return;
    }
    if (format === TEXT || format === PLAIN) {
      d.reset();
      parseText(text, d);
      this.start(d, text, n);
      return;
    }
    this.unparseable++;
    if (this.samples.length < this.maxSamples) {
      this.samples.push({ source: this.source, line: n, text: text.slice(0, 200) });
    }
  }

  /**
   * A line of a container's output as its runtime wrapped it (Docker's
   * json-file, CRI): the parts of a split line are joined, per stream, and
   * the whole line is read through the other formats' parsers.
   */
  private container(d: Draft, n: number): void {
    const format = this.format;
    let text = d.message ?? '';
    const stream = d.stream;
    const partial =
      stream !== 0 &&
      (format === CRI
        ? d.partial
        : format === JSON_LINES && text.charCodeAt(text.length - 1) !== 10);
    const waiting = stream !== 0 ? this.partials[stream] : undefined;
    if (partial) {
      if (waiting === undefined) {
        const first: Partial = { line: n, time: d.time, text: '', parts: 0, dropped: 0 };
        this.partials[stream] = first;
        this.join(first, text);
      } else {
        waiting.parts++;
        this.join(waiting, text);
      }
      return;
    }
    let line = n;
    let parts = 0;
    if (waiting !== undefined) {
      this.partials[stream] = undefined;
      waiting.parts++;
      this.join(waiting, text);
      this.countDropped(waiting);
      text = waiting.text;
      line = waiting.line;
      parts = waiting.parts;
      if (!Number.isNaN(waiting.time)) d.time = waiting.time;
    }
    this.containerLine(d, text, line, parts);
  }

  /** Adds a part to a split line, keeping at most maxLineLength characters. */
  private join(partial: Partial, text: string): void {
    const room = this.maxLine - partial.text.length;
    if (text.length <= room) partial.text += text;
    else {
      if (room > 0) partial.text += text.slice(0, room);
      partial.dropped += text.length - Math.max(0, room);
    }
  }

  private countDropped(partial: Partial): void {
    if (partial.dropped > 0) {
      this.joinedTruncated++;
      this.joinedDropped += partial.dropped;
    }
  }

  /** Split lines whose last part never came: read as they are, in line order. */
  private flushPartials(): void {
    for (;;) {
      let first: Partial | undefined;
      let stream = 0;
      for (let k = 1; k < this.partials.length; k++) {
        const p = this.partials[k];
        if (p !== undefined && (first === undefined || p.line < first.line)) {
          first = p;
          stream = k;
        }
      }
      if (first === undefined) return;
      this.partials[stream] = undefined;
      this.countDropped(first);
      const d = this.draft;
      d.reset();
      d.time = first.time;
      d.timeRank = 0;
      d.stream = stream;
      this.containerLine(d, first.text, first.line, first.parts);
    }
  }

  /**
   * One whole line of a container's output (`text`, from line `n` and the
   * `parts` lines after it), with its wrapper in `outer`.
   */
  private containerLine(outer: Draft, raw: string, n: number, parts: number): void {
    const text = raw.trimEnd();
    if (text.length === 0 || isBlank(text)) {
      this.blank += 1 + parts;
      return;
    }
    this.continuation += parts;
    const d = this.inner;
    d.reset();
    parseInner(text, d);
    d.adopt(outer);
    const stream = outer.stream;
    const crash = crashLevel(text);
    if (crash !== undefined) {
      d.level = crash;
      d.exception = true;
    }
    const pending = this.pending;
    const message = d.message;
    if (
      crash === undefined &&
      pending !== undefined &&
      message !== undefined &&
      stream === this.pendingStream &&
      (d.level === undefined || d.level === pending.level) &&
      (d.host ?? this.pathHost) === pending.host &&
      d.service === pending.service &&
      !isBlank(message) &&
      (isContinuationLike(message) || (this.inTrace && continuesTrace(message)))
    ) {
      this.append(pending, message);
      return;
    }
    this.start(d, text, n);
    if (crash !== undefined) this.inTrace = true;
  }

  private append(event: LogEvent, text: string): void {
    this.continuation++;
    let stack = event.stack;
    if (stack === undefined) {
      stack = [];
      event.stack = stack;
    }
    if (stack.length >= this.maxStack) this.droppedContinuation++;
    else stack.push(text);
    if (!this.inTrace && isTraceLine(text)) this.inTrace = true;
    if (this.inTrace) event.isError = true;
  }

  private flush(): void {
    const pending = this.pending;
    if (pending !== undefined) {
      this.out.push(pending);
      this.pending = undefined;
    }
  }

  private start(d: Draft, text: string, n: number): void {
    this.flush();
    this.pending = this.build(d, text, n);
    this.pendingStream = d.stream;
    this.events++;
    this.inTrace = false;
  }

  private build(d: Draft, text: string, n: number): LogEvent {
    const status = d.status;
    let http: HttpFields | undefined;
    if (d.method !== undefined || d.path !== undefined || status !== 0) {
      http = {
        method: d.method,
        path: d.path,
        query: d.query === undefined ? undefined : parseQuery(d.query),
        status: status === 0 ? undefined : status,
        durationMs: !Number.isNaN(d.durationMs) ? d.durationMs : undefined,
        userAgent: d.userAgent,
      };
    }
    let level: Level | undefined = d.level;
    if (level === undefined && d.clef) level = 'info';
    let stack = d.stack;
    const errorText = d.errorText;
    if (stack === undefined && (errorText !== undefined || d.errorType !== undefined)) {
      const type = d.errorType;
      stack = [
        type === undefined
          ? (errorText ?? '')
          : errorText === undefined
            ? type
            : `${type}: ${errorText}`,
      ];
    }
    if (stack !== undefined) {
      if (stack.length === 0) stack = undefined;
      else if (stack.length > this.maxStack) stack.length = this.maxStack;
    }
    let message = d.message;
    let exception = d.exception;
    let fromRequest = d.fromRequest;
    if (message === undefined) {
      if (errorText !== undefined) message = errorText;
      else if (http !== undefined) {
        message = `${d.method ?? '-'} ${d.path ?? '-'} ${status || '-'}`;
        fromRequest = true;
      } else message = text;
    } else if (!fromRequest && message.indexOf('\n') !== -1) {
      // (a message composed from a request has no line break: not searched,
      // as searching would flatten the concatenation, a copy per line)
      // a multi-line message (a traceback logged as the message): its first
      // line is the message, the rest goes to the stack
      const lines = stackLines(message);
      message = lines.shift() ?? '';
      if (lines.length > 0) {
        if (!exception) exception = lines.some(isTraceLine);
        stack = stack === undefined ? lines : lines.concat(stack);
        if (stack.length > this.maxStack) stack.length = this.maxStack;
      }
    }
    return {
      time: !Number.isNaN(d.time) ? d.time : undefined,
      host: d.host ?? this.pathHost,
      service: d.service,
      level,
      message,
      fromRequest: fromRequest || undefined,
      http,
      traceId: d.traceId,
      // the line itself, for its other fields (see extra-fields.ts): no copy
      raw: this.format === LOGFMT || text.charCodeAt(0) === 123 ? text : undefined,
      stack,
      isError:
        level === 'error' ||
        level === 'fatal' ||
        status >= 500 ||
        exception ||
        (errorText !== undefined && level === undefined),
      isClientError: status >= 400 && status < 500,
      source: this.source,
      line: n,
    };
  }
}

/** A reader for one source (file). Throws a RangeError for an unknown `defaultZone`. */
export function createReader(options: ReaderOptions): LogReader {
  return new Reader(options);
}

/** Bytes read into one batch of events by readEvents. */
const BATCH_BYTES = 16 << 10;

/** All events of a stream of chunks, in batches; returns the reader's stats. */
export async function* readEvents(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReaderOptions,
): AsyncGenerator<LogEvent[], ReaderStats, undefined> {
  const reader = createReader(options);
  for await (const chunk of chunks) {
    // Small batches: the consumer is done with one before the next is made,
    // so few events are alive when the young generation is collected (a
    // megabyte's worth each time made the whole pass half again slower).
    for (let at = 0; at < chunk.length; at += BATCH_BYTES) {
      const events = reader.push(chunk.subarray(at, at + BATCH_BYTES));
      if (events.length > 0) yield events;
    }
  }
  const rest = reader.end();
  if (rest.length > 0) yield rest;
  return reader.stats();
}

/** Reads a whole in-memory input at once (tests, small files). */
export function readAll(
  input: Uint8Array | string,
  options: ReaderOptions,
): { events: LogEvent[]; stats: ReaderStats } {
  const reader = createReader(options);
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const events = reader.push(bytes);
  for (const e of reader.end()) events.push(e);
  return { events, stats: reader.stats() };
}
